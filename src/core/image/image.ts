/**
 * Turns an image file into the 28x28 input the Fashion-MNIST model expects, the way the dataset's own
 * pictures were made: a garment photographed on a light background, trimmed to the object, its longer
 * side scaled to 28 pixels, centred, grayscale, inverted so the object is light on black.
 *
 * Decoding is done by published decoders (jimp's png/jpeg/gif/bmp modules, the Squoosh webp codec);
 * this file only recognises the format from the first bytes, checks the size before decoding, and
 * does the pixel arithmetic. No tfjs here: the host may use it, and the worker feeds the result to tf.
 */
import bmp from '@jimp/js-bmp';
import gif from '@jimp/js-gif';
import jpeg from '@jimp/js-jpeg';
import png from '@jimp/js-png';
import { imageSize } from 'image-size';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { IMAGE_SIZE, PIXELS } from '../../domain/classes';
import { TrainerError } from '../errors';
import { t } from '../text/l10n';

export interface PreparedImage {
  /** 784 values, 0..255, light object on black as in the dataset. */
  input: Uint8Array;
  /** True when the picture had a light background and was inverted. */
  inverted: boolean;
  /** The original picture, at most 128 px on its longer side, RGBA. */
  thumbnail: { width: number; height: number; rgba: Uint8Array };
  /** True when the picture looks unlike the dataset (see `UNLIKE_RULES`); the answer may mean little. */
  unlikeDataset: boolean;
}

/** Files larger than this are refused before they are read. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
/** Pictures with more pixels than this (from the header) are refused before they are decoded. */
export const MAX_PIXELS = 50_000_000;
export const THUMBNAIL_SIZE = 128;

/** The formats we decode, and the formats we recognise but do not decode (to say so instead of "corrupt"). */
export type SupportedFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'webp';
type KnownFormat = SupportedFormat | 'tiff' | 'svg' | 'ico' | 'heif' | 'psd' | 'jxl';

const SUPPORTED_LIST = 'PNG, JPEG, GIF, BMP, WebP';
const FORMAT_NAMES: Record<KnownFormat, string> = {
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

// ---------------------------------------------------------------------------------------------------
// Reading a file
// ---------------------------------------------------------------------------------------------------

/**
 * Reads, checks and decodes `file`, then prepares it like a dataset picture. Every failure is a
 * TrainerError naming the file: IMAGE_INVALID (unreadable, not an image, corrupt), IMAGE_UNSUPPORTED
 * (an image format we do not decode), IMAGE_TOO_LARGE (over 50 MB or 50 megapixels).
 */
export async function prepareImageFile(file: string): Promise<PreparedImage> {
  const decoded = await decodeImageFile(file);
  // A 28x28 input and a 128 px thumbnail need no more than ANALYSIS_SIZE pixels a side; shrinking a big
  // photo first keeps the arithmetic below (a few float copies of the picture) small.
  const reduced = reduceForAnalysis(decoded.rgba, decoded.width, decoded.height);
  const prepared = prepareImagePixels(reduced.rgba, reduced.width, reduced.height, { lossy: decoded.format === 'jpeg' || decoded.format === 'webp' });
  return { ...prepared, thumbnail: makeThumbnail(reduced.rgba, reduced.width, reduced.height) };
}

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

export interface DecodedImage {
  width: number;
  height: number;
  /** width * height * 4 bytes, RGBA, rows top to bottom, already turned upright (JPEG EXIF orientation). */
  rgba: Uint8Array;
  format: SupportedFormat;
}

export async function decodeImageFile(file: string): Promise<DecodedImage> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a file');
    size = info.size;
  } catch {
    throw new TrainerError(
      'IMAGE_INVALID',
      t('The file {0} could not be read.', basename(file)),
      file,
      t('Check that the file exists and that you may read it.'),
    );
  }
  if (size > MAX_FILE_BYTES) throw tooLarge(file, t('The file {0} is {1} MB; images up to 50 MB are accepted.', basename(file), (size / 1048576).toFixed(1)));
  if (size === 0) throw notAnImage(file);
  const bytes = await readFile(file);
  return decodeImageBytes(bytes, file);
}

