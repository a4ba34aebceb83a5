/**
 * Fashion-MNIST: find the four IDX files, read them (gzipped or not), check every byte against the
 * published data, and hand out the pixels and labels as views on the decompressed buffers (no copies).
 *
 * Sources, in order: the folder the user named (its problems are errors: the user asked for it), the
 * per-user cache, the Debian package's folder, and at last a one-time download into the cache. A damaged
 * file in the cache is deleted and replaced; a download counts only once its checksum matches.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DataInfo, DataSourceKind } from '../../domain/data';
import { PIXELS } from '../../domain/classes';
import { DEFAULT_DEBIAN_DIR, DEFAULT_MIRROR_URL, existingCandidates, isDirectory } from './dataLocation';
import {
  DEFAULT_DOWNLOAD_RETRIES,
  DEFAULT_DOWNLOAD_TIMEOUT_MS,
  DEFAULT_RETRY_DELAY_MS,
  downloadToFile,
} from './download';
import { TrainerError } from '../errors';
import { gunzipWithSha256, isGzip, parseIdxImages, parseIdxLabels, sha256Hex } from './idx';
import { t } from '../text/l10n';

export { defaultCacheDir, DEFAULT_DEBIAN_DIR, DEFAULT_MIRROR_URL } from './dataLocation';
export * from './idx';

export type DataFileKey = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

export interface DataFileSpec {
  key: DataFileKey;
  /** The file name without `.gz`, as published. */
  name: string;
  /** SHA-256 of the decompressed file. */
  sha256: string;
  /** Images or labels the file holds. */
  count: number;
}

/** The four published files. The order is also the order of the digests in `FashionMnist.checksum`. */
export const DATA_FILES: readonly DataFileSpec[] = Object.freeze([
  {
    key: 'trainImages',
    name: 'train-images-idx3-ubyte',
    sha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
    count: 60_000,
  },
  {
    key: 'trainLabels',
    name: 'train-labels-idx1-ubyte',
    sha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
    count: 60_000,
  },
  {
    key: 'testImages',
    name: 't10k-images-idx3-ubyte',
    sha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
    count: 10_000,
  },
  {
    key: 'testLabels',
    name: 't10k-labels-idx1-ubyte',
    sha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
    count: 10_000,
  },
] as const);

const KEY_ORDER: readonly DataFileKey[] = ['trainImages', 'trainLabels', 'testImages', 'testLabels'];

export interface Split {
  /** count * 784 bytes, 0..255, row-major 28x28 per image; a view on the decompressed file. */
  images: Uint8Array;
  /** count bytes, 0..9. */
  labels: Uint8Array;
  count: number;
}

export interface FashionMnist {
  train: Split;
  test: Split;
  sourceKind: DataSourceKind;
  /** The folder the four files were read from (for a download: the cache folder). */
  directory: string;
  /** SHA-256 (hex) of the four decompressed files' SHA-256 hex digests concatenated in DATA_FILES order. */
  checksum: string;
  /** Milliseconds to read, gunzip and verify the four files. */
  decodeMs: number;
  /** Things the user should hear about that did not stop the load (a damaged cached file replaced). Localized. */
  warnings?: string[];
}

export interface LoadOptions {
  /** The user's folder (setting / --data-dir): tried first; if given and bad, an error (no fall-through). */
  dataDir?: string;
  /** Extension global storage / the CLI's per-user cache; tried second, and where downloads go. */
  cacheDir?: string;
  /** Default '/usr/share/datasets/fashion-mnist' (Debian package dataset-fashion-mnist); tried third. */
  debianDir?: string;
  /** Fourth: a one-time download into cacheDir. */
  allowDownload: boolean;
  onDownloadProgress?: (file: string, receivedBytes: number, totalBytes: number | null) => void;
  /** Called with each warning as it happens (they are also returned in `FashionMnist.warnings`). */
  onWarning?: (message: string) => void;
  fetchImpl?: typeof fetch;
  /** Folder URL holding `<name>.gz`; default: the bucket Keras' fashion_mnist.load_data uses. */
  mirrorUrl?: string;
  /** Per-attempt stall timeout: give up an attempt when no bytes arrive for this long. Default 30 s. */
  timeoutMs?: number;
  /** Further attempts after a failure that may pass. Default 3. */
  retries?: number;
  /** Aborting rejects with the signal's reason (not a TrainerError), so callers can tell Stop from failure. */
  signal?: AbortSignal;
  /** @internal Tests: the files to expect instead of DATA_FILES (crafted data with their own digests and counts). */
  expectedFiles?: readonly DataFileSpec[];
  /** @internal Tests: the first retry's delay (doubles each time). Default 1 s. */
  retryDelayMs?: number;
}

