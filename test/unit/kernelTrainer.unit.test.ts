// Whole training steps of the compiled kernels against tfjs's own LayersModel.trainOnBatch from the same
// weights, over widths, depths, batch sizes, dropout (replayed with the kernels' mask) and L2.
import assert from 'node:assert/strict';
import { variantTest } from './kernelTestVariants';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { selectBackend, type Tf } from '../../src/training/backend';
import { architectureOf, buildNetworkModel } from '../../src/training/model';
import { createRng } from '../../src/training/seededRandom';
import { shuffledIndices } from '../../src/training/shuffling';
import type { Architecture } from '../../src/domain/architecture';
import { KernelTrainer } from '../../src/training/kernels/kernelTrainer';
import { assertLearnsWithFlatTensors, assertSameEvaluation, assertSameSteps, batchOf, syntheticSplit } from './syntheticTraining';

/**
 * The reference: the same Sequential, each Dropout replaced by a layer multiplying by a mask given
 * before each step (Keras's inverted dropout with that mask: kept units scaled by 1/(1-rate)).
 */
function referenceModel(tf: Tf, architecture: Architecture, seed: number): { model: LayersModel; masks: { mask?: Tensor }[] } {
  class FixedMask extends tf.layers.Layer {
    static className = 'FixedMask';
    mask?: Tensor;
    override call(inputs: Tensor | Tensor[]): Tensor {
      const input = Array.isArray(inputs) ? inputs[0] : inputs;
      return this.mask === undefined ? input : tf.mul(input, this.mask);
    }
  }
  const masks: FixedMask[] = [];
  const regularizer = architecture.l2 > 0 ? { kernelRegularizer: tf.regularizers.l2({ l2: architecture.l2 }) } : {};
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [28, 28] }));
  architecture.hiddenLayers.forEach((hidden, index) => {
    model.add(tf.layers.dense({ units: hidden.units, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + index }), ...regularizer }));
    if (hidden.dropout > 0) {
      const layer = new FixedMask({});
      masks.push(layer);
      model.add(layer);
    }
  });
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', ...regularizer }));
  model.compile({ optimizer: tf.train.adam(0.001, 0.9, 0.999, 1e-7), loss: 'sparseCategoricalCrossentropy' });
  return { model, masks };
}

interface Case {
  hidden: [number, number][];
  l2: number;
  batch: number;
}

const cases: Case[] = [
  { hidden: [[128, 0]], l2: 0, batch: 32 },
  { hidden: [[1, 0]], l2: 0, batch: 1 },
  { hidden: [[33, 0]], l2: 1e-3, batch: 7 },
  { hidden: [[500, 0.2]], l2: 0, batch: 32 },
  { hidden: [[512, 0]], l2: 1e-4, batch: 7 },
  { hidden: [[100, 0.5], [33, 0], [50, 0.2]], l2: 1e-4, batch: 7 },
  { hidden: [[512, 0.2], [256, 0.2]], l2: 0, batch: 32 },
];

