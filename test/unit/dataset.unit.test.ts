import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DATA_FILES, DEFAULT_DEBIAN_DIR, decodeDataFile, defaultCacheDir, describeDataset, loadFashionMnist, type DataFileSpec } from '../../src/core/data/dataset';
import { decompressIfGzip, gunzipWithSha256, parseIdxImages, parseIdxLabels, sha256Hex } from '../../src/core/data/idx';
import { expandHome } from '../../src/core/userPath';
import { candidateFileNames } from '../../src/core/data/dataLocation';
import { TrainerError } from '../../src/core/errors';
import {
  craftedFiles,
  craftedSpecs,
  idxImages,
  idxLabels,
  tempFolder,
  TEST_LABELS,
  TRAIN_LABELS,
  writeDataFolder,
} from './datasetFixtures';
import { requires } from '../requirements';

const temp = tempFolder('dataset');
after(temp.cleanup);
let folders = 0;
/** A new, not yet existing folder under the test's temp folder. */
function folder(name: string): string {
  return join(temp.dir, `${name}-${++folders}`);
}
/** A folder that certainly does not exist, standing in for "no Debian package installed". */
const noDebian = () => folder('no-debian');

/** Asserts that `error` is a TrainerError of `code` whose message mentions each of `mentions`. */
function checkTrainerError(error: unknown, code: string, mentions: string[]): TrainerError {
  assert.ok(error instanceof TrainerError, `expected a TrainerError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  for (const text of mentions) assert.ok(error.message.includes(text), `"${error.message}" should mention "${text}"`);
  return error;
}

/** Asserts that `promise` rejects with a TrainerError of `code` whose message mentions `mentions`. */
async function rejectsWith(promise: Promise<unknown>, code: string, mentions: string[] = []): Promise<TrainerError> {
  try {
    await promise;
  } catch (error) {
    return checkTrainerError(error, code, mentions);
  }
  assert.fail(`expected a ${code} error`);
}

function throwsWith(fn: () => unknown, code: string, mentions: string[] = []): TrainerError {
  try {
    fn();
  } catch (error) {
    return checkTrainerError(error, code, mentions);
  }
  assert.fail(`expected a ${code} error`);
}

describe('IDX parsing', () => {
  test('reads images and labels as views on the file bytes, in order', () => {
    const bytes = idxImages(3, { seed: 5 });
    const parsed = parseIdxImages(bytes, 'x');
    assert.equal(parsed.count, 3);
    assert.equal(parsed.rows, 28);
    assert.equal(parsed.images.length, 3 * 784);
    assert.equal(parsed.images.buffer, bytes.buffer, 'no copy');
    assert.equal(parsed.images[0], bytes[16]);
    assert.equal(parsed.images[784 * 2 + 5], bytes[16 + 784 * 2 + 5]);

    const labels = parseIdxLabels(idxLabels([4, 9, 0]), 'y');
    assert.deepEqual(Array.from(labels.labels), [4, 9, 0]);
    assert.equal(labels.count, 3);
  });

  test('a truncated image file is DATA_CORRUPT and names the file', () => {
    const bytes = idxImages(2).subarray(0, 16 + 784 + 100);
    throwsWith(() => parseIdxImages(bytes, '/data/train-images'), 'DATA_CORRUPT', ['/data/train-images', String(16 + 784 * 2)]);
  });

  test('extra bytes after the data are DATA_CORRUPT too', () => {
    const bytes = Buffer.concat([idxLabels([1, 2]), Buffer.from([0])]);
    throwsWith(() => parseIdxLabels(bytes, 'labels'), 'DATA_CORRUPT', ['labels']);
  });

  test('a file shorter than its header is DATA_CORRUPT', () => {
    throwsWith(() => parseIdxImages(Buffer.alloc(10), 'short'), 'DATA_CORRUPT', ['short']);
    throwsWith(() => parseIdxLabels(Buffer.alloc(3), 'short'), 'DATA_CORRUPT', ['short']);
  });

  test('wrong magic numbers: a label file given as images and the other way round', () => {
    throwsWith(() => parseIdxImages(idxImages(1, { magic: 2049 }), 'img'), 'DATA_CORRUPT', ['2049', '2051']);
    throwsWith(() => parseIdxLabels(idxImages(1), 'lab'), 'DATA_CORRUPT', ['2051', '2049']);
  });

  test('images that are not 28x28 are DATA_CORRUPT', () => {
    throwsWith(() => parseIdxImages(idxImages(1, { rows: 27 }), 'img'), 'DATA_CORRUPT', ['27x28']);
    throwsWith(() => parseIdxImages(idxImages(1, { cols: 32 }), 'img'), 'DATA_CORRUPT', ['28x32']);
  });

  test('a label outside 0..9 is DATA_CORRUPT and says where', () => {
    const error = throwsWith(() => parseIdxLabels(idxLabels([0, 9, 10, 3]), 'lab'), 'DATA_CORRUPT', ['10', '2']);
    assert.equal(error.file, 'lab');
  });

  test('gzip is recognised by content; broken gzip is DATA_CORRUPT', async () => {
    const raw = idxLabels([1, 2, 3]);
    assert.deepEqual(Buffer.from(await decompressIfGzip(gzipSync(raw), 'f')), raw);
    assert.equal(await decompressIfGzip(raw, 'f'), raw, 'raw bytes pass through untouched');
    const broken = gzipSync(raw).subarray(0, 12);
    await rejectsWith(decompressIfGzip(broken, 'broken.gz'), 'DATA_CORRUPT', ['broken.gz']);
  });
});

test('gunzip and hash together: right bytes and digest, even when the gzip trailer under-states the size', async () => {
  // A long first member and a short last one: the buffer sized from the trailer must grow several times.
  const first = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 13) % 251));
  const second = idxImages(2, { seed: 3 });
  // Two gzip members in one file: the trailer names only the second one's size.
  const multi = Buffer.concat([gzipSync(first), gzipSync(second)]);
  const result = await gunzipWithSha256(multi, 'multi.gz');
  const whole = Buffer.concat([first, second]);
  assert.equal(result.bytes.byteLength, whole.byteLength);
  assert.deepEqual(Buffer.from(result.bytes), whole);
  assert.equal(result.sha256, sha256Hex(whole));
  assert.ok(!Buffer.isBuffer(result.bytes), 'a plain Uint8Array');
});

describe('decodeDataFile', () => {
  const specs = craftedSpecs();
  const labelsSpec = specs.find((s) => s.key === 'trainLabels')!;

  test('gzipped and raw copies decode to the same verified bytes', async () => {
    const gzDir = writeDataFolder(folder('gz'), { gzip: true });
    const rawDir = writeDataFolder(folder('raw'), { gzip: false });
    for (const spec of specs) {
      const fromGz = await decodeDataFile(join(gzDir, `${spec.name}.gz`), spec);
      const fromRaw = await decodeDataFile(join(rawDir, spec.name), spec);
      assert.equal(fromGz.gzipped, true);
      assert.equal(fromRaw.gzipped, false);
      assert.deepEqual(fromGz.data, fromRaw.data);
      assert.equal(fromGz.sha256, spec.sha256);
    }
  });

  test('a checksum mismatch is DATA_CHECKSUM naming the file and both digests', async () => {
    const dir = folder('sum');
    writeDataFolder(dir, { gzip: false, only: ['trainLabels'] });
    const path = join(dir, labelsSpec.name);
    const wrong: DataFileSpec = { ...labelsSpec, sha256: 'ab'.repeat(32) };
    await rejectsWith(decodeDataFile(path, wrong), 'DATA_CHECKSUM', [path, labelsSpec.sha256, wrong.sha256]);
  });

  test('a file with another count than expected is DATA_CORRUPT', async () => {
    const dir = folder('count');
    writeDataFolder(dir, { gzip: false, only: ['trainLabels'] });
    const path = join(dir, labelsSpec.name);
    await rejectsWith(decodeDataFile(path, { ...labelsSpec, count: 60_000 }), 'DATA_CORRUPT', [path, '60000']);
  });

  test('a gzip file with a damaged header says so (not "magic number 529270784")', async () => {
    const dir = folder('badgz');
    mkdirSync(dir, { recursive: true });
    const gz = gzipSync(craftedFiles().get('trainLabels')!);
    gz[1] = 0x8c;
    const path = join(dir, `${labelsSpec.name}.gz`);
    writeFileSync(path, gz);
    const error = await rejectsWith(decodeDataFile(path, labelsSpec), 'DATA_CORRUPT', [path, 'gzip', '1f 8c']);
    assert.doesNotMatch(error.message, /magic/);
  });

  test('a gzip file that unpacks to more than the file can hold is stopped at that size, not unpacked in full', async () => {
    const dir = folder('bomb');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${labelsSpec.name}.gz`);
    // 32 MB of zeros squeeze into 32 KB, a size on disk that 60,000 labels (60,008 bytes) could have.
    writeFileSync(path, gzipSync(Buffer.alloc(32 << 20), { level: 9 }));
    // Only the limit's own check gives this message: the gunzip stopped at 60,008 bytes.
    await rejectsWith(decodeDataFile(path, { ...labelsSpec, count: 60_000 }), 'DATA_CORRUPT', [path, 'unpacks to more than 60008 bytes']);
  });

  test('a file larger on disk than the published file can be is refused before it is read', async () => {
    const dir = folder('huge');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, labelsSpec.name);
    writeFileSync(path, Buffer.alloc(4096));
    await rejectsWith(decodeDataFile(path, labelsSpec), 'DATA_CORRUPT', [path, 'too large', '4096 bytes']);
  });

  test('a folder where a data file should be is named as a folder', async () => {
    const dir = folder('dirfile');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, labelsSpec.name);
    mkdirSync(path);
    await rejectsWith(decodeDataFile(path, labelsSpec), 'DATA_MISSING', [path, 'folder']);
  });

  test('a missing file is DATA_MISSING naming it', async () => {
    const path = join(folder('none'), 'train-labels-idx1-ubyte');
    const error = await rejectsWith(decodeDataFile(path, labelsSpec), 'DATA_MISSING', [path]);
    assert.equal(error.file, path);
  });
});

