/**
 * An image file to the 28x28 input the model expects, with a thumbnail: decode.ts reads and decodes it,
 * prepare.ts makes it look like a dataset picture. No tfjs here: the host may use it, and the worker feeds
 * the result to tf.
 */
import { decodeImageFile } from './decode';
import { prepareImagePixels, type PreparedImage } from './prepare';
import { reduceForAnalysis } from './resize';
import { makeThumbnail } from './thumbnail';

export { decodeImageBytes, decodeImageFile, type DecodedImage } from './decode';
export { detectFormat, MAX_FILE_BYTES, MAX_PIXELS, type SupportedFormat } from './formats';
export { applyExifOrientation } from './exif';
export { prepareImagePixels, UNLIKE_RULES, type PrepareOptions, type PreparedImage } from './prepare';
export { ANALYSIS_SIZE, reduceForAnalysis } from './resize';
export { makeThumbnail, THUMBNAIL_SIZE } from './thumbnail';
export { webpWasmPath } from './webp';

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
