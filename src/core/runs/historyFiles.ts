/**
 * The run history's file operations, kept in one place so they can be swapped for the model folder's
 * shared durable-write helper when it lands: an atomic JSON write (temporary file, flush, rename) and a
 * removal that deletes only the files the history itself writes.
 */
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes `text` to `file` so a reader sees the old content or the new, never a part: temp file, fsync, rename. */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fsp.open(temp, 'wx');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fsp.rename(temp, file);
  } catch (error) {
    await fsp.rm(temp, { force: true });
    throw error;
  }
}

/** A temporary file this module left behind (a writer that died between write and rename). */
export function isLeftoverTemp(name: string): boolean {
  return /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/.test(name);
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