for (const c of cases) {
  const architecture: Architecture = { hiddenLayers: c.hidden.map(([units, dropout]) => ({ units, dropout })), l2: c.l2 };
  const name = `784-${c.hidden.map(([units, rate]) => (rate > 0 ? `${units}(dropout ${rate})` : units)).join('-')}-10${c.l2 > 0 ? `, l2 ${c.l2}` : ''}, batch ${c.batch}`;
  variantTest(`kernels, ${name}: the same Adam steps as LayersModel.trainOnBatch, a short last batch included`, async (instructions) => {
    const { tf } = await selectBackend('cpu', () => undefined);
    const tensorsBefore = tf.memory().numTensors;
    const model = buildNetworkModel(tf, architecture, { learningRate: 0.001, seed: 3 });
    assert.deepEqual(architectureOf(model), architecture);
    const reference = referenceModel(tf, architecture, 3);
    reference.model.setWeights(model.getWeights());
    const initial = model.getWeights().map((w) => w.dataSync().slice());
    const trainer = new KernelTrainer(tf, model, { learningRate: 0.001, epsilonForm: 'tfjs', batchSize: c.batch, architecture, seed: 9, instructions });
    const lastSize = Math.max(1, Math.floor(c.batch / 2));
    const sizes = [c.batch, c.batch, c.batch, c.batch, lastSize];
    const data = syntheticSplit(sizes.reduce((a, b) => a + b, 0), 11);
    const order = shuffledIndices(data.count, createRng(5));
    let start = 0;
    for (const size of sizes) {
      trainer.trainBatch(data, order, start, size);
      const masks = trainer.lastDropoutMasks(size).filter((m) => m !== undefined);
      reference.masks.forEach((layer, i) => {
        layer.mask = tf.tensor2d(masks[i], [size, masks[i].length / size]);
      });
      const { xs, ys } = batchOf(tf, data, order, start, size);
      await reference.model.trainOnBatch(xs, ys);
      tf.dispose([xs, ys, ...reference.masks.map((layer) => layer.mask as Tensor)]);
      start += size;
    }
    const ours = trainer.weights();
    const keras = reference.model.getWeights().map((w) => w.dataSync());
    assert.equal(ours.length, keras.length);
    assertSameSteps(ours, keras, initial, 1e-3);
    trainer.dispose();
    model.dispose();
    reference.model.optimizer.dispose();
    reference.model.dispose();
    assert.equal(tf.memory().numTensors, tensorsBefore);
  });
}

variantTest('kernels: a two-layer net with dropout and L2 learns; evaluate matches LayersModel.evaluate (L2 term included); tensors stay flat', async (instructions) => {
  const { tf } = await selectBackend('wasm', () => undefined);
  const architecture: Architecture = { hiddenLayers: [{ units: 70, dropout: 0.3 }, { units: 33, dropout: 0 }], l2: 1e-4 };
  const train = syntheticSplit(2000, 1);
  const heldOut = syntheticSplit(500, 2);
  const model = buildNetworkModel(tf, architecture, { learningRate: 0.003, seed: 1 });
  const trainer = new KernelTrainer(tf, model, { learningRate: 0.003, batchSize: 50, architecture, seed: 4, instructions });
  assertLearnsWithFlatTensors(tf, trainer, train, heldOut, 50);
  const ours = trainer.evaluate(heldOut);
  assert.ok(ours.accuracy > 0.8, `accuracy ${ours.accuracy}`);
  trainer.writeWeightsTo(model);
  const x = tf.tidy(() => tf.tensor3d(Float32Array.from(heldOut.images, (b) => b / 255), [heldOut.count, 28, 28]));
  const y = tf.tensor1d(Float32Array.from(heldOut.labels));
  const [loss, accuracy] = (model.evaluate(x, y, { batchSize: 500 }) as Tensor[]).map((t) => {
    const value = t.dataSync()[0];
    t.dispose();
    return value;
  });
  tf.dispose([x, y]);
  // tfjs's evaluate leaves the L2 term out of the loss; Keras's (and ours) adds λ·Σw² over the kernels.
  const kernels = model.getWeights().filter((w) => w.shape.length === 2);
  const squares = kernels.reduce((sum, w) => sum + (w.dataSync() as Float32Array).reduce((a, v) => a + v * v, 0), 0);
  assert.ok(architecture.l2 * squares > 1e-3, 'the L2 term is large enough to be seen');
  closeTo(ours.loss, loss + architecture.l2 * squares, 1e-4, 'loss');
  closeTo(ours.accuracy, accuracy, 1e-6, 'accuracy'); // tfjs's is a float32
  trainer.dispose();
  model.dispose();
});

