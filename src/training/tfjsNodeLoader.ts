/**
 * Loads tfjs-node from the first search folder where it loads and starts (see
 * core/nativeBackend/nativeBackendFolders.ts for the order). Each folder is tried on its own: its
 * `node_modules/@tensorflow/tfjs-node` is required by path, so a folder never borrows a copy from a
 * folder above it. A copy that throws while loading (libtensorflow missing, wrong platform) or does not
 * start the `tensorflow` backend is reported with its reason and the next folder is tried.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { tfjsNodePackageDir } from '../core/nativeBackend/nativeBackendFolders';
import { t } from '../core/text/l10n';
import type { NativeBackendProblem } from '../domain/nativeBackend';
import type { Tf } from './tf';
import { errorMessage } from '../domain/errors';

/** One folder that did not give a working tfjs-node, and why (`detail` is the error's first line). */
export interface NativeAttempt {
  folder: string;
  problem: NativeBackendProblem;
  detail?: string;
}

/** A started tfjs-node and where it came from, or every folder tried and why none worked. */
export type NativeLoad = { tf: Tf; folder: string; attempts: NativeAttempt[] } | { tf?: undefined; attempts: NativeAttempt[] };

const requireFromHere = createRequire(join(__dirname, 'tfjsNodeLoader.js'));
const DETAIL_LIMIT = 300;

function firstLine(error: unknown): string {
  const text = errorMessage(error);
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
  return line.length > DETAIL_LIMIT ? `${line.slice(0, DETAIL_LIMIT)}…` : line.trim();
}

async function tryFolder(folder: string): Promise<{ tf: Tf } | NativeAttempt> {
  const packageDir = tfjsNodePackageDir(folder);
  if (!existsSync(join(packageDir, 'package.json'))) return { folder, problem: 'notFound' };
  let loaded: unknown;
  try {
    loaded = requireFromHere(packageDir);
  } catch (error) {
    return { folder, problem: 'failed', detail: firstLine(error) };
  }
  const tf = loaded as Partial<Tf> | undefined;
  if (typeof tf?.setBackend !== 'function') {
    return { folder, problem: 'failed', detail: t('the package there is not tfjs-node (it has no setBackend)') };
  }
  try {
    if (!(await tf.setBackend('tensorflow'))) {
      return { folder, problem: 'failed', detail: t('it did not register the tensorflow backend') };
    }
  } catch (error) {
    return { folder, problem: 'failed', detail: firstLine(error) };
  }
  return { tf: tf as Tf };
}

/** Tries the folders in order; the first that loads and starts wins. */
export async function loadTfjsNodeFrom(folders: readonly string[]): Promise<NativeLoad> {
  const attempts: NativeAttempt[] = [];
  for (const folder of folders) {
    const result = await tryFolder(folder);
    if ('tf' in result) return { tf: result.tf, folder, attempts };
    attempts.push(result);
  }
  return { attempts };
}
