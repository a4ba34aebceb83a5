/**
 * The per-user cache of the four files: what is there and good (a damaged file is deleted with a warning,
 * so it is replaced rather than failing forever), and a download into it that counts only once its
 * checksum matches. The download is capped at the size the file can have.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { renameDurably } from '../atomicWrite';
import { TrainerError } from '../errors';
import { t } from '../text/l10n';
import { existingCandidates, isDirectory, DEFAULT_MIRROR_URL } from './dataLocation';
import { largestFileBytes, type DataFileKey, type DataFileSpec } from './dataFiles';
import { decodeDataFile, type DecodedFile } from './dataFileDecode';
import { DEFAULT_DOWNLOAD_RETRIES, DEFAULT_DOWNLOAD_TIMEOUT_MS, DEFAULT_RETRY_DELAY_MS, downloadToFile } from './download';
import { errorMessage } from '../../domain/errors';

function downloadAction(): string {
  return t(
    'Check the network connection (and proxy settings), then try again. Without a network, install the data with: sudo apt install dataset-fashion-mnist, or set fashionMnist.dataDirectory (or pass --data-dir) to a folder that holds the four files.',
  );
}

export async function elapsed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await work();
  return [value, performance.now() - start];
}

/**
 * The cache: each file is tried under every name it may have; a damaged one is deleted (with a warning)
 * so that it is replaced rather than failing forever. Returns the files that are good.
 */
export async function scanCache(
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
          const reason = errorMessage(error);
          await rm(path, { force: true }).catch(() => undefined);
          warn(t('The cached file {0} was damaged and has been deleted; another copy will be used. ({1})', path, reason));
        }
      }
    }),
  );
  return good;
}

/** How a file is downloaded into the cache (part of dataset.ts's LoadOptions). */
export interface CacheDownloadOptions {
  onDownloadProgress?: (file: string, receivedBytes: number, totalBytes: number | null) => void;
  fetchImpl?: typeof fetch;
  /** Folder URL holding `<name>.gz`; default: the bucket Keras' fashion_mnist.load_data uses. */
  mirrorUrl?: string;
  /** Per-attempt stall timeout: give up an attempt when no bytes arrive for this long. Default 30 s. */
  timeoutMs?: number;
  /** Further attempts after a failure that may pass. Default 3. */
  retries?: number;
  /** Aborting rejects with the signal's reason (not a TrainerError), so callers can tell Stop from failure. */
  signal?: AbortSignal;
  /** @internal Tests: the first retry's delay (doubles each time). Default 1 s. */
  retryDelayMs?: number;
}

function downloadUrl(mirrorUrl: string, spec: DataFileSpec): string {
  return `${mirrorUrl.endsWith('/') ? mirrorUrl : `${mirrorUrl}/`}${spec.name}.gz`;
}

/** Reports progress at most every 1% (or 256 KB), plus the first and last byte, so a UI is not flooded. */
function throttledProgress(
  file: string,
  report: NonNullable<CacheDownloadOptions['onDownloadProgress']>,
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
export async function downloadIntoCache(
  spec: DataFileSpec,
  cacheDir: string,
  options: CacheDownloadOptions,
): Promise<{ file: DecodedFile; verifyMs: number }> {
  const url = downloadUrl(options.mirrorUrl ?? DEFAULT_MIRROR_URL, spec);
  const action = downloadAction();
  try {
    await mkdir(cacheDir, { recursive: true });
  } catch (error) {
    const reason = errorMessage(error);
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
    // Never more than the file can be, gzipped or not: a hostile or broken server cannot fill the disk.
    maxBytes: largestFileBytes(spec),
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
    const reason = errorMessage(error);
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
    await renameDurably(temp, finalPath);
  } catch (error) {
    await rm(temp, { force: true });
    const reason = errorMessage(error);
    throw new TrainerError('DATA_DOWNLOAD', t('The file {0} cannot be written: {1}', finalPath, reason), finalPath, action);
  }
  return { file: { ...decoded, path: finalPath }, verifyMs };
}
