import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyTrainingEvent,
  beginRun,
  initialDashboardState,
  isRunActive,
  runFraction,
  withClassifications,
  withModel,
  withNextParams,
} from '../../src/host/dashboardState';
import { DEFAULT_HYPER_PARAMETERS, type BackendInfo } from '../../src/domain/hyperParameters';
import { type ClassificationResult } from '../../src/domain/classification';
import { type DashboardState } from '../../src/protocol/webview';
import { type DataInfo } from '../../src/domain/data';
import { type EpochMetrics, type Predictions } from '../../src/domain/metrics';
import { type ModelSummary } from '../../src/domain/modelSummary';
import { type SavedModelInfo } from '../../src/domain/runRecord';
import { type TrainingEvent } from '../../src/protocol/events';
import type { RunOutcome } from '../../src/domain/metrics';

const OUTCOME: RunOutcome = { end: 'completed', epochsRun: 1, monitor: 'val_loss', monitoredOn: 'test', bestEpoch: 1, weights: 'last' };

const params = { ...DEFAULT_HYPER_PARAMETERS, epochs: 3, trainLimit: 600, testLimit: 4 };
const backend: BackendInfo = { requested: 'auto', name: 'wasm', reason: 'tfjs-node is not installed; using wasm' };
const data: DataInfo = {
  trainCount: 600,
  testCount: 4,
  sourceKind: 'debian',
  directory: '/usr/share/datasets/fashion-mnist',
  sampleImages: new Uint8Array(25 * 784),
  sampleLabels: new Uint8Array(25),
  rawRange: [0, 255],
  scaledRange: [0, 1],
  decodeMs: 12,
};
const summary: ModelSummary = {
  layers: [],
  totalParams: 101770,
  trainableParams: 101770,
  optimizer: 'adam',
  loss: 'sparseCategoricalCrossentropy',
  metrics: ['accuracy'],
};

function epoch(n: number, accuracy: number, testAccuracy: number): EpochMetrics {
  return { epoch: n, loss: 1 - accuracy, accuracy, testLoss: 1 - testAccuracy, testAccuracy, seconds: 1, samplesPerSecond: 600 };
}

/** 4 test images: labels 0,1,2,3; the model gets images 0, 1 and 3 right and calls image 2 a 0. */
function predictions(): Predictions {
  const predicted = Uint8Array.from([0, 1, 0, 3]);
  const probabilities = new Float32Array(40);
  predicted.forEach((c, i) => (probabilities[i * 10 + c] = 1));
  return { probabilities, predicted, labels: Uint8Array.from([0, 1, 2, 3]), count: 4, predictMs: 3 };
}

const model: SavedModelInfo = {
  directory: '/storage/models/latest',
  record: {
    date: '2026-11-27T18:00:00Z',
    params,
    backend: 'wasm',
    trainAccuracy: 0.9,
    testAccuracy: 0.85,
    dataChecksum: 'abc',
    trainCount: 600,
    testCount: 4,
  },
};

function fold(state: DashboardState, events: TrainingEvent[]): DashboardState {
  return events.reduce(applyTrainingEvent, state);
}

const runStart: TrainingEvent[] = [
  { type: 'backend', backend },
  { type: 'dataLoaded', data },
  { type: 'started', params, backend, trainCount: 600, validationCount: 0, testCount: 4, batchesPerEpoch: 19, summary },
];

