/**
 * BMP: decoded by jimp's module (bmp-ts), which reads 1, 4, 8, 16 (555, 565 and other bit fields), 24 and
 * 32-bit files, palettes and top-down rows correctly. Its RLE decoding is wrong (colours and rows come out
 * shifted; what ImageMagick writes for a grayscale BMP is RLE8), and the other decoders on npm that were
 * tried (decode-bmp, bmpimagejs, @cwasm/nsbmp) either lack RLE or refuse ImageMagick's RLE files. So RLE4
 * and RLE8 are expanded here into the plain 8-bit palette BMP they stand for, which bmp-ts then decodes.
 * Variants that neither handles (embedded JPEG or PNG, 2 or 64 bits per pixel) are refused by name.
 */
import bmp from '@jimp/js-bmp';
import { basename } from 'node:path';
import { TrainerError } from '../errors';
import { t } from '../text/l10n';

const BI_RGB = 0;
const BI_RLE8 = 1;
const BI_RLE4 = 2;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;
const FILE_HEADER_BYTES = 14;
const INFO_HEADER_BYTES = 40;
/** The OS/2 1.x header: 16-bit sizes and 3-byte palette entries, which bmp-ts does not read. */
const CORE_HEADER_BYTES = 12;

interface BmpHeader {
  headerSize: number;
  width: number;
  /** Negative for top-down rows. */
  height: number;
  bitsPerPixel: number;
  compression: number;
  colours: number;
  pixelOffset: number;
}

function readHeader(bytes: Uint8Array): BmpHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerSize = view.getUint32(FILE_HEADER_BYTES, true);
  if (headerSize === CORE_HEADER_BYTES) {
    return { headerSize, width: view.getUint16(18, true), height: view.getUint16(20, true), bitsPerPixel: view.getUint16(24, true), compression: BI_RGB, colours: 0, pixelOffset: view.getUint32(10, true) };
  }
  return {
    headerSize,
    width: view.getInt32(18, true),
    height: view.getInt32(22, true),
    bitsPerPixel: view.getUint16(28, true),
    compression: view.getUint32(30, true),
    colours: view.getUint32(46, true),
    pixelOffset: view.getUint32(10, true),
  };
}

function variantRefused(file: string, what: string): TrainerError {
  return new TrainerError(
    'IMAGE_UNSUPPORTED',
    t('The BMP image {0} uses {1}, which cannot be decoded.', basename(file), what),
    file,
    t('Open it in an image editor and save it as PNG (or as a plain BMP), then try again.'),
  );
}

/** RGBA pixels of a BMP file; throws IMAGE_UNSUPPORTED for variants it cannot decode correctly. */
export function decodeBmp(buffer: Buffer, file: string): { width: number; height: number; rgba: Uint8Array } {
  if (buffer.byteLength < FILE_HEADER_BYTES + 4) throw new Error('truncated');
  const header = readHeader(buffer);
  if (header.headerSize === CORE_HEADER_BYTES) throw variantRefused(file, t('the old OS/2 header'));
  if (header.headerSize < INFO_HEADER_BYTES || buffer.byteLength < FILE_HEADER_BYTES + header.headerSize) throw new Error('truncated');
  if (header.compression === 4) throw variantRefused(file, t('embedded JPEG compression'));
  if (header.compression === 5) throw variantRefused(file, t('embedded PNG compression'));
  const known = [BI_RGB, BI_RLE8, BI_RLE4, BI_BITFIELDS, BI_ALPHABITFIELDS];
  if (!known.includes(header.compression)) throw variantRefused(file, t('compression type {0}', header.compression));
  if (![1, 4, 8, 16, 24, 32].includes(header.bitsPerPixel)) throw variantRefused(file, t('{0} bits per pixel', header.bitsPerPixel));
  if ((header.compression === BI_RLE8 && header.bitsPerPixel !== 8) || (header.compression === BI_RLE4 && header.bitsPerPixel !== 4)) {
    throw new Error('RLE compression with a bit depth it does not have');
  }
  const plain = header.compression === BI_RLE8 || header.compression === BI_RLE4 ? expandRle(buffer, header) : buffer;
  const image = bmp().decode(plain);
  // The module already reorders the decoder's ABGR bytes into opaque RGBA.
  return { width: image.width, height: image.height, rgba: image.data };
}

/**
 * The plain (uncompressed, bottom-up) 8-bit palette BMP that an RLE4 or RLE8 file encodes. Pixels the
 * encoding skips (with a delta or an early end of line) take palette entry 0, as Windows draws them.
 */
export function expandRle(bytes: Uint8Array, header: BmpHeader): Buffer {
  const { width } = header;
  const height = Math.abs(header.height);
  if (width <= 0 || height <= 0 || header.height < 0) throw new Error('RLE bitmaps are bottom-up with a positive size');
  const paletteStart = FILE_HEADER_BYTES + header.headerSize;
  const paletteEntries = header.colours > 0 ? header.colours : 1 << header.bitsPerPixel;
  const paletteBytes = Math.min(paletteEntries * 4, Math.max(0, header.pixelOffset - paletteStart));
  const rowBytes = Math.ceil(width / 4) * 4;
  const pixelStart = FILE_HEADER_BYTES + INFO_HEADER_BYTES + paletteBytes;
  const out = Buffer.alloc(pixelStart + rowBytes * height);
  // File header and a BITMAPINFOHEADER for 8 bits per pixel, no compression.
  out.write('BM', 0, 'ascii');
  out.writeUInt32LE(out.byteLength, 2);
  out.writeUInt32LE(pixelStart, 10);
  out.writeUInt32LE(INFO_HEADER_BYTES, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(8, 28);
  out.writeUInt32LE(BI_RGB, 30);
  out.writeUInt32LE(rowBytes * height, 34);
  out.writeUInt32LE(paletteBytes / 4, 46);
  out.set(bytes.subarray(paletteStart, paletteStart + paletteBytes), FILE_HEADER_BYTES + INFO_HEADER_BYTES);

  const four = header.compression === BI_RLE4;
  let pos = header.pixelOffset;
  let x = 0;
  let y = 0; // counted from the bottom row, as the file stores them
  const put = (index: number) => {
    if (x < width && y < height) out[pixelStart + y * rowBytes + x] = index;
    x++;
  };
  const next = () => {
    if (pos >= bytes.byteLength) throw new Error('truncated RLE data');
    return bytes[pos++];
  };
  while (y < height) {
    const count = next();
    const value = next();
    if (count > 0) {
      // A run: one index (RLE8) or two alternating nibbles (RLE4).
      for (let i = 0; i < count; i++) put(four ? (i % 2 === 0 ? value >> 4 : value & 0x0f) : value);
    } else if (value === 0) {
      x = 0;
      y++;
    } else if (value === 1) {
      break;
    } else if (value === 2) {
      x += next();
      y += next();
    } else {
      // Absolute mode: `value` indices as they are, padded to a 16-bit boundary.
      const dataBytes = four ? Math.ceil(value / 2) : value;
      for (let i = 0; i < value; i++) {
        if (four) {
          const byte = bytes[pos + (i >> 1)] ?? 0;
          put(i % 2 === 0 ? byte >> 4 : byte & 0x0f);
        } else {
          put(bytes[pos + i] ?? 0);
        }
      }
      pos += dataBytes + (dataBytes % 2);
      if (pos > bytes.byteLength) throw new Error('truncated RLE data');
    }
  }
  return out;
}
