/**
 * What a save of a model folder leaves beside it while it runs (folderReplace.ts), and the proof that such an
 * entry is the tool's own before it is removed or put back. A name that matches `.NAME.old-*` proves nothing
 * (a user may keep `.proj.old-2023/` beside `proj/`); what proves it is the content:
 * - a temporary or backup folder is a real folder (not a symbolic link) holding only model-folder files, with
 *   the tool's saved-by.json or run.json (a temporary folder gets saved-by.json first; an empty one is
 *   removed with rmdir, which cannot remove anything else);
 * - a probe folder is empty (rmdir);
 * - a lock file is a small regular file holding the tool's lock record (or the start of one: a save that
 *   died while writing it).
 */
import { lstatSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { READ_LIMITS, readRegularText } from '../regularFile';
import { isModelFolderEntry } from './layout';
import { readOwnerRecord, readRunRecord } from './modelFolder';
import type { siblingKind } from './layout';

export interface LockRecord {
  pid: number;
  tag: string;
  date: string;
}

type SiblingKind = NonNullable<ReturnType<typeof siblingKind>>['kind'];

/** How every lock record starts (JSON.stringify of a LockRecord). */
const LOCK_START = '{"pid":';

async function lockText(path: string): Promise<string | undefined> {
  try {
    return await readRegularText(path, READ_LIMITS.smallRecord);
  } catch {
    return undefined;
  }
}

/** The lock record in `path`, or undefined when there is none or it is not the tool's. */
export async function readLock(path: string): Promise<LockRecord | undefined> {
  const text = await lockText(path);
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<LockRecord> | null;
    return parsed !== null && typeof parsed.pid === 'number' && typeof parsed.tag === 'string' ? (parsed as LockRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** A lock file the tool wrote: its record, or (a save that died mid-write) an empty file or the start of one. */
export async function isOwnLockFile(path: string): Promise<boolean> {
  if (!isRealEntry(path, 'file')) return false;
  const text = await lockText(path);
  if (text === undefined) return false;
  return (await readLock(path)) !== undefined || LOCK_START.startsWith(text) || (text.startsWith(LOCK_START) && !text.includes('}'));
}

export function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `path` itself (not what a symbolic link points to) is a folder or a regular file. */
function isRealEntry(path: string, kind: 'folder' | 'file'): boolean {
  try {
    const stat = lstatSync(path);
    return kind === 'folder' ? stat.isDirectory() : stat.isFile();
  } catch {
    return false;
  }
}

/** A real folder holding only model-folder files, marked as the tool's by saved-by.json or run.json. */
export async function isOwnModelFolder(path: string): Promise<boolean> {
  if (!isRealEntry(path, 'folder')) return false;
  let entries: string[];
  try {
    entries = await fsp.readdir(path);
  } catch {
    return false;
  }
  if (!entries.every(isModelFolderEntry)) return false;
  return readOwnerRecord(path) !== undefined || readRunRecord(path) !== undefined;
}

/**
 * Removes the leftover `path` of kind `kind` when it is provably the tool's; anything else stays as it is.
 * Returns whether it was removed.
 */
export async function removeOwnLeftover(path: string, kind: SiblingKind): Promise<boolean> {
  try {
    switch (kind) {
      case 'temp':
      case 'backup':
        if (await isOwnModelFolder(path)) {
          await fsp.rm(path, { recursive: true });
          return true;
        }
        // A temporary folder of a save that died before its first file: empty, so rmdir removes only it.
        if (kind === 'temp' && isRealEntry(path, 'folder')) await fsp.rmdir(path);
        return kind === 'temp';
      case 'probe':
        if (!isRealEntry(path, 'folder')) return false;
        await fsp.rmdir(path);
        return true;
      case 'staleLock':
        if (!(await isOwnLockFile(path))) return false;
        await fsp.unlink(path);
        return true;
    }
  } catch {
    return false;
  }
}
