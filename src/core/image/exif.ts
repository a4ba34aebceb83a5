/**
 * EXIF orientation: turning a picture upright as viewers show it. JPEG's comes from its header (image-size
 * reads it); PNG (an eXIf chunk) and WebP (an EXIF chunk) carry the same TIFF block, read here, since
 * browsers and VS Code's preview turn those pictures too and a sideways garment would be a wrong answer.
 */

/** The Orientation tag (0x0112) of a TIFF/EXIF block, or undefined when it has none or cannot be read. */
export function tiffOrientation(tiff: Uint8Array): number | undefined {
  // An "Exif\0\0" prefix is allowed (WebP writers differ on it).
  const start = tiff.length >= 6 && String.fromCharCode(...tiff.subarray(0, 4)) === 'Exif' ? 6 : 0;
  const view = new DataView(tiff.buffer, tiff.byteOffset + start, tiff.byteLength - start);
  if (view.byteLength < 8) return undefined;
  const order = view.getUint16(0);
  if (order !== 0x4949 && order !== 0x4d4d) return undefined;
  const little = order === 0x4949;
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > view.byteLength) return undefined;
  const entries = view.getUint16(ifd, little);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > view.byteLength) return undefined;
    if (view.getUint16(entry, little) === 0x0112) return view.getUint16(entry + 8, little);
  }
  return undefined;
}

/** The EXIF orientation a PNG (eXIf chunk) or WebP (EXIF chunk) declares, if any. */
export function containerOrientation(bytes: Uint8Array, format: 'png' | 'webp'): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  let pos = format === 'png' ? 8 : 12;
  while (pos + 8 <= bytes.byteLength) {
    const length = format === 'png' ? view.getUint32(pos) : view.getUint32(pos + 4, true);
    const type = format === 'png' ? ascii(pos + 4) : ascii(pos);
    const data = pos + 8;
    if (data + length > bytes.byteLength) return undefined;
    if ((format === 'png' && type === 'eXIf') || (format === 'webp' && type === 'EXIF')) return tiffOrientation(bytes.subarray(data, data + length));
    // eXIf may come after the pixel data, so the whole file is walked (chunk headers only).
    pos = format === 'png' ? data + length + 4 : data + length + (length % 2);
  }
  return undefined;
}

/** Turns a picture upright following its EXIF orientation (1..8), as viewers show it. */
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
