// Every variant of the formats the Explorer menu offers decodes to the picture it was made from, or is
// refused by name. The fixtures are made by scripts/make-image-fixtures.sh (ImageMagick) from one coloured
// picture, fmt-colour.png, so a wrong channel order, palette or row order shows as a large difference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TrainerError } from '../../src/core/errors';
import { applyExifOrientation, decodeImageBytes, decodeImageFile, type DecodedImage } from '../../src/core/image/image';
import { crc32 } from 'node:zlib';
import { fixture } from './imageFixtures';

/** Mean absolute difference per colour channel, 0..255. */
function difference(a: DecodedImage, b: DecodedImage): number {
  assert.deepEqual([a.width, a.height], [b.width, b.height]);
  let sum = 0;
  for (let i = 0; i < a.width * a.height; i++) for (let c = 0; c < 3; c++) sum += Math.abs(a.rgba[i * 4 + c] - b.rgba[i * 4 + c]);
  return sum / (a.width * a.height * 3);
}

test('BMP variants (RLE8 gray and colour, 4-bit palette, 16-bit 565 and 555, 32-bit with alpha) and a CMYK JPEG decode to their picture', async () => {
  const colour = await decodeImageFile(fixture('fmt-colour.png'));
  const gray = await decodeImageFile(fixture('light-90x140-05.png'));
  // The bound each variant's own precision allows: a palette of 16 colours or 5 bits a channel lose a little.
  const cases: [string, DecodedImage, number][] = [
    ['fmt-rle8-gray.bmp', gray, 1],
    ['fmt-rle8-colour.bmp', colour, 4],
    ['fmt-palette4.bmp', colour, 9],
    ['fmt-rgb565.bmp', colour, 9],
    ['fmt-rgb555.bmp', colour, 9],
    ['fmt-argb32.bmp', colour, 0.5],
    ['fmt-cmyk.jpg', colour, 3],
  ];
  for (const [name, reference, bound] of cases) {
    const decoded = await decodeImageFile(fixture(name));
    const d = difference(decoded, reference);
    assert.ok(d <= bound, `${name}: mean difference ${d.toFixed(1)} > ${bound}`);
  }
});

/** A 4 x 2 RLE4 BMP written by hand: palette black, red, green, blue; rows bottom-up. */
function rle4Bmp(): Uint8Array {
  const palette = [0, 0, 0, 0, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0, 0]; // BGRA entries
  const pixels = [
    // Bottom row: a run of 4 alternating nibbles 1,2 -> red green red green; end of line.
    4, 0x12, 0, 0,
    // Top row: absolute mode, 3 nibbles 3,3,1 (2 bytes, word-aligned), then a run of 1 nibble 2; end of bitmap.
    0, 3, 0x33, 0x10, 1, 0x20, 0, 1,
  ];
  const offset = 14 + 40 + palette.length;
  const bytes = new Uint8Array(offset + pixels.length);
  const view = new DataView(bytes.buffer);
  bytes.set([0x42, 0x4d]);
  view.setUint32(2, bytes.length, true);
  view.setUint32(10, offset, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, 4, true);
  view.setInt32(22, 2, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 4, true);
  view.setUint32(30, 2, true); // BI_RLE4
  view.setUint32(34, pixels.length, true);
  view.setUint32(46, 4, true);
  bytes.set(palette, 54);
  bytes.set(pixels, offset);
  return bytes;
}

test('an RLE4 BMP decodes pixel for pixel', async () => {
  const decoded = await decodeImageBytes(rle4Bmp(), 'rle4.bmp');
  const rgb = (i: number) => Array.from(decoded.rgba.subarray(i * 4, i * 4 + 3)).join(',');
  const red = '255,0,0';
  const green = '0,255,0';
  const blue = '0,0,255';
  assert.deepEqual([0, 1, 2, 3].map(rgb), [blue, blue, red, green], 'top row');
  assert.deepEqual([4, 5, 6, 7].map(rgb), [red, green, red, green], 'bottom row');
});

