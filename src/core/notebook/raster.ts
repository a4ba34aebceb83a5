/**
 * A small RGBA drawing surface for the exported charts (filled rectangles, lines with a width and a dash,
 * markers, pixel-font text), encoded to PNG by pngjs. Pure JavaScript, so the CLI and the extension host
 * render the same bytes without a browser or a native canvas.
 */
import { PNG } from 'pngjs';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows } from './pixelFont';

export type Rgb = readonly [number, number, number];

export type TextAlign = 'left' | 'center' | 'right';

export class Raster {
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    this.data = new Uint8Array(width * height * 4);
    this.fillRect(0, 0, width, height, background);
  }

  setPixel(x: number, y: number, color: Rgb): void {
    const px = Math.round(x);
    const py = Math.round(y);
    if (px < 0 || py < 0 || px >= this.width || py >= this.height) return;
    const i = (py * this.width + px) * 4;
    this.data[i] = color[0];
    this.data[i + 1] = color[1];
    this.data[i + 2] = color[2];
    this.data[i + 3] = 255;
  }

  fillRect(x: number, y: number, width: number, height: number, color: Rgb): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + width));
    const y1 = Math.min(this.height, Math.round(y + height));
    for (let py = y0; py < y1; py++) for (let px = x0; px < x1; px++) this.setPixel(px, py, color);
  }

  strokeRect(x: number, y: number, width: number, height: number, color: Rgb): void {
    this.fillRect(x, y, width, 1, color);
    this.fillRect(x, y + height - 1, width, 1, color);
    this.fillRect(x, y, 1, height, color);
    this.fillRect(x + width - 1, y, 1, height, color);
  }

  /** A line `thickness` pixels wide; `dash` [on, off] in pixels along the line makes it dashed. */
  line(x0: number, y0: number, x1: number, y1: number, color: Rgb, thickness = 1, dash?: [number, number]): void {
    const length = Math.hypot(x1 - x0, y1 - y0);
    const steps = Math.max(1, Math.ceil(length * 2));
    const half = (thickness - 1) / 2;
    for (let i = 0; i <= steps; i++) {
      const along = (i / steps) * length;
      if (dash && along % (dash[0] + dash[1]) >= dash[0]) continue;
      const x = x0 + ((x1 - x0) * i) / steps;
      const y = y0 + ((y1 - y0) * i) / steps;
      this.fillRect(x - half, y - half, thickness, thickness, color);
    }
  }

  /** A filled disc or square of `size` pixels, centred on (x, y): the markers of the two series. */
  marker(x: number, y: number, shape: 'circle' | 'square', size: number, color: Rgb): void {
    const r = size / 2;
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) {
        if (shape === 'circle' && dx * dx + dy * dy > r * r + 0.5) continue;
        this.setPixel(x + dx, y + dy, color);
      }
    }
  }

  /** Width in pixels of `text` at `scale` (each glyph 5 columns plus 1 of spacing). */
  static textWidth(text: string, scale: number): number {
    const count = [...text].length;
    return count === 0 ? 0 : (count * (GLYPH_WIDTH + 1) - 1) * scale;
  }

  static textHeight(scale: number): number {
    return GLYPH_HEIGHT * scale;
  }

  /** Text with its top at `y`, aligned on `x`; `vertical` runs it bottom-to-top (a y-axis title). */
  text(x: number, y: number, text: string, color: Rgb, scale = 2, align: TextAlign = 'left', vertical = false): void {
    const width = Raster.textWidth(text, scale);
    const offset = align === 'left' ? 0 : align === 'center' ? width / 2 : width;
    let pen = 0;
    for (const character of text) {
      const rows = glyphRows(character);
      rows.forEach((row, gy) =>
        row.forEach((inked, gx) => {
          if (!inked) return;
          const along = pen + gx * scale - offset;
          const across = gy * scale;
          const left = vertical ? x + across : x + along;
          const top = vertical ? y - along - scale : y + across;
          this.fillRect(left, top, scale, scale, color);
        }),
      );
      pen += (GLYPH_WIDTH + 1) * scale;
    }
  }

  toPng(): Buffer {
    const png = new PNG({ width: this.width, height: this.height });
    png.data = Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    return PNG.sync.write(png, { colorType: 6 });
  }
}
