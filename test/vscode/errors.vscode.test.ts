/**
 * Errors the user can act on, as they reach the dashboard: a data directory that does not exist, and the node
 * backend asked for where the tfjs-node in fashionMnist.nativeBackendFolder does not load.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { collectEvents, isTerminal, SHORT_RUN, useSettings } from './helpers';
import { getTestApi } from './testApi';

describe('Errors in a real VS Code', function () {
  this.timeout(120_000);

  it('a missing data directory gives DATA_MISSING with the folder and what to do', async () => {
    const api = await getTestApi();
    const folder = '/nonexistent/fashion-mnist-suite-data';
    const restore = await useSettings({ ...SHORT_RUN, dataDirectory: folder, allowDownload: false });
    try {
      const run = collectEvents(api, isTerminal, 90_000);
      Promise.resolve(vscode.commands.executeCommand('fashionMnist.train')).catch(() => undefined);
      const events = await run.done;
      const last = events.at(-1);
      assert.ok(last?.type === 'error', `expected an error, the run ended with ${last?.type}`);
      assert.equal(last.error.code, 'DATA_MISSING');
      const where = `${last.error.file ?? ''} ${last.error.message}`;
      assert.ok(where.includes(folder), `the error does not name ${folder}: ${where}`);
      assert.ok(last.error.action && last.error.action.length > 0, 'the error says nothing about what to do');
      const state = api.getState();
      assert.equal(state.status, 'error');
      assert.equal(state.error?.code, 'DATA_MISSING');
    } finally {
      await restore();
    }
  });

  it('the node backend with a tfjs-node in fashionMnist.nativeBackendFolder that does not load fails naming that folder', async () => {
    const api = await getTestApi();
    const folder = mkdtempSync(join(tmpdir(), 'fmnist-suite-native-'));
    const packageDir = join(folder, 'node_modules', '@tensorflow', 'tfjs-node');
    mkdirSync(packageDir, { recursive: true });
    writeFileSync(join(packageDir, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', main: 'index.js' }));
    writeFileSync(join(packageDir, 'index.js'), "throw new Error('libtensorflow.so.2: cannot open shared object file (suite)');");
    const restore = await useSettings({ ...SHORT_RUN, backend: 'node', nativeBackendFolder: folder });
    try {
      const run = collectEvents(api, isTerminal, 90_000);
      Promise.resolve(vscode.commands.executeCommand('fashionMnist.train')).catch(() => undefined);
      const last = (await run.done).at(-1);
      assert.ok(last?.type === 'error', `expected an error, the run ended with ${last?.type}`);
      assert.equal(last.error.code, 'BACKEND_UNAVAILABLE');
      assert.equal(last.error.file, folder);
      assert.match(last.error.message, /\(suite\)/);
      assert.match(last.error.action ?? '', /Set Up the Native Backend/);
    } finally {
      await restore();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
