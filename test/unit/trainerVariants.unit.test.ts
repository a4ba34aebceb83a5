// The tfjs ops trainer (the path when the kernels are not built, or asked for) on the model variants:
// deeper networks, L2 and dropout take the same steps as tfjs's own training (trainOnBatch; for dropout, autodiff and tfjs's Adam with the same masks).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { selectBackend } from '../../src/training/backend';
import { architectureOf, buildNetworkModel, summarize } from '../../src/training/model';
import { dropoutMask, dropoutRng } from '../../src/training/dropoutMasks';
import { OpsTrainer } from '../../src/training/opsTrainer';
import { createRng } from '../../src/training/seededRandom';
import { shuffledIndices } from '../../src/training/shuffling';
import { createTrainer } from '../../src/training/trainingPath';
import type { Architecture } from '../../src/domain/architecture';
import { batchOf, maxDifference, syntheticSplit } from './syntheticTraining';

const DEEP_L2: Architecture = { hiddenLayers: [{ units: 48, dropout: 0 }, { units: 24, dropout: 0 }], l2: 0.001 };

test('a deeper network is a standard Sequential of exactly its layers, read back the same', async () => {
  const { tf } = await selectBackend('cpu');
  const architecture: Architecture = { hiddenLayers: [{ units: 64, dropout: 0.2 }, { units: 32, dropout: 0 }], l2: 0.0001 };
  const model = buildNetworkModel(tf, architecture, { learningRate: 0.001, seed: 1 });
  const summary = summarize(model);
  assert.deepEqual(
    summary.layers.map((l) => [l.name, l.className, l.outputShape, l.params]),
    [
      ['flatten', 'Flatten', [null, 784], 0],
      ['dense', 'Dense', [null, 64], 784 * 64 + 64],
      ['dropout', 'Dropout', [null, 64], 0],
      ['dense_1', 'Dense', [null, 32], 64 * 32 + 32],
      ['dense_2', 'Dense', [null, 10], 32 * 10 + 10],
    ],
  );
  assert.deepEqual(architectureOf(model), architecture);
  model.dispose();
});

for (const backend of ['cpu', 'wasm'] as const) {
  test(`${backend}: a deeper network with L2 takes the same Adam steps as trainOnBatch`, async () => {
    const { tf } = await selectBackend(backend, () => undefined);
    const data = syntheticSplit(3 * 32 + 8, 4);
    const params = { learningRate: 0.002, seed: 3 };
    const fastModel = buildNetworkModel(tf, DEEP_L2, params);
    const kerasModel = buildNetworkModel(tf, DEEP_L2, params);
    kerasModel.setWeights(fastModel.getWeights());
    const trainer = createTrainer(tf, fastModel, { learningRate: params.learningRate, epsilonForm: 'tfjs', batchSize: 32, path: 'ops' });
    assert.equal(trainer.path, 'tfjs-ops', 'the ops path trains any MLP when asked for');
    const order = shuffledIndices(data.count, createRng(5));
    let kerasLoss = 0;
    for (const [start, size] of [[0, 32], [32, 32], [64, 32], [96, 8]]) {
      trainer.resetMetrics();
      trainer.trainBatch(data, order, start, size);
      const { xs, ys } = batchOf(tf, data, order, start, size);
      const result = (await kerasModel.trainOnBatch(xs, ys)) as number[];
      kerasLoss = result[0];
      xs.dispose();
      ys.dispose();
    }
    const fast = trainer.weights();
    const keras = kerasModel.getWeights().map((w) => w.dataSync());
    assert.equal(fast.length, 6);
    for (let i = 0; i < fast.length; i++) assert.ok(maxDifference(fast[i], keras[i]) < 3e-5, `weights ${i} differ by ${maxDifference(fast[i], keras[i])}`);
    // The loss includes the L2 penalty, as Keras reports it: the last batch's loss is tfjs's.
    assert.ok(Math.abs(trainer.readMetrics().loss - kerasLoss) < 1e-4, `loss ${trainer.readMetrics().loss} vs ${kerasLoss}`);
    trainer.dispose();
    fastModel.dispose();
    kerasModel.dispose();
  });
}

