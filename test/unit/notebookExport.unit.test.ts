import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrainerError } from '../../src/core/errors';
import { inspectNotebookTarget, writeExportFile, writeNotebookFile } from '../../src/core/notebook/exportFile';
import { epochMetricsCsv } from '../../src/core/notebook/metricsCsv';
import { buildNotebook, serializeNotebook } from '../../src/core/notebook/notebook';
import { notebookStrings } from '../../src/core/notebook/notebookStrings';
import { hasExportableRun, notebookRunFromDashboard, notebookRunFromHistory, notebookRunFromRecord } from '../../src/core/notebook/runSources';
import { RUN_HISTORY_FORMAT, RUN_HISTORY_VERSION, type RunHistoryRecord } from '../../src/domain/runRecord';
import { DEFAULT_HYPER_PARAMETERS } from '../../src/domain/hyperParameters';
import type { EpochMetrics } from '../../src/domain/metrics';
import type { DashboardState } from '../../src/protocol/webview';
import { analyzePredictions } from '../../src/core/analysis/analysis';
import { missingDataFiles } from '../../src/core/data/dataFolderCheck';
import { inScratch } from './scratchFolder';


const epochs: EpochMetrics[] = [
  { epoch: 2, loss: 0.38, accuracy: 0.86, testLoss: 0.4, testAccuracy: 0.85, seconds: 1.5, samplesPerSecond: 40000 },
  { epoch: 1, loss: 0.5, accuracy: 0.82, testLoss: 0.45, testAccuracy: 0.84, seconds: 1.25, samplesPerSecond: 48000 },
];

function ourNotebookText(): string {
  const run = notebookRunFromRecord({
    date: '2026-12-01', params: DEFAULT_HYPER_PARAMETERS, backend: 'wasm', trainAccuracy: 0.91, testAccuracy: 0.88, dataChecksum: 'x', trainCount: 60000, testCount: 10000,
  });
  return serializeNotebook(buildNotebook(run, notebookStrings(), 'test'));
}

function rejects(promise: Promise<unknown>, code: string): Promise<void> {
  return assert.rejects(promise, (error: unknown) => error instanceof TrainerError && error.code === code && typeof error.action === 'string');
}

test('a notebook is written whole, and one the extension wrote is replaced without asking', () => inScratch('fmt-export-', async (dir) => {
  const file = join(dir, 'run.ipynb');
  assert.equal(inspectNotebookTarget(file), 'absent');
  await writeNotebookFile(file, ourNotebookText(), { replaceForeign: false });
  assert.equal(inspectNotebookTarget(file), 'ours');
  const second = ourNotebookText().replace('"test"', '"second"');
  await writeNotebookFile(file, second, { replaceForeign: false });
  assert.equal(readFileSync(file, 'utf8'), second);
  assert.deepEqual(readdirSync(dir), ['run.ipynb'], 'no temporary file is left behind');
}));

test('a file the extension did not write is kept unless replacing it was confirmed', () => inScratch('fmt-export-', async (dir) => {
  const foreign = join(dir, 'mine.ipynb');
  const theirs = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3' } }, cells: [] });
  writeFileSync(foreign, theirs);
  const notJson = join(dir, 'notes.ipynb');
  writeFileSync(notJson, 'my notes');
  for (const file of [foreign, notJson]) {
    assert.equal(inspectNotebookTarget(file), 'foreign');
    await rejects(writeNotebookFile(file, ourNotebookText(), { replaceForeign: false }), 'FILE_EXISTS');
  }
  assert.equal(readFileSync(foreign, 'utf8'), theirs);
  assert.equal(readFileSync(notJson, 'utf8'), 'my notes');
  await writeNotebookFile(foreign, ourNotebookText(), { replaceForeign: true });
  assert.equal(inspectNotebookTarget(foreign), 'ours');
  assert.deepEqual(readdirSync(dir).sort(), ['mine.ipynb', 'notes.ipynb']);
}));

test('a target that is a folder, or in a folder that does not exist, fails with EXPORT_FAILED naming it, and changes nothing', () => inScratch('fmt-export-', async (dir) => {
  const folder = join(dir, 'taken.ipynb');
  mkdirSync(folder);
  writeFileSync(join(folder, 'keep.txt'), 'keep');
  await rejects(writeNotebookFile(folder, ourNotebookText(), { replaceForeign: true }), 'EXPORT_FAILED');
  assert.equal(readFileSync(join(folder, 'keep.txt'), 'utf8'), 'keep');
  await rejects(writeExportFile(join(dir, 'missing', 'chart.png'), new Uint8Array([1, 2, 3])), 'EXPORT_FAILED');
  assert.deepEqual(readdirSync(dir), ['taken.ipynb']);
}));

