/** EXIF orientation: turning a picture upright as viewers show it. */
/** Turns a JPEG upright following its EXIF orientation (1..8), as viewers show it. */
export function applyExifOrientation(
  rgba: Uint8Array,
  width: number,
  height: number,
  orientation: number | undefined,
): { width: number; height: number; rgba: Uint8Array } {
  if (orientation === undefined || orientation < 2 || orientation > 8) return { width, height, rgba };
  const swap = orientation >= 5;
  const outW = swap ? height : width;
  const outH = swap ? width : height;
  const out = new Uint8Array(outW * outH * 4);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      // Where output pixel (x, y) comes from in the stored picture.
      let sx: number;
      let sy: number;
      switch (orientation) {
        case 2: sx = width - 1 - x; sy = y; break;
        case 3: sx = width - 1 - x; sy = height - 1 - y; break;
        case 4: sx = x; sy = height - 1 - y; break;
        case 5: sx = y; sy = x; break;
        case 6: sx = y; sy = height - 1 - x; break;
        case 7: sx = width - 1 - y; sy = height - 1 - x; break;
        default: sx = width - 1 - y; sy = x; break; // 8
      }
      const from = (sy * width + sx) * 4;
      const to = (y * outW + x) * 4;
      out[to] = rgba[from];
      out[to + 1] = rgba[from + 1];
      out[to + 2] = rgba[from + 2];
      out[to + 3] = rgba[from + 3];
    }
  }
  return { width: outW, height: outH, rgba: out };
}