test('BMP variants no decoder here reads, and animations, are refused by name, not decoded wrongly', async () => {
  const refused = async (bytes: Uint8Array, name: string, pattern: RegExp) =>
    assert.rejects(decodeImageBytes(bytes, name), (e: unknown) => e instanceof TrainerError && e.code === 'IMAGE_UNSUPPORTED' && pattern.test(e.message) && pattern.test(name) === false && e.message.includes(name) && e.action !== undefined);
  const jpegInBmp = rle4Bmp();
  new DataView(jpegInBmp.buffer).setUint32(30, 4, true);
  await refused(jpegInBmp, 'photo.bmp', /JPEG compression/);
  const twoBits = rle4Bmp();
  new DataView(twoBits.buffer).setUint16(28, 2, true);
  new DataView(twoBits.buffer).setUint32(30, 0, true);
  await refused(twoBits, 'ce.bmp', /2 bits per pixel/);
  await assert.rejects(decodeImageFile(fixture('fmt-animated.gif')), (e: unknown) => e instanceof TrainerError && e.code === 'IMAGE_UNSUPPORTED' && /animation of 2 frames/.test(e.message));
  await assert.rejects(decodeImageFile(fixture('fmt-animated.webp')), (e: unknown) => e instanceof TrainerError && e.code === 'IMAGE_UNSUPPORTED' && /WebP .* animation/.test(e.message));
  // A one-frame GIF still decodes.
  const single = await decodeImageBytes(readFileSync(fixture('other-light.gif')), 'one.gif');
  assert.ok(single.width > 0);
});

/** A TIFF block (big-endian) with one IFD entry: Orientation = `value`. */
function exifOrientation(value: number): Buffer {
  return Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, value, 0, 0, 0, 0, 0, 0, 0, 0]);
}

test('a PNG or WebP with EXIF orientation 6 is turned upright, as a viewer shows it (not classified sideways)', async () => {
  const plainPng = readFileSync(fixture('light-90x140-03.png'));
  const upright = await decodeImageBytes(plainPng, 'plain.png');
  const expected = applyExifOrientation(upright.rgba, upright.width, upright.height, 6);
  // An eXIf chunk right after IHDR (8-byte signature + 25-byte IHDR chunk), with its CRC.
  const body = Buffer.concat([Buffer.from('eXIf'), exifOrientation(6)]);
  const chunk = Buffer.alloc(body.length + 8);
  chunk.writeUInt32BE(body.length - 4, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body), body.length + 4);
  const rotatedPng = Buffer.concat([plainPng.subarray(0, 33), chunk, plainPng.subarray(33)]);
  const turned = await decodeImageBytes(rotatedPng, 'phone.png');
  assert.deepEqual([turned.width, turned.height], [expected.width, expected.height]);
  assert.deepEqual(turned.rgba, expected.rgba);

  // WebP: an EXIF chunk after the image data, the RIFF size grown to match.
  const plainWebp = readFileSync(fixture('other-light.webp'));
  const exif = exifOrientation(6);
  const webpChunk = Buffer.alloc(8 + exif.length);
  webpChunk.write('EXIF', 0, 'ascii');
  webpChunk.writeUInt32LE(exif.length, 4);
  exif.copy(webpChunk, 8);
  const rotatedWebp = Buffer.concat([plainWebp, webpChunk]);
  rotatedWebp.writeUInt32LE(rotatedWebp.length - 8, 4);
  const flat = await decodeImageBytes(plainWebp, 'plain.webp');
  const turnedWebp = await decodeImageBytes(rotatedWebp, 'phone.webp');
  assert.deepEqual([turnedWebp.width, turnedWebp.height], [flat.height, flat.width]);
  assert.deepEqual(turnedWebp.rgba, applyExifOrientation(flat.rgba, flat.width, flat.height, 6).rgba);
});
