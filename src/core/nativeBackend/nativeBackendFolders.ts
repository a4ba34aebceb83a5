/**
 * Where tfjs-node may be found, in the order the loader tries them: a folder the user named (the setting
 * `fashionMnist.nativeBackendFolder` or the CLI's FASHION_MNIST_NATIVE_BACKEND_FOLDER), the per-user folder
 * the "Set Up the Native Backend" command installs into, then the program's own node_modules (a development
 * checkout). Each folder holds `node_modules/@tensorflow/tfjs-node`, the layout `npm install --prefix` makes.
 *
 * The per-user folder lies in the same cache the CLI already uses (~/.cache/fashion-mnist-trainer, or
 * $XDG_CACHE_HOME), so one install serves the extension and `npm run train` alike: the addon is N-API, so it
 * loads in the extension host's Node as in the terminal's.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { defaultCacheDir } from '../data/dataLocation';
import { BUNDLED_TFJS_VERSION, TFJS_NODE_PACKAGE } from '../../domain/nativeBackend';

/** The CLI's environment variable naming a folder that holds node_modules/@tensorflow/tfjs-node. */
export const NATIVE_BACKEND_FOLDER_VARIABLE = 'FASHION_MNIST_NATIVE_BACKEND_FOLDER';

/** The folder the setup command installs tfjs-node into (shared by the extension and the CLI). */
export function ownedNativeBackendFolder(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return join(defaultCacheDir(env, platform), 'native-backend');
}

/** Where the package itself sits inside a search folder. */
export function tfjsNodePackageDir(folder: string): string {
  return join(folder, 'node_modules', ...TFJS_NODE_PACKAGE.split('/'));
}

/** `npm install @tensorflow/tfjs-node@4.22.0`'s package spec: the version that matches the bundled tfjs. */
export function tfjsNodeSpec(version: string = BUNDLED_TFJS_VERSION): string {
  return `${TFJS_NODE_PACKAGE}@${version}`;
}

/** The command a user can run in a terminal to do what the setup command does. */
export function installCommandLine(folder: string, version: string = BUNDLED_TFJS_VERSION): string {
  return `npm install --prefix "${folder}" ${tfjsNodeSpec(version)}`;
}

/**
 * A folder the user typed, as an absolute path: `~` is the home folder. Undefined for a relative path
 * (there is nothing sensible to resolve it against for a machine-wide setting) or an empty one.
 */
export function resolveUserFolder(text: string, home: string = homedir()): string | undefined {
  let path = text.trim();
  if (path === '') return undefined;
  if (path === '~' || path.startsWith('~/') || path.startsWith('~\\')) path = home + path.slice(1);
  return isAbsolute(path) ? normalize(path) : undefined;
}

/** The folders in search order, each once (as absolute paths without a trailing separator), empty entries left out. */
export function searchOrder(...folders: (string | undefined)[]): string[] {
  const seen = new Set<string>();
  const order: string[] = [];
  for (const folder of folders) {
    if (folder === undefined || folder === '') continue;
    const key = resolve(folder);
    if (seen.has(key)) continue;
    seen.add(key);
    order.push(key);
  }
  return order;
}

/**
 * The program's own root: the nearest folder at or above `start` with a package.json (the extension's
 * folder for dist/worker.js, the checkout for dist/cli.js or the sources under tsx).
 */
export function programRoot(start: string): string | undefined {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The search when the caller named no folders: the per-user folder, then the program's own node_modules. */
export function defaultNativeBackendFolders(start: string = __dirname, env: NodeJS.ProcessEnv = process.env): string[] {
  return searchOrder(ownedNativeBackendFolder(env), programRoot(start));
}
