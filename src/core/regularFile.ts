/**
 * The one way the tool reads a file it did not just write (weights, records, data, images, pins): opened once,
 * checked on the open handle to be a regular file of a plausible size, read with a bound. A named pipe, a
 * device (a link to /dev/zero), a folder or a file larger than the caller's limit (a sparse 2 GB weights file)
 * fails at once with a sentence naming it, instead of hanging or filling the memory.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { t } from './text/l10n';

/** Why a file was not read; `message` is a localized sentence naming the file. */
export type UnreadableReason = 'missing' | 'folder' | 'special' | 'tooLarge' | 'unreadable';

export class UnreadableFileError extends Error {
  constructor(
    readonly reason: UnreadableReason,
    readonly file: string,
    message: string,
    /** The size on disk, for a file refused as too large. */
    readonly size?: number,
  ) {
    super(message);
    this.name = 'UnreadableFileError';
  }
}

/** Opening a pipe for reading waits for a writer unless non-blocking; on a regular file the flag changes nothing. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return t('a named pipe');
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return t('a device');
  if (stat.isSocket()) return t('a socket');
  return t('not a regular file');
}

function megabytes(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}

/** The check on the open handle: a regular file no larger than `maxBytes`. */
function checkStat(file: string, stat: Stats, maxBytes: number): void {
  if (stat.isDirectory()) throw new UnreadableFileError('folder', file, t('{0} is a folder, not a file.', file));
  if (!stat.isFile()) throw new UnreadableFileError('special', file, t('{0} is {1}, not a regular file, so it was not read.', file, kindOf(stat)));
  if (stat.size > maxBytes) {
    const message = t('{0} is {1} MB, more than the {2} MB such a file can be, so it was not read.', file, megabytes(stat.size), megabytes(maxBytes));
    throw new UnreadableFileError('tooLarge', file, message, stat.size);
  }
}

function openError(file: string, error: unknown): UnreadableFileError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new UnreadableFileError('missing', file, t('{0} does not exist.', file));
  if (code === 'EISDIR') return new UnreadableFileError('folder', file, t('{0} is a folder, not a file.', file));
  const reason = error instanceof Error ? error.message : String(error);
  return new UnreadableFileError('unreadable', file, t('{0} cannot be read: {1}', file, reason));
}

/** Reads at most `size` bytes (what fstat said): a file that grows meanwhile is read only as far as it was. */
function fill(buffer: Buffer, read: (offset: number) => number): Buffer {
  let offset = 0;
  while (offset < buffer.length) {
    const got = read(offset);
    if (got === 0) break;
    offset += got;
  }
  return offset === buffer.length ? buffer : buffer.subarray(0, offset);
}

/** The bytes of the regular file `file`, at most `maxBytes` of them. Throws UnreadableFileError. */
export function readRegularFileSync(file: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (error) {
    throw openError(file, error);
  }
  try {
    const stat = fstatSync(fd);
    checkStat(file, stat, maxBytes);
    const buffer = Buffer.alloc(stat.size);
    return fill(buffer, (offset) => readSync(fd, buffer, offset, buffer.length - offset, offset));
  } catch (error) {
    throw error instanceof UnreadableFileError ? error : openError(file, error);
  } finally {
    closeSync(fd);
  }
}

/** The bytes of the regular file `file`, at most `maxBytes` of them. Rejects with UnreadableFileError. */
export async function readRegularFile(file: string, maxBytes: number): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (error) {
    throw openError(file, error);
  }
  try {
    const stat = await handle.stat();
    checkStat(file, stat, maxBytes);
    const buffer = Buffer.alloc(stat.size);
    let offset = 0;
    while (offset < buffer.length) {
      const { bytesRead } = await handle.read(buffer, offset, buffer.length - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return offset === buffer.length ? buffer : buffer.subarray(0, offset);
  } catch (error) {
    throw error instanceof UnreadableFileError ? error : openError(file, error);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Text of a regular file (UTF-8), at most `maxBytes`. */
export function readRegularTextSync(file: string, maxBytes: number): string {
  return readRegularFileSync(file, maxBytes).toString('utf8');
}

export async function readRegularText(file: string, maxBytes: number): Promise<string> {
  return (await readRegularFile(file, maxBytes)).toString('utf8');
}

/** Limits for the files the tool reads: generous for what the tool writes, far below what would hurt. */
export const READ_LIMITS = {
  /** model.json (the topology; a few KB for any network the tool trains). */
  modelJson: 4 * 1048576,
  /** All weight files of one model: the largest network the settings allow is far below this. */
  weights: 512 * 1048576,
  /** run.json beside a model, saved-by.json, lock files. */
  smallRecord: 1048576,
  /** A run history record: every epoch's metrics and a confusion matrix (a few KB for hundreds of epochs). */
  runRecord: 16 * 1048576,
  /** One file of a run's dashboard snapshot (the test images, the predictions of up to 50 epochs as base64). */
  snapshotFile: 256 * 1048576,
  /** The pins file of the extension. */
  pins: 4 * 1048576,
} as const;
