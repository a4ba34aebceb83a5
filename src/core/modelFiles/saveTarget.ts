/**
 * May a model be written to this folder? Asked before any work starts (the CLI before the worker, the
 * worker before the data loads, the extension before an export or import), so a bad target costs seconds,
 * not a training run. The rules protect what the user owns:
 * - an empty path is refused (it would mean "the current folder");
 * - a folder that exists is replaced only when it is empty or is a model folder this tool wrote (its run
 *   record or its saved-by.json says so, and it holds nothing but model files);
 * - a file is never replaced; a symbolic link is followed, and its destination is what gets replaced;
 * - special file systems (/proc, /sys, /dev and the like) are refused by name;
 * - the folder it goes in must be creatable and writable, which is tried with a probe that is removed again.
 * Every file-system call is time-bounded, so a drive that stops answering ends in a message, not a hang.
 */
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { TimeoutError, withTimeout } from '../atomicWrite';
import { TrainerError } from '../errors';
import { t } from '../text/l10n';
import { describePath } from '../userPath';
import { isModelFolderEntry, MODEL_FILE, OWNER_FILE, siblings } from './layout';
import { readOwnerRecord, readRunRecord } from './modelFolder';
import { errorMessage } from '../../domain/errors';

const SAVE_PROBE_TIMEOUT_MS = 5000;

export interface SaveTargetOptions {
  /** The path as the user wrote it, for messages. */
  typed?: string;
  /** The bound on each file-system call. */
  timeoutMs?: number;
  /** The platform whose special folders are refused (tests). */
  platform?: NodeJS.Platform;
}

/** Folders of the kernel's own file systems; nothing can be saved there, and recursive mkdir loops in /proc. */
const SPECIAL_ROOTS = ['/proc', '/sys', '/dev'];

/** statfs type numbers of Linux pseudo file systems (linux/magic.h). */
const SPECIAL_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0x62656570, 'configfs'],
  [0x65735543, 'fusectl'],
]);

function saveRefused(message: string, file: string, action: string): TrainerError {
  return new TrainerError('MODEL_SAVE', message, file, action);
}

const chooseNew = (): string => t('Choose a new folder name (the tool creates it), an empty folder, or a model folder this tool saved.');

/**
 * Checks `path` as a place to save a model and returns the folder to write (symbolic links followed).
 * Throws MODEL_SAVE naming the path (as typed and as resolved) and what to do.
 */
export async function checkSaveTarget(path: string, options: SaveTargetOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? SAVE_PROBE_TIMEOUT_MS;
  const platform = options.platform ?? process.platform;
  if (path.trim() === '') {
    throw saveRefused(
      t('No folder was given to save the model to: the path is empty, which would mean the current folder.'),
      path,
      t('Name a new folder for the model.'),
    );
  }
  const given = resolve(path);
  const shown = describePath(options.typed, given);
  const bounded = <T>(operation: Promise<T>): Promise<T> =>
    withTimeout(operation, timeoutMs).catch((error: unknown) => {
      if (error instanceof TimeoutError) {
        throw saveRefused(
          t('{0} did not answer within {1} seconds, so no model can be saved there.', shown, Math.round(timeoutMs / 1000)),
          given,
          t('Check that the drive is connected and answering, or choose another folder.'),
        );
      }
      throw error;
    });

  refuseSpecialPath(given, shown, platform);
  // A symbolic link is followed: the folder it points to is the one saved to (the link stays).
  let target = given;
  const link = await bounded(lstatOrUndefined(given));
  if (link?.isSymbolicLink()) {
    try {
      target = await bounded(fsp.realpath(given));
    } catch (error) {
      if (error instanceof TrainerError) throw error;
      throw saveRefused(
        t('{0} is a symbolic link to a folder that does not exist.', shown),
        given,
        t('Create the folder the link points to, or choose another folder.'),
      );
    }
    refuseSpecialPath(target, shown, platform);
  }

  const existing = await bounded(lstatOrUndefined(target));
  if (existing !== undefined) {
    if (!existing.isDirectory()) {
      throw saveRefused(t('{0} is a file, not a folder; it was left as it is and no model was saved there.', shown), given, chooseNew());
    }
    await checkExistingFolder(target, shown, given, bounded);
  }

  // The nearest folder that exists: the save creates the rest. It must be a folder, on a normal file system.
  let ancestor = dirname(target);
  for (;;) {
    const stat = await bounded(lstatOrUndefined(ancestor));
    if (stat !== undefined) {
      if (!stat.isDirectory() && !(stat.isSymbolicLink() && (await bounded(isFolder(ancestor))))) {
        throw saveRefused(t('{0} cannot be created, because {1} is a file, not a folder.', shown, ancestor), given, chooseNew());
      }
      break;
    }
    const up = dirname(ancestor);
    if (up === ancestor) break;
    ancestor = up;
  }
  await refuseSpecialFileSystem(ancestor, shown, given, bounded);
  await probeWritable(ancestor === dirname(target) ? target : resolve(ancestor, 'x'), shown, given, bounded);
  return target;
}