test('dropout: the step is autodiff through the same inverted-dropout masks, with tfjs’s Adam', async () => {
  const { tf } = await selectBackend('cpu');
  const architecture: Architecture = { hiddenLayers: [{ units: 40, dropout: 0.3 }, { units: 20, dropout: 0.5 }], l2: 0.0005 };
  const seed = 7;
  const learningRate = 0.003;
  const model = buildNetworkModel(tf, architecture, { learningRate, seed });
  const trainer = new OpsTrainer(tf, model, { learningRate, epsilonForm: 'tfjs', seed });
  const data = syntheticSplit(64, 2);
  const order = shuffledIndices(data.count, createRng(1));

  const variables: Variable[] = model.getWeights().map((w) => tf.variable(w.clone()));
  const optimizer = tf.train.adam(learningRate, 0.9, 0.999, 1e-7);
  const rng = dropoutRng(seed);
  for (const start of [0, 32]) {
    trainer.trainBatch(data, order, start, 32);
    const masks = architecture.hiddenLayers.map((layer) => dropoutMask(rng, 32, layer.units, layer.dropout));
    const { xs, ys } = batchOf(tf, data, order, start, 32);
    optimizer.minimize(() => {
      let h: Tensor = xs.reshape([32, 784]);
      architecture.hiddenLayers.forEach((layer, i) => {
        h = tf.mul(tf.relu(tf.add(tf.matMul(h, variables[2 * i]), variables[2 * i + 1])), tf.tensor2d(masks[i], [32, layer.units]));
      });
      const logits = tf.add(tf.matMul(h, variables[4]), variables[5]);
      const crossEntropy = tf.losses.softmaxCrossEntropy(tf.oneHot(ys.toInt(), 10), logits);
      const penalty = tf.mul(tf.addN([0, 2, 4].map((i) => tf.sum(tf.square(variables[i])))), architecture.l2);
      return tf.add(crossEntropy, penalty) as never;
    });
    xs.dispose();
    ys.dispose();
  }
  const fast = trainer.weights();
  variables.forEach((variable, i) => {
    const difference = maxDifference(fast[i], variable.dataSync());
    assert.ok(difference < 3e-5, `weights ${i} differ by ${difference}`);
  });
  // About `rate` of the units are dropped, and the kept ones are scaled by 1/(1-rate).
  const mask = dropoutMask(createRng(3), 100, 100, 0.3);
  const dropped = mask.filter((v) => v === 0).length / mask.length;
  assert.ok(Math.abs(dropped - 0.3) < 0.03, `dropped ${dropped}`);
  assert.ok(mask.every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6));
  // Evaluation is inference: no dropout, the same result twice.
  assert.deepEqual(trainer.evaluate(data), trainer.evaluate(data));
  variables.forEach((v) => v.dispose());
  optimizer.dispose();
  trainer.dispose();
  model.dispose();
});

test('a regularized network learns on the ops path, and tensors stay flat', async () => {
  const { tf } = await selectBackend('cpu');
  const train = syntheticSplit(1200, 1);
  const model = buildNetworkModel(tf, { hiddenLayers: [{ units: 32, dropout: 0.2 }, { units: 16, dropout: 0.2 }], l2: 0.0001 }, { learningRate: 0.005, seed: 1 });
  const trainer = createTrainer(tf, model, { learningRate: 0.005, batchSize: 64, seed: 1, path: 'ops' });
  const rng = createRng(9);
  const losses: number[] = [];
  const counts: number[] = [];
  for (let epoch = 0; epoch < 3; epoch++) {
    const order = shuffledIndices(train.count, rng);
    trainer.resetMetrics();
    for (let start = 0; start < train.count; start += 64) trainer.trainBatch(train, order, start, Math.min(64, train.count - start));
    losses.push(trainer.readMetrics().loss);
    trainer.evaluate(train);
    counts.push(tf.memory().numTensors);
  }
  assert.ok(losses[2] < losses[0] * 0.8, `loss ${losses.join(' -> ')}`);
  assert.equal(new Set(counts).size, 1, `tensor counts ${counts.join(', ')}`);
  trainer.dispose();
  model.dispose();
});
