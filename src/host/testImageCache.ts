/**
 * The test images of the run the dashboard shows, served to the grid by index: sent once by the worker for a
 * live run, or read again from the data for a kept run (which names them by its data's checksum and their
 * count, see core/data/publishedTestImages.ts); requests that come while they are being read wait for them.
 */
import { PIXELS } from '../domain/classes';
import type { HostToWebview } from '../protocol/webview';
import type { TestSetReference } from '../core/data/publishedTestImages';

export interface TestImages {
  images: Uint8Array;
  count: number;
}

export class TestImageCache {
  private held: TestImages | undefined;
  private loading: Promise<TestImages | undefined> | undefined;
  private reference: TestSetReference | undefined;
  private sentByWorker = false;

  get current(): TestImages | undefined {
    return this.held;
  }

  /** Which test images these are (their data's checksum and count), when known. */
  get testSet(): TestSetReference | undefined {
    return this.reference;
  }

  /** True when the worker sent these images for the session's latest run (so it holds them too). */
  get fromWorker(): boolean {
    return this.sentByWorker && this.held !== undefined;
  }

  /** Holds these images (none: forgets them); `reference` names them, `fromWorker` says the worker sent them. */
  set(images: TestImages | undefined, reference?: TestSetReference, fromWorker = false): void {
    this.held = images;
    this.loading = undefined;
    this.reference = reference;
    this.sentByWorker = fromWorker;
  }

  /** Images being read from the data: requests wait for them (undefined: they could not be read). */
  load(reference: TestSetReference, reading: Promise<TestImages | undefined>): void {
    this.set(undefined, reference);
    const loading: Promise<TestImages | undefined> = reading.then(
      (images) => {
        if (this.loading === loading) {
          this.held = images;
          this.loading = undefined;
        }
        return images;
      },
      () => undefined,
    );
    this.loading = loading;
  }

  /**
   * The pixels of the images asked for (indices already validated against 0..9,999), or undefined when there are
   * none yet. Indices beyond this run's test set are left out.
   */
  imagesFor(indices: number[]): Extract<HostToWebview, { type: 'images' }> | undefined {
    const held = this.held;
    if (!held) return undefined;
    const served = indices.filter((index) => index < held.count);
    const pixels = new Uint8Array(served.length * PIXELS);
    served.forEach((index, i) => pixels.set(held.images.subarray(index * PIXELS, (index + 1) * PIXELS), i * PIXELS));
    return { type: 'images', indices: served, pixels };
  }

  /** Like `imagesFor`, after the images being read (if any) have arrived. */
  async imagesWhenReady(indices: number[]): Promise<Extract<HostToWebview, { type: 'images' }> | undefined> {
    await this.loading;
    return this.imagesFor(indices);
  }
}
