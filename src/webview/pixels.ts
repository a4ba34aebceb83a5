/** Draws the pixel data the host sends onto canvases. Nothing is loaded from a URL. */
import { IMAGE_SIZE, PIXELS } from '../domain/classes';

/** A 28x28 canvas showing one grayscale image (0 = black, 255 = white, as in the dataset). */
export function grayCanvas(pixels: ArrayLike<number> | undefined, offset = 0, className = 'pixel-image'): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = IMAGE_SIZE;
  canvas.height = IMAGE_SIZE;
  canvas.className = className;
  if (pixels) drawGray(canvas, pixels, offset);
  return canvas;
}

export function drawGray(canvas: HTMLCanvasElement, pixels: ArrayLike<number>, offset = 0): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(IMAGE_SIZE, IMAGE_SIZE);
  for (let i = 0; i < PIXELS; i++) {
    const value = pixels[offset + i] ?? 0;
    image.data[i * 4] = value;
    image.data[i * 4 + 1] = value;
    image.data[i * 4 + 2] = value;
    image.data[i * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  canvas.classList.add('loaded');
}

/** A canvas showing an RGBA thumbnail (the original of a classified file). */
export function rgbaCanvas(width: number, height: number, rgba: Uint8Array, className = 'thumbnail'): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.className = className;
  const w = Math.max(1, Math.floor(width));
  const hgt = Math.max(1, Math.floor(height));
  canvas.width = w;
  canvas.height = hgt;
  const context = canvas.getContext('2d');
  if (context && rgba.length >= w * hgt * 4) {
    const image = context.createImageData(w, hgt);
    image.data.set(rgba.subarray(0, w * hgt * 4));
    context.putImageData(image, 0, 0);
  }
  return canvas;
}