function closeTo(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

variantTest('kernels: two threads on shared memory take bit-identical steps to one thread', async (instructions) => {
  const { tf } = await selectBackend('cpu', () => undefined);
  const architecture: Architecture = { hiddenLayers: [{ units: 65, dropout: 0.25 }, { units: 40, dropout: 0 }], l2: 1e-4 };
  const data = syntheticSplit(7 * 33, 3);
  const order = shuffledIndices(data.count, createRng(2));
  const [one, two] = ([1, 2] as const).map((threads) => {
    const model = buildNetworkModel(tf, architecture, { learningRate: 0.001, seed: 8 });
    const trainer = new KernelTrainer(tf, model, { learningRate: 0.001, batchSize: 33, architecture, seed: 6, threads, instructions });
    for (let start = 0; start < data.count; start += 33) trainer.trainBatch(data, order, start, 33);
    const result = { weights: trainer.weights(), metrics: trainer.readMetrics(), evaluation: trainer.evaluate(data) };
    // Two threads did split the steps: 7 steps × 5 split calls, and the evaluation's.
    assert.equal(trainer.helperCalls > 7 * 5 ? 2 : 1, threads, `helper calls: ${trainer.helperCalls}`);
    trainer.dispose();
    model.dispose();
    return result;
  });
  assert.deepEqual(two.weights, one.weights);
  assertSameEvaluation(two.evaluation, one.evaluation);
  closeTo(two.metrics.loss, one.metrics.loss, 1e-12, 'running loss (the L2 part summed in two halves)');
  assert.equal(two.metrics.accuracy, one.metrics.accuracy);
});

variantTest('kernels: threads \'auto\' times one thread against two, keeps one of them, and trains the same weights', async (instructions) => {
  const { tf } = await selectBackend('cpu', () => undefined);
  const architecture: Architecture = { hiddenLayers: [{ units: 24, dropout: 0 }], l2: 0 };
  const data = syntheticSplit(16 * 50, 5);
  const order = shuffledIndices(data.count, createRng(3));
  const auto = await (async () => {
    const model = buildNetworkModel(tf, architecture, { learningRate: 0.001, seed: 2 });
    const trainer = new KernelTrainer(tf, model, { learningRate: 0.001, batchSize: 16, architecture, seed: 1, threads: 'auto', instructions });
    let steps = 0;
    // Until the first choice (the helper thread takes a moment to start), at most 20,000 steps.
    while (steps < 20_000 && trainer.threadDecisions.length === 0) {
      trainer.trainBatch(data, order, (steps % 50) * 16, 16);
      steps += 1;
      if (steps % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // Predictions on the threads the steps chose.
    const result = { steps, decisions: trainer.threadDecisions.slice(), weights: trainer.weights(), predictions: trainer.predict(data) };
    // It times again soon after its first choice (within 500 steps and a trial), in case that came too early.
    for (let more = 0; more < 700 && trainer.threadDecisions.length === 1; more++) trainer.trainBatch(data, order, (more % 50) * 16, 16);
    assert.equal(trainer.threadDecisions.length, 2, 'a second choice within 700 steps of the first');
    trainer.dispose();
    model.dispose();
    return result;
  })();
  assert.equal(auto.decisions.length, 1, `a choice within ${auto.steps} steps`);
  const [decision] = auto.decisions;
  assert.ok(decision.oneThreadMs > 0 && decision.twoThreadsMs > 0);
  assert.equal(decision.threads, decision.twoThreadsMs < 0.9 * decision.oneThreadMs ? 2 : 1);
  const one = await (async () => {
    const model = buildNetworkModel(tf, architecture, { learningRate: 0.001, seed: 2 });
    const trainer = new KernelTrainer(tf, model, { learningRate: 0.001, batchSize: 16, architecture, seed: 1, threads: 1, instructions });
    for (let step = 0; step < auto.steps; step++) trainer.trainBatch(data, order, (step % 50) * 16, 16);
    const result = { weights: trainer.weights(), predictions: trainer.predict(data) };
    trainer.dispose();
    model.dispose();
    return result;
  })();
  assert.deepEqual(auto.weights, one.weights, 'the steps split or not give the same weights');
  assert.deepEqual(auto.predictions, one.predictions, 'the same predictions on two threads as on one');
});
