/**
 * What a decoder will allocate, worked out from the file's own header before it runs, so a small file that
 * describes a huge picture (a 35-byte GIF with a 65535 x 65535 frame, a 16-bit PNG that inflates to a
 * gigabyte) is refused at once instead of after seconds and gigabytes. And the decoders' own printing
 * (omggif writes "Warning, gif stream shorter than expected." with console.log) kept off stdout.
 */
import { GifReader } from 'omggif';
import { MAX_PIXELS, type SupportedFormat } from './formats';

/** The most memory one image's decoding may take: a 30-megapixel 8-bit PNG or a 50-megapixel JPEG fits; a 16-bit PNG of 25 megapixels does not. */
export const MAX_DECODE_BYTES = 512 * 1048576;

export interface DecodeEstimate {
  /** Bytes the decoder allocates at its peak, as far as the header tells. */
  bytes: number;
  /** A frame or a sub-image larger than the picture, or larger than the pixel limit. */
  oversizedFrame?: { width: number; height: number };
}

const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** PNG: the inflated scanlines (zlib's output grows by doubling: twice that at the peak), the bitmap at its bit depth, the 8-bit RGBA copy. */
function pngBytes(bytes: Uint8Array, width: number, height: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const depth = bytes.length > 25 ? bytes[24] : 8;
  const channels = bytes.length > 25 ? (PNG_CHANNELS[bytes[25]] ?? 4) : 4;
  const rowBytes = 1 + Math.ceil((width * channels * Math.max(depth, 1)) / 8);
  const inflated = height * rowBytes;
  const sixteen = view.byteLength > 25 && depth === 16 ? 2 : 1;
  return 2 * inflated + width * height * 4 * sixteen + width * height * 4;
}

/** GIF: every frame's index buffer (width x height bytes) and the RGBA picture; a frame must lie inside the picture. */
function gifEstimate(bytes: Uint8Array): DecodeEstimate {
  const reader = new GifReader(bytes);
  let largestFrame = 0;
  for (let i = 0; i < reader.numFrames(); i++) {
    const frame = reader.frameInfo(i);
    if (frame.x + frame.width > reader.width || frame.y + frame.height > reader.height || frame.width * frame.height > MAX_PIXELS) {
      return { bytes: Number.POSITIVE_INFINITY, oversizedFrame: { width: frame.width, height: frame.height } };
    }
    largestFrame = Math.max(largestFrame, frame.width * frame.height);
  }
  return { bytes: largestFrame + reader.width * reader.height * 4 };
}

/** The decoder's peak allocation for `format` at `width` x `height` (from the header). */
export function estimateDecode(format: SupportedFormat, bytes: Uint8Array, width: number, height: number): DecodeEstimate {
  const rgba = width * height * 4;
  switch (format) {
    case 'png':
      return { bytes: pngBytes(bytes, width, height) };
    case 'gif':
      return gifEstimate(bytes);
    case 'jpeg':
      // Up to four component planes, then RGBA.
      return { bytes: width * height * 4 + rgba };
    case 'bmp':
    case 'webp':
      // The decoded picture and one copy of it (the codec's heap, or the flipped rows).
      return { bytes: 2 * rgba };
  }
}

/**
 * Runs `decode` with console output captured instead of printed (a decoder's warnings must not land on the
 * CLI's stdout). Synchronous on purpose: nothing else runs while the console is borrowed. Returns what the
 * decoder tried to print, so a warning such as "stream shorter than expected" can be acted on.
 */
export function quietly<T>(decode: () => T): { value: T; printed: string[] } {
  const printed: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = methods.map((name) => console[name]);
  for (const name of methods) console[name] = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
  try {
    return { value: decode(), printed };
  } finally {
    methods.forEach((name, i) => (console[name] = saved[i]));
  }
}
