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

/**
 * Deletes `names` inside `dir` (files, or folders the history made), then `dir` itself if that left it
 * empty. Anything else in the folder is someone else's and stays. Missing entries are not an error.
 */
export async function removeOwnEntries(dir: string, names: readonly string[]): Promise<boolean> {
  for (const name of names) await fsp.rm(join(dir, name), { recursive: true, force: true });
  let rest: string[];
  try {
    rest = await fsp.readdir(dir);
  } catch {
    return true;
  }
  for (const name of rest.filter(isLeftoverTemp)) await fsp.rm(join(dir, name), { force: true });
  try {
    await fsp.rmdir(dir);
    return true;
  } catch {
    return false;
  }
}
