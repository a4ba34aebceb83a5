/**
 * Fashion-MNIST: find the four IDX files, read them (gzipped or not), check every byte against the
 * published data, and hand out the pixels and labels as views on the decompressed buffers (no copies).
 *
 * Sources, in order: the folder the user named (its problems are errors: the user asked for it), the
 * per-user cache, the Debian package's folder, and at last a one-time download into the cache. A damaged
 * file in the cache is deleted and replaced; a download counts only once its checksum matches.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataInfo, DataSourceKind } from '../../domain/data';
import { PIXELS } from '../../domain/classes';
import { DEFAULT_DEBIAN_DIR, existingCandidates, isDirectory } from './dataLocation';
import { downloadIntoCache, elapsed, scanCache, type CacheDownloadOptions } from './dataCache';
import { TrainerError } from '../errors';
import { sha256Hex } from './idx';
import { DATA_FILES, KEY_ORDER, type DataFileKey, type DataFileSpec, type FashionMnist, type Split } from './dataFiles';
import { decodeDataFile, type DecodedFile } from './dataFileDecode';
import { expandHome } from '../userPath';
import { t } from '../text/l10n';
import { errorMessage } from '../../domain/errors';

export { defaultCacheDir, DEFAULT_DEBIAN_DIR, DEFAULT_MIRROR_URL } from './dataLocation';
export { DATA_FILES, type DataFileKey, type DataFileSpec, type FashionMnist, type Split } from './dataFiles';
export { decodeDataFile, type DecodedFile } from './dataFileDecode';

/** Where to look for the dataset, in order, and how to download it (the download's own options: dataCache.ts). */
export interface LoadOptions extends CacheDownloadOptions {
  /** The user's folder (setting / --data-dir): tried first; if given and bad, an error (no fall-through). */
  dataDir?: string;
  /** Extension global storage / the CLI's per-user cache; tried second, and where downloads go. */
  cacheDir?: string;
  /** Default '/usr/share/datasets/fashion-mnist' (Debian package dataset-fashion-mnist); tried third. */
  debianDir?: string;
  /** Fourth: a one-time download into cacheDir. */
  allowDownload: boolean;
  /** Called with each warning as it happens (they are also returned in `FashionMnist.warnings`). */
  onWarning?: (message: string) => void;
  /** @internal Tests: the files to expect instead of DATA_FILES (crafted data with their own digests and counts). */
  expectedFiles?: readonly DataFileSpec[];
}

/** Builds the result from four verified files; checks that images and labels pair up. */
export function assembleDataset(
  files: ReadonlyMap<DataFileKey, DecodedFile>,
  sourceKind: DataSourceKind,
  directory: string,
  decodeMs: number,
  warnings: string[] = [],
): FashionMnist {
  const file = (key: DataFileKey): DecodedFile => {
    const found = files.get(key);
    if (!found) throw new TrainerError('INTERNAL', t('The data file for {0} was not loaded.', key));
    return found;
  };
  const split = (imagesKey: DataFileKey, labelsKey: DataFileKey): Split => {
    const images = file(imagesKey);
    const labels = file(labelsKey);
    if (images.count !== labels.count) {
      throw new TrainerError(
        'DATA_CORRUPT',
        t('{0} holds {1} images but {2} holds {3} labels; the two counts must match.', images.path, images.count, labels.path, labels.count),
        labels.path,
      );
    }
    return { images: images.data, labels: labels.data, count: images.count };
  };
  const train = split('trainImages', 'trainLabels');
  const test = split('testImages', 'testLabels');
  const checksum = sha256Hex(KEY_ORDER.map((key) => file(key).sha256).join(''));
  return { train, test, sourceKind, directory, checksum, decodeMs: Math.round(decodeMs), warnings };
}

/** The same error with the action that fits where the file came from. */
function withAction(error: unknown, action: string): unknown {
  if (error instanceof TrainerError) return new TrainerError(error.code, error.message, error.file, action);
  return error;
}

function userFolderAction(): string {
  return t(
    'Check the folder set in fashionMnist.dataDirectory (or passed with --data-dir): it must hold the four Fashion-MNIST files, gzipped or not. Replace a damaged file with a good copy, or clear the setting to use the cached or Debian copy.',
  );
}

function debianAction(): string {
  return t('Reinstall the Debian package: sudo apt install --reinstall dataset-fashion-mnist');
}

function missingAction(downloadAllowed: boolean): string {
  return downloadAllowed
    ? t(
        'Set fashionMnist.dataDirectory (or pass --data-dir) to a folder that holds the four Fashion-MNIST files, or install them with: sudo apt install dataset-fashion-mnist',
      )
    : t(
        'Set fashionMnist.dataDirectory (or pass --data-dir) to a folder that holds the four Fashion-MNIST files, install them with: sudo apt install dataset-fashion-mnist, or allow the one-time download.',
      );
}