function refuseSpecialPath(path: string, shown: string, platform: NodeJS.Platform): void {
  if (platform === 'win32') return;
  const root = SPECIAL_ROOTS.find((r) => path === r || path.startsWith(r + sep) || path.startsWith(r + '/'));
  if (root === undefined) return;
  throw saveRefused(
    t('{0} is inside {1}, a folder of the operating system, where no model can be saved.', shown, root),
    path,
    t('Choose a folder in your home folder or your project.'),
  );
}

async function refuseSpecialFileSystem(folder: string, shown: string, given: string, bounded: <T>(p: Promise<T>) => Promise<T>): Promise<void> {
  let type: number | undefined;
  try {
    type = (await bounded(fsp.statfs(folder))).type;
  } catch (error) {
    if (error instanceof TrainerError) throw error;
    return; // No statfs here (or not allowed): the write probe decides.
  }
  const name = SPECIAL_FILE_SYSTEMS.get(type);
  if (name === undefined) return;
  throw saveRefused(
    t('{0} is on the {1} file system, which the operating system uses for itself; no model can be saved there.', shown, name),
    given,
    t('Choose a folder in your home folder or your project.'),
  );
}

/** An existing folder may be replaced only when it is empty or is one of the tool's own model folders. */
async function checkExistingFolder(target: string, shown: string, given: string, bounded: <T>(p: Promise<T>) => Promise<T>): Promise<void> {
  let entries: string[];
  try {
    entries = await bounded(fsp.readdir(target));
  } catch (error) {
    if (error instanceof TrainerError) throw error;
    throw saveRefused(t('{0} cannot be read: {1}', shown, errorMessage(error)), given, t('Choose a folder you can read and write.'));
  }
  if (entries.length === 0) return;
  const foreign = entries.filter((entry) => !isModelFolderEntry(entry));
  if (foreign.length > 0) {
    const listed = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? t(' and {0} more', foreign.length - 3) : '');
    throw saveRefused(
      t('{0} already exists and holds files this tool did not write ({1}); nothing there was changed.', shown, listed),
      given,
      chooseNew(),
    );
  }
  const owned = readRunRecord(target) !== undefined || readOwnerRecord(target) !== undefined;
  if (!owned) {
    throw saveRefused(
      entries.includes(MODEL_FILE)
        ? t('{0} holds a model that this tool did not save (it has no {1} or {2}); it was left as it is.', shown, 'run.json', OWNER_FILE)
        : t('{0} already exists and holds files this tool did not write; nothing there was changed.', shown),
      given,
      chooseNew(),
    );
  }
}

/** Creates and removes a probe folder where the save's temporary folder will go. */
async function probeWritable(target: string, shown: string, given: string, bounded: <T>(p: Promise<T>) => Promise<T>): Promise<void> {
  const probe = siblings.probe(target, `${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await bounded(fsp.mkdir(probe));
  } catch (error) {
    if (error instanceof TrainerError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EROFS'
        ? t('the file system is read-only')
        : code === 'EACCES' || code === 'EPERM'
          ? t('permission denied')
          : errorMessage(error);
    throw saveRefused(
      t('No model can be saved to {0}: {1} ({2}).', shown, reason, dirname(probe)),
      given,
      t('Choose a folder you can write to, on a disk that is not read-only.'),
    );
  }
  await bounded(fsp.rmdir(probe)).catch(() => undefined);
}

async function lstatOrUndefined(path: string): Promise<Awaited<ReturnType<typeof fsp.lstat>> | undefined> {
  try {
    return await fsp.lstat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') return undefined; // A file further up; found when the ancestors are walked.
    throw error;
  }
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await fsp.stat(path)).isDirectory();
  } catch {
    return false;
  }
}
