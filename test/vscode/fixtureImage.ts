/**
 * Fixture images for the VS Code and UI tests, made from the real test set so a test can compare what
 * "Classify" says about a file with what the trained model predicted for the same test image. A 28x28
 * grayscale PNG of a dataset image is exactly the model's input (no resize, no inversion), so both must
 * agree. Plain Node: zlib for the IDX .gz and for the PNG's deflate stream.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, gunzipSync } from 'node:zlib';

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

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit grayscale PNG of `width` x `height` pixels. */
export function encodeGrayPng(pixels: Uint8Array, width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // colour type: grayscale
  // Each row starts with filter byte 0 (none).
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A PNG of test image `index`, ready to write into a workspace. */
export function testImagePng(index: number, dir?: string): { png: Buffer; image: TestImage } {
  const image = readTestImage(index, dir);
  return { png: encodeGrayPng(image.pixels, 28, 28), image };
}