/** Decodes bytes already in memory; `file` is only used to name it in errors. */
export async function decodeImageBytes(bytes: Uint8Array, file: string): Promise<DecodedImage> {
  if (bytes.byteLength > MAX_FILE_BYTES) {
    throw tooLarge(file, t('The file {0} is {1} MB; images up to 50 MB are accepted.', basename(file), (bytes.byteLength / 1048576).toFixed(1)));
  }
  const format = detectFormat(bytes);
  if (format === undefined) throw notAnImage(file);
  if (!isSupported(format)) throw unsupported(file, FORMAT_NAMES[format]);

  // The header's dimensions, before any pixel is decoded, so a huge picture never reaches the decoder.
  let header: { width?: number; height?: number; orientation?: number };
  try {
    header = imageSize(bytes);
  } catch {
    throw corrupt(file, format);
  }
  const width = header.width ?? 0;
  const height = header.height ?? 0;
  if (width <= 0 || height <= 0) throw corrupt(file, format);
  if (width * height > MAX_PIXELS) {
    throw tooLarge(
      file,
      t('The image {0} is {1} x {2} pixels ({3} megapixels); images up to 50 megapixels are accepted.', basename(file), width, height, ((width * height) / 1e6).toFixed(1)),
    );
  }

  let decoded: { width: number; height: number; rgba: Uint8Array };
  try {
    decoded = await decodePixels(format, bytes, file);
  } catch (error) {
    if (error instanceof TrainerError) throw error;
    throw corrupt(file, format);
  }
  if (decoded.width <= 0 || decoded.height <= 0 || decoded.rgba.length < decoded.width * decoded.height * 4) {
    throw corrupt(file, format);
  }
  // Decoders may hand back a larger Buffer; keep exactly the pixels, as a plain Uint8Array view.
  const rgba = new Uint8Array(decoded.rgba.buffer, decoded.rgba.byteOffset, decoded.width * decoded.height * 4);
  const upright = format === 'jpeg' ? applyExifOrientation(rgba, decoded.width, decoded.height, header.orientation) : { ...decoded, rgba };
  return { width: upright.width, height: upright.height, rgba: upright.rgba, format };
}