describe('loadFashionMnist from folders', () => {
  const specs = craftedSpecs();

  test('loads a user folder of gzipped files', async () => {
    const dir = writeDataFolder(folder('user-gz'), { gzip: true });
    const data = await loadFashionMnist({ dataDir: dir, allowDownload: false, expectedFiles: specs });
    assert.equal(data.sourceKind, 'user');
    assert.equal(data.directory, dir);
    assert.equal(data.train.count, TRAIN_LABELS.length);
    assert.equal(data.test.count, TEST_LABELS.length);
    assert.deepEqual(Array.from(data.train.labels), TRAIN_LABELS);
    assert.deepEqual(Array.from(data.test.labels), TEST_LABELS);
    assert.deepEqual(Buffer.from(data.test.images), craftedFiles().get('testImages')!.subarray(16));
    assert.equal(data.checksum, sha256Hex(specs.map((s) => s.sha256).join('')));
    assert.ok(data.decodeMs >= 0);
  });

  test('loads a user folder of raw files, also in the dotted spelling', async () => {
    const dir = writeDataFolder(folder('user-raw'), { gzip: false });
    const data = await loadFashionMnist({ dataDir: dir, allowDownload: false, expectedFiles: specs });
    assert.deepEqual(Array.from(data.train.labels), TRAIN_LABELS);

    assert.deepEqual(candidateFileNames('t10k-labels-idx1-ubyte'), [
      't10k-labels-idx1-ubyte',
      't10k-labels-idx1-ubyte.gz',
      't10k-labels.idx1-ubyte',
      't10k-labels.idx1-ubyte.gz',
    ]);
    const files = craftedFiles();
    const dottedDir = folder('dotted-only');
    writeDataFolder(dottedDir, { gzip: false, only: [] });
    for (const spec of DATA_FILES) {
      writeFileSync(join(dottedDir, spec.name.replace('-idx', '.idx') + '.gz'), gzipSync(files.get(spec.key)!));
    }
    const fromDotted = await loadFashionMnist({ dataDir: dottedDir, allowDownload: false, expectedFiles: specs });
    assert.deepEqual(Array.from(fromDotted.test.labels), TEST_LABELS);
  });

  test('image and label counts that disagree are DATA_CORRUPT', async () => {
    const files = craftedFiles();
    files.set('trainLabels', idxLabels([1, 2]));
    const dir = writeDataFolder(folder('mismatch'), { gzip: true, files });
    const mismatchSpecs = craftedSpecs(files);
    const error = await rejectsWith(
      loadFashionMnist({ dataDir: dir, allowDownload: false, expectedFiles: mismatchSpecs }),
      'DATA_CORRUPT',
      ['3', '2', 'train-labels-idx1-ubyte'],
    );
    assert.ok(error.action?.includes('fashionMnist.dataDirectory'));
  });

  test('a damaged file in the user folder is an error naming it, with no fall-through to a good cache', async () => {
    const cache = writeDataFolder(folder('good-cache'), { gzip: true });
    const files = craftedFiles();
    files.set('testLabels', idxLabels([7, 10]));
    const dir = writeDataFolder(folder('user-bad'), { gzip: false, files });
    const error = await rejectsWith(
      loadFashionMnist({ dataDir: dir, cacheDir: cache, debianDir: noDebian(), allowDownload: false, expectedFiles: specs }),
      'DATA_CORRUPT',
      [join(dir, 't10k-labels-idx1-ubyte')],
    );
    assert.equal(error.file, join(dir, 't10k-labels-idx1-ubyte'));
    assert.match(error.action ?? '', /fashionMnist\.dataDirectory.*--data-dir/);
  });

  test('a user folder missing a file, or missing altogether, is DATA_MISSING', async () => {
    const dir = writeDataFolder(folder('user-partial'), { gzip: true, only: ['trainImages', 'trainLabels', 'testImages'] });
    const error = await rejectsWith(loadFashionMnist({ dataDir: dir, allowDownload: true, expectedFiles: specs }), 'DATA_MISSING', [
      't10k-labels-idx1-ubyte',
      dir,
    ]);
    assert.equal(error.file, join(dir, 't10k-labels-idx1-ubyte'));
    const absent = folder('user-absent');
    await rejectsWith(loadFashionMnist({ dataDir: absent, allowDownload: true, expectedFiles: specs }), 'DATA_MISSING', [absent, 'does not exist']);
    const aFile = join(folder('user-file'), 'fashion.zip');
    mkdirSync(join(aFile, '..'), { recursive: true });
    writeFileSync(aFile, 'not a folder');
    const error2 = await rejectsWith(loadFashionMnist({ dataDir: aFile, allowDownload: true, expectedFiles: specs }), 'DATA_MISSING', [aFile, 'is a file']);
    assert.doesNotMatch(error2.message, /does not exist/);
  });

  test('source order: the user folder wins over cache and Debian; the cache wins over Debian', async () => {
    const user = writeDataFolder(folder('o-user'), { gzip: true });
    const cache = writeDataFolder(folder('o-cache'), { gzip: false });
    const debian = writeDataFolder(folder('o-debian'), { gzip: true });
    const base = { cacheDir: cache, debianDir: debian, allowDownload: false, expectedFiles: specs };
    const fromUser = await loadFashionMnist({ ...base, dataDir: user });
    assert.equal(fromUser.sourceKind, 'user');
    assert.equal(fromUser.directory, user);
    const fromCache = await loadFashionMnist(base);
    assert.equal(fromCache.sourceKind, 'cache');
    assert.equal(fromCache.directory, cache);
    const fromDebian = await loadFashionMnist({ ...base, cacheDir: folder('o-empty-cache') });
    assert.equal(fromDebian.sourceKind, 'debian');
    assert.equal(fromDebian.directory, debian);
  });

  test('a damaged cached file is deleted with a warning and the next source is used', async () => {
    const files = craftedFiles();
    const damaged = new Map(files);
    damaged.set('trainImages', files.get('trainImages')!.subarray(0, 500));
    const cache = writeDataFolder(folder('bad-cache'), { gzip: true, files: damaged });
    const debian = writeDataFolder(folder('deb'), { gzip: true });
    const warnings: string[] = [];
    const data = await loadFashionMnist({
      cacheDir: cache,
      debianDir: debian,
      allowDownload: false,
      expectedFiles: specs,
      onWarning: (w) => warnings.push(w),
    });
    assert.equal(data.sourceKind, 'debian');
    const damagedPath = join(cache, 'train-images-idx3-ubyte.gz');
    assert.equal(existsSync(damagedPath), false, 'the damaged cached file is gone');
    assert.ok(existsSync(join(cache, 'train-labels-idx1-ubyte.gz')), 'good cached files stay');
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0].includes(damagedPath));
    assert.deepEqual(data.warnings, warnings);
  });

  test('nothing anywhere and no download: DATA_MISSING that lists the folders and says what to do', async () => {
    const cache = folder('nothing-cache');
    const debian = noDebian();
    const error = await rejectsWith(
      loadFashionMnist({ cacheDir: cache, debianDir: debian, allowDownload: false, expectedFiles: specs }),
      'DATA_MISSING',
      [cache, debian, 'train-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'],
    );
    assert.match(error.action ?? '', /sudo apt install dataset-fashion-mnist/);
    assert.match(error.action ?? '', /fashionMnist\.dataDirectory/);
    assert.match(error.action ?? '', /--data-dir/);
  });

  test('a damaged Debian install with no download: the error names the file and says to reinstall', async () => {
    const files = craftedFiles();
    files.set('testImages', idxImages(2, { seed: 99 }));
    const debian = writeDataFolder(folder('deb-bad'), { gzip: true, files });
    const error = await rejectsWith(
      loadFashionMnist({ cacheDir: folder('c'), debianDir: debian, allowDownload: false, expectedFiles: specs }),
      'DATA_CHECKSUM',
      [join(debian, 't10k-images-idx3-ubyte.gz')],
    );
    assert.match(error.action ?? '', /apt install --reinstall dataset-fashion-mnist/);
  });

  test('a signal aborted before the load rejects without a TrainerError', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      loadFashionMnist({ debianDir: noDebian(), allowDownload: false, expectedFiles: specs, signal: controller.signal }),
      (error: unknown) => !(error instanceof TrainerError) && (error as Error).name === 'AbortError',
    );
  });
});

