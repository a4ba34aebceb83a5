/**
 * Installs tfjs-node into the per-user folder with the user's own npm, the way a user would by hand
 * (`npm install --prefix <folder> @tensorflow/tfjs-node@<bundled tfjs>`), but safely:
 * - npm works in a fresh staging folder beside the target; the target is replaced only once the install
 *   succeeded and the addon loads, so a failed or cancelled attempt leaves nothing half-installed and a
 *   working earlier install untouched;
 * - the staging folder is always removed afterwards (it is ours: created here, under a name of ours);
 * - a failure says what could not be downloaded (tfjs-node's install script fetches libtensorflow and the
 *   addon from storage.googleapis.com) and that training stays on WebAssembly.
 * No `vscode` here: the extension's command wraps it in progress and the log, the tests drive it directly.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { UserError } from '../../domain/errors';
import { BUNDLED_TFJS_VERSION } from '../../domain/nativeBackend';
import { t } from '../text/l10n';
import { installCommandLine, tfjsNodePackageDir, tfjsNodeSpec } from './nativeBackendFolders';

export interface InstallOptions {
  /** The folder to install into (its node_modules gets @tensorflow/tfjs-node). */
  folder: string;
  /** The tfjs-node version; the bundled tfjs version by default. */
  version?: string;
  /** The npm to run; `npm` on PATH by default (npm.cmd on Windows). */
  npm?: string;
  /** Runs the check that the installed addon loads; this process's own executable by default. */
  node?: string;
  /** Every line npm prints (stdout and stderr), for the log. */
  onOutput?: (line: string) => void;
  /** Aborting kills npm and removes what it wrote. */
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

export type InstallResult =
  | { status: 'installed'; folder: string; version: string }
  /** npm could not be started: `commandLine` is what to run in a terminal instead. */
  | { status: 'npmMissing'; commandLine: string }
  | { status: 'cancelled' }
  | { status: 'failed'; error: UserError };

/** What a failed npm run could not download, read from its output: the address and the network error. */
export interface DownloadFailure {
  url?: string;
  cause?: string;
}

const NETWORK_ERROR = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|CERT_\w+|UNABLE_TO_\w+)\b/;
const URL_PATTERN = /https?:\/\/[^\s'"<>)]+/g;

/**
 * The download that broke an install: the last address npm's error output names (tfjs-node's install
 * script prints the libtensorflow archive it fetches), and the line with the network error.
 */
export function findDownloadFailure(lines: readonly string[]): DownloadFailure {
  // npm's own request log ("npm http fetch GET 200 https://registry…") names every package it fetched fine.
  const errorLines = lines.filter((line) => !/^npm (http|timing|verbose|info)\b/.test(line));
  const urls = errorLines.flatMap((line) => line.match(URL_PATTERN) ?? []).filter((url) => !url.includes('/_logs/'));
  const archives = urls.filter((url) => /\.(tar\.gz|tgz|zip)$/.test(url));
  const failure: DownloadFailure = {};
  const url = archives.at(-1) ?? urls.at(-1);
  if (url !== undefined) failure.url = url;
  const causeLine = errorLines.find((line) => NETWORK_ERROR.test(line) && !/^\s*(npm error\s+)?(code|errno|syscall):/.test(line.replace(/^npm error\s+/, '')));
  if (causeLine !== undefined) {
    failure.cause = causeLine
      .replace(/^npm (error|ERR!)\s*/, '')
      .replace(/^\w*Error:\s*/, '')
      .trim();
  }
  return failure;
}

/** The sentence for a failed npm run, and what to do. */
export function describeInstallFailure(lines: readonly string[], exitCode: number | null, version: string = BUNDLED_TFJS_VERSION): UserError {
  const failure = findDownloadFailure(lines);
  const stays = t('Nothing was installed; training stays on the WebAssembly backend (wasm).');
  let message: string;
  if (failure.url !== undefined) {
    message = failure.cause
      ? t('Setting up the native backend failed: {0} could not be downloaded ({1}).', failure.url, failure.cause)
      : t('Setting up the native backend failed: {0} could not be downloaded.', failure.url);
  } else {
    message = t('Setting up the native backend failed: npm install {0} ended with exit code {1}.', tfjsNodeSpec(version), String(exitCode));
  }
  return {
    code: 'NATIVE_SETUP_FAILED',
    message: t('{0} {1}', message, stays),
    action: t(
      'The log has npm\'s output. Run the command again on a network that can reach that address, or install tfjs-node yourself and name its folder in the setting fashionMnist.nativeBackendFolder.',
    ),
  };
}

function defaultNpm(): string {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm';
}

/** Runs a program, streaming its output lines; resolves with its exit code, or 'missing' when it cannot start. */
function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; onLine: (line: string) => void; signal?: AbortSignal },
): Promise<number | null | 'missing' | 'cancelled'> {
  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve('cancelled');
      return;
    }
    const windows = process.platform === 'win32';
    // Windows runs npm.cmd through the shell (Node refuses .cmd files without one). Elsewhere npm leads a
    // process group of its own, so Cancel ends the install script it runs as well.
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, shell: windows, detached: !windows, windowsHide: true });
    let cancelled = false;
    const onAbort = () => {
      cancelled = true;
      if (child.pid === undefined) return;
      if (windows) {
        // The shell's children (npm, node, the install script) go too.
        spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true });
        return;
      }
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    for (const stream of [child.stdout, child.stderr]) {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const parts = (pending + chunk).split(/\r?\n/);
        pending = parts.pop() ?? '';
        for (const line of parts) if (line.trim() !== '') options.onLine(line);
      });
      stream.on('end', () => {
        if (pending.trim() !== '') options.onLine(pending);
        pending = '';
      });
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      options.signal?.removeEventListener('abort', onAbort);
      resolve(error.code === 'ENOENT' ? 'missing' : null);
    });
    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      resolve(cancelled ? 'cancelled' : code);
    });
  });
}

