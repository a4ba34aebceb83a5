/**
 * A run folder of the history without its record: a run is being kept right now (its model is copied in,
 * then its record is written, seconds later), or the process keeping it was killed (kill -9, a power cut)
 * and left a model, a temporary folder of 75 MB and a lock. The first is left alone; the second is reported
 * by `runs` and removed by the next run that is kept, when every entry in it is provably the history's own:
 * - the folder itself is a real folder named like a run id, directly inside the history;
 * - it holds only what keeping a run writes: `model/` (a model folder the tool saved), the save's siblings
 *   of `model` (saveLeftovers.ts proves each), the record's temporary file, `dashboard/`, `pinned`;
 * - no live process holds its lock, and nothing in it changed for INTERRUPTED_AFTER_MS.
 */
import { lstatSync, type Stats } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import { siblingKind } from '../modelFiles/layout';
import { isAlive, isOwnLockFile, isOwnModelFolder, readLock, removeOwnLeftover } from '../modelFiles/saveLeftovers';
import { isLeftoverTemp, removeOwnEntries } from './historyFiles';
import { SNAPSHOT_FILES } from './runSnapshot';

/** A run folder without a record and untouched this long was left by a process that died while keeping it. */
export const INTERRUPTED_AFTER_MS = 10 * 60_000;

export interface RunFolderLayout {
  runFile: string;
  modelFolder: string;
  snapshotFolder: string;
  pinFile: string;
}

/**
 * What a run folder with no record is: a keep in progress (recent, or its lock held by a live process), one
 * left by an interrupted keep that may be removed (everything in it provably the history's own), or an old
 * one holding something else (reported, never removed).
 */
export type RecordlessRun = 'inProgress' | 'interrupted' | 'foreign';

export async function inspectRecordlessRun(dir: string, layout: RunFolderLayout, now: number, staleAfterMs = INTERRUPTED_AFTER_MS): Promise<RecordlessRun> {
  let stat;
  let entries: string[];
  try {
    stat = lstatSync(dir);
    entries = stat.isDirectory() ? await fsp.readdir(dir) : [];
  } catch {
    return 'inProgress';
  }
  const newest = Math.max(stat.mtimeMs, ...entries.map((entry) => lstatOrUndefined(join(dir, entry))?.mtimeMs ?? 0));
  if (now - newest < staleAfterMs) return 'inProgress';
  const lock = join(dir, `.${layout.modelFolder}.lock`);
  const holder = entries.includes(`.${layout.modelFolder}.lock`) ? await readLock(lock) : undefined;
  if (holder !== undefined && isAlive(holder.pid)) return 'inProgress';
  return stat.isDirectory() && (await holdsOnlyOwnEntries(dir, entries, layout)) ? 'interrupted' : 'foreign';
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

async function holdsOnlyOwnEntries(dir: string, entries: string[], layout: RunFolderLayout): Promise<boolean> {
  const model = join(dir, layout.modelFolder);
  for (const entry of entries) {
    const path = join(dir, entry);
    const entryStat = lstatOrUndefined(path);
    if (entryStat === undefined) return false;
    if (entry === layout.modelFolder) {
      if (!(await isOwnModelFolder(path)) && !(entryStat.isDirectory() && (await fsp.readdir(path)).length === 0)) return false;
    } else if (entry === layout.snapshotFolder) {
      if (!entryStat.isDirectory() || !(await fsp.readdir(path)).every((name) => (SNAPSHOT_FILES as readonly string[]).includes(name) || isLeftoverTemp(name))) return false;
    } else if (entry === `.${layout.modelFolder}.lock`) {
      if (!(await isOwnLockFile(path))) return false;
    } else if (siblingKind(model, entry) !== undefined) {
      continue; // Removed only by its own proof (removeOwnLeftover); one that is not provably ours just stays.
    } else if (entry === layout.pinFile || isLeftoverTemp(entry)) {
      if (!entryStat.isFile()) return false;
    } else {
      return false;
    }
  }
  return true;
}

/** Removes a run folder inspectRecordlessRun found 'interrupted': each entry by its own proof; the folder only when that emptied it. */
export async function removeInterruptedRun(dir: string, layout: RunFolderLayout, modelFiles: readonly string[]): Promise<boolean> {
  const model = join(dir, layout.modelFolder);
  for (const entry of await fsp.readdir(dir)) {
    const path = join(dir, entry);
    const sibling = siblingKind(model, entry);
    if (sibling !== undefined) await removeOwnLeftover(path, sibling.kind);
    else if (entry === `.${layout.modelFolder}.lock`) await removeOwnLeftover(path, 'staleLock');
  }
  await removeOwnEntries(model, modelFiles);
  await removeOwnEntries(join(dir, layout.snapshotFolder), SNAPSHOT_FILES);
  return removeOwnEntries(dir, [layout.pinFile]);
}
