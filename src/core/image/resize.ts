/** Shrinking pictures by averaging: before analysis (big photos), and by area to any size (28x28, thumbnails). */
/** Longer side above which a picture is shrunk before it is analysed. */
export const ANALYSIS_SIZE = 1024;

/**
 * Shrinks a picture whose longer side exceeds ANALYSIS_SIZE by averaging k x k blocks (k the smallest
 * whole factor that fits), weighting colour by opacity so transparent pixels lend no colour to their
 * neighbours. Smaller pictures are returned as they are.
 */
export function reduceForAnalysis(rgba: Uint8Array, width: number, height: number): { width: number; height: number; rgba: Uint8Array } {
  const k = Math.ceil(Math.max(width, height) / ANALYSIS_SIZE);
  if (k <= 1) return { width, height, rgba };
  const outW = Math.ceil(width / k);
  const outH = Math.ceil(height / k);
  const out = new Uint8Array(outW * outH * 4);
  // One row of output blocks at a time: sums of r*a, g*a, b*a, a and the pixel count per block.
  const sums = new Float64Array(outW * 5);
  for (let by = 0; by < outH; by++) {
    sums.fill(0);
    const yEnd = Math.min(height, (by + 1) * k);
    for (let y = by * k; y < yEnd; y++) {
      for (let x = 0; x < width; x++) {
        const p = (y * width + x) * 4;
        const s = Math.floor(x / k) * 5;
        const a = rgba[p + 3];
        sums[s] += rgba[p] * a;
        sums[s + 1] += rgba[p + 1] * a;
        sums[s + 2] += rgba[p + 2] * a;
        sums[s + 3] += a;
        sums[s + 4] += 1;
      }
    }
    for (let bx = 0; bx < outW; bx++) {
      const s = bx * 5;
      const o = (by * outW + bx) * 4;
      const alphaSum = sums[s + 3];
      for (let c = 0; c < 3; c++) out[o + c] = alphaSum > 0 ? Math.round(sums[s + c] / alphaSum) : 0;
      out[o + 3] = Math.round(alphaSum / sums[s + 4]);
    }
  }
  return { width: outW, height: outH, rgba: out };
}


/** A rectangle of a picture: columns x0..x1 and rows y0..y1 (end exclusive). */
export interface Box {
  x0: number;
  y0: number;
  /** Exclusive. */
  x1: number;
  y1: number;
}


/**
 * Resamples the `box` of a one-channel picture to outW x outH by area averaging: each output pixel is
 * the mean of the source area it covers, counting partly covered source pixels by their overlap. That
 * is what shrinking a photo needs (no aliasing); enlarging degrades gracefully to nearest-neighbour blocks.
 */
export function resizeArea(values: Float32Array, width: number, box: Box, outW: number, outH: number): Float32Array {
  const out = new Float32Array(outW * outH);
  const stepX = (box.x1 - box.x0) / outW;
  const stepY = (box.y1 - box.y0) / outH;
  for (let oy = 0; oy < outH; oy++) {
    const sy0 = box.y0 + oy * stepY;
    const sy1 = sy0 + stepY;
    for (let ox = 0; ox < outW; ox++) {
      const sx0 = box.x0 + ox * stepX;
      const sx1 = sx0 + stepX;
      let sum = 0;
      let area = 0;
      for (let y = Math.floor(sy0); y < Math.ceil(sy1); y++) {
        const wy = Math.min(sy1, y + 1) - Math.max(sy0, y);
        if (wy <= 0) continue;
        for (let x = Math.floor(sx0); x < Math.ceil(sx1); x++) {
          const wx = Math.min(sx1, x + 1) - Math.max(sx0, x);
          if (wx <= 0) continue;
          sum += values[y * width + x] * wx * wy;
          area += wx * wy;
        }
      }
      out[oy * outW + ox] = area > 0 ? sum / area : 0;
    }
  }
  return out;
}
