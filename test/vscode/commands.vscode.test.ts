/** The extension loads in a real VS Code and registers what its manifest promises. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension } from './testApi';

const COMMANDS = [
  'fashionMnist.train',
  'fashionMnist.stop',
  'fashionMnist.openDashboard',
  'fashionMnist.classifyImage',
  'fashionMnist.exportModel',
  'fashionMnist.importModel',
  'fashionMnist.setUpNativeBackend',
  'fashionMnist.exportNotebook',
  'fashionMnist.getData',
  'fashionMnist.showOverfitting',
  'fashionMnist.showPredictions',
  'fashionMnist.showModel',
];

const SETTINGS = ['epochs', 'batchSize', 'learningRate', 'hiddenLayers', 'dropout', 'l2', 'validationSplit', 'earlyStopping', 'backend', 'dataDirectory', 'trainSubset',
  'testSubset', 'allowDownload', 'nativeBackendFolder'];

describe('Extension in a real VS Code', () => {
  let extension: vscode.Extension<unknown>;

  before(async () => {
    extension = await activateExtension();
  });

  it('activates', () => {
    assert.equal(extension.isActive, true);
  });

  it('registers every command it contributes', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = COMMANDS.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `commands not registered after activation: ${missing.join(', ')}`);
  });

  it('contributes the commands under one category with localized titles', () => {
    const contributed = (extension.packageJSON.contributes?.commands ?? []) as { command: string; title: string; category?: string }[];
    for (const id of COMMANDS) {
      const entry = contributed.find((c) => c.command === id);
      assert.ok(entry, `${id} is not in contributes.commands`);
      // The manifest loader replaces %key% with the English text; a left-over %key% means a missing nls entry.
      assert.doesNotMatch(entry.title, /^%.*%$/, `${id} has an untranslated title ${entry.title}`);
      assert.equal(entry.category, contributed[0].category, `${id} is not in the same category`);
    }
  });

  it('contributes the fashionMnist settings with the tutorial defaults', () => {
    const config = vscode.workspace.getConfiguration('fashionMnist');
    for (const key of SETTINGS) {
      assert.notEqual(config.inspect(key)?.defaultValue, undefined, `setting fashionMnist.${key} has no default`);
    }
    assert.equal(config.inspect('epochs')?.defaultValue, 10);
    assert.equal(config.inspect('batchSize')?.defaultValue, 32);
    assert.equal(config.inspect('learningRate')?.defaultValue, 0.001);
    assert.deepEqual(config.inspect('hiddenLayers')?.defaultValue, [128]);
    assert.equal(config.inspect('validationSplit')?.defaultValue, 0);
  });

  it('opens the dashboard as a webview panel', async () => {
    await vscode.commands.executeCommand('fashionMnist.openDashboard');
    // The tab model is updated from the workbench a moment after the command returns.
    const isDashboard = (tab: vscode.Tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('fashionMnist.dashboard');
    let tabs: vscode.Tab[] = [];
    for (let waited = 0; waited < 10_000 && !tabs.some(isDashboard); waited += 200) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    }
    assert.ok(tabs.some(isDashboard), `no dashboard tab; open tabs: ${tabs.map((t) => t.label).join(', ') || 'none'}`);
  });
});