test('the per-epoch CSV has a header, one row per epoch in order, full precision and CRLF line ends', () => {
  const csv = epochMetricsCsv([...epochs, { ...epochs[0], epoch: 3, testLoss: Number.NaN }]);
  assert.equal(
    csv,
    'epoch,loss,accuracy,val_loss,val_accuracy,seconds,samples_per_second\r\n' +
      '1,0.5,0.82,0.45,0.84,1.25,48000\r\n' +
      '2,0.38,0.86,0.4,0.85,1.5,40000\r\n' +
      '3,0.38,0.86,NaN,0.85,1.5,40000\r\n',
  );
});

test('with a validation split the CSV\'s val_* columns are the held-out images\', and the test set\'s follow', () => {
  const csv = epochMetricsCsv([{ epoch: 1, loss: 0.5, accuracy: 0.8, testLoss: 0.47, testAccuracy: 0.83, valLoss: 0.45, valAccuracy: 0.84, seconds: 1, samplesPerSecond: 2 }]);
  assert.equal(csv, 'epoch,loss,accuracy,val_loss,val_accuracy,test_loss,test_accuracy,seconds,samples_per_second\r\n1,0.5,0.8,0.45,0.84,0.47,0.83,1,2\r\n');
});

function finishedState(): DashboardState {
  const probabilities = new Float32Array(20);
  probabilities.set([0, 0, 0, 0, 0, 0, 0, 0.25, 0, 0.75]);
  probabilities[10 + 2] = 1;
  const predictions = { probabilities, predicted: Uint8Array.from([9, 2]), labels: Uint8Array.from([9, 4]), count: 2, predictMs: 3 };
  return {
    status: 'finished',
    params: { ...DEFAULT_HYPER_PARAMETERS, epochs: 2, architecture: { hiddenLayers: [{ units: 64, dropout: 0 }], l2: 0 }, trainLimit: 3000 },
    backend: { requested: 'auto', name: 'wasm', reason: 'r' },
    history: epochs,
    predictions,
    predictionAnalysis: analyzePredictions(predictions),
    model: {
      directory: '/m',
      record: { date: '2026-12-01T08:00:00Z', params: DEFAULT_HYPER_PARAMETERS, backend: 'wasm', trainAccuracy: 0.86, testAccuracy: 0.85, dataChecksum: 'x', trainCount: 3000, testCount: 10000 },
    },
  };
}

test('the dashboard\'s run becomes the notebook\'s: settings, epochs in order with the test set as validation, predictions', () => {
  const run = notebookRunFromDashboard(finishedState());
  assert.ok(run);
  assert.deepEqual(run.settings, { epochs: 2, batchSize: 32, learningRate: 0.001, seed: 42, architecture: { hiddenLayers: [{ units: 64, dropout: 0 }], l2: 0 }, trainLimit: 3000 });
  assert.deepEqual(run.history.map((m) => [m.epoch, m.valLoss, m.valAccuracy]), [[1, 0.45, 0.84], [2, 0.4, 0.85]]);
  assert.deepEqual(run.final, { testAccuracy: 0.85, testLoss: 0.4, trainAccuracy: 0.86 });
  assert.equal(run.trainCount, 3000, 'the limit, when the data cell has not said how many');
  assert.equal(run.backend, 'wasm');
  assert.equal(run.date, '2026-12-01T08:00:00Z', 'the saved model is this run\'s');
  assert.equal(run.confusion?.[4][2], 1);
  assert.deepEqual(run.firstPrediction, { probabilities: [0, 0, 0, 0, 0, 0, 0, 0.25, 0, 0.75], label: 9 });
});

/** Three epochs with a validation split: the validation loss is best at epoch 2, the test set's at epoch 3. */
const splitEpochs: EpochMetrics[] = [
  { epoch: 1, loss: 0.5, accuracy: 0.82, testLoss: 0.47, testAccuracy: 0.83, valLoss: 0.45, valAccuracy: 0.84, seconds: 1, samplesPerSecond: 1 },
  { epoch: 2, loss: 0.4, accuracy: 0.86, testLoss: 0.44, testAccuracy: 0.845, valLoss: 0.41, valAccuracy: 0.855, seconds: 1, samplesPerSecond: 1 },
  { epoch: 3, loss: 0.33, accuracy: 0.89, testLoss: 0.43, testAccuracy: 0.85, valLoss: 0.42, valAccuracy: 0.85, seconds: 1, samplesPerSecond: 1 },
];

