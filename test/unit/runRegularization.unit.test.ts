// The run loop with a validation split, early stopping and restore_best_weights, on real data subsets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadFashionMnist, type FashionMnist } from '../../src/core/data/dataset';
import { runTutorial, splitValidation, type RunOptions } from '../../src/training/run';
import { DEFAULT_HYPER_PARAMETERS, type HyperParameters } from '../../src/domain/hyperParameters';
import { type TrainingEvent } from '../../src/protocol/events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunHistory } from '../../src/core/runs/runHistory';
import { keepRun } from '../../src/training/keepRun';
import { loadModel } from '../../src/training/modelStore';
import { selectBackend } from '../../src/training/backend';

let cached: Promise<FashionMnist> | undefined;
const realData: typeof loadFashionMnist = () => (cached ??= loadFashionMnist({ allowDownload: false }));

function request(params: Partial<HyperParameters>): RunOptions['request'] {
  return { params: { ...DEFAULT_HYPER_PARAMETERS, backend: 'wasm', ...params }, cacheDir: '/nonexistent-cache', locale: 'en', allowDownload: false };
}

async function run(params: Partial<HyperParameters>): Promise<TrainingEvent[]> {
  const events: TrainingEvent[] = [];
  const result = await runTutorial({ request: request(params), onEvent: (e) => events.push(e), shouldStop: () => false, loadData: realData });
  result.model?.dispose();
  return events;
}

function accuracyOf(finished: Extract<TrainingEvent, { type: 'finished' }>): number {
  const p = finished.predictions;
  let hits = 0;
  for (let i = 0; i < p.count; i++) if (p.predicted[i] === p.labels[i]) hits++;
  return hits / p.count;
}