test('a run folds in order: loading, backend and data, training with progress, epochs, finished with analyses', () => {
  let state = beginRun(initialDashboardState(DEFAULT_HYPER_PARAMETERS), params);
  assert.equal(state.status, 'loading');
  assert.equal(isRunActive(state), true);

  state = applyTrainingEvent(state, { type: 'downloadProgress', file: 'train-images-idx3-ubyte.gz', receivedBytes: 10, totalBytes: 100 });
  assert.deepEqual(state.download, { file: 'train-images-idx3-ubyte.gz', receivedBytes: 10, totalBytes: 100 });

  state = fold(state, runStart);
  assert.equal(state.status, 'training');
  assert.equal(state.download, undefined, 'the download is over once the data is loaded');
  assert.equal(state.data, data);
  assert.equal(state.backend, backend);
  assert.equal(state.batchesPerEpoch, 19);

  const progress = { epoch: 1, epochs: 3, batch: 10, batchesPerEpoch: 19, loss: 0.8, accuracy: 0.6, etaSeconds: 5, samplesPerSecond: 600 };
  state = applyTrainingEvent(state, { type: 'batch', progress });
  assert.equal(state.progress, progress);
  assert.ok(Math.abs(runFraction(state) - 10 / 19 / 3) < 1e-12);

  state = fold(state, [{ type: 'epoch', metrics: epoch(1, 0.7, 0.72) }]);
  assert.deepEqual(state.history.map((m) => m.epoch), [1]);
  assert.equal(state.overfitting?.state, 'notEnoughData');
  state = fold(state, [{ type: 'epoch', metrics: epoch(2, 0.8, 0.78) }, { type: 'epoch', metrics: epoch(3, 0.85, 0.8) }]);
  assert.deepEqual(state.history.map((m) => m.epoch), [1, 2, 3]);
  assert.equal(state.overfitting?.gapPoints.length, 3);
  assert.equal(state.overfitting?.bestEpoch, 3);

  state = applyTrainingEvent(state, { type: 'finished', history: state.history, predictions: predictions(), outcome: OUTCOME, modelSaved: model });
  assert.equal(state.status, 'finished');
  assert.equal(isRunActive(state), false);
  assert.equal(state.predictions?.count, 4);
  assert.equal(state.predictionAnalysis?.accuracy, 0.75);
  assert.equal(state.predictionAnalysis?.confusion[2][0], 1, 'image 2 (class 2) was predicted as class 0');
  assert.equal(state.predictionAnalysis?.perClassAccuracy[2], 0);
  assert.equal(state.model, model);
});

test('an epoch reported twice replaces the first report instead of adding a row', () => {
  const state = fold(beginRun(initialDashboardState(params), params), [
    ...runStart,
    { type: 'epoch', metrics: epoch(1, 0.7, 0.7) },
    { type: 'epoch', metrics: epoch(1, 0.71, 0.69) },
  ]);
  assert.equal(state.history.length, 1);
  assert.equal(state.history[0].accuracy, 0.71);
});

test('a new run clears the last run’s results but keeps the saved model and classifications', () => {
  const classification: ClassificationResult = { ok: false, file: '/tmp/x.png', error: { code: 'IMAGE_INVALID', message: 'bad' } };
  let state = fold(beginRun(withModel(initialDashboardState(params), model), params), [
    ...runStart,
    { type: 'epoch', metrics: epoch(1, 0.7, 0.7) },
    { type: 'finished', history: [epoch(1, 0.7, 0.7)], predictions: predictions(), outcome: OUTCOME },
  ]);
  state = withClassifications(state, [classification]);
  const next = beginRun(state, { ...params, epochs: 5 });
  assert.equal(next.status, 'loading');
  assert.deepEqual(next.history, []);
  assert.equal(next.predictions, undefined);
  assert.equal(next.predictionAnalysis, undefined);
  assert.equal(next.overfitting, undefined);
  assert.equal(next.data, undefined);
  assert.equal(next.progress, undefined);
  assert.equal(next.params.epochs, 5);
  assert.equal(next.model, model);
  assert.deepEqual(next.classifications, [classification]);
});

test('stop keeps the epochs that finished, and the longer history when the stop came from the client', () => {
  const running = fold(beginRun(initialDashboardState(params), params), [
    ...runStart,
    { type: 'epoch', metrics: epoch(1, 0.7, 0.7) },
    { type: 'epoch', metrics: epoch(2, 0.75, 0.72) },
  ]);
  const stopped = applyTrainingEvent(running, { type: 'stopped', history: [epoch(1, 0.7, 0.7), epoch(2, 0.75, 0.72)] });
  assert.equal(stopped.status, 'stopped');
  assert.deepEqual(stopped.history.map((m) => m.epoch), [1, 2]);
  assert.equal(stopped.overfitting?.gapPoints.length, 2);

  // A client that terminated the worker may report fewer epochs than arrived; nothing shown is lost.
  const forced = applyTrainingEvent(running, { type: 'stopped', history: [epoch(1, 0.7, 0.7)] });
  assert.deepEqual(forced.history.map((m) => m.epoch), [1, 2]);
});

