/**
 * Writes the image fixtures in test/fixtures/images from real Fashion-MNIST test pictures (the Debian
 * package's t10k files), so the classification tests compare a prediction from a file with the
 * prediction on the original 28x28 picture. Run: node --import tsx scripts/make-fixtures.ts
 *
 * Good pictures (the first 10 test images, 4 kinds): light object on black and dark object on white
 * (inverted), as PNG and JPEG, enlarged to 112x112 or enlarged into a 90x140 canvas with padding; plus
 * one each as WebP, GIF, BMP and a PNG with transparency. Bad files: text named .png, a truncated PNG,
 * a TIFF, an SVG, and a PNG whose header claims 10000x10000 pixels. originals.json keeps the 28x28
 * pictures, their labels and their test-set indices.
 */
import bmp from '@jimp/js-bmp';
import gif from '@jimp/js-gif';
import jpeg from '@jimp/js-jpeg';
import png, { PNGColorType } from '@jimp/js-png';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync, deflateSync, crc32 as zlibCrc32 } from 'node:zlib';

const DATA_DIR = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
const OUT = join(dirname(__dirname), 'test', 'fixtures', 'images');
const COUNT = 10;
/** Gray PNGs: a quarter of the RGBA size, the fixtures stay a few KB. */
const GRAY_PNG = { colorType: PNGColorType.GRAYSCALE };
const SIDE = 28;

interface Bitmap {
  width: number;
  height: number;
  data: Buffer;
}

function readTestSet(): { images: Uint8Array; labels: Uint8Array } {
  const images = gunzipSync(readFileSync(join(DATA_DIR, 't10k-images-idx3-ubyte.gz')));
  const labels = gunzipSync(readFileSync(join(DATA_DIR, 't10k-labels-idx1-ubyte.gz')));
  if (images.readUInt32BE(0) !== 2051 || labels.readUInt32BE(0) !== 2049) throw new Error('unexpected IDX magic');
  return { images: images.subarray(16, 16 + COUNT * SIDE * SIDE), labels: labels.subarray(8, 8 + COUNT) };
}

