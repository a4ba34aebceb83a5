/**
 * Replacing a model folder as one step, and cleaning up after a save that did not finish. A save:
 *   1. checks the target (saveTarget.ts: never a folder or file the tool did not write);
 *   2. takes the lock `.NAME.lock` beside it (one save of a folder at a time; a second waits, then is told
 *      plainly that the folder is busy), naming its tag;
 *   3. fills `.NAME.tmp-<tag>` (saved-by.json first, model.json last), every file flushed to disk;
 *   4. swaps: target -> `.NAME.old-<tag>`, temporary -> target, backup removed; then drops the lock.
 * If a step fails the previous folder goes back and the temporary one is removed. If the process dies,
 * its lock stays with its tag: the next save or load of the folder takes the lock over, puts back the
 * backup of exactly that save when the target is missing, and removes every other leftover. A backup
 * without a lock naming it is never put back, so a model the user deleted stays deleted.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { syncFolder, writeFileDurably } from '../atomicWrite';
import { TrainerError } from '../errors';
import { t } from '../text/l10n';
import { MODEL_FILE, OWNER_FILE, siblingKind, siblings } from './layout';
import { ownerRecordText } from './modelFolder';
import { checkSaveTarget, type SaveTargetOptions } from './saveTarget';
import { errorMessage } from '../../domain/errors';

/** The file operations a save uses; tests replace some to make a save fail at a chosen step. */
export interface StoreFileSystem {
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  rm(path: string): Promise<void>;
  copyFile(from: string, to: string): Promise<void>;
}

export const nodeFileSystem: StoreFileSystem = {
  writeFile: writeFileDurably,
  rename: (from, to) => fsp.rename(from, to),
  mkdir: async (path) => {
    await fsp.mkdir(path, { recursive: true });
  },
  rm: (path) => fsp.rm(path, { recursive: true, force: true }),
  // Read and written durably: a plain copyFile is not flushed, and the copy must survive a power cut.
  copyFile: async (from, to) => writeFileDurably(to, await fsp.readFile(from)),
};

/** How long a save waits for another save of the same folder before it gives up with a message. */
const SAVE_LOCK_WAIT_MS = 30_000;
/** A lock file that cannot be read for this long was left half-written by a process that died. */
const UNREADABLE_LOCK_STALE_MS = 10_000;

export interface ReplaceOptions extends SaveTargetOptions {
  lockWaitMs?: number;
}

interface LockRecord {
  pid: number;
  tag: string;
  date: string;
}

