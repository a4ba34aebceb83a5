/**
 * Writing files so that a crash or a power cut never leaves a half-written one: data goes to a file of its
 * own, is flushed to disk (fsync), and only then renamed over the final name; the folder is flushed too, so
 * the rename itself survives. Every file the tool writes goes through here (model folders, the dashboard's
 * last run, the data cache). A time bound keeps a file system that stops answering (a dead network drive)
 * from hanging the caller.
 */
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes `data` to `path` and flushes it to disk before returning. Overwrites `path`. */
export async function writeFileDurably(path: string, data: Uint8Array | string): Promise<void> {
  const handle = await fsp.open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries (renames, new files) to disk. Some platforms cannot open a folder; that is fine. */
export async function syncFolder(path: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(path, 'r');
    await handle.sync();
  } catch {
    // Windows cannot fsync a folder; the rename is already as durable as the platform makes it.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** A name for a temporary sibling of `path`, unique per process and call. */
export function siblingName(path: string, kind: string): string {
  return join(dirname(path), `.${basename(path)}.${kind}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/**
 * Replaces the file at `path` with `data` atomically: readers see the old file or the new one, never a part.
 * The temporary file is removed when anything fails.
 */
export async function writeFileAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const temp = siblingName(path, 'tmp');
  try {
    await writeFileDurably(temp, data);
    await fsp.rename(temp, path);
  } catch (error) {
    await fsp.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncFolder(dirname(path));
}

/** Moves a finished file into place (same folder), then flushes the folder. */
export async function renameDurably(from: string, to: string): Promise<void> {
  await fsp.rename(from, to);
  await syncFolder(dirname(to));
}

/** Thrown by `withTimeout` when the operation did not settle in time. */
export class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/**
 * Settles like `operation`, or rejects with TimeoutError after `ms`. The operation itself may go on in the
 * background (Node cannot cancel most fs calls); the caller only stops waiting for it.
 */
export function withTimeout<T>(operation: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(ms)), ms);
  });
  return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
}
