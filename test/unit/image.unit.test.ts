import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { TrainerError } from '../../src/core/errors';
import {
  applyExifOrientation,
  decodeImageFile,
  detectFormat,
  makeThumbnail,
  MAX_FILE_BYTES,
  prepareImageFile,
  prepareImagePixels,
  reduceForAnalysis,
  webpWasmPath,
} from '../../src/core/image/image';
import { DATA_DIR, fixture, readOriginals, readSplit } from './imageFixtures';
import { requires } from '../requirements';

const originals = readOriginals();
const picture = (i: number) => originals.pixels.subarray(i * 784, (i + 1) * 784);

/** A gray picture as opaque RGBA, optionally inverted. */
function grayToRgba(gray: Uint8Array, invert = false): Uint8Array {
  const rgba = new Uint8Array(gray.length * 4);
  gray.forEach((v, i) => {
    const level = invert ? 255 - v : v;
    rgba.set([level, level, level, 255], i * 4);
  });
  return rgba;
}

function meanAbsoluteDifference(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

async function rejectsWithCode(promise: Promise<unknown>, code: string, file: string): Promise<TrainerError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TrainerError, `expected a TrainerError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.equal(error.file, file);
    assert.ok(error.action && error.action.length > 0, 'the error says what to do');
    return error;
  }
  assert.fail(`expected ${code}`);
}

const temp = mkdtempSync(join(tmpdir(), 'fmnist-image-'));
after(() => rmSync(temp, { recursive: true, force: true }));

describe('the fixtures', () => {
  test('originals.json holds the first ten Fashion-MNIST test pictures and labels', requires(!existsSync(DATA_DIR) && `${DATA_DIR} is missing (apt install dataset-fashion-mnist)`), () => {
    const { images, labels } = readSplit('t10k', 10);
    assert.deepEqual(originals.pixels, new Uint8Array(images));
    assert.deepEqual(originals.labels, Array.from(labels));
  });
});

describe('prepareImagePixels', () => {
  test('a dataset picture comes out unchanged, and so does its inverted copy (flagged as inverted)', () => {
    for (let i = 0; i < 10; i++) {
      const plain = prepareImagePixels(grayToRgba(picture(i)), 28, 28);
      assert.deepEqual(plain.input, picture(i), `picture ${i}`);
      assert.equal(plain.inverted, false);
      assert.equal(plain.unlikeDataset, false);
      const inverted = prepareImagePixels(grayToRgba(picture(i), true), 28, 28);
      assert.deepEqual(inverted.input, picture(i), `inverted picture ${i}`);
      assert.equal(inverted.inverted, true);
    }
  });

  test('a small object is found, scaled so its longer side is 28 px and centred, keeping its aspect ratio', () => {
    // A dark 20x10 bar on a white 200x100 canvas, off centre.
    const width = 200;
    const height = 100;
    const rgba = new Uint8Array(width * height * 4).fill(255);
    for (let y = 60; y < 70; y++) for (let x = 150; x < 170; x++) rgba.fill(0, (y * width + x) * 4, (y * width + x) * 4 + 3);
    const { input, inverted } = prepareImagePixels(rgba, width, height);
    assert.equal(inverted, true);
    const lit = (x: number, y: number) => input[y * 28 + x] > 200;
    // 20x10 -> 28x14, rows 7..20, every column.
    for (let x = 0; x < 28; x++) {
      assert.ok(lit(x, 7) && lit(x, 20), `column ${x} lit inside`);
      assert.ok(!lit(x, 6) && !lit(x, 21), `column ${x} dark outside`);
    }
  });

  test('a gray photo background becomes black, so the object stands on 0 as in the dataset', () => {
    const width = 56;
    const height = 56;
    const rgba = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) rgba.set([200, 200, 200, 255], i * 4);
    for (let y = 10; y < 46; y++) for (let x = 20; x < 36; x++) rgba.set([40, 40, 40, 255], (y * width + x) * 4);
    const { input, inverted } = prepareImagePixels(rgba, width, height);
    assert.equal(inverted, true);
    assert.equal(input[0], 0);
    assert.equal(input[14 * 28 + 14], 255);
  });

  test('on a mid-gray background the object decides: a dark garment is inverted, a light one is not', () => {
    const make = (object: number) => {
      const rgba = new Uint8Array(40 * 40 * 4);
      for (let i = 0; i < 1600; i++) rgba.set([128, 128, 128, 255], i * 4);
      for (let y = 5; y < 35; y++) for (let x = 12; x < 28; x++) rgba.set([object, object, object, 255], (y * 40 + x) * 4);
      return prepareImagePixels(rgba, 40, 40);
    };
    const dark = make(10);
    const light = make(250);
    assert.equal(dark.inverted, true);
    assert.equal(light.inverted, false);
    // Either way the garment is lit and the background black.
    for (const result of [dark, light]) {
      assert.equal(result.input[14 * 28 + 14], 255);
      assert.equal(result.input[0], 0);
      assert.equal(result.unlikeDataset, false);
    }
  });

  test('transparency is flattened onto white: a black shape on a see-through page is inverted like a dark garment on white', () => {
    const { input: fromAlpha, inverted } = prepareImagePixels(
      (() => {
        const rgba = new Uint8Array(784 * 4);
        picture(5).forEach((v, i) => rgba.set([0, 0, 0, v], i * 4));
        return rgba;
      })(),
      28,
      28,
    );
    assert.equal(inverted, true);
    assert.ok(meanAbsoluteDifference(fromAlpha, picture(5)) < 1, 'the opacity carries the picture');
  });

  test('unlikeDataset flags noise, a blank picture and a split background, and not a dataset picture', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 255;
    const noise = new Uint8Array(64 * 64 * 4).map((_, i) => (i % 4 === 3 ? 255 : random()));
    assert.equal(prepareImagePixels(noise, 64, 64).unlikeDataset, true, 'noise');

    const blank = new Uint8Array(40 * 40 * 4).fill(255);
    assert.equal(prepareImagePixels(blank, 40, 40).unlikeDataset, true, 'blank');

    const split = new Uint8Array(40 * 40 * 4).fill(255);
    for (let y = 0; y < 40; y++) for (let x = 0; x < 20; x++) split.fill(0, (y * 40 + x) * 4, (y * 40 + x) * 4 + 3);
    assert.equal(prepareImagePixels(split, 40, 40).unlikeDataset, true, 'half black, half white');

    const faint = grayToRgba(picture(2).map((v) => Math.round(v / 10)));
    assert.equal(prepareImagePixels(faint, 28, 28).unlikeDataset, true, 'almost no contrast');

    assert.equal(prepareImagePixels(grayToRgba(picture(2)), 28, 28).unlikeDataset, false);
  });
});

describe('prepareImageFile', () => {
  test('PNG and JPEG fixtures, dark and light, give a 28x28 input close to the original picture', async () => {
    for (const kind of ['dark-112-{}.png', 'light-90x140-{}.png', 'dark-90x140-{}.jpg', 'light-112-{}.jpg']) {
      for (const i of [1, 6, 8]) {
        const result = await prepareImageFile(fixture(kind.replace('{}', String(i).padStart(2, '0'))));
        assert.equal(result.inverted, kind.startsWith('light'), kind);
        assert.equal(result.input.length, 784);
        // Enlarging and shrinking again blurs edges; a wrong crop, scale, centring or inversion is far off.
        const mad = meanAbsoluteDifference(result.input, picture(i));
        assert.ok(mad < 30, `${kind} ${i}: mean difference ${mad.toFixed(1)}`);
      }
    }
  });

  test('WebP, GIF and BMP decode to the picture they were made from', async () => {
    const cases: [string, number, boolean][] = [
      ['other-light.webp', 0, true],
      ['other-light.gif', 1, true],
      ['other-dark.bmp', 2, false],
    ];
    for (const [name, index, inverted] of cases) {
      const result = await prepareImageFile(fixture(name));
      assert.equal(result.inverted, inverted, name);
      const mad = meanAbsoluteDifference(result.input, picture(index));
      assert.ok(mad < 30, `${name}: mean difference ${mad.toFixed(1)}`);
    }
  });

  test('the thumbnail keeps the aspect ratio and is at most 128 px on its longer side', async () => {
    const tall = await prepareImageFile(fixture('light-90x140-03.png'));
    assert.deepEqual([tall.thumbnail.width, tall.thumbnail.height], [82, 128]);
    assert.equal(tall.thumbnail.rgba.length, 82 * 128 * 4);
    const small = await prepareImageFile(fixture('dark-112-03.png'));
    assert.deepEqual([small.thumbnail.width, small.thumbnail.height], [112, 112], 'small pictures are not enlarged');
    const decoded = await decodeImageFile(fixture('dark-112-03.png'));
    assert.deepEqual(small.thumbnail.rgba, decoded.rgba);
  });

  test('a JPEG with EXIF orientation 6 (a phone held upright) is turned before it is prepared', async () => {
    const plain = readFileSync(fixture('dark-90x140-04.jpg'));
    // APP1 "Exif": a big-endian TIFF header and one IFD entry, Orientation (0x0112) = 6.
    const exif = Buffer.from([
      0xff, 0xe1, 0x00, 0x22, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00,
      0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,
      0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00,
    ]);
    const rotatedFile = join(temp, 'rotated.jpg');
    writeFileSync(rotatedFile, Buffer.concat([plain.subarray(0, 2), exif, plain.subarray(2)]));
    const upright = await decodeImageFile(fixture('dark-90x140-04.jpg'));
    const turned = await decodeImageFile(rotatedFile);
    assert.deepEqual([upright.width, upright.height], [90, 140]);
    assert.deepEqual([turned.width, turned.height], [140, 90]);
    assert.deepEqual(turned.rgba, applyExifOrientation(upright.rgba, 90, 140, 6).rgba);
  });

  test('the format comes from the content, not the name', async () => {
    const renamed = join(temp, 'actually-a-jpeg.png');
    copyFileSync(fixture('light-112-02.jpg'), renamed);
    const decoded = await decodeImageFile(renamed);
    assert.equal(decoded.format, 'jpeg');
    assert.equal(detectFormat(readFileSync(fixture('other-light.webp'))), 'webp');
    assert.equal(detectFormat(readFileSync(fixture('bad-not-an-image.png'))), undefined);
  });

  test('bad input: not an image, truncated, unsupported formats, a huge header, a missing file', async () => {
    const message = async (name: string, code: string) => (await rejectsWithCode(prepareImageFile(fixture(name)), code, fixture(name))).message;
    assert.match(await message('bad-not-an-image.png', 'IMAGE_INVALID'), /bad-not-an-image\.png/);
    assert.match(await message('bad-truncated.png', 'IMAGE_INVALID'), /bad-truncated\.png.*PNG/);
    assert.match(await message('bad-format.tiff', 'IMAGE_UNSUPPORTED'), /TIFF/);
    assert.match(await message('bad-drawing.svg', 'IMAGE_UNSUPPORTED'), /SVG/);
    assert.match(await message('bad-huge-header.png', 'IMAGE_TOO_LARGE'), /10000 x 10000/);
    await rejectsWithCode(prepareImageFile(join(temp, 'no-such-file.png')), 'IMAGE_INVALID', join(temp, 'no-such-file.png'));
    await rejectsWithCode(prepareImageFile(temp), 'IMAGE_INVALID', temp);
  });

  test('every format reports a cut-off file as damaged rather than classifying half a picture', async () => {
    const cases: [string, number, RegExp][] = [
      ['light-112-01.jpg', 1000, /JPEG/],
      ['other-light.gif', 2000, /GIF/],
      ['other-dark.bmp', 4000, /BMP/],
      ['other-light.webp', 300, /WebP/],
    ];
    for (const [name, keep, format] of cases) {
      const cut = join(temp, `cut-${name}`);
      writeFileSync(cut, readFileSync(fixture(name)).subarray(0, keep));
      const error = await rejectsWithCode(prepareImageFile(cut), 'IMAGE_INVALID', cut);
      assert.match(error.message, format);
    }
  });

  test('a file over 50 MB is refused from its size, before it is read', async () => {
    const big = join(temp, 'big.png');
    writeFileSync(big, readFileSync(fixture('dark-112-00.png')));
    // Sparse: no 50 MB is written. A reader that ignored the size would decode a valid PNG.
    truncateSync(big, MAX_FILE_BYTES + 1);
    assert.match((await rejectsWithCode(prepareImageFile(big), 'IMAGE_TOO_LARGE', big)).message, /50 MB/);
  });

  test('the WebP decoder is found in the package folder when not beside the bundle', () => {
    const path = webpWasmPath();
    assert.ok(path !== undefined && existsSync(path));
  });
});

describe('reduceForAnalysis', () => {
  test('pictures up to 1024 px a side are left alone', () => {
    const rgba = new Uint8Array(1024 * 10 * 4);
    assert.equal(reduceForAnalysis(rgba, 1024, 10).rgba, rgba);
  });

  test('a big picture is shrunk by whole blocks, transparent pixels lending no colour', () => {
    // 3000 x 6: blocks of 3; each block holds one transparent white pixel and two opaque blue ones.
    const width = 3000;
    const height = 6;
    const rgba = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) rgba.set(i % 3 === 0 ? [255, 255, 255, 0] : [0, 0, 200, 255], i * 4);
    const small = reduceForAnalysis(rgba, width, height);
    assert.deepEqual([small.width, small.height], [1000, 2]);
    assert.deepEqual(Array.from(small.rgba.subarray(0, 4)), [0, 0, 200, 170]);
  });

  test('a dataset picture enlarged to 2240 px and shrunk again is still close to the original', () => {
    const side = 2240;
    const gray = picture(7);
    const rgba = new Uint8Array(side * side * 4);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const v = 255 - gray[Math.floor((y * 28) / side) * 28 + Math.floor((x * 28) / side)];
        rgba.set([v, v, v, 255], (y * side + x) * 4);
      }
    }
    const small = reduceForAnalysis(rgba, side, side);
    assert.equal(small.width, 747);
    const prepared = prepareImagePixels(small.rgba, small.width, small.height);
    assert.equal(prepared.inverted, true);
    assert.ok(meanAbsoluteDifference(prepared.input, gray) < 12);
  });
});

describe('applyExifOrientation and makeThumbnail', () => {
  // A 3x2 picture whose pixels are numbered 1..6 in the red channel, row by row.
  const width = 3;
  const height = 2;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set([i + 1, 0, 0, 255], i * 4);
  const reds = (r: { rgba: Uint8Array }) => Array.from(r.rgba.filter((_, i) => i % 4 === 0));

  test('orientation 6 (camera turned clockwise) turns the picture a quarter clockwise', () => {
    const turned = applyExifOrientation(rgba, width, height, 6);
    assert.deepEqual([turned.width, turned.height], [2, 3]);
    assert.deepEqual(reds(turned), [4, 1, 5, 2, 6, 3]);
  });

  test('orientations 3 and 8, and 1 or none leave it', () => {
    assert.deepEqual(reds(applyExifOrientation(rgba, width, height, 3)), [6, 5, 4, 3, 2, 1]);
    const eight = applyExifOrientation(rgba, width, height, 8);
    assert.deepEqual([eight.width, eight.height], [2, 3]);
    assert.deepEqual(reds(eight), [3, 6, 2, 5, 1, 4]);
    assert.deepEqual(reds(applyExifOrientation(rgba, width, height, 1)), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(reds(applyExifOrientation(rgba, width, height, undefined)), [1, 2, 3, 4, 5, 6]);
  });

  test('makeThumbnail shrinks a 300x200 picture to 128x85 by averaging', () => {
    const big = new Uint8Array(300 * 200 * 4);
    for (let y = 0; y < 200; y++) for (let x = 0; x < 300; x++) big.set([x < 150 ? 0 : 255, 100, 50, 255], (y * 300 + x) * 4);
    const thumb = makeThumbnail(big, 300, 200);
    assert.deepEqual([thumb.width, thumb.height], [128, 85]);
    assert.equal(thumb.rgba[0], 0);
    assert.equal(thumb.rgba[(127) * 4], 255);
    assert.equal(thumb.rgba[1], 100);
  });
});
