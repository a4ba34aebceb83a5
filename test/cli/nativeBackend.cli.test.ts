// The CLI finds tfjs-node where the extension's setup command puts it (the per-user folder under
// $XDG_CACHE_HOME) and where $FASHION_MNIST_NATIVE_BACKEND_FOLDER points, in that order. The fake copies
// here throw when loaded, as a real tfjs-node does without libtensorflow, so `--backend node` must fail
// with one line naming the folder it tried and why; `auto` must train on wasm and say why.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertCliBuilt, cliRunner } from './cliProcess';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const scratch = mkdtempSync(join(tmpdir(), 'cli-native-'));
const cache = join(scratch, 'cache');
const owned = join(cache, 'fashion-mnist-trainer', 'native-backend');
const named = join(scratch, 'named');

function fakeTfjsNode(folder: string, message: string): void {
  const dir = join(folder, 'node_modules', '@tensorflow', 'tfjs-node');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', main: 'index.js' }));
  writeFileSync(join(dir, 'index.js'), `throw new Error(${JSON.stringify(message)});`);
}

before(() => {
  assertCliBuilt();
  fakeTfjsNode(owned, 'libtensorflow.so.2: cannot open shared object file (owned copy)');
  fakeTfjsNode(named, 'libtensorflow.so.2: cannot open shared object file (named copy)');
});
after(() => rmSync(scratch, { recursive: true, force: true }));

const { run: cli } = cliRunner({ XDG_CACHE_HOME: cache, FASHION_MNIST_NATIVE_BACKEND_FOLDER: '' });

const quick = ['train', '--epochs', '1', '--train-limit', '500', '--test-limit', '100', '--no-save', '--no-download'];

test('--backend node tries the folder the extension installs into and fails with its reason', async () => {
  const result = await cli([...quick, '--backend', 'node']);
  assert.equal(result.code, 1, result.stderr);
  const line = result.stderr.trim();
  assert.equal(line.split('\n').length, 1, result.stderr);
  assert.ok(line.includes(owned), line);
  assert.match(line, /owned copy/);
  assert.match(line, /Set Up the Native Backend/);
});

test('the environment variable comes first', async () => {
  const result = await cli([...quick, '--backend', 'node'], { FASHION_MNIST_NATIVE_BACKEND_FOLDER: named });
  assert.equal(result.code, 1, result.stderr);
  assert.ok(result.stderr.includes(named), result.stderr);
  assert.match(result.stderr, /named copy/);
});

test('auto trains on wasm and says which tfjs-node did not load', async () => {
  const result = await cli(quick);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Backend: wasm\. tfjs-node is not used \(the copy in .*native-backend did not load: .*owned copy\)/);
});

test('setup-native with the real npm: here libtensorflow cannot be downloaded, so it fails with one line naming it and leaves nothing', async () => {
  const setupCache = join(scratch, 'setup-cache');
  const result = await cli(['setup-native'], { XDG_CACHE_HOME: setupCache });
  assert.match(result.stdout, /Installing @tensorflow\/tfjs-node@4\.22\.0 into .*setup-cache\/fashion-mnist-trainer\/native-backend/);
  assert.match(result.stdout, /npm /, 'npm output is shown');
  const folder = join(setupCache, 'fashion-mnist-trainer');
  if (result.code === 0) {
    // A machine that can download libtensorflow: the install is in place, nothing else beside it.
    assert.match(result.stdout, /The native backend is set up/);
    assert.deepEqual(readdirSync(folder), ['native-backend']);
    return;
  }
  assert.equal(result.code, 1, result.stderr);
  const line = result.stderr.trim();
  assert.equal(line.split('\n').length, 1, result.stderr);
  assert.match(line, /https:\/\/storage\.googleapis\.com\/\S*libtensorflow\S* could not be downloaded/);
  assert.match(line, /WebAssembly/);
  assert.deepEqual(existsSync(folder) ? readdirSync(folder) : [], []);
});

test('setup-native without npm on PATH prints the command to run instead', async () => {
  const result = await cli(['setup-native'], { PATH: '', XDG_CACHE_HOME: join(scratch, 'no-npm-cache') });
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /npm was not found on PATH/);
  assert.ok(result.stderr.includes(`npm install --prefix "${join(scratch, 'no-npm-cache', 'fashion-mnist-trainer', 'native-backend')}" @tensorflow/tfjs-node@4.22.0`), result.stderr);
});
