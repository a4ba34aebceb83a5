/** The test images of the run the dashboard shows (sent once by the worker, or restored), served to the grid by index. */
import { PIXELS } from '../domain/classes';
import type { HostToWebview } from '../protocol/webview';

export interface TestImages {
  images: Uint8Array;
  count: number;
}

export class TestImageCache {
  private held: TestImages | undefined;

  get current(): TestImages | undefined {
    return this.held;
  }

  set(images: TestImages | undefined): void {
    this.held = images;
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
}