/** One verified file: its decompressed bytes and the images or labels inside them. */
export interface DecodedFile {
  spec: DataFileSpec;
  path: string;
  sha256: string;
  /** Images (count * 784) or labels (count), a view on the decompressed bytes. */
  data: Uint8Array;
  count: number;
  /** True when the file on disk was gzipped. */
  gzipped: boolean;
}

function isImagesKey(key: DataFileKey): boolean {
  return key === 'trainImages' || key === 'testImages';
}

/** Reads one file, gunzips it if needed, parses it and checks its count and SHA-256 against `spec`. */
export async function decodeDataFile(path: string, spec: DataFileSpec): Promise<DecodedFile> {
  let raw: Uint8Array;
  try {
    const buffer = await readFile(path);
    // A plain Uint8Array view (not a Buffer), so raw and gzipped files hand out the same type.
    raw = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TrainerError('DATA_MISSING', t('{0} cannot be read: {1}', path, reason), path);
  }
  const gzipped = isGzip(raw);
  const { bytes, sha256 } = gzipped ? await gunzipWithSha256(raw, path) : { bytes: raw, sha256: sha256Hex(raw) };
  const parsed = isImagesKey(spec.key) ? parseIdxImages(bytes, path) : parseIdxLabels(bytes, path);
  const count = parsed.count;
  if (count !== spec.count) {
    throw new TrainerError(
      'DATA_CORRUPT',
      t('{0} holds {1} entries, but the Fashion-MNIST file {2} holds {3}.', path, count, spec.name, spec.count),
      path,
    );
  }
  if (sha256 !== spec.sha256) {
    throw new TrainerError(
      'DATA_CHECKSUM',
      t('The contents of {0} differ from the published Fashion-MNIST file {1} (SHA-256 {2}, expected {3}).', path, spec.name, sha256, spec.sha256),
      path,
    );
  }
  const data = 'images' in parsed ? parsed.images : parsed.labels;
  return { spec, path, sha256, data, count, gzipped };
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

function downloadAction(): string {
  return t(
    'Check the network connection (and proxy settings), then try again. Without a network, install the data with: sudo apt install dataset-fashion-mnist, or set fashionMnist.dataDirectory (or pass --data-dir) to a folder that holds the four files.',
  );
}

async function elapsed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await work();
  return [value, performance.now() - start];
}

/** "~/data" as typed in a setting or a shell that did not expand it. */
export function expandHome(path: string): string {
  if (path === '~') return homedir();
  return /^~[/\\]/.test(path) ? join(homedir(), path.slice(2)) : path;
}

