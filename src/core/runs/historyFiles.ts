/**
 * The run history's file operations: the atomic write shared with the model folders (core/atomicWrite.ts:
 * temporary file, flush, rename, folder flush) and a removal that deletes only the files the history writes.
 */
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';

export { writeFileAtomically } from '../atomicWrite';

/** A temporary file this module left behind (a writer that died between write and rename). */
export function isLeftoverTemp(name: string): boolean {
  return /^\..+\.tmp-\d+-[0-9a-f]{8}$/.test(name);
}

/** What `path` itself is (a symbolic link is not followed), or undefined when there is nothing. */
async function entryKind(path: string): Promise<'folder' | 'file' | 'other' | undefined> {
  try {
    const stat = await fsp.lstat(path);
    return stat.isDirectory() ? 'folder' : stat.isFile() ? 'file' : 'other';
  } catch {
    return undefined;
  }
}

/**
 * Deletes `names` inside `dir` (files, or folders the history made), then `dir` itself if that left it
 * empty. Anything else in the folder is someone else's and stays. Missing entries are not an error.
 * Symbolic links are never followed: a `dir` that is a link (to a folder the history does not own) is left
 * as it is, and so is an entry that is a link, a pipe or a device.
 */
export async function removeOwnEntries(dir: string, names: readonly string[]): Promise<boolean> {
  const kind = await entryKind(dir);
  if (kind === undefined) return true;
  if (kind !== 'folder') return false;
  for (const name of names) {
    const path = join(dir, name);
    const entry = await entryKind(path);
    if (entry === 'folder') await fsp.rm(path, { recursive: true, force: true });
    else if (entry === 'file') await fsp.rm(path, { force: true });
  }
  let rest: string[];
  try {
    rest = await fsp.readdir(dir);
  } catch {
    return true;
  }
  for (const name of rest.filter(isLeftoverTemp)) if ((await entryKind(join(dir, name))) === 'file') await fsp.rm(join(dir, name), { force: true });
  try {
    await fsp.rmdir(dir);
    return true;
  } catch {
    return false;
  }
}