test('validation split: the last fraction of the (limited) training images, before shuffling, validates', () => {
  const images = new Uint8Array(10 * 784);
  const labels = Uint8Array.from({ length: 10 }, (_, i) => i);
  for (let i = 0; i < 10; i++) images.fill(i, i * 784, (i + 1) * 784);
  const { train, validation } = splitValidation({ images, labels, count: 10 }, 0.25);
  assert.equal(train.count, 7);
  assert.deepEqual([...train.labels], [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual([...(validation?.labels ?? [])], [7, 8, 9]);
  assert.equal(validation?.images[0], 7);
  assert.equal(validation?.images.length, 3 * 784);
  assert.equal(splitValidation({ images, labels, count: 10 }, 0).validation, undefined);
});

test('with a validation split every epoch reports validation metrics and the held-out images are not trained on', async () => {
  const events = await run({ epochs: 2, trainLimit: 1000, testLimit: 500, validationSplit: 0.2 });
  const started = events.find((e) => e.type === 'started');
  assert.ok(started?.type === 'started');
  assert.equal(started.trainCount, 800);
  assert.equal(started.validationCount, 200);
  assert.equal(started.batchesPerEpoch, Math.ceil(800 / 32));
  const epochs = events.flatMap((e) => (e.type === 'epoch' ? [e.metrics] : []));
  assert.equal(epochs.length, 2);
  for (const m of epochs) assert.ok(m.valLoss !== undefined && m.valAccuracy !== undefined && m.valAccuracy > 0.3, JSON.stringify(m));
  const finished = events.at(-1);
  assert.ok(finished?.type === 'finished');
  assert.equal(finished.outcome.monitoredOn, 'validation');
  assert.equal(finished.outcome.end, 'completed');
  assert.equal(finished.outcome.weights, 'last');
});

test('early stopping ends the run after patience epochs without improvement; restore_best_weights keeps the best epoch', async () => {
  // min_delta 1 on val_loss: nothing after the first epoch counts as an improvement, so patience 1 stops after epoch 2.
  const events = await run({
    epochs: 6, trainLimit: 1200, testLimit: 600, validationSplit: 0.25,
    earlyStopping: true, patience: 1, minDelta: 1, restoreBestWeights: true,
  });
  const finished = events.at(-1);
  assert.ok(finished?.type === 'finished', JSON.stringify(events.at(-1)));
  assert.equal(events.filter((e) => e.type === 'epoch').length, 2);
  assert.deepEqual(finished.outcome, { end: 'earlyStopped', epochsRun: 2, monitor: 'val_loss', monitoredOn: 'validation', bestEpoch: 1, weights: 'best', patience: 1 });
  // The predictions are made with the restored weights: their accuracy is epoch 1's test accuracy, not epoch 2's.
  const [first, second] = finished.history;
  assert.notEqual(first.testAccuracy, second.testAccuracy);
  assert.ok(Math.abs(accuracyOf(finished) - first.testAccuracy) < 1e-9, `${accuracyOf(finished)} vs ${first.testAccuracy}`);
});

test('without a validation split the test set is monitored, and without restore the last weights stay', async () => {
  const events = await run({ epochs: 3, trainLimit: 900, testLimit: 600, earlyStopping: true, patience: 0, minDelta: 1 });
  const finished = events.at(-1);
  assert.ok(finished?.type === 'finished');
  assert.equal(finished.outcome.monitoredOn, 'test');
  assert.equal(finished.outcome.epochsRun, 2);
  assert.equal(finished.outcome.weights, 'last');
  assert.ok(Math.abs(accuracyOf(finished) - finished.history[1].testAccuracy) < 1e-9);
});

test('every run is kept in the history: record with settings, seed, backend, tfjs version, checksum, epochs, confusion; the model is a standard Sequential', async () => {
  const history = new RunHistory(mkdtempSync(join(tmpdir(), 'kept-runs-')));
  const events: TrainingEvent[] = [];
  const architecture = { hiddenLayers: [{ units: 32, dropout: 0.2 }, { units: 16, dropout: 0 }], l2: 0.0001 };
  const result = await runTutorial({
    request: request({ epochs: 2, trainLimit: 600, testLimit: 300, architecture, seed: 5 }),
    onEvent: (e) => events.push(e),
    shouldStop: () => false,
    loadData: realData,
    keepRun: (tf, model, record) => keepRun(tf, history, model, record),
  });
  result.model?.dispose();
  const finished = events.at(-1);
  assert.ok(finished?.type === 'finished' && finished.keptRunId !== undefined, JSON.stringify(finished?.type === 'finished' ? finished.historyError : finished));
  const record = await history.load(finished.keptRunId);
  assert.deepEqual(record.params.architecture, architecture);
  assert.equal(record.params.seed, 5);
  assert.equal(record.backend, 'wasm');
  assert.match(record.tfjsVersion, /^\d+\.\d+\.\d+/);
  assert.match(record.dataChecksum, /^[0-9a-f]{64}$/);
  assert.equal(record.history.length, 2);
  assert.equal(record.outcome.end, 'completed');
  assert.equal(record.confusion?.flat().reduce((a, b) => a + b, 0), 300);
  assert.ok(record.durationSeconds > 0);
  const { tf } = await selectBackend('wasm', () => undefined);
  const { model } = await loadModel(tf, history.modelDir(record.id));
  assert.deepEqual(model.layers.map((l) => l.getClassName()), ['Flatten', 'Dense', 'Dropout', 'Dense', 'Dense']);
  model.dispose();
});

test('a stopped run is kept too, with how it ended', async () => {
  const history = new RunHistory(mkdtempSync(join(tmpdir(), 'kept-runs-')));
  const events: TrainingEvent[] = [];
  let epochs = 0;
  await runTutorial({
    request: request({ epochs: 5, trainLimit: 600, testLimit: 300 }),
    onEvent: (e) => {
      events.push(e);
      if (e.type === 'epoch') epochs += 1;
    },
    shouldStop: () => epochs >= 1,
    loadData: realData,
    keepRun: (tf, model, record) => keepRun(tf, history, model, record),
  }).then((r) => r.model?.dispose());
  const stopped = events.at(-1);
  assert.ok(stopped?.type === 'stopped' && stopped.keptRunId !== undefined);
  const record = await history.load(stopped.keptRunId);
  assert.equal(record.outcome.end, 'stopped');
  assert.equal(record.outcome.epochsRun, 1);
  assert.equal(record.confusion, undefined);
});
