/**
 * Where the four Fashion-MNIST files may live, and which names they may have there. No reading or
 * checking happens here: see idx.ts (one file) and dataset.ts (the order of the sources).
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** Where the Debian package dataset-fashion-mnist installs the four gzipped files. */
export const DEFAULT_DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

/** The folder Keras' fashion_mnist.load_data downloads from; the four `<name>.gz` files sit under it. */
export const DEFAULT_MIRROR_URL = 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/';

const CACHE_FOLDER_NAME = 'fashion-mnist-trainer';

/**
 * The per-user cache folder for the CLI: $XDG_CACHE_HOME (when absolute, as the XDG spec asks) or
 * ~/.cache, plus the tool's folder name. On Windows, %LOCALAPPDATA% plays the part of ~/.cache.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, CACHE_FOLDER_NAME);
  if (platform === 'win32' && env.LOCALAPPDATA && isAbsolute(env.LOCALAPPDATA)) {
    return join(env.LOCALAPPDATA, CACHE_FOLDER_NAME, 'cache');
  }
  return join(homedir(), '.cache', CACHE_FOLDER_NAME);
}

/**
 * File names to look for, best first: the uncompressed file (no gunzip to pay), then the gzipped one;
 * each also in the dotted spelling some unpackers produce ("train-images.idx3-ubyte").
 */
export function candidateFileNames(name: string): string[] {
  const dotted = name.replace(/-(idx\d)/, '.$1');
  const bases = dotted === name ? [name] : [name, dotted];
  return bases.flatMap((base) => [base, `${base}.gz`]);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Every existing file in `dir` that may hold `name`, best first. */
export async function existingCandidates(dir: string, name: string): Promise<string[]> {
  const paths = candidateFileNames(name).map((candidate) => join(dir, candidate));
  const present = await Promise.all(paths.map(isFile));
  return paths.filter((_, i) => present[i]);
}
