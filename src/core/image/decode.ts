/**
 * Bytes to upright RGBA pixels: the format from the signature, the size from the header before any pixel
 * is decoded, then a published decoder (jimp's png/jpeg/gif/bmp modules, the Squoosh webp codec).
 */
import jpeg from '@jimp/js-jpeg';
import png from '@jimp/js-png';
import { imageSize } from 'image-size';
import { readRegularFile, UnreadableFileError } from '../regularFile';
import { estimateDecode, MAX_DECODE_BYTES, quietly } from './decodeBudget';
import { basename } from 'node:path';
import { TrainerError } from '../errors';
import { t } from '../text/l10n';
import { applyExifOrientation, containerOrientation } from './exif';
import { detectFormat, FORMAT_NAMES, isSupported, MAX_FILE_BYTES, MAX_PIXELS, type SupportedFormat } from './formats';
import { corrupt, notAnImage, tooLarge, unsupported } from './imageErrors';
import { decodeBmp } from './bmp';
import { decodeWebp, isAnimatedWebp } from './webp';
import { GifReader } from 'omggif';

export interface DecodedImage {
  width: number;
  height: number;
  /** width * height * 4 bytes, RGBA, rows top to bottom, already turned upright (EXIF orientation of a JPEG, PNG or WebP). */
  rgba: Uint8Array;
  format: SupportedFormat;
}

export async function decodeImageFile(file: string): Promise<DecodedImage> {
  let bytes: Buffer;
  try {
    // Opened once, checked to be a regular file of at most 50 MB, read with that bound (never a pipe or a device).
    bytes = await readRegularFile(file, MAX_FILE_BYTES);
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    if (error.reason === 'tooLarge') {
      throw tooLarge(file, t('The file {0} is {1} MB; images up to 50 MB are accepted.', basename(file), ((error.size ?? 0) / 1048576).toFixed(1)));
    }
    if (error.reason === 'special') throw new TrainerError('IMAGE_INVALID', error.message, file, t('Choose an image file.'));
    if (error.reason === 'folder') {
      throw new TrainerError(
        'IMAGE_INVALID',
        t('{0} is a folder, not an image file.', file),
        file,
        t('Name the image files inside it (for example {0}/*.png).', file),
      );
    }
    throw new TrainerError(
      'IMAGE_INVALID',
      t('The file {0} could not be read.', basename(file)),
      file,
      t('Check that the file exists and that you may read it.'),
    );
  }
  if (bytes.length === 0) throw notAnImage(file);
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
  // What the decoder would allocate, from the header (every frame of a GIF, the bit depth of a PNG), before it runs.
  let estimate;
  try {
    estimate = estimateDecode(format, bytes, width, height);
  } catch {
    throw corrupt(file, format);
  }
  if (estimate.oversizedFrame !== undefined) {
    const { width: w, height: h } = estimate.oversizedFrame;
    throw tooLarge(file, t('The image {0} holds a frame of {1} x {2} pixels, larger than the picture ({3} x {4}) or than 50 megapixels.', basename(file), w, h, width, height));
  }
  if (estimate.bytes > MAX_DECODE_BYTES) {
    throw tooLarge(file, t('Decoding the image {0} would take {1} MB of memory; up to {2} MB are allowed.', basename(file), Math.ceil(estimate.bytes / 1048576), MAX_DECODE_BYTES / 1048576));
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
  const orientation = format === 'jpeg' ? header.orientation : format === 'png' || format === 'webp' ? containerOrientation(bytes, format) : undefined;
  const upright = applyExifOrientation(rgba, decoded.width, decoded.height, orientation);
  return { width: upright.width, height: upright.height, rgba: upright.rgba, format };
}

async function decodePixels(format: SupportedFormat, bytes: Uint8Array, file: string): Promise<{ width: number; height: number; rgba: Uint8Array }> {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (format) {
    case 'png': {
      const image = quietly(() => png().decode(buffer)).value;
      return { width: image.width, height: image.height, rgba: image.data };
    }
    case 'jpeg': {
      // The decoder's own limits as a second guard (the header check above is the first).
      const image = quietly(() => jpeg().decode(buffer, { maxResolutionInMP: MAX_PIXELS / 1e6, maxMemoryUsageInMB: MAX_DECODE_BYTES / 1048576 })).value;
      return { width: image.width, height: image.height, rgba: image.data };
    }
    case 'gif': {
      const reader = new GifReader(buffer);
      refuseAnimation(file, 'GIF', reader.numFrames());
      // The one frame drawn onto the picture, as a viewer shows it (frames were checked to lie inside it).
      const rgba = new Uint8Array(reader.width * reader.height * 4);
      const { printed } = quietly(() => reader.decodeAndBlitFrameRGBA(0, rgba));
      // omggif says so when the compressed data ends before the frame is complete: a damaged file, not a picture.
      if (printed.some((line) => /shorter than expected/.test(line))) throw corrupt(file, 'gif');
      return { width: reader.width, height: reader.height, rgba };
    }
    case 'bmp':
      return decodeBmp(buffer, file);
    case 'webp': {
      if (isAnimatedWebp(buffer)) refuseAnimation(file, 'WebP', undefined);
      const image = await decodeWebp(buffer, file);
      return { width: image.width, height: image.height, rgba: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength) };
    }
  }
}

/**
 * An animation has no one picture to classify: choosing a frame for the user would be a silent guess, so it
 * is refused by name (with how to pick a frame).
 */
function refuseAnimation(file: string, format: string, frames: number | undefined): void {
  if (frames !== undefined && frames <= 1) return;
  throw new TrainerError(
    'IMAGE_UNSUPPORTED',
    frames === undefined
      ? t('The {0} image {1} is an animation; only single pictures can be classified.', format, basename(file))
      : t('The {0} image {1} is an animation of {2} frames; only single pictures can be classified.', format, basename(file), frames),
    file,
    t('Save the frame you want as a PNG (an image editor can export one frame) and classify that.'),
  );
}
