/** The small picture shown beside a classification. */
import type { PreparedImage } from './prepare';
import { resizeArea } from './resize';

export const THUMBNAIL_SIZE = 128;

/** The picture shrunk (never enlarged) to at most 128 px on its longer side, by averaging, RGBA. */
export function makeThumbnail(rgba: Uint8Array, width: number, height: number): PreparedImage['thumbnail'] {
  const scale = Math.min(1, THUMBNAIL_SIZE / Math.max(width, height));
  const outW = Math.max(1, Math.round(width * scale));
  const outH = Math.max(1, Math.round(height * scale));
  const out = new Uint8Array(outW * outH * 4);
  for (let c = 0; c < 4; c++) {
    const channel = new Float32Array(width * height);
    for (let i = 0; i < channel.length; i++) channel[i] = rgba[i * 4 + c];
    const resized = resizeArea(channel, width, { x0: 0, y0: 0, x1: width, y1: height }, outW, outH);
    for (let i = 0; i < resized.length; i++) out[i * 4 + c] = Math.round(resized[i]);
  }
  return { width: outW, height: outH, rgba: out };
}
