/**
 * Test-image pixels the webview has asked the host for. The grid asks for one page at a time; images
 * arrive in an `images` message and are drawn into every canvas that was waiting for them. A bounded
 * cache keeps memory flat while paging through all 10,000.
 */
import { PIXELS } from '../domain/classes';
import { type WebviewToHost } from '../protocol/webview';
import { drawGray } from './pixels';

const MAX_CACHED = 3000;

export class ImageStore {
  private readonly cache = new Map<number, Uint8Array>();
  private readonly pending = new Set<number>();
  private readonly waiting = new Map<number, Set<HTMLCanvasElement>>();

  constructor(private readonly post: (message: WebviewToHost) => void) {}

  /** Draws image `index` into `canvas` now if we have it, or when it arrives. */
  drawInto(index: number, canvas: HTMLCanvasElement): void {
    const pixels = this.cache.get(index);
    if (pixels) {
      drawGray(canvas, pixels);
      return;
    }
    let set = this.waiting.get(index);
    if (!set) this.waiting.set(index, (set = new Set()));
    set.add(canvas);
  }

  /** Asks the host for the images among `indices` that are neither cached nor already asked for. */
  request(indices: number[]): void {
    const missing = indices.filter((i) => !this.cache.has(i) && !this.pending.has(i));
    if (missing.length === 0) return;
    for (const i of missing) this.pending.add(i);
    this.post({ type: 'requestImages', indices: missing });
  }

  receive(indices: number[], pixels: Uint8Array): void {
    indices.forEach((index, n) => {
      const image = pixels.slice(n * PIXELS, (n + 1) * PIXELS);
      this.pending.delete(index);
      this.cache.set(index, image);
      for (const canvas of this.waiting.get(index) ?? []) if (canvas.isConnected) drawGray(canvas, image);
      this.waiting.delete(index);
    });
    // Forget the oldest images beyond the bound (Map keeps insertion order).
    for (const index of this.cache.keys()) {
      if (this.cache.size <= MAX_CACHED) break;
      this.cache.delete(index);
    }
  }

  /** After a whole new state, ask again for anything the host may not have answered. */
  resetPending(): void {
    this.pending.clear();
    this.waiting.clear();
  }

  /** A new run may have other test images: drop everything. */
  clear(): void {
    this.cache.clear();
    this.pending.clear();
    this.waiting.clear();
  }

  /** Canvases removed from the page no longer need drawing. Call only when the current canvases are attached. */
  forgetDetached(): void {
    for (const [index, set] of this.waiting) {
      for (const canvas of set) if (!canvas.isConnected) set.delete(canvas);
      if (set.size === 0) this.waiting.delete(index);
    }
  }
}
