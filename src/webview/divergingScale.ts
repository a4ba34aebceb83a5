/**
 * The diverging colour scale of the insight views (first-layer weights, conv filters, feature maps, saliency):
 * orange for negative, the editor's background for 0, blue for positive, read from the current theme; a
 * picture of values on it and its legend bar.
 */
import { opaque } from './theme';

export type Rgb = [number, number, number];

/** A CSS colour as opaque RGB (see opaque()). */
function rgbOf(css: string, fallback: Rgb): Rgb {
  const value = opaque(css);
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(value);
  if (hex) return [parseInt(hex[1], 16), parseInt(hex[2], 16), parseInt(hex[3], 16)];
  const rgb = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(value);
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : fallback;
}

export interface Scale {
  negative: Rgb;
  zero: Rgb;
  positive: Rgb;
}

export function themeScale(): Scale {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: Rgb) => rgbOf(style.getPropertyValue(name).trim() || `rgb(${fallback.join(',')})`, fallback);
  return {
    negative: read('--vscode-charts-orange', [209, 134, 22]),
    zero: read('--vscode-editor-background', [30, 30, 30]),
    positive: read('--vscode-charts-blue', [55, 148, 255]),
  };
}

/** t in -1..1 on the diverging scale. */
export function colourAt(scale: Scale, t: number): Rgb {
  const end = t < 0 ? scale.negative : scale.positive;
  const a = Math.min(1, Math.abs(t));
  return [0, 1, 2].map((i) => Math.round(scale.zero[i] + (end[i] - scale.zero[i]) * a)) as Rgb;
}

/** A side × side picture of values on the diverging scale: pixel p (row-major) at t(p) in -1..1 (scaled up by CSS, pixelated). */
export function divergingCanvas(side: number, className: string, scale: Scale, t: (p: number) => number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = side;
  canvas.height = side;
  canvas.className = `pixel-image ${className} loaded`;
  const context = canvas.getContext('2d');
  if (context) {
    const image = context.createImageData(side, side);
    for (let p = 0; p < side * side; p++) image.data.set([...colourAt(scale, t(p)), 255], p * 4);
    context.putImageData(image, 0, 0);
  }
  return canvas;
}

/** The legend: the scale's colours from −max through 0 to +max. */
export function legend(scale: Scale): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = 101;
  canvas.height = 1;
  canvas.className = 'weight-legend-bar';
  const context = canvas.getContext('2d');
  if (context) {
    const image = context.createImageData(101, 1);
    for (let x = 0; x <= 100; x++) image.data.set([...colourAt(scale, (x - 50) / 50), 255], x * 4);
    context.putImageData(image, 0, 0);
  }
  canvas.setAttribute('aria-hidden', 'true');
  return canvas;
}