function newTag(): string {
  return `${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Fills a fresh temporary folder beside `target` with `fill`, then swaps it in. On any failure the previous
 * content of `target` survives and nothing is left behind. Throws MODEL_SAVE naming the target.
 */
export async function replaceFolder(
  target: string,
  fileSystem: StoreFileSystem,
  fill: (temp: string) => Promise<void>,
  options: ReplaceOptions = {},
): Promise<string> {
  const real = await checkSaveTarget(target, options);
  const parent = dirname(real);
  try {
    await fileSystem.mkdir(parent);
  } catch (error) {
    throw saveError(real, error);
  }
  const tag = newTag();
  const release = await acquireLock(real, tag, options.lockWaitMs ?? SAVE_LOCK_WAIT_MS);
  const temp = siblings.temp(real, tag);
  const backup = siblings.backup(real, tag);
  let movedAside = false;
  try {
    await tidyLocked(real, tag, fileSystem);
    // Checked again under the lock: another save may have just replaced the folder (still ours, then).
    await checkSaveTarget(real, options);
    await fileSystem.mkdir(temp);
    await fileSystem.writeFile(join(temp, OWNER_FILE), ownerRecordText());
    await fill(temp);
    await syncFolder(temp);
    if (existsSync(real)) {
      await fileSystem.rename(real, backup);
      movedAside = true;
    }
    await fileSystem.rename(temp, real);
    await syncFolder(parent);
  } catch (error) {
    if (movedAside) {
      try {
        if (existsSync(real)) await fileSystem.rm(real);
        await fileSystem.rename(backup, real);
      } catch {
        // Kept as a journal naming the backup, so the next save or load of this folder puts it back.
        await fsp.rename(siblings.lock(real), siblings.staleLock(real, tag)).catch(() => undefined);
        throw saveError(real, error);
      }
    }
    await fileSystem.rm(temp).catch(() => undefined);
    await release();
    throw saveError(real, error);
  }
  // The new model is in place; an old copy that cannot be removed now is removed by the next save or load.
  if (movedAside) await fileSystem.rm(backup).catch(() => undefined);
  await release();
  return real;
}

/**
 * Before a model is loaded: finishes what an interrupted save left (puts back the model of a save that died
 * between its renames, removes temporary folders and stale backups). When another save is under way and the
 * model is missing for the moment of its swap, waits for it. A folder that cannot be written is only read.
 */
export async function tidyModelFolder(given: string, options: { lockWaitMs?: number } = {}): Promise<void> {
  // Through a symbolic link, the leftovers lie beside the folder it points to (where the save wrote).
  const target = await fsp.realpath(given).catch(() => given);
  const holder = await readLock(siblings.lock(target));
  if (holder !== undefined && isAlive(holder.pid)) {
    if (!existsSync(target)) await waitForUnlock(target, options.lockWaitMs ?? SAVE_LOCK_WAIT_MS);
    return;
  }
  if (!(await hasLeftovers(target))) return;
  let release: (() => Promise<void>) | undefined;
  const tag = newTag();
  try {
    release = await acquireLock(target, tag, options.lockWaitMs ?? SAVE_LOCK_WAIT_MS);
  } catch {
    return; // Read-only, or busy: load what is there.
  }
  try {
    await tidyLocked(target, tag, nodeFileSystem);
  } finally {
    await release();
  }
}

async function hasLeftovers(target: string): Promise<boolean> {
  try {
    const entries = await fsp.readdir(dirname(target));
    const lock = basename(siblings.lock(target));
    return entries.some((entry) => entry === lock || siblingKind(target, entry) !== undefined);
  } catch {
    return false;
  }
}

/** With the lock held: undo the swap of a save that died, then remove every leftover that is not this save's. */
async function tidyLocked(target: string, ownTag: string, fileSystem: StoreFileSystem): Promise<void> {
  const parent = dirname(target);
  let entries: string[];
  try {
    entries = await fsp.readdir(parent);
  } catch {
    return;
  }
  const found = entries.map((entry) => ({ entry, sibling: siblingKind(target, entry) })).filter((e) => e.sibling !== undefined && e.sibling.tag !== ownTag);
  for (const { entry, sibling } of found) {
    if (sibling?.kind !== 'staleLock') continue;
    const record = await readLock(join(parent, entry));
    const backup = record === undefined ? undefined : siblings.backup(target, record.tag);
    if (backup !== undefined && !existsSync(target) && existsSync(join(backup, MODEL_FILE))) {
      await fileSystem.rename(backup, target).catch(() => undefined);
    }
  }
  for (const { entry } of found) await fileSystem.rm(join(parent, entry)).catch(() => undefined);
}

async function acquireLock(target: string, tag: string, waitMs: number): Promise<() => Promise<void>> {
  const lock = siblings.lock(target);
  const deadline = Date.now() + waitMs;
  const record: LockRecord = { pid: process.pid, tag, date: new Date().toISOString() };
  for (;;) {
    try {
      const handle = await fsp.open(lock, 'wx');
      try {
        await handle.writeFile(JSON.stringify(record));
        await handle.sync();
      } finally {
        await handle.close();
      }
      return async () => {
        const current = await readLock(lock);
        if (current?.tag === tag) await fsp.rm(lock, { force: true }).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw saveError(target, error);
    }
    const holder = await readLock(lock);
    const stale = holder === undefined ? await olderThan(lock, UNREADABLE_LOCK_STALE_MS) : !isAlive(holder.pid);
    if (stale) {
      // Taken over by renaming: of two processes that find it stale, only one rename succeeds.
      await fsp.rename(lock, siblings.staleLock(target, holder?.tag ?? newTag())).catch(() => undefined);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new TrainerError(
        'MODEL_SAVE',
        t('Another save to {0} is still in progress (process {1}), so this model was not saved there.', target, holder?.pid ?? '?'),
        target,
        t('Wait for the other save to finish and try again, or save to another folder.'),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function waitForUnlock(target: string, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    const holder = await readLock(siblings.lock(target));
    if (holder === undefined || !isAlive(holder.pid)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function readLock(path: string): Promise<LockRecord | undefined> {
  try {
    const parsed = JSON.parse(await fsp.readFile(path, 'utf8')) as Partial<LockRecord> | null;
    return parsed !== null && typeof parsed.pid === 'number' && typeof parsed.tag === 'string' ? (parsed as LockRecord) : undefined;
  } catch {
    return undefined;
  }
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await fsp.stat(path)).mtimeMs > ms;
  } catch {
    return true;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function saveError(target: string, error: unknown): TrainerError {
  if (error instanceof TrainerError) return error;
  const reason = errorMessage(error);
  return new TrainerError(
    'MODEL_SAVE',
    t('The model could not be saved to {0}: {1}', target, reason),
    target,
    t('Check that the folder is writable and the disk has space; the previous model, if any, was kept.'),
  );
}
