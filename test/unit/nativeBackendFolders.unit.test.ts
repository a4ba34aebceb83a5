// Where tfjs-node is looked for: the same order for the extension (setting, per-user install, the
// extension's own node_modules) and the CLI (environment variable, per-user install, the checkout's own).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  defaultNativeBackendFolders,
  installCommandLine,
  NATIVE_BACKEND_FOLDER_VARIABLE,
  ownedNativeBackendFolder,
  programRoot,
  resolveUserFolder,
  searchOrder,
} from '../../src/core/nativeBackend/nativeBackendFolders';
import { cliNativeBackendFolders } from '../../src/cli/common';
import { readNativeBackendFolder } from '../../src/host/trainingSettings';

const root = join(__dirname, '..', '..');

test('the per-user install folder is in the CLI cache, honouring an absolute XDG_CACHE_HOME', () => {
  assert.equal(ownedNativeBackendFolder({ XDG_CACHE_HOME: '/x/cache' }, 'linux'), '/x/cache/fashion-mnist-trainer/native-backend');
  assert.match(ownedNativeBackendFolder({ XDG_CACHE_HOME: 'relative' }, 'linux'), /\.cache\/fashion-mnist-trainer\/native-backend$/);
});

test('the search order keeps the first of each folder and drops empty entries', () => {
  assert.deepEqual(searchOrder('/a', undefined, '', '/b/', '/a', '/b'), ['/a', '/b']);
});

test('a user folder: ~ is home, relative paths are refused', () => {
  assert.equal(resolveUserFolder('~/tfjs', '/home/u'), '/home/u/tfjs');
  assert.equal(resolveUserFolder(' /opt/tfjs ', '/home/u'), '/opt/tfjs');
  assert.equal(resolveUserFolder('tfjs', '/home/u'), undefined);
  assert.equal(resolveUserFolder('', '/home/u'), undefined);
});

test('the setting: an absolute folder is used, a relative or non-text value is a problem and ignored', () => {
  assert.deepEqual(readNativeBackendFolder('', '/home/u'), {});
  assert.deepEqual(readNativeBackendFolder(undefined, '/home/u'), {});
  assert.deepEqual(readNativeBackendFolder('~/native', '/home/u'), { folder: '/home/u/native' });
  assert.match(readNativeBackendFolder('native', '/home/u').problem ?? '', /not an absolute path/);
  assert.match(readNativeBackendFolder(7, '/home/u').problem ?? '', /must be a folder path/);
});

test('the program root is found from the sources and from the bundle folder', () => {
  assert.equal(programRoot(join(root, 'src', 'training')), root);
  assert.equal(programRoot(join(root, 'dist')), root);
  assert.deepEqual(defaultNativeBackendFolders(join(root, 'dist'), { XDG_CACHE_HOME: '/c' }), ['/c/fashion-mnist-trainer/native-backend', root]);
});

test('the CLI searches its variable, then the folder the extension installs into, then its own node_modules', () => {
  const env = { XDG_CACHE_HOME: '/c', [NATIVE_BACKEND_FOLDER_VARIABLE]: '/opt/tfjs-node' };
  assert.deepEqual(cliNativeBackendFolders(env, join(root, 'dist')), ['/opt/tfjs-node', '/c/fashion-mnist-trainer/native-backend', root]);
  assert.deepEqual(cliNativeBackendFolders({ XDG_CACHE_HOME: '/c' }, join(root, 'dist')), ['/c/fashion-mnist-trainer/native-backend', root]);
});

test('the command to run by hand installs the bundled version with --prefix into the folder', () => {
  assert.equal(installCommandLine('/c/native-backend'), 'npm install --prefix "/c/native-backend" @tensorflow/tfjs-node@4.22.0');
});
