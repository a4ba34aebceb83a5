/**
 * Which image formats there are, from a file's first bytes (never its name: a name can lie), which of them
 * are decoded, and the limits checked before any pixel is decoded.
 */
/** Files larger than this are refused before they are read. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
/** Pictures with more pixels than this (from the header) are refused before they are decoded. */
export const MAX_PIXELS = 50_000_000;

/** The formats we decode, and the formats we recognise but do not decode (to say so instead of "corrupt"). */
export type SupportedFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'webp';
export type KnownFormat = SupportedFormat | 'tiff' | 'svg' | 'ico' | 'heif' | 'psd' | 'jxl';

export const SUPPORTED_LIST = 'PNG, JPEG, GIF, BMP, WebP';
export const FORMAT_NAMES: Record<KnownFormat, string> = {
  png: 'PNG',
  jpeg: 'JPEG',
  gif: 'GIF',
  bmp: 'BMP',
  webp: 'WebP',
  tiff: 'TIFF',
  svg: 'SVG',
  ico: 'ICO',
  heif: 'HEIF/AVIF',
  psd: 'Photoshop (PSD)',
  jxl: 'JPEG XL',
};

export function isSupported(format: KnownFormat): format is SupportedFormat {
  return format === 'png' || format === 'jpeg' || format === 'gif' || format === 'bmp' || format === 'webp';
}

/** The format from the file's first bytes (its signature), never from its name: a name can lie. */
export function detectFormat(bytes: Uint8Array): KnownFormat | undefined {
  const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  const startsWith = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (startsWith(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (startsWith(0xff, 0xd8, 0xff)) return 'jpeg';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'gif';
  if (ascii(0, 2) === 'BM' && bytes.length >= 26) return 'bmp';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (startsWith(0x49, 0x49, 0x2a, 0x00) || startsWith(0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
  if (startsWith(0x00, 0x00, 0x01, 0x00)) return 'ico';
  if (ascii(4, 8) === 'ftyp') return 'heif';
  if (ascii(0, 4) === '8BPS') return 'psd';
  if (startsWith(0xff, 0x0a) || startsWith(0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20)) return 'jxl';
  // SVG is text: look for the root element near the start (after an optional XML prolog or comments).
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('utf8').trimStart().toLowerCase();
  if ((head.startsWith('<?xml') || head.startsWith('<svg') || head.startsWith('<!--') || head.startsWith('<!doctype svg')) && head.includes('<svg')) {
    return 'svg';
  }
  return undefined;
}