/** The user's folder: every problem is an error naming the file, because the user asked for this folder. */
async function loadUserFolder(folder: string, specs: readonly DataFileSpec[]): Promise<FashionMnist> {
  const action = userFolderAction();
  const dir = expandHome(folder);
  if (!(await isDirectory(dir))) {
    throw new TrainerError('DATA_MISSING', t('The data folder {0} does not exist or is not a folder.', dir), dir, action);
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
 * The cache: each file is tried under every name it may have; a damaged one is deleted (with a warning)
 * so that it is replaced rather than failing forever. Returns the files that are good.
 */
async function scanCache(
  dir: string,
  specs: readonly DataFileSpec[],
  warn: (message: string) => void,
): Promise<Map<DataFileKey, DecodedFile>> {
  const good = new Map<DataFileKey, DecodedFile>();
  if (!(await isDirectory(dir))) return good;
  await Promise.all(
    specs.map(async (spec) => {
      for (const path of await existingCandidates(dir, spec.name)) {
        try {
          good.set(spec.key, await decodeDataFile(path, spec));
          return;
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          await rm(path, { force: true }).catch(() => undefined);
          warn(t('The cached file {0} was damaged and has been deleted; another copy will be used. ({1})', path, reason));
        }
      }
    }),
  );
  return good;
}

function downloadUrl(mirrorUrl: string, spec: DataFileSpec): string {
  return `${mirrorUrl.endsWith('/') ? mirrorUrl : `${mirrorUrl}/`}${spec.name}.gz`;
}

/** Reports progress at most every 1% (or 256 KB), plus the first and last byte, so a UI is not flooded. */
function throttledProgress(
  file: string,
  report: NonNullable<LoadOptions['onDownloadProgress']>,
): { onProgress: (received: number, total: number | null) => void; finish: () => void } {
  let lastReported = -1;
  let last: [number, number | null] = [0, null];
  const onProgress = (received: number, total: number | null) => {
    last = [received, total];
    const step = Math.max(256 * 1024, total === null ? 0 : total / 100);
    if (lastReported < 0 || received === total || received - lastReported >= step || received < lastReported) {
      lastReported = received;
      report(file, received, total);
    }
  };
  const finish = () => {
    if (lastReported !== last[0]) report(file, last[0], last[1]);
  };
  return { onProgress, finish };
}

/** Downloads one file into the cache under a temporary name, verifies it, then renames it into place. */
async function downloadIntoCache(
  spec: DataFileSpec,
  cacheDir: string,
  options: LoadOptions,
): Promise<{ file: DecodedFile; verifyMs: number }> {
  const url = downloadUrl(options.mirrorUrl ?? DEFAULT_MIRROR_URL, spec);
  const action = downloadAction();
  try {
    await mkdir(cacheDir, { recursive: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TrainerError('DATA_DOWNLOAD', t('The cache folder {0} cannot be created: {1}', cacheDir, reason), cacheDir, action);
  }
  // Unique per process and call, so two windows (or the CLI and the extension) never share a temp file.
  const temp = join(cacheDir, `.${spec.name}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  const progress = options.onDownloadProgress ? throttledProgress(`${spec.name}.gz`, options.onDownloadProgress) : undefined;
  await downloadToFile(url, temp, {
    fetchImpl: options.fetchImpl ?? fetch,
    timeoutMs: options.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS,
    retries: options.retries ?? DEFAULT_DOWNLOAD_RETRIES,
    retryDelayMs: options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
    signal: options.signal,
    onProgress: progress?.onProgress,
    action,
  });
  progress?.finish();
  let decoded: DecodedFile;
  let verifyMs: number;
  try {
    [decoded, verifyMs] = await elapsed(() => decodeDataFile(temp, spec));
  } catch (error) {
    await rm(temp, { force: true });
    const reason = error instanceof Error ? error.message : String(error);
    throw new TrainerError(
      'DATA_CHECKSUM',
      t('The file downloaded from {0} is not the published Fashion-MNIST file and was discarded: {1}', url, reason),
      url,
      t(
        'Try again later; the download or the mirror may be damaged. Meanwhile, install the data with: sudo apt install dataset-fashion-mnist, or set fashionMnist.dataDirectory (or pass --data-dir) to a folder that holds the four files.',
      ),
    );
  }
  // A server may send the file already decompressed (Content-Encoding); name it after what it holds.
  const finalPath = join(cacheDir, decoded.gzipped ? `${spec.name}.gz` : spec.name);
  try {
    await rename(temp, finalPath);
  } catch (error) {
    await rm(temp, { force: true });
    const reason = error instanceof Error ? error.message : String(error);
    throw new TrainerError('DATA_DOWNLOAD', t('The file {0} cannot be written: {1}', finalPath, reason), finalPath, action);
  }
  return { file: { ...decoded, path: finalPath }, verifyMs };
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
        warn(error instanceof Error ? error.message : String(error));
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
        warn(error instanceof Error ? error.message : String(error));
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
  };
}
