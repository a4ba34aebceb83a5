import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectBackend } from '../../src/training/backend';
import { buildModel, summarize } from '../../src/training/model';
import { DEFAULT_HYPER_PARAMETERS } from '../../src/domain/hyperParameters';

test('the tutorial model has the tutorial shapes and 101,770 parameters', async () => {
  const { tf } = await selectBackend('cpu');
  const model = buildModel(tf, DEFAULT_HYPER_PARAMETERS);
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
  const a = buildModel(tf, DEFAULT_HYPER_PARAMETERS);
  const b = buildModel(tf, DEFAULT_HYPER_PARAMETERS);
  const c = buildModel(tf, { ...DEFAULT_HYPER_PARAMETERS, seed: 7 });
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

test('disposing the model releases its optimizer too', async () => {
  const { tf } = await selectBackend('cpu');
  const before = tf.memory().numTensors;
  const model = buildModel(tf, DEFAULT_HYPER_PARAMETERS);
  assert.ok(tf.memory().numTensors > before);
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
});