test('defaultCacheDir follows XDG_CACHE_HOME when absolute and ~/.cache otherwise', () => {
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux'), '/x/cache/fashion-mnist-trainer');
  assert.match(defaultCacheDir({ XDG_CACHE_HOME: 'relative/cache' }, 'linux'), /\.cache[/\\]fashion-mnist-trainer$/);
  assert.match(defaultCacheDir({}, 'linux'), /\.cache[/\\]fashion-mnist-trainer$/);
});

test('DATA_FILES holds the published digests and counts', () => {
  assert.deepEqual(
    DATA_FILES.map((f) => [f.key, f.count]),
    [
      ['trainImages', 60_000],
      ['trainLabels', 60_000],
      ['testImages', 10_000],
      ['testLabels', 10_000],
    ],
  );
  for (const file of DATA_FILES) assert.match(file.sha256, /^[0-9a-f]{64}$/);
});

const debianPresent = DATA_FILES.every((f) => existsSync(join(DEFAULT_DEBIAN_DIR, `${f.name}.gz`)));
test(
  'the real Debian data loads with the published counts, labels and digests',
  requires(!debianPresent && `${DEFAULT_DEBIAN_DIR} lacks the four files (apt install dataset-fashion-mnist)`),
  async () => {
    const data = await loadFashionMnist({ cacheDir: folder('real-empty-cache'), allowDownload: false });
    assert.equal(data.sourceKind, 'debian');
    assert.equal(data.train.count, 60_000);
    assert.equal(data.test.count, 10_000);
    assert.equal(data.train.images.length, 60_000 * 784);
    assert.equal(data.test.images.length, 10_000 * 784);
    // Fashion-MNIST is balanced: 6,000 training and 1,000 test images per class.
    const perClass = (labels: Uint8Array) => labels.reduce((counts, l) => (counts[l]++, counts), new Array<number>(10).fill(0));
    assert.deepEqual(perClass(data.train.labels), new Array(10).fill(6_000));
    assert.deepEqual(perClass(data.test.labels), new Array(10).fill(1_000));
    // The first training image is an ankle boot (9), the first test image too.
    assert.equal(data.train.labels[0], 9);
    assert.equal(data.test.labels[0], 9);
    assert.equal(data.checksum, sha256Hex(DATA_FILES.map((f) => f.sha256).join('')));
    const info = describeDataset(data);
    assert.deepEqual(info.rawRange, [0, 255]);
    assert.deepEqual(info.scaledRange, [0, 1]);
    assert.equal(info.sampleImages.length, 25 * 784);
    assert.deepEqual(Array.from(info.sampleLabels), Array.from(data.train.labels.subarray(0, 25)));
  },
);

test('a leading ~ in the user folder means the home folder', () => {
  assert.equal(expandHome('~/fm'), join(homedir(), 'fm'));
  assert.equal(expandHome('~'), homedir());
  assert.equal(expandHome('/abs/~/x'), '/abs/~/x');
  assert.equal(expandHome('~other/x'), '~other/x');
});