/** Bilinear enlargement of a 28x28 gray picture to w x h, as a photo editor would when scaling up. */
function enlarge(gray: Uint8Array, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const fy = Math.min(SIDE - 1, Math.max(0, ((y + 0.5) * SIDE) / h - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(SIDE - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < w; x++) {
      const fx = Math.min(SIDE - 1, Math.max(0, ((x + 0.5) * SIDE) / w - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(SIDE - 1, x0 + 1);
      const tx = fx - x0;
      const top = gray[y0 * SIDE + x0] * (1 - tx) + gray[y0 * SIDE + x1] * tx;
      const bottom = gray[y1 * SIDE + x0] * (1 - tx) + gray[y1 * SIDE + x1] * tx;
      out[y * w + x] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}

/**
 * The picture enlarged to `scaled` px square and centred on a `width` x `height` canvas; light object on
 * black, or dark object on white when `invert`. With `transparent`, the background is see-through.
 */
function render(gray: Uint8Array, width: number, height: number, scaled: number, invert: boolean, transparent = false): Bitmap {
  const big = enlarge(gray, scaled, scaled);
  const data = Buffer.alloc(width * height * 4);
  const left = Math.floor((width - scaled) / 2);
  const top = Math.floor((height - scaled) / 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = x >= left && x < left + scaled && y >= top && y < top + scaled;
      const v = inside ? big[(y - top) * scaled + (x - left)] : 0;
      // A see-through picture is a black garment whose opacity carries the shape: on white it is the
      // inverted original exactly.
      const level = transparent ? 0 : Math.round(invert ? 255 - v : v);
      const p = (y * width + x) * 4;
      data[p] = data[p + 1] = data[p + 2] = level;
      data[p + 3] = transparent ? Math.round(v) : 255;
    }
  }
  return { width, height, data };
}

function pngChunk(type: string, body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlibCrc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A valid-looking PNG whose header claims 10000 x 10000 pixels but whose data is one tiny row. */
function hugeHeaderPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(10000, 0);
  ihdr.writeUInt32BE(10000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(64))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A minimal little-endian TIFF header (a real TIFF signature; the classifier must say it is unsupported). */
function tinyTiff(): Buffer {
  const bytes = Buffer.alloc(64);
  bytes.write('II', 0, 'ascii');
  bytes.writeUInt16LE(42, 2);
  bytes.writeUInt32LE(8, 4);
  return bytes;
}

async function encodeWebp(bitmap: Bitmap): Promise<Buffer> {
  const wasmDir = join(dirname(__dirname), 'node_modules', '@jsquash', 'webp', 'codec', 'enc');
  const codec = await import('@jsquash/webp/encode.js');
  // The encoder chooses its SIMD build when the runtime has SIMD (Node 20 does); compile that file.
  await codec.init(await WebAssembly.compile(readFileSync(join(wasmDir, 'webp_enc_simd.wasm'))));
  const data = new Uint8ClampedArray(bitmap.data.buffer, bitmap.data.byteOffset, bitmap.data.byteLength);
  return Buffer.from(await codec.default({ data, width: bitmap.width, height: bitmap.height, colorSpace: 'srgb' } as ImageData, { quality: 90 }));
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const { images, labels } = readTestSet();
  const picture = (i: number) => images.subarray(i * SIDE * SIDE, (i + 1) * SIDE * SIDE);
  const name = (kind: string, i: number, ext: string) => join(OUT, `${kind}-${String(i).padStart(2, '0')}.${ext}`);

  for (let i = 0; i < COUNT; i++) {
    const gray = picture(i);
    writeFileSync(name('dark-112', i, 'png'), png().encode(render(gray, 112, 112, 112, false), GRAY_PNG));
    writeFileSync(name('light-90x140', i, 'png'), png().encode(render(gray, 90, 140, 84, true), GRAY_PNG));
    writeFileSync(name('dark-90x140', i, 'jpg'), jpeg().encode(render(gray, 90, 140, 84, false), { quality: 85 }));
    writeFileSync(name('light-112', i, 'jpg'), jpeg().encode(render(gray, 112, 112, 112, true), { quality: 85 }));
  }
  writeFileSync(join(OUT, 'other-light.webp'), await encodeWebp(render(picture(0), 90, 140, 84, true)));
  writeFileSync(join(OUT, 'other-light.gif'), await gif().encode(render(picture(1), 84, 84, 84, true)));
  writeFileSync(join(OUT, 'other-dark.bmp'), bmp().encode(render(picture(2), 56, 56, 56, false)));
  writeFileSync(join(OUT, 'other-transparent.png'), png().encode(render(picture(3), 84, 84, 64, true, true), { colorType: PNGColorType.GRAYSCALE_ALPHA }));

  const good = png().encode(render(picture(4), 112, 112, 112, false), GRAY_PNG);
  writeFileSync(join(OUT, 'bad-truncated.png'), good.subarray(0, Math.floor(good.length / 2)));
  writeFileSync(join(OUT, 'bad-not-an-image.png'), 'This is a text file with a .png name, not a picture.\n');
  writeFileSync(join(OUT, 'bad-format.tiff'), tinyTiff());
  writeFileSync(
    join(OUT, 'bad-drawing.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg" width="28" height="28"><rect x="6" y="4" width="16" height="20"/></svg>\n',
  );
  writeFileSync(join(OUT, 'bad-huge-header.png'), hugeHeaderPng());

  const originals = {
    source: 't10k-images-idx3-ubyte / t10k-labels-idx1-ubyte (Fashion-MNIST test set)',
    indices: Array.from({ length: COUNT }, (_, i) => i),
    labels: Array.from(labels),
    pixelsBase64: Buffer.from(images).toString('base64'),
  };
  writeFileSync(join(OUT, 'originals.json'), JSON.stringify(originals, null, 1) + '\n');
  console.log(`Fixtures written to ${OUT}`);
}

void main();
