/**
 * Turns decoded pixels into the 28x28 input the Fashion-MNIST model expects, the way the dataset's own
 * pictures were made: a garment photographed on a light background, trimmed to the object, its longer
 * side scaled to 28 pixels, centred, grayscale, inverted so the object is light on black.
 */
import { IMAGE_SIZE, PIXELS } from '../../domain/classes';
import { TrainerError } from '../errors';
import { t } from '../text/l10n';
import { resizeArea, type Box } from './resize';

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