/** The user's folder: every problem is an error naming the file, because the user asked for this folder. */
async function loadUserFolder(folder: string, specs: readonly DataFileSpec[]): Promise<FashionMnist> {
  const action = userFolderAction();
  const dir = expandHome(folder);
  if (!(await isDirectory(dir))) {
    const exists = await stat(dir).then(() => true, () => false);
    throw new TrainerError(
      'DATA_MISSING',
      exists ? t('The data folder {0} is a file, not a folder.', dir) : t('The data folder {0} does not exist.', dir),
      dir,
      action,
    );
  }
  const paths = await Promise.all(specs.map((spec) => existingCandidates(dir, spec.name)));
  specs.forEach((spec, i) => {
    if (paths[i].length === 0) {
      const path = join(dir, spec.name);
      throw new TrainerError('DATA_MISSING', t('The data folder {0} has no file {1} (nor {1}.gz).', dir, spec.name), path, action);
    }
  });
  try {
    const [files, ms] = await elapsed(() => Promise.all(specs.map((spec, i) => decodeDataFile(paths[i][0], spec))));
    return assembleDataset(new Map(files.map((f) => [f.spec.key, f])), 'user', dir, ms);
  } catch (error) {
    throw withAction(error, action);
  }
}

/**
 * Finds, reads and verifies Fashion-MNIST. Throws a TrainerError (DATA_MISSING, DATA_CORRUPT,
 * DATA_CHECKSUM, DATA_DOWNLOAD) naming the file and what to do; an abort rejects with the signal's reason.
 */
export async function loadFashionMnist(options: LoadOptions): Promise<FashionMnist> {
  const specs = options.expectedFiles ?? DATA_FILES;
  const signal = options.signal;
  signal?.throwIfAborted();
  if (options.dataDir) return loadUserFolder(options.dataDir, specs);

  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    options.onWarning?.(message);
  };
  const searched: string[] = [];

  // 2. The cache.
  let cached = new Map<DataFileKey, DecodedFile>();
  let cacheMs = 0;
  if (options.cacheDir) {
    searched.push(options.cacheDir);
    [cached, cacheMs] = await elapsed(() => scanCache(options.cacheDir!, specs, warn));
    if (cached.size === specs.length) {
      try {
        return assembleDataset(cached, 'cache', options.cacheDir, cacheMs, warnings);
      } catch (error) {
        // Each file is good but they do not pair up (only possible with odd expectations): use another source.
        warn(errorMessage(error));
        cached = new Map();
      }
    }
  }
  signal?.throwIfAborted();

  // 3. The Debian package. A damaged install is remembered: it is the error to show if nothing else works.
  const debianDir = options.debianDir ?? DEFAULT_DEBIAN_DIR;
  searched.push(debianDir);
  let debianError: unknown;
  if (await isDirectory(debianDir)) {
    const paths = await Promise.all(specs.map((spec) => existingCandidates(debianDir, spec.name)));
    if (paths.every((p) => p.length > 0)) {
      try {
        const [files, ms] = await elapsed(() => Promise.all(specs.map((spec, i) => decodeDataFile(paths[i][0], spec))));
        return assembleDataset(new Map(files.map((f) => [f.spec.key, f])), 'debian', debianDir, ms, warnings);
      } catch (error) {
        debianError = withAction(error, debianAction());
        warn(errorMessage(error));
      }
    }
  }
  signal?.throwIfAborted();

  // 4. A one-time download of whatever the cache lacks.
  if (options.allowDownload && options.cacheDir) {
    let downloadMs = cacheMs;
    for (const spec of specs) {
      if (cached.has(spec.key)) continue;
      const { file, verifyMs } = await downloadIntoCache(spec, options.cacheDir, options);
      cached.set(spec.key, file);
      // Only the verification counts as decoding; the transfer time is the network's.
      downloadMs += verifyMs;
      signal?.throwIfAborted();
    }
    return assembleDataset(cached, 'download', options.cacheDir, downloadMs, warnings);
  }

  if (debianError !== undefined) throw debianError;
  throw new TrainerError(
    'DATA_MISSING',
    t('The Fashion-MNIST files ({0}) were not found. Looked in: {1}.', specs.map((spec) => `${spec.name}.gz`).join(', '), searched.join(', ')),
    join(debianDir, `${specs[0].name}.gz`),
    missingAction(options.allowDownload && !!options.cacheDir),
  );
}

/** What the Data and Preprocess cells show: counts, source, the first training images, the pixel range. */
export function describeDataset(data: FashionMnist, sampleCount = 25): DataInfo {
  const n = Math.min(sampleCount, data.train.count);
  let min = 255;
  let max = 0;
  const pixels = data.train.images;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (pixels.length === 0) min = 0;
  return {
    trainCount: data.train.count,
    testCount: data.test.count,
    sourceKind: data.sourceKind,
    directory: data.directory,
    sampleImages: data.train.images.slice(0, n * PIXELS),
    sampleLabels: data.train.labels.slice(0, n),
    rawRange: [min, max],
    scaledRange: [min / 255, max / 255],
    decodeMs: data.decodeMs,
    checksum: data.checksum,
  };
}