test('an error keeps what the run produced and records the error', () => {
  const running = fold(beginRun(initialDashboardState(params), params), [...runStart, { type: 'epoch', metrics: epoch(1, 0.7, 0.7) }]);
  const error = { code: 'WORKER_CRASHED' as const, message: 'The training worker stopped unexpectedly.', action: 'Start again.' };
  const failed = applyTrainingEvent(running, { type: 'error', error });
  assert.equal(failed.status, 'error');
  assert.deepEqual(failed.error, error);
  assert.equal(failed.history.length, 1);
  assert.equal(isRunActive(failed), false);

  const next = beginRun(failed, params);
  assert.equal(next.error, undefined, 'a new run starts without the old error');
});

test('folding never mutates the state it was given', () => {
  const before = beginRun(initialDashboardState(params), params);
  const snapshot = structuredClone(before);
  fold(before, [...runStart, { type: 'epoch', metrics: epoch(1, 0.7, 0.7) }, { type: 'error', error: { code: 'INTERNAL', message: 'x' } }]);
  assert.deepEqual(before, snapshot);
});

test('settings changes show in the state between runs, never during one', () => {
  const idle = initialDashboardState(params);
  assert.equal(withNextParams(idle, { ...params, epochs: 7 }).params.epochs, 7);
  const running = beginRun(idle, params);
  assert.equal(withNextParams(running, { ...params, epochs: 7 }).params.epochs, 3);
  const finished = fold(running, [...runStart, { type: 'finished', history: [epoch(1, 0.7, 0.7)], predictions: predictions(), outcome: OUTCOME }]);
  const changed = withNextParams(finished, { ...params, epochs: 9 });
  assert.equal(changed.params.epochs, 9);
  assert.equal(changed.predictions?.count, 4, 'the last run’s results stay');
});

test('withModel sets and clears the saved model', () => {
  const state = withModel(initialDashboardState(params), model);
  assert.equal(state.model, model);
  assert.equal(withModel(state, undefined).model, undefined);
});

test('a finished run whose model could not be saved keeps its results, shows the save error and keeps the old model', () => {
  const saveError = { code: 'MODEL_SAVE' as const, message: 'Could not save the model: disk full', action: 'Free some space.' };
  let state = fold(beginRun(initialDashboardState(params), params), runStart);
  state = { ...state, model };
  state = applyTrainingEvent(state, { type: 'finished', history: [epoch(1, 0.8, 0.78)], predictions: predictions(), saveError, outcome: OUTCOME });
  assert.equal(state.status, 'finished');
  assert.equal(state.predictions?.count, 4);
  assert.equal(state.error, saveError);
  assert.equal(state.model, model, 'the previous saved model is still the one on disk');
  assert.equal(applyTrainingEvent(state, { type: 'notice', message: 'x' }), state, 'a notice changes nothing on the dashboard');
});

test('the best epoch follows the run’s monitor (validation when measured), and the outcome is kept', () => {
  const withVal = (n: number, valLoss: number, testLoss: number): EpochMetrics => ({ ...epoch(n, 0.8, 0.8), valLoss, valAccuracy: 0.8, testLoss });
  let state = beginRun(initialDashboardState(params), params);
  state = applyTrainingEvent(state, { type: 'epoch', metrics: withVal(1, 0.5, 0.4) });
  state = applyTrainingEvent(state, { type: 'epoch', metrics: withVal(2, 0.3, 0.6) });
  state = applyTrainingEvent(state, { type: 'epoch', metrics: withVal(3, 0.35, 0.2) });
  assert.equal(state.bestEpoch, 2, 'validation loss, not test loss, picks the best epoch');
  const outcome: RunOutcome = { end: 'earlyStopped', epochsRun: 3, monitor: 'val_loss', monitoredOn: 'validation', bestEpoch: 2, weights: 'best', patience: 1 };
  state = applyTrainingEvent(state, { type: 'finished', history: state.history, predictions: predictions(), outcome });
  assert.deepEqual(state.outcome, outcome);
  assert.equal(state.bestEpoch, 2);
  const next = beginRun(state, params);
  assert.equal(next.outcome, undefined);
  assert.equal(next.bestEpoch, undefined);
});

test('a comparison stays open when a run starts (a re-run trains below the runs it is measured against)', () => {
  const comparison = { ids: ['a'], labels: ['a'], monitoredOn: ['test' as const], differences: [], metrics: [], curves: [], perClass: [] };
  const state = beginRun({ ...initialDashboardState(DEFAULT_HYPER_PARAMETERS), comparison }, DEFAULT_HYPER_PARAMETERS);
  assert.equal(state.comparison, comparison);
  assert.deepEqual(state.history, []);
});

