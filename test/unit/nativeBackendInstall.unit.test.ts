// The setup command's installer: for real with this machine's npm and registry (tfjs-node's install script
// cannot download libtensorflow here, so it fails: the path every user without that download takes), and
// with a fake npm for the paths this machine cannot reach (success, an addon that does not load, Cancel).
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { describeInstallFailure, findDownloadFailure, installTfjsNode } from '../../src/core/nativeBackend/installTfjsNode';
import { installCommandLine, tfjsNodePackageDir } from '../../src/core/nativeBackend/nativeBackendFolders';
import { BUNDLED_TFJS_VERSION } from '../../src/domain/nativeBackend';
import { loadTfjsNodeFrom } from '../../src/training/tfjsNodeLoader';
import { removeFolder, tempFolder } from './nativeBackendFixtures';

const root = join(__dirname, '..', '..');
const scratch = tempFolder('fmnist-install-');
after(() => removeFolder(scratch));

let counter = 0;
/** A target folder that does not exist yet, in a parent of its own (so leftovers beside it can be listed). */
function newTarget(): string {
  const parent = join(scratch, `case-${++counter}`);
  return join(parent, 'native-backend');
}

function siblings(folder: string): string[] {
  return existsSync(dirname(folder)) ? readdirSync(dirname(folder)).sort() : [];
}

/**
 * A stand-in for npm: writes a fake tfjs-node into the current folder the way npm would, then behaves as
 * FAKE_NPM says: `works`, `badAddon` (the addon throws when loaded), `hang` (never ends, for Cancel).
 */
const fakeNpm = join(scratch, 'fake-npm.js');
writeFileSync(
  fakeNpm,
  `#!${process.execPath}
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const mode = process.env.FAKE_NPM;
console.log('npm http fetch GET 200 https://registry.npmjs.org/@tensorflow%2ftfjs-node 12ms');
const dir = join(process.cwd(), 'node_modules', '@tensorflow', 'tfjs-node');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', version: process.argv[3].split('@').pop() }));
writeFileSync(join(dir, 'index.js'), mode === 'badAddon'
  ? "throw new Error('The specified module could not be found: tfjs_binding.node');"
  : "module.exports = { setBackend: async (name) => name === 'tensorflow' };");
if (mode === 'hang') { console.log('downloading libtensorflow…'); setInterval(() => {}, 1000); }
else { console.log('added 1 package in 1s'); }
`,
);
chmodSync(fakeNpm, 0o755);

test('the real npm: here libtensorflow cannot be downloaded, so the setup fails fast, says what and leaves nothing', async () => {
  const folder = newTarget();
  const lines: string[] = [];
  const started = Date.now();
  const result = await installTfjsNode({ folder, onOutput: (line) => lines.push(line) });
  const seconds = (Date.now() - started) / 1000;
  assert.ok(lines.some((line) => line.startsWith('npm ')), 'npm output reaches the log');
  if (result.status === 'installed') {
    // A machine that can download libtensorflow: then the install is complete, in place, and it loads.
    assert.deepEqual(siblings(folder), ['native-backend']);
    assert.ok((await loadTfjsNodeFrom([folder])).tf !== undefined, 'the installed tfjs-node does not load');
    return;
  }
  assert.equal(result.status, 'failed', `npm ended with ${result.status}`);
  assert.ok(result.status === 'failed');
  assert.equal(result.error.code, 'NATIVE_SETUP_FAILED');
  // The address that failed is libtensorflow's archive on storage.googleapis.com, and the message says so.
  assert.match(result.error.message, /https:\/\/storage\.googleapis\.com\/\S*libtensorflow\S*\.tar\.gz could not be downloaded/);
  assert.match(result.error.message, /ENOTFOUND storage\.googleapis\.com|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN/);
  assert.match(result.error.message, /training stays on the WebAssembly backend/);
  // Nothing half-installed: no target, no staging folder beside it; the loader finds nothing to try.
  assert.equal(existsSync(folder), false);
  assert.deepEqual(siblings(folder), []);
  assert.deepEqual((await loadTfjsNodeFrom([folder])).attempts, [{ folder, problem: 'notFound' }]);
  assert.ok(seconds < 180, `took ${seconds} s`);
});

test('npm not on PATH: the result is the exact command to run instead, and nothing is left behind', async () => {
  const folder = newTarget();
  const result = await installTfjsNode({ folder, npm: join(scratch, 'no-such-npm') });
  assert.deepEqual(result, { status: 'npmMissing', commandLine: installCommandLine(folder) });
  assert.equal(installCommandLine(folder), `npm install --prefix "${folder}" @tensorflow/tfjs-node@${BUNDLED_TFJS_VERSION}`);
  assert.deepEqual(siblings(folder), []);
});

