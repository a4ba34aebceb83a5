import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectBackend } from '../../src/training/backend';
import { TrainerError } from '../../src/core/errors';
import { buildTutorialModel, summarize, validateHyperParameters } from '../../src/training/model';
import { DEFAULT_HYPER_PARAMETERS, type HyperParameters } from '../../src/domain/hyperParameters';

test('the tutorial model has the tutorial shapes and 101,770 parameters', async () => {
  const { tf } = await selectBackend('cpu');
  const model = buildTutorialModel(tf, DEFAULT_HYPER_PARAMETERS);
  const summary = summarize(model);
  assert.deepEqual(
    summary.layers.map((l) => [l.className, l.outputShape, l.params]),
    [
      ['Flatten', [null, 784], 0],
      ['Dense', [null, 128], 100480],
      ['Dense', [null, 10], 1290],
    ],
  );
  assert.equal(summary.totalParams, 101770);
  assert.equal(summary.trainableParams, 101770);
  assert.equal(summary.optimizer, 'Adam');
  model.dispose();
});

test('weights are Glorot-uniform (seeded) and biases zero', async () => {
  const { tf } = await selectBackend('cpu');
  const a = buildTutorialModel(tf, DEFAULT_HYPER_PARAMETERS);
  const b = buildTutorialModel(tf, DEFAULT_HYPER_PARAMETERS);
  const c = buildTutorialModel(tf, { ...DEFAULT_HYPER_PARAMETERS, seed: 7 });
  const [wa, ba] = a.getWeights().map((w) => w.dataSync());
  const wb = b.getWeights()[0].dataSync();
  const wc = c.getWeights()[0].dataSync();
  const limit = Math.sqrt(6 / (784 + 128));
  assert.ok(wa.every((v) => Math.abs(v) <= limit));
  assert.ok(Math.max(...wa) > limit * 0.99, 'values should fill the Glorot range');
  assert.ok(ba.every((v) => v === 0));
  assert.deepEqual(wa, wb, 'the same seed gives the same weights');
  assert.notDeepEqual(wa, wc, 'another seed gives other weights');
  for (const m of [a, b, c]) m.dispose();
});

function rejects(params: Partial<HyperParameters>, pattern: RegExp, trainCount?: number): void {
  assert.throws(
    () => validateHyperParameters({ ...DEFAULT_HYPER_PARAMETERS, ...params }, trainCount),
    (error: unknown) => error instanceof TrainerError && error.code === 'INVALID_PARAMS' && pattern.test(error.message),
  );
}

test('each bad hyper-parameter is refused with its own sentence', () => {
  validateHyperParameters(DEFAULT_HYPER_PARAMETERS, 60000);
  rejects({ epochs: 0 }, /number of epochs must be a whole number of at least 1 \(got 0\)/);
  rejects({ epochs: 2.5 }, /epochs/);
  rejects({ epochs: 100000 }, /epochs must be at most/);
  rejects({ batchSize: 0 }, /batch size must be a whole number/);
  rejects({ batchSize: 64 }, /batch size \(64\) is larger than the number of training images \(50\)/, 50);
  rejects({ batchSize: 64, trainLimit: 10 }, /\(10\)/, 60000);
  rejects({ learningRate: 0 }, /learning rate must be a number greater than 0/);
  rejects({ learningRate: -1 }, /learning rate/);
  rejects({ learningRate: Number.NaN }, /learning rate/);
  rejects({ hiddenUnits: 0 }, /hidden units/);
  rejects({ seed: 1.5 }, /seed/);
  rejects({ backend: 'gpu' as never }, /backend must be one of/);
  rejects({ trainLimit: 0 }, /training image limit/);
  rejects({ testLimit: -3 }, /test image limit/);
});

test('several problems are all named at once', () => {
  assert.throws(
    () => validateHyperParameters({ ...DEFAULT_HYPER_PARAMETERS, epochs: 0, learningRate: 0 }),
    (error: unknown) =>
      error instanceof TrainerError && /epochs/.test(error.message) && /learning rate/.test(error.message),
  );
});

test('disposing the model releases its optimizer too', async () => {
  const { tf } = await selectBackend('cpu');
  const before = tf.memory().numTensors;
  const model = buildTutorialModel(tf, DEFAULT_HYPER_PARAMETERS);
  assert.ok(tf.memory().numTensors > before);
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
});