function isSupported(format: KnownFormat): format is SupportedFormat {
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

async function decodePixels(format: SupportedFormat, bytes: Uint8Array, file: string): Promise<{ width: number; height: number; rgba: Uint8Array }> {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (format) {
    case 'png': {
      const image = png().decode(buffer);
      return { width: image.width, height: image.height, rgba: image.data };
    }
    case 'jpeg': {
      // The decoder's own limits as a second guard (the header check above is the first).
      const image = jpeg().decode(buffer, { maxResolutionInMP: MAX_PIXELS / 1e6, maxMemoryUsageInMB: 1024 });
      return { width: image.width, height: image.height, rgba: image.data };
    }
    case 'gif': {
      // The first frame of an animation, as a browser shows before playing.
      const image = await gif().decode(buffer);
      return { width: image.width, height: image.height, rgba: image.data };
    }
    case 'bmp': {
      const image = bmp().decode(buffer);
      // The module already reorders the decoder's ABGR bytes into opaque RGBA.
      return { width: image.width, height: image.height, rgba: image.data };
    }
    case 'webp': {
      const image = await decodeWebp(buffer, file);
      return { width: image.width, height: image.height, rgba: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength) };
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// WebP: the Squoosh codec (wasm), compiled once from a file found beside the bundle or in node_modules
// ---------------------------------------------------------------------------------------------------

const WEBP_WASM = 'webp_dec.wasm';
let webpReady: Promise<(data: ArrayBuffer) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>> | undefined;

/** Where webp_dec.wasm is: beside the running bundle (dist/), or in the package found upwards. */
export function webpWasmPath(start: string = __dirname): string | undefined {
  if (existsSync(join(start, WEBP_WASM))) return join(start, WEBP_WASM);
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'node_modules', '@jsquash', 'webp', 'codec', 'dec', WEBP_WASM);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

async function loadWebpDecoder(): Promise<(data: ArrayBuffer) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>> {
  const path = webpWasmPath();
  if (path === undefined) throw new Error(`${WEBP_WASM} not found`);
  // Compiling the module ourselves spares the codec its own fetch of the wasm file by URL, which a
  // CommonJS bundle cannot resolve.
  const wasm = await WebAssembly.compile(await readFile(path));
  const codec = await import('@jsquash/webp/decode.js');
  await codec.init(wasm);
  return codec.default;
}

async function decodeWebp(buffer: Buffer, file: string): Promise<{ width: number; height: number; data: Uint8ClampedArray }> {
  webpReady ??= loadWebpDecoder();
  let decode;
  try {
    decode = await webpReady;
  } catch (error) {
    webpReady = undefined;
    throw new TrainerError(
      'IMAGE_UNSUPPORTED',
      t('The WebP image {0} cannot be read: the WebP decoder could not be loaded ({1}).', basename(file), error instanceof Error ? error.message : String(error)),
      file,
      t('Convert the image to PNG or JPEG, or reinstall the extension.'),
    );
  }
  const copy = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
  return decode(copy);
}

// ---------------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------------

function notAnImage(file: string): TrainerError {
  return new TrainerError(
    'IMAGE_INVALID',
    t('The file {0} is not an image.', basename(file)),
    file,
    t('Choose a PNG, JPEG, GIF, BMP or WebP image.'),
  );
}

function corrupt(file: string, format: SupportedFormat): TrainerError {
  return new TrainerError(
    'IMAGE_INVALID',
    t('The image {0} could not be decoded: the {1} data is damaged or incomplete.', basename(file), FORMAT_NAMES[format]),
    file,
    t('Open the image in an image editor and save it again, or choose another image.'),
  );
}

function unsupported(file: string, format: string): TrainerError {
  return new TrainerError(
    'IMAGE_UNSUPPORTED',
    t('The image {0} is in {1} format, which cannot be classified. Supported formats: {2}.', basename(file), format, SUPPORTED_LIST),
    file,
    t('Convert the image to PNG or JPEG and try again.'),
  );
}

function tooLarge(file: string, message: string): TrainerError {
  return new TrainerError('IMAGE_TOO_LARGE', message, file, t('Scale the image down (the model only looks at 28 x 28 pixels) and try again.'));
}

// ---------------------------------------------------------------------------------------------------
// Orientation and thumbnail
// ---------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------
// Preparing pixels like the dataset
// ---------------------------------------------------------------------------------------------------

/**
 * The thresholds behind `unlikeDataset`. A picture looks unlike the dataset when any of these holds:
 * - the border is not one colour: fewer than 80% of border pixels lie within 32 gray levels of the
 *   border's median (dataset pictures are an object on a plain background);
 * - object and background barely differ: the strongest contrast against the background (99th
 *   percentile) is under 48 gray levels;
 * - the result is almost empty: fewer than 5% of the 784 input pixels are lit (above 32), e.g. a thin line.
 */
export const UNLIKE_RULES = {
  borderTolerance: 32,
  minUniformBorder: 0.8,
  minContrast: 48,
  litLevel: 32,
  minLitFraction: 0.05,
} as const;

/** Gray levels of ringing a JPEG at ordinary quality leaves beside sharp edges. */
const LOSSY_NOISE_FLOOR = 16;

/**
 * Prepares decoded RGBA pixels like a dataset picture. Steps, in order:
 * 1. Transparency is flattened onto white: product pictures with transparency are cut-outs meant for a
 *    light page, and the dataset's pictures were shot on white (then inverted).
 * 2. Grayscale with the Rec. 601 luma weights.
 * 3. The background level is the median of the border pixels. A light background (above 170) means
 *    the picture is inverted, a dark one (below 85) that it is not; on a mid-gray background the
 *    object decides: inverted when it is mostly darker than the background. The object comes out light
 *    on black either way.
 * 4. The background level is subtracted and the rest stretched back to 0..255, so the background is
 *    black (0) as in the dataset even on a gray or off-white photo background.
 * 5. The object's bounding box is the set of pixels brighter than the background's noise; a dim
 *    object is stretched so its brightest pixel is 255 (every dataset picture reaches 250 or more).
 * 6. The box is scaled (by area averaging) so its longer side is 28 px, keeping its aspect ratio, and
 *    centred on black with the odd pixel of padding left and above, as the dataset's pictures are.
 */
export interface PrepareOptions {
  /**
   * The pixels come from a lossy codec (JPEG, WebP): compression leaves faint noise around edges that
   * the border does not show, so only pixels at least 16 levels above the background count as object.
   */
  lossy?: boolean;
}

export function prepareImagePixels(
  rgba: Uint8Array,
  width: number,
  height: number,
  options: PrepareOptions = {},
): Omit<PreparedImage, 'thumbnail'> {
  if (width <= 0 || height <= 0 || rgba.length < width * height * 4) {
    throw new TrainerError('IMAGE_INVALID', t('The image has no pixels.'));
  }
  const gray = toGrayOnWhite(rgba, width, height);
  const border = borderStatistics(gray, width, height);
  const inverted = shouldInvert(gray, border.median);
  const background = inverted ? 255 - border.median : border.median;

  // Object brightness above the background, 0..255, object light on black.
  const range = Math.max(1, 255 - background);
  const lifted = new Float32Array(gray.length);
  for (let i = 0; i < gray.length; i++) {
    const value = inverted ? 255 - gray[i] : gray[i];
    lifted[i] = Math.min(255, (Math.max(0, value - background) * 255) / range);
  }

  // The object is every pixel that stands above the background's own noise (measured on the border),
  // so the faint edges of a clean picture count (a dataset picture is cropped exactly as it was made)
  // while compression noise on a photo does not. The threshold never exceeds a quarter of the peak, so
  // a noisy photo of a faint object still finds the object.
  const noise = (border.noise * 255) / range;
  let peakAll = 0;
  for (const v of lifted) if (v > peakAll) peakAll = v;
  const floor = options.lossy ? LOSSY_NOISE_FLOOR : 0.5;
  const threshold = Math.max(0.5, Math.min(Math.max(floor, 3 * noise + 0.5), 0.25 * peakAll));
  const box = boundingBox(lifted, width, height, threshold) ?? { x0: 0, y0: 0, x1: width, y1: height };

  // Every dataset picture reaches at least 250 at its brightest; a dimmer object (a gray garment on a
  // gray background) is stretched to 255 so it is as bright as the pictures the model learned from.
  const inBox = cropValues(lifted, width, box);
  const contrast = percentile(inBox, 0.99);
  let peak = 0;
  for (const v of inBox) if (v > peak) peak = v;
  if (peak < 250 && peak >= UNLIKE_RULES.minContrast) {
    const gain = 255 / peak;
    for (let i = 0; i < lifted.length; i++) lifted[i] = Math.min(255, lifted[i] * gain);
  }

  const boxW = box.x1 - box.x0;
  const boxH = box.y1 - box.y0;
  const scale = IMAGE_SIZE / Math.max(boxW, boxH);
  const outW = Math.max(1, Math.min(IMAGE_SIZE, Math.round(boxW * scale)));
  const outH = Math.max(1, Math.min(IMAGE_SIZE, Math.round(boxH * scale)));
  const resized = resizeArea(lifted, width, box, outW, outH);

  const input = new Uint8Array(PIXELS);
  // When the padding is odd, the extra pixel goes left and above: that is how the dataset's pictures
  // are centred (checked on the test set), and a one-pixel shift changes what a dense model sees.
  const left = Math.ceil((IMAGE_SIZE - outW) / 2);
  const top = Math.ceil((IMAGE_SIZE - outH) / 2);
  let lit = 0;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const value = Math.round(resized[y * outW + x]);
      input[(top + y) * IMAGE_SIZE + left + x] = value;
      if (value > UNLIKE_RULES.litLevel) lit++;
    }
  }

  const unlikeDataset =
    border.uniformFraction < UNLIKE_RULES.minUniformBorder ||
    contrast < UNLIKE_RULES.minContrast ||
    lit < UNLIKE_RULES.minLitFraction * PIXELS;
  return { input, inverted, unlikeDataset };
}

/** See step 3 of prepareImagePixels. */
function shouldInvert(gray: Float32Array, background: number): boolean {
  if (background > 170) return true;
  if (background < 85) return false;
  let darker = 0;
  let brighter = 0;
  for (const v of gray) {
    const difference = v - background;
    if (difference > UNLIKE_RULES.borderTolerance) brighter += difference;
    else if (difference < -UNLIKE_RULES.borderTolerance) darker -= difference;
  }
  return darker === brighter ? background > 127 : darker > brighter;
}

/** Gray levels 0..255 with transparent pixels composited onto white. */
function toGrayOnWhite(rgba: Uint8Array, width: number, height: number): Float32Array {
  const gray = new Float32Array(width * height);
  for (let i = 0; i < gray.length; i++) {
    const p = i * 4;
    const alpha = rgba[p + 3] / 255;
    const luma = 0.299 * rgba[p] + 0.587 * rgba[p + 1] + 0.114 * rgba[p + 2];
    gray[i] = luma * alpha + 255 * (1 - alpha);
  }
  return gray;
}

/** The outer ring (about 2% of the shorter side, at least 1 px): its median, how much of it is near the median, and its noise. */
function borderStatistics(gray: Float32Array, width: number, height: number): { median: number; uniformFraction: number; noise: number } {
  const ring = Math.max(1, Math.round(Math.min(width, height) * 0.02));
  const values: number[] = [];
  for (let y = 0; y < height; y++) {
    const edgeRow = y < ring || y >= height - ring;
    for (let x = 0; x < width; x++) {
      if (edgeRow || x < ring || x >= width - ring) values.push(gray[y * width + x]);
    }
  }
  values.sort((a, b) => a - b);
  const median = values[Math.floor(values.length / 2)];
  const deviations: number[] = [];
  for (const v of values) {
    const deviation = Math.abs(v - median);
    if (deviation <= UNLIKE_RULES.borderTolerance) deviations.push(deviation);
  }
  deviations.sort((a, b) => a - b);
  // The background's noise: how far most of the background-coloured border strays from its median.
  const noise = deviations[Math.floor(deviations.length * 0.9)] ?? 0;
  return { median, uniformFraction: deviations.length / values.length, noise };
}

function cropValues(values: Float32Array, width: number, box: Box): Float32Array {
  const out = new Float32Array((box.x1 - box.x0) * (box.y1 - box.y0));
  let k = 0;
  for (let y = box.y0; y < box.y1; y++) for (let x = box.x0; x < box.x1; x++) out[k++] = values[y * width + x];
  return out;
}

function percentile(values: Float32Array, q: number): number {
  // A 256-bin histogram: exact enough for 0..255 values and linear in the picture size.
  const histogram = new Uint32Array(256);
  for (const v of values) histogram[Math.min(255, Math.max(0, Math.round(v)))]++;
  const target = q * values.length;
  let seen = 0;
  for (let level = 0; level < 256; level++) {
    seen += histogram[level];
    if (seen >= target) return level;
  }
  return 255;
}

interface Box {
  x0: number;
  y0: number;
  /** Exclusive. */
  x1: number;
  y1: number;
}

function boundingBox(values: Float32Array, width: number, height: number, threshold: number): Box | undefined {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (values[y * width + x] > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? undefined : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/**
 * Resamples the `box` of a one-channel picture to outW x outH by area averaging: each output pixel is
 * the mean of the source area it covers, counting partly covered source pixels by their overlap. That
 * is what shrinking a photo needs (no aliasing); enlarging degrades gracefully to nearest-neighbour blocks.
 */
function resizeArea(values: Float32Array, width: number, box: Box, outW: number, outH: number): Float32Array {
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
