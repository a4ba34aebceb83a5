/**
 * One file over HTTP(S) into a file on disk, with progress, a stall timeout, and retries with
 * exponential backoff. It does not judge the contents: the caller verifies the file and renames it
 * into place, so a half or bad download never looks like a good one.
 */
import { open, rm } from 'node:fs/promises';
import { TrainerError } from '../errors';
import { t } from '../text/l10n';

export interface DownloadOptions {
  fetchImpl: typeof fetch;
  /** Abort an attempt when no bytes arrive for this long (a slow link that keeps moving is fine). */
  timeoutMs: number;
  /** Further attempts after the first one fails for a reason that may pass (network, timeout, 5xx). */
  retries: number;
  /** Wait before the first retry; doubled for each further retry. */
  retryDelayMs: number;
  signal?: AbortSignal;
  onProgress?: (receivedBytes: number, totalBytes: number | null) => void;
  /** The most bytes the file may have; a larger body is refused as soon as it shows (not retried). */
  maxBytes?: number;
  /** What the user can do when the download fails (localized). */
  action: string;
}

export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 30_000;
export const DEFAULT_DOWNLOAD_RETRIES = 3;
export const DEFAULT_RETRY_DELAY_MS = 1_000;

/** A failure worth another attempt (the network, a timeout, a busy server) or not (404, a full disk). */
class AttemptFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    // undici hides the useful part ("ECONNREFUSED", "ENOTFOUND") in `cause`.
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error && cause.message ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/** Rejects as soon as `signal` aborts, even if `promise` (e.g. a fetch that ignores signals) never settles. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const STALLED = Symbol('stalled');

/** One attempt: fetch, stream the body to `path`, report progress. Throws AttemptFailure or the user's abort. */
async function attempt(url: string, path: string, options: DownloadOptions): Promise<void> {
  options.signal?.throwIfAborted();
  const controller = new AbortController();
  const onUserAbort = () => controller.abort(abortError(options.signal!));
  options.signal?.addEventListener('abort', onUserAbort, { once: true });
  let stallTimer: ReturnType<typeof setTimeout> | undefined;
  const armStallTimer = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => controller.abort(STALLED), options.timeoutMs);
  };
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, 'w');
  } catch (error) {
    options.signal?.removeEventListener('abort', onUserAbort);
    throw new AttemptFailure(t('the file {0} could not be written: {1}', path, describe(error)), false);
  }
  try {
    armStallTimer();
    let response: Response;
    try {
      response = await raceAbort(options.fetchImpl(url, { signal: controller.signal }), controller.signal);
    } catch (error) {
      throw failureOf(error, controller.signal, options);
    }
    if (!response.ok) {
      // 408/429/5xx may pass; other statuses (404, 403) will not change on a retry.
      const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
      void response.body?.cancel().catch(() => undefined);
      throw new AttemptFailure(t('the server answered HTTP {0}', response.status), retryable);
    }
    // With a Content-Encoding, fetch hands over decoded bytes while Content-Length counts encoded ones:
    // then the length can neither show progress nor prove the body complete (the checksum still does).
    const encoding = (response.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
    const lengthHeader = response.headers.get('content-length');
    const total =
      encoding === 'identity' && lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
    const maxBytes = options.maxBytes ?? Infinity;
    if (total !== null && total > maxBytes) {
      void response.body?.cancel().catch(() => undefined);
      throw new AttemptFailure(t('the server offers {0} bytes, more than the file can be ({1} bytes)', total, maxBytes), false);
    }
    options.onProgress?.(0, total);
    let received = 0;
    if (response.body) {
      const reader = response.body.getReader();
      try {
        for (;;) {
          armStallTimer();
          let chunk: Awaited<ReturnType<typeof reader.read>>;
          try {
            chunk = await raceAbort(reader.read(), controller.signal);
          } catch (error) {
            throw failureOf(error, controller.signal, options);
          }
          if (chunk.done) break;
          try {
            await file.write(chunk.value);
          } catch (error) {
            throw new AttemptFailure(t('the file {0} could not be written: {1}', path, describe(error)), false);
          }
          received += chunk.value.byteLength;
          if (received > maxBytes) throw new AttemptFailure(t('the server sent more than {0} bytes, more than the file can be', maxBytes), false);
          options.onProgress?.(received, total);
        }
      } finally {
        void reader.cancel().catch(() => undefined);
      }
    }
    if (total !== null && received !== total) {
      throw new AttemptFailure(t('the connection closed after {0} of {1} bytes', received, total), true);
    }
    await file.sync();
  } finally {
    clearTimeout(stallTimer);
    options.signal?.removeEventListener('abort', onUserAbort);
    await file.close();
  }
}

/** Turns what a fetch or a read threw into an AttemptFailure, or passes the user's abort through. */
function failureOf(error: unknown, signal: AbortSignal, options: DownloadOptions): unknown {
  if (options.signal?.aborted) return abortError(options.signal);
  if (signal.aborted && signal.reason === STALLED) {
    return new AttemptFailure(t('no data arrived for {0} seconds', Math.round(options.timeoutMs / 100) / 10), true);
  }
  if (error instanceof AttemptFailure) return error;
  return new AttemptFailure(describe(error), true);
}

/**
 * Downloads `url` to `path`, retrying with backoff. On failure the partial file is removed and a
 * TrainerError DATA_DOWNLOAD names the URL, the attempts and the last reason. A user abort (options.signal)
 * rethrows the signal's reason without retrying.
 */
export async function downloadToFile(url: string, path: string, options: DownloadOptions): Promise<void> {
  const attempts = 1 + Math.max(0, Math.floor(options.retries));
  let last: AttemptFailure | undefined;
  let made = 0;
  for (let n = 1; n <= attempts; n++) {
    made = n;
    try {
      await attempt(url, path, options);
      return;
    } catch (error) {
      await rm(path, { force: true });
      if (!(error instanceof AttemptFailure)) throw error;
      last = error;
      if (!error.retryable || n === attempts) break;
      await sleep(options.retryDelayMs * 2 ** (n - 1), options.signal);
    }
  }
  const tried = made;
  throw new TrainerError(
    'DATA_DOWNLOAD',
    tried === 1
      ? t('Downloading {0} failed: {1}.', url, last?.message ?? '')
      : t('Downloading {0} failed after {1} attempts: {2}.', url, tried, last?.message ?? ''),
    url,
    options.action,
  );
}
