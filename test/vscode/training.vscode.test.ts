/**
 * The tutorial run inside a real extension host: Train with short settings runs to the end, the dashboard
 * receives the epochs, the model lands in global storage, Classify agrees with the model, Stop stops.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { EpochMetrics } from '../../src/domain/metrics';
import type { HostToWebview } from '../../src/protocol/webview';
import type { TrainingEvent } from '../../src/protocol/events';
import { testImagePng } from './fixtureImage';
import { collectEvents, isTerminal, SHORT_RUN, useSettings } from './helpers';
import { type FashionMnistTestApi, getTestApi } from './testApi';

/** Commands may resolve at once or only when the run ends; either way a test must not wait on them. */
function launch(command: string, ...args: unknown[]): void {
  Promise.resolve(vscode.commands.executeCommand(command, ...args)).catch((error) => {
    console.log(`[vscode-suite] ${command} rejected: ${String(error)}`);
  });
}

function describeEvent(event: TrainingEvent | undefined): string {
  if (!event) return 'no event';
  return event.type === 'error' ? `error ${event.error.code}: ${event.error.message}` : event.type;
}

describe('Training in a real VS Code', function () {
  this.timeout(300_000);
  let api: FashionMnistTestApi;
  let restoreSettings: (() => Promise<void>) | undefined;
  let finished: Extract<TrainingEvent, { type: 'finished' }> | undefined;

  before(async () => {
    api = await getTestApi();
    restoreSettings = await useSettings({ ...SHORT_RUN, dataDirectory: '', backend: 'auto' });
  });

  after(async () => {
    await restoreSettings?.();
  });

  it('trains to the end and the dashboard receives the epoch events', async () => {
    await vscode.commands.executeCommand('fashionMnist.openDashboard');
    const posted: HostToWebview[] = [];
    const listening = api.onDashboardMessage((message) => posted.push(message));
    const run = collectEvents(api, isTerminal, 240_000);
    launch('fashionMnist.train');
    const events = await run.done;
    listening.dispose();

    const last = events.at(-1);
    assert.equal(last?.type, 'finished', `the run ended with ${describeEvent(last)}`);
    finished = last as Extract<TrainingEvent, { type: 'finished' }>;
    const started = events.find((e) => e.type === 'started');
    assert.ok(started && started.type === 'started', 'no started event');
    assert.equal(started.trainCount, SHORT_RUN.trainSubset, 'the trainSubset setting did not reach the run');
    assert.equal(started.testCount, SHORT_RUN.testSubset, 'the testSubset setting did not reach the run');
    assert.equal(started.params.epochs, SHORT_RUN.epochs);

    const epochs = events.flatMap((e) => (e.type === 'epoch' ? [e.metrics] : []));
    assert.equal(epochs.length, SHORT_RUN.epochs);
    // Chance is 0.1; one epoch on 3,000 images reaches about 0.7.
    assert.ok(epochs[0].testAccuracy > 0.5, `test accuracy after one epoch is only ${epochs[0].testAccuracy}`);
    assert.ok(events.some((e) => e.type === 'batch'), 'no batch progress events');

    const epochMessages = posted.flatMap((m) => (m.type === 'epoch' ? [m.metrics] : []));
    assert.deepEqual(epochMessages.map((m: EpochMetrics) => m.epoch), [1], 'the dashboard did not receive the epoch');
    assert.equal(epochMessages[0].testAccuracy, epochs[0].testAccuracy);

    const state = api.getState();
    assert.equal(state.status, 'finished');
    assert.equal(state.history.length, SHORT_RUN.epochs);
    assert.equal(state.predictions?.count, SHORT_RUN.testSubset);
    assert.ok(state.overfitting, 'the over-fitting analysis is missing from the state');
    assert.ok(state.predictionAnalysis, 'the confusion matrix is missing from the state');
  });

  it('saves the trained model in global storage', () => {
    assert.ok(finished, 'the training test did not finish, so there is no model to check');
    const dir = api.modelDirectory;
    assert.match(dir.replace(/\\/g, '/'), /globalStorage\/fashion-mnist-trainer\.fashion-mnist-trainer\//i);
    const modelJson = join(dir, 'model.json');
    assert.ok(existsSync(modelJson), `${modelJson} does not exist`);
    const model = JSON.parse(readFileSync(modelJson, 'utf8'));
    assert.ok(model.modelTopology, 'model.json has no topology');
    const weightFiles: string[] = model.weightsManifest.flatMap((group: { paths: string[] }) => group.paths);
    assert.ok(weightFiles.length > 0, 'model.json lists no weight files');
    for (const file of weightFiles) assert.ok(existsSync(join(dir, file)), `weight file ${file} is missing`);
    assert.ok(finished.modelSaved, `the run finished without saving its model: ${finished.saveError?.message ?? 'no saveError either'}`);
    assert.equal(finished.modelSaved.directory, dir);
  });

  it('classifies a fixture image as the trained model does', async () => {
    assert.ok(finished, 'the training test did not finish, so there is no model to classify with');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? join(tmpdir(), 'fmt-vscode-suite');
    mkdirSync(folder, { recursive: true });
    const { png } = testImagePng(0);
    const file = join(folder, 'test-image-0.png');
    writeFileSync(file, png);
    const uri = vscode.Uri.file(file);

    const posted: HostToWebview[] = [];
    const listening = api.onDashboardMessage((message) => posted.push(message));
    launch('fashionMnist.classifyImage', uri, [uri]);
    const result = await waitFor(() => api.getState().classifications?.find((c) => c.file === file), 60_000, 'a classification of the fixture');
    listening.dispose();

    assert.ok(result.ok, `classification failed: ${result.ok ? '' : result.error.message}`);
    assert.equal(result.probabilities.length, 10);
    const sum = result.probabilities.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-3, `probabilities sum to ${sum}`);
    // The PNG is test image 0 itself, so the file's class is the one the model predicted for that image.
    const predictions = api.getState().predictions;
    assert.ok(predictions, 'no predictions in the state');
    assert.equal(result.predicted, predictions.predicted[0]);
    assert.equal(result.inverted, false, 'a dataset image (light on black) must not be inverted');
    for (let k = 0; k < 10; k++) {
      assert.ok(Math.abs(result.probabilities[k] - predictions.probabilities[k]) < 1e-3,
        `class ${k}: file ${result.probabilities[k]} vs test set ${predictions.probabilities[k]}`);
    }
    assert.ok(posted.some((m) => m.type === 'classification'), 'the dashboard did not receive the classification');
  });

  it('shows a crafted file name in the notification as plain text, never as a link that runs a command', async () => {
    assert.ok(finished, 'the training test did not finish, so there is no model to classify with');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? join(tmpdir(), 'fmt-vscode-suite');
    mkdirSync(folder, { recursive: true });
    // The name of the adversarial review: VS Code turns [label](command:...) in a message into a link that runs it.
    const name = '[See details](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22touch pwned%22%7D).png';
    const file = join(folder, name);
    writeFileSync(file, testImagePng(1).png);
    const messages: { kind: string; message: string }[] = [];
    const listening = api.onUserMessage((shown) => messages.push(shown));
    try {
      launch('fashionMnist.classifyImage', vscode.Uri.file(file), [vscode.Uri.file(file)]);
      const shown = await waitFor(() => messages.find((m) => m.message.replace(/\u2060/g, '').includes(name)), 60_000, 'the notification naming the file');
      // VS Code's rule for a link in a notification (src/vs/base/common/linkedText.ts): none may be left.
      const links = [...shown.message.matchAll(/\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)/gi)].map((m) => m[0]);
      assert.deepEqual(links, [], `the notification still holds a link: ${shown.message}`);
      assert.match(shown.message, /most likely/, 'it is the classification\'s notification');
    } finally {
      listening.dispose();
    }
  });

  it('exports the finished run as a notebook with its epochs, charts and confusion matrix', async () => {
    assert.ok(finished, 'the training test did not finish, so there is no run to export');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? join(tmpdir(), 'fmt-vscode-suite');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'exported-run.ipynb');
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('fashionMnist.exportNotebook', vscode.Uri.file(file));
    assert.equal(written?.fsPath, file);
    const notebook = JSON.parse(readFileSync(file, 'utf8')) as {
      metadata: Record<string, unknown>;
      cells: { cell_type: string; source: string[]; outputs?: { output_type: string; text?: string[]; data?: Record<string, unknown> }[] }[];
    };
    assert.ok(notebook.metadata.fashionMnistTrainer, 'the marker is missing');
    const outputs = notebook.cells.flatMap((c) => c.outputs ?? []);
    const log = outputs.flatMap((o) => o.text ?? []).join('');
    assert.match(log, new RegExp(`Epoch ${SHORT_RUN.epochs}/${SHORT_RUN.epochs}`));
    assert.equal(outputs.filter((o) => Array.isArray(o.data?.['image/svg+xml'])).length, 3, 'accuracy, loss and confusion matrix images');
    const code = notebook.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join('')).join('\n');
    assert.match(code, new RegExp(`epochs=${SHORT_RUN.epochs},`));
    assert.match(code, new RegExp(`train_images\\[:${SHORT_RUN.trainSubset}\\]`));
  });

  it('opens the kept run whole from the Runs view (its epochs and grid), and exports it as a notebook from there', async () => {
    assert.ok(finished, 'the training test did not finish, so there is no run to open');
    const id = finished.keptRunId;
    assert.ok(id, `the run was not kept in the run history: ${finished.historyError?.message ?? 'no historyError either'}`);
    // The run's dashboard is written into the history just after the run ends; until then Open Run shows the compare view.
    await waitFor(async () => {
      await vscode.commands.executeCommand('fashionMnist.runs.open', { id });
      return api.getState().shownRun?.id === id ? true : undefined;
    }, 20_000, `run ${id} shown whole in the dashboard`);
    const state = api.getState();
    assert.equal(state.history.length, SHORT_RUN.epochs);
    assert.equal(state.predictions?.count, SHORT_RUN.testSubset);
    assert.equal(state.comparison, undefined, 'the whole run, not the compare view');

    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? join(tmpdir(), 'fmt-vscode-suite');
    const file = join(folder, `run-${id}.ipynb`);
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('fashionMnist.runs.exportNotebook', { id }, vscode.Uri.file(file));
    assert.equal(written?.fsPath, file);
    const log = (JSON.parse(readFileSync(file, 'utf8')) as { cells: { outputs?: { text?: string[] }[] }[] }).cells
      .flatMap((c) => c.outputs ?? []).flatMap((o) => o.text ?? []).join('');
    assert.match(log, new RegExp(`Epoch ${SHORT_RUN.epochs}/${SHORT_RUN.epochs}`), 'the history run\'s own epoch log');
  });

  it('trains a second short run with dropout and compares the two runs in the dashboard', async () => {
    const first = finished?.keptRunId;
    assert.ok(first, 'the first run was not kept, so there is nothing to compare with');
    const restore = await useSettings({ dropout: [0.2] });
    try {
      const run = collectEvents(api, isTerminal, 240_000);
      launch('fashionMnist.train');
      const last = (await run.done).at(-1);
      assert.equal(last?.type, 'finished', `the second run ended with ${describeEvent(last)}`);
      const second = (last as Extract<TrainingEvent, { type: 'finished' }>).keptRunId;
      assert.ok(second, 'the second run was not kept');
      // Run ids sort by start time, as the Runs view's summaries do.
      const summaries = [first, second].map((id) => ({ id, startedAt: id }));
      await vscode.commands.executeCommand('fashionMnist.runs.compare', summaries[1], summaries);
      const comparison = await waitFor(() => api.getState().comparison, 10_000, 'the compare view');
      assert.deepEqual(comparison.ids, [first, second], 'oldest first: the first run is the baseline');
      assert.deepEqual(comparison.differences.find((row) => row.key === 'dropout')?.values, ['0', '0.2']);
      assert.equal(comparison.differences.some((row) => row.key === 'epochs'), false, 'only what differs');
      assert.equal(comparison.curves.length, SHORT_RUN.epochs);
      assert.ok(comparison.metrics.every((m) => m.held !== undefined), 'both runs have their final metrics');
    } finally {
      await restore();
    }
  });

  it('a dashboard closed and reopened mid-run comes back with the live run', async () => {
    // A long run (all 60,000 images, 50 epochs) so it is still going while the panel is away.
    const restore = await useSettings({ epochs: 50, trainSubset: 0 });
    const run = collectEvents(api, isTerminal, 180_000);
    try {
      await vscode.commands.executeCommand('fashionMnist.openDashboard');
      const firstBatch = collectEvents(api, (e) => e.type === 'batch' || isTerminal(e), 120_000);
      launch('fashionMnist.train');
      assert.equal((await firstBatch.done).at(-1)?.type, 'batch', 'the run did not start');

      const dashboardTab = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
        .find((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('fashionMnist.dashboard'));
      const tab = await waitFor(dashboardTab, 10_000, 'the dashboard tab');
      await vscode.window.tabGroups.close(tab);
      await waitFor(() => (dashboardTab() ? undefined : true), 10_000, 'the dashboard tab to close');
      assert.ok(api.getState().status === 'training', 'closing the panel must not stop the run');

      const posted: HostToWebview[] = [];
      const listening = api.onDashboardMessage((message) => posted.push(message));
      await vscode.commands.executeCommand('fashionMnist.openDashboard');
      // The new page says `ready`; the host answers with the whole state, then keeps streaming progress.
      const restored = await waitFor(() => posted.find((m) => m.type === 'state'), 30_000, 'the state sent to the reopened page');
      assert.equal(restored.type === 'state' && restored.state.status, 'training');
      assert.ok(restored.type === 'state' && restored.state.progress, 'the restored state has no progress');
      await waitFor(() => posted.slice(posted.indexOf(restored)).find((m) => m.type === 'progress'), 30_000, 'progress after the reopen');
      listening.dispose();
    } finally {
      launch('fashionMnist.stop');
      await run.done.catch(() => undefined);
      await restore();
    }
  });

  it('stops a run when asked', async () => {
    // A long run (all 60,000 images, 50 epochs) so it cannot end by itself before Stop arrives.
    const restore = await useSettings({ epochs: 50, trainSubset: 0 });
    try {
      const firstBatch = collectEvents(api, (e) => e.type === 'batch' || isTerminal(e), 120_000);
      const run = collectEvents(api, isTerminal, 120_000);
      launch('fashionMnist.train');
      const early = await firstBatch.done;
      assert.equal(early.at(-1)?.type, 'batch', `the run ended before it could be stopped: ${describeEvent(early.at(-1))}`);
      launch('fashionMnist.stop');
      const events = await run.done;
      assert.equal(events.at(-1)?.type, 'stopped', `the run ended with ${describeEvent(events.at(-1))}`);
      const epochs = events.filter((e) => e.type === 'epoch').length;
      assert.ok(epochs < 50, `all ${epochs} epochs ran despite Stop`);
      assert.equal(api.getState().status, 'stopped');
    } finally {
      await restore();
    }
  });
});

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