test('with a validation split, Keras\'s val_* are the held-out images, fit gets them back, and restored weights are the final test', () => {
  const params = { ...DEFAULT_HYPER_PARAMETERS, epochs: 5, validationSplit: 0.1, earlyStopping: true, patience: 1, minDelta: 0.001, restoreBestWeights: true, trainLimit: 3000 };
  const state: DashboardState = {
    ...finishedState(),
    params,
    history: splitEpochs,
    data: { trainCount: 2700, testCount: 2 } as DashboardState['data'],
    validationCount: 300,
    outcome: { end: 'earlyStopped', epochsRun: 3, monitor: 'val_loss', monitoredOn: 'validation', bestEpoch: 2, weights: 'best', patience: 1 },
  };
  const run = notebookRunFromDashboard(state);
  assert.ok(run);
  assert.deepEqual(run.settings.earlyStopping, { monitor: 'val_loss', patience: 1, minDelta: 0.001, restoreBestWeights: true });
  assert.equal(run.settings.validationSplit, 0.1);
  assert.deepEqual(run.history.map((m) => m.valLoss), [0.45, 0.41, 0.42], 'validation, not test');
  assert.equal(run.trainCount, 3000, 'fit() is given the trained and the held-out images');
  assert.equal(run.bestEpoch, 2);
  assert.deepEqual(run.final, { testAccuracy: 0.845, testLoss: 0.44, trainAccuracy: 0.86 }, 'the best epoch\'s weights are the ones evaluated');
  const last = notebookRunFromDashboard({ ...state, outcome: { ...state.outcome!, weights: 'last' } });
  assert.equal(last?.final?.testAccuracy, 0.85);
});

test('restoring the best weights without early stopping is kept, as EarlyStopping that never runs out of patience', () => {
  const run = notebookRunFromDashboard({ ...finishedState(), params: { ...DEFAULT_HYPER_PARAMETERS, epochs: 2, restoreBestWeights: true, monitor: 'val_accuracy' } });
  assert.deepEqual(run?.settings.earlyStopping, { monitor: 'val_accuracy', minDelta: 0, restoreBestWeights: true });
  const code = buildNotebook(run!, notebookStrings(), 'test').cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join('')).join('\n');
  assert.match(code, /EarlyStopping\(\n {4}monitor='val_accuracy',\n {4}patience=2,\n {4}min_delta=0,\n {4}restore_best_weights=True,/);
  assert.equal(notebookRunFromDashboard(finishedState())?.settings.earlyStopping, undefined, 'the tutorial has neither');
});

test('a run of the run history becomes a notebook run with its epochs, end, best epoch and confusion matrix', () => {
  const record: RunHistoryRecord = {
    format: RUN_HISTORY_FORMAT,
    version: RUN_HISTORY_VERSION,
    id: '20261201-080000-abcd',
    startedAt: '2026-12-01T08:00:00.000Z',
    durationSeconds: 12,
    params: { ...DEFAULT_HYPER_PARAMETERS, epochs: 3, validationSplit: 0.1, restoreBestWeights: true },
    backend: 'wasm',
    tfjsVersion: '4.22.0',
    dataChecksum: 'x',
    trainCount: 54000,
    validationCount: 6000,
    testCount: 10000,
    history: splitEpochs,
    outcome: { end: 'completed', epochsRun: 3, monitor: 'val_loss', monitoredOn: 'validation', bestEpoch: 2, weights: 'best' },
    confusion: Array.from({ length: 10 }, (_, t) => Array.from({ length: 10 }, (_, p) => (t === p ? 1 : 0))),
  };
  const run = notebookRunFromHistory(record);
  assert.equal(run.date, record.startedAt);
  assert.equal(run.trainCount, 60000);
  assert.equal(run.testCount, 10000);
  assert.deepEqual(run.history.map((m) => [m.epoch, m.valAccuracy]), [[1, 0.84], [2, 0.855], [3, 0.85]]);
  assert.equal(run.bestEpoch, 2);
  assert.equal(run.final?.testAccuracy, 0.845);
  assert.equal(run.confusion?.[3][3], 1);
  assert.equal(run.firstPrediction, undefined, 'the history keeps no per-image predictions');
  assert.notEqual(run.confusion, record.confusion, 'a copy');
});

test('only a finished or stopped run with an epoch is exported; an older saved model does not date it', () => {
  const state = finishedState();
  assert.equal(hasExportableRun({ ...state, status: 'training' }), false);
  assert.equal(notebookRunFromDashboard({ ...state, status: 'idle' }), undefined);
  assert.equal(notebookRunFromDashboard({ ...state, history: [] }), undefined);
  const stopped = notebookRunFromDashboard({ ...state, status: 'stopped' });
  assert.ok(stopped);
  assert.equal(stopped.date, undefined);
  const older = { ...state, model: { directory: '/m', record: { ...state.model!.record, testAccuracy: 0.7 } } };
  assert.equal(notebookRunFromDashboard(older)?.date, undefined);
});

test('"Get the data" accepts a folder only when all four files are there, plain or gzipped, in either spelling', () => inScratch('fmt-export-', async (dir) => {
  assert.deepEqual(await missingDataFiles(dir), ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']);
  writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), '');
  writeFileSync(join(dir, 'train-labels.idx1-ubyte'), '');
  mkdirSync(join(dir, 't10k-images-idx3-ubyte'));
  assert.deepEqual(await missingDataFiles(dir), ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'], 'a folder of that name is no file');
  rmSync(join(dir, 't10k-images-idx3-ubyte'), { recursive: true });
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), '');
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), '');
  assert.deepEqual(await missingDataFiles(dir), []);
}));