test('a successful install lands in the folder, at the bundled tfjs version, and the loader takes it', async () => {
  const folder = newTarget();
  const lines: string[] = [];
  const result = await installTfjsNode({ folder, npm: fakeNpm, env: { ...process.env, FAKE_NPM: 'works' }, onOutput: (l) => lines.push(l) });
  assert.deepEqual(result, { status: 'installed', folder, version: BUNDLED_TFJS_VERSION });
  const manifest = JSON.parse(readFileSync(join(tfjsNodePackageDir(folder), 'package.json'), 'utf8'));
  assert.equal(manifest.version, BUNDLED_TFJS_VERSION);
  assert.deepEqual(siblings(folder), ['native-backend'], 'the staging folder is gone');
  assert.ok(lines.includes('added 1 package in 1s'));
  const load = await loadTfjsNodeFrom([folder]);
  assert.ok(load.tf !== undefined);
});

test('a reinstall that fails keeps the earlier working install', async () => {
  const folder = newTarget();
  assert.equal((await installTfjsNode({ folder, npm: fakeNpm, env: { ...process.env, FAKE_NPM: 'works' } })).status, 'installed');
  const before = readFileSync(join(tfjsNodePackageDir(folder), 'index.js'), 'utf8');
  const result = await installTfjsNode({ folder, npm: fakeNpm, env: { ...process.env, FAKE_NPM: 'badAddon' } });
  assert.equal(result.status, 'failed');
  assert.equal(readFileSync(join(tfjsNodePackageDir(folder), 'index.js'), 'utf8'), before);
  assert.deepEqual(siblings(folder), ['native-backend']);
});

test('an addon that installs but does not load is removed, with the reason', async () => {
  const folder = newTarget();
  const result = await installTfjsNode({ folder, npm: fakeNpm, env: { ...process.env, FAKE_NPM: 'badAddon' } });
  assert.ok(result.status === 'failed');
  assert.match(result.error.message, /does not load on this machine: .*tfjs_binding\.node/);
  assert.match(result.error.message, /WebAssembly/);
  assert.equal(existsSync(folder), false);
  assert.deepEqual(siblings(folder), []);
});

test('Cancel kills npm at once and removes what it wrote', async () => {
  const folder = newTarget();
  const abort = new AbortController();
  const started = Date.now();
  const result = await installTfjsNode({
    folder,
    npm: fakeNpm,
    env: { ...process.env, FAKE_NPM: 'hang' },
    signal: abort.signal,
    onOutput: (line) => {
      if (line.startsWith('downloading')) abort.abort();
    },
  });
  assert.deepEqual(result, { status: 'cancelled' });
  assert.ok(Date.now() - started < 20_000);
  assert.equal(existsSync(folder), false);
  assert.deepEqual(siblings(folder), []);
});

test('the failure names the download and the network error from npm output', () => {
  const lines = [
    'npm http fetch GET 200 https://registry.npmjs.org/@tensorflow%2ftfjs-node 149ms (cache updated)',
    'npm error code 1',
    'npm error path /tmp/x/node_modules/@tensorflow/tfjs-node',
    'npm error command sh -c node scripts/install.js',
    'npm error https://storage.googleapis.com/tensorflow/libtensorflow/libtensorflow-cpu-linux-x86_64-2.9.1.tar.gz',
    'npm error * Downloading libtensorflow',
    'npm error Error: getaddrinfo ENOTFOUND storage.googleapis.com',
    "npm error   code: 'ENOTFOUND',",
    'npm error A complete log of this run can be found in: /root/.npm/_logs/2026-12-01T07_55_22_079Z-debug-0.log',
  ];
  assert.deepEqual(findDownloadFailure(lines), {
    url: 'https://storage.googleapis.com/tensorflow/libtensorflow/libtensorflow-cpu-linux-x86_64-2.9.1.tar.gz',
    cause: 'getaddrinfo ENOTFOUND storage.googleapis.com',
  });
  // Without an address, the message falls back to npm's exit code; either way it says what stays in use.
  const plain = describeInstallFailure(['npm error code E403', 'npm error 403 Forbidden'], 1);
  assert.match(plain.message, /npm install @tensorflow\/tfjs-node@4\.22\.0 ended with exit code 1/);
  assert.match(plain.message, /WebAssembly/);
});

test('the bundled tfjs version is the one in node_modules (tfjs-node is installed to match it)', () => {
  const installed = JSON.parse(readFileSync(join(root, 'node_modules', '@tensorflow', 'tfjs', 'package.json'), 'utf8')).version;
  assert.equal(BUNDLED_TFJS_VERSION, installed);
  const npm = spawnSync('npm', ['--version'], { encoding: 'utf8' });
  assert.equal(npm.status, 0, 'npm must be on PATH for the real-npm test above');
});
