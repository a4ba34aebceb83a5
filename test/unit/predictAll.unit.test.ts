// Predictions through the forward kernels against tfjs's model.apply: the same probabilities within
// 1e-5, for every instruction set, one thread and two, networks with dropout (inactive in prediction) and a
// conv network; models the kernels do not train go through tfjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectBackend } from '../../src/training/backend';
import type { Architecture } from '../../src/domain/architecture';
import { buildNetworkModel, architectureOf } from '../../src/training/model';
import { KernelTrainer } from '../../src/training/kernels/kernelTrainer';
import { kernelsRun, predictAll, tfjsProbabilities, trainerPredictions } from '../../src/training/predictAll';
import { createRng } from '../../src/training/seededRandom';
import type { ImageSplit } from '../../src/training/imageInput';
import { variantTest } from './kernelTestVariants';

function randomSplit(count: number, seed: number): ImageSplit {
  const rng = createRng(seed);
  const images = Uint8Array.from({ length: count * 784 }, () => (rng() < 0.5 ? 0 : Math.floor(rng() * 256)));
  return { images, labels: Uint8Array.from({ length: count }, () => Math.floor(rng() * 10)), count };
}

const NETWORKS: Architecture[] = [
  { hiddenLayers: [{ units: 128, dropout: 0 }], l2: 0 },
  { hiddenLayers: [{ units: 70, dropout: 0.3 }, { units: 33, dropout: 0.2 }], l2: 1e-4 },
  { convLayers: [{ filters: 5, kernelSize: 3 }, { filters: 6, kernelSize: 5 }], hiddenLayers: [{ units: 20, dropout: 0.2 }], l2: 0 },
];

function maxDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

variantTest('predictions through the forward kernels are model.apply\'s probabilities within 1e-5, one thread and two', async (instructions) => {
  const { tf } = await selectBackend('cpu', () => undefined);
  // 600 images: more than one chunk of the kernels' buffers (256), the last one short.
  const split = randomSplit(600, 3);
  for (const architecture of NETWORKS) {
    const model = buildNetworkModel(tf, architecture, { learningRate: 0.001, seed: 5 });
    // Larger weights than Glorot's, so that the probabilities are far from uniform (the conv network's four
    // weighted layers compound the gain: 2 there gives logits as large as 4 in the MLPs).
    const gain = architecture.convLayers ? 2 : 4;
    model.setWeights(model.getWeights().map((w) => tf.mul(w, gain)));
    const expected = tfjsProbabilities(tf, model, split);
    for (const threads of [1, 2] as const) {
      const trainer = new KernelTrainer(tf, model, { architecture: architectureOf(model), batchSize: 32, learningRate: 0.001, threads, instructions });
      const ours = trainer.predict(split);
      trainer.dispose();
      assert.ok(maxDifference(ours, expected) <= 1e-5, `${JSON.stringify(architecture)}, ${threads} thread(s): differs by ${maxDifference(ours, expected)}`);
      assert.ok(expected.some((p) => p > 0.9), 'some predictions are confident');
    }
    model.dispose();
  }
});

test('predictAll and a trainer\'s predictions go through the kernels for the networks they train, with the arg max and labels', async () => {
  const { tf } = await selectBackend('cpu', () => undefined);
  const split = randomSplit(300, 8);
  const model = buildNetworkModel(tf, NETWORKS[1], { learningRate: 0.001, seed: 2 });
  assert.ok(kernelsRun(model));
  const p = predictAll(tf, model, split);
  assert.equal(p.count, 300);
  assert.deepEqual(p.labels, split.labels);
  for (let i = 0; i < p.count; i++) {
    const row = Array.from(p.probabilities.subarray(i * 10, i * 10 + 10));
    assert.equal(p.predicted[i], row.indexOf(Math.max(...row)));
  }
  assert.ok(maxDifference(p.probabilities, tfjsProbabilities(tf, model, split)) <= 1e-5);
  const trainer = new KernelTrainer(tf, model, { architecture: NETWORKS[1], batchSize: 16, learningRate: 0.001, threads: 1 });
  assert.deepEqual(trainerPredictions(trainer, tf, model, split).probabilities, p.probabilities);
  trainer.dispose();
  model.dispose();
});

test('predictAll runs a conv network through the kernels, and a model with layers or settings the kernels do not train through tfjs', async () => {
  const { tf } = await selectBackend('cpu', () => undefined);
  const split = randomSplit(100, 4);
  const conv = buildNetworkModel(tf, NETWORKS[2], { learningRate: 0.001, seed: 2 });
  assert.ok(kernelsRun(conv), 'a conv network as the trainer builds it');
  assert.ok(maxDifference(predictAll(tf, conv, split).probabilities, tfjsProbabilities(tf, conv, split)) <= 1e-5);
  conv.dispose();
  const foreign = (layers: () => import('@tensorflow/tfjs').layers.Layer[]) => {
    const model = tf.sequential({ layers: layers() });
    const runs = kernelsRun(model);
    const p = predictAll(tf, model, split);
    model.dispose();
    return { runs, count: p.count };
  };
  const input = { inputShape: [28, 28] };
  const cases = {
    'a valid conv': () => [tf.layers.reshape({ ...input, targetShape: [28, 28, 1] }), tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'valid', activation: 'relu' }), tf.layers.maxPooling2d({ poolSize: 2 }), tf.layers.flatten(), tf.layers.dense({ units: 10, activation: 'softmax' })],
    'a sigmoid hidden layer': () => [tf.layers.flatten(input), tf.layers.dense({ units: 16, activation: 'sigmoid' }), tf.layers.dense({ units: 10, activation: 'softmax' })],
    'a stride-2 pool of 3': () => [tf.layers.reshape({ ...input, targetShape: [28, 28, 1] }), tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }), tf.layers.maxPooling2d({ poolSize: 3, strides: 2 }), tf.layers.flatten(), tf.layers.dense({ units: 10, activation: 'softmax' })],
    'a BatchNormalization': () => [tf.layers.flatten(input), tf.layers.dense({ units: 16, activation: 'relu' }), tf.layers.batchNormalization(), tf.layers.dense({ units: 10, activation: 'softmax' })],
  };
  for (const [name, layers] of Object.entries(cases)) {
    const { runs, count } = foreign(layers);
    assert.equal(runs, false, name);
    assert.equal(count, 100, `${name}: predicted through tfjs`);
  }
});
