/**
 * Fixture images for the VS Code and UI tests, made from the real test set so a test can compare what
 * "Classify" says about a file with what the trained model predicted for the same test image. A 28x28
 * grayscale PNG of a dataset image is exactly the model's input (no resize, no inversion), so both must
 * agree. zlib reads the IDX .gz; @jimp/js-png (as the other fixtures) writes the PNG.
 */
import png, { PNGColorType } from '@jimp/js-png';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const DEBIAN_DATA_DIR = '/usr/share/datasets/fashion-mnist';

export interface TestImage {
  index: number;
  label: number;
  /** 784 bytes, 0..255, light object on black as in the dataset. */
  pixels: Uint8Array;
}

function readIdx(dir: string, name: string): Buffer {
  const gz = join(dir, `${name}.gz`);
  return existsSync(gz) ? gunzipSync(readFileSync(gz)) : readFileSync(join(dir, name));
}

/** Test image `index` with its label, read from the IDX files in `dir`. */
export function readTestImage(index: number, dir = process.env.FMT_DATA_DIR || DEBIAN_DATA_DIR): TestImage {
  const images = readIdx(dir, 't10k-images-idx3-ubyte');
  const labels = readIdx(dir, 't10k-labels-idx1-ubyte');
  // IDX headers: images = magic, count, rows, cols (16 bytes); labels = magic, count (8 bytes).
  const pixels = new Uint8Array(images.subarray(16 + index * 784, 16 + (index + 1) * 784));
  if (pixels.length !== 784) throw new Error(`test image ${index} is out of range in ${dir}`);
  return { index, label: labels[8 + index], pixels };
}

/** An 8-bit grayscale PNG of `width` x `height` pixels. */
export function encodeGrayPng(pixels: Uint8Array, width: number, height: number): Buffer {
  const rgba = Buffer.alloc(width * height * 4, 255);
  pixels.forEach((value, i) => rgba.fill(value, i * 4, i * 4 + 3));
  return png().encode({ data: rgba, width, height }, { colorType: PNGColorType.GRAYSCALE });
}

/** A PNG of test image `index`, ready to write into a workspace. */
export function testImagePng(index: number, dir?: string): { png: Buffer; image: TestImage } {
  const image = readTestImage(index, dir);
  return { png: encodeGrayPng(image.pixels, 28, 28), image };
}