/**
 * Checks in a separate process that the installed tfjs-node loads and starts its backend (the extension
 * host must not load tfjs itself). The extension host's executable runs as plain Node with
 * ELECTRON_RUN_AS_NODE, the same runtime the worker loads the addon in.
 */
const CHECK_SCRIPT = [
  'const tf = require(process.argv[1]);',
  "Promise.resolve(typeof tf.setBackend === 'function' && tf.setBackend('tensorflow'))",
  "  .then((ok) => { if (!ok) { console.error('the tensorflow backend did not start'); process.exit(3); } })",
  '  .catch((error) => { console.error(error && error.message); process.exit(4); });',
].join('\n');

async function checkLoads(packageDir: string, options: InstallOptions, env: NodeJS.ProcessEnv, onLine: (line: string) => void): Promise<string | undefined> {
  const output: string[] = [];
  const code = await run(options.node ?? process.execPath, ['-e', CHECK_SCRIPT, packageDir], {
    cwd: dirname(packageDir),
    env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
    onLine: (line) => {
      output.push(line);
      onLine(line);
    },
    signal: options.signal,
  });
  if (code === 0) return undefined;
  if (code === 'cancelled') return 'cancelled';
  const firstError = output.find((line) => /error/i.test(line)) ?? output[0] ?? String(code);
  return firstError.trim();
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Moves the finished install into place; an earlier install is moved aside first and removed after. */
async function replaceFolder(staging: string, folder: string): Promise<void> {
  let old: string | undefined;
  if (await exists(folder)) {
    old = `${folder}.old-${process.pid}-${Date.now()}`;
    await rename(folder, old);
  }
  try {
    await rename(staging, folder);
  } catch (error) {
    if (old !== undefined) await rename(old, folder);
    throw error;
  }
  if (old !== undefined) await rm(old, { recursive: true, force: true });
}

export async function installTfjsNode(options: InstallOptions): Promise<InstallResult> {
  const version = options.version ?? BUNDLED_TFJS_VERSION;
  const env = options.env ?? process.env;
  const onLine = options.onOutput ?? (() => undefined);
  await mkdir(dirname(options.folder), { recursive: true });
  // Beside the target, so the final rename stays on one file system.
  const staging = await mkdtemp(join(dirname(options.folder), `${basename(options.folder)}.installing-`));
  try {
    await writeFile(
      join(staging, 'package.json'),
      JSON.stringify({ name: 'fashion-mnist-native-backend', private: true, description: 'tfjs-node for Fashion-MNIST Trainer' }, null, 2) + '\n',
    );
    const output: string[] = [];
    const code = await run(options.npm ?? defaultNpm(), ['install', tfjsNodeSpec(version), '--no-audit', '--no-fund', '--loglevel=http'], {
      cwd: staging,
      env,
      onLine: (line) => {
        output.push(line);
        onLine(line);
      },
      signal: options.signal,
    });
    if (code === 'missing') return { status: 'npmMissing', commandLine: installCommandLine(options.folder, version) };
    if (code === 'cancelled') return { status: 'cancelled' };
    if (code !== 0) return { status: 'failed', error: describeInstallFailure(output, code, version) };

    const problem = await checkLoads(tfjsNodePackageDir(staging), options, env, onLine);
    if (problem === 'cancelled') return { status: 'cancelled' };
    if (problem !== undefined) {
      return {
        status: 'failed',
        error: {
          code: 'NATIVE_SETUP_FAILED',
          message: t('tfjs-node was downloaded but does not load on this machine: {0}. It was removed; training stays on the WebAssembly backend (wasm).', problem),
          action: t('The log has the details. tfjs-node publishes native builds for some systems only; where it does not load, use the wasm backend.'),
        },
      };
    }
    await replaceFolder(staging, options.folder);
    return { status: 'installed', folder: options.folder, version };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
