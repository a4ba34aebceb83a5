// The kernel trainer on conv networks (conv blocks, Flatten, Dense layers): whole training steps against
// tfjs's LayersModel.trainOnBatch (cpu backend) from the same weights, with filters off the SIMD width
// (the first Dense layer's rows padded), L2 on the Dense kernels and a short last batch; predictions
// against LayersModel.predict; two threads against one.
import assert from 'node:assert/strict';
import type { Tensor } from '@tensorflow/tfjs';
import { variantTest } from './kernelTestVariants';
import { selectBackend } from '../../src/training/backend';
import { architectureOf, buildNetworkModel } from '../../src/training/model';
import { createRng } from '../../src/training/seededRandom';
import { shuffledIndices } from '../../src/training/shuffling';
import type { Architecture } from '../../src/domain/architecture';
import { KernelTrainer } from '../../src/training/kernels/kernelTrainer';
import { createTrainer } from '../../src/training/trainingPath';
import { assertSameEvaluation, batchOf, maxDifference, syntheticSplit } from './syntheticTraining';

const ARCHITECTURE: Architecture = { convLayers: [{ filters: 6, kernelSize: 3 }, { filters: 5, kernelSize: 5 }], hiddenLayers: [{ units: 12, dropout: 0 }], l2: 1e-3 };
const LR = 0.01;

variantTest('kernels, conv 6:3,5:5 then 12 (l2): the same Adam steps as LayersModel.trainOnBatch, a short last batch included; predict matches', async (instructions) => {
  const { tf } = await selectBackend('cpu', () => undefined);
  const model = buildNetworkModel(tf, ARCHITECTURE, { learningRate: LR, seed: 5 });
  assert.deepEqual(architectureOf(model), ARCHITECTURE);
  const initial = model.getWeights().map((w) => w.dataSync().slice());
  const trainer = new KernelTrainer(tf, model, { learningRate: LR, epsilonForm: 'tfjs', batchSize: 8, architecture: ARCHITECTURE, threads: 1, instructions });
  const sizes = [8, 8, 3];
  const data = syntheticSplit(19, 7);
  const order = shuffledIndices(data.count, createRng(4));
  let start = 0;
  for (const size of sizes) {
    trainer.trainBatch(data, order, start, size);
    const { xs, ys } = batchOf(tf, data, order, start, size);
    await model.trainOnBatch(xs, ys);
    tf.dispose([xs, ys]);
    start += size;
  }
  const ours = trainer.weights();
  const keras = model.getWeights().map((w) => w.dataSync());
  assert.equal(ours.length, keras.length);
  for (let i = 0; i < keras.length; i++) {
    assert.equal(ours[i].length, keras[i].length, `weights ${i} size`);
    const moved = maxDifference(keras[i], initial[i]);
    const diff = maxDifference(ours[i], keras[i]);
    assert.ok(moved > 1e-3, `weights ${i} should have moved (moved ${moved})`);
    assert.ok(diff < 5e-5, `weights ${i} (${model.getWeights()[i].shape.join('x')}) differ by ${diff} from trainOnBatch`);
  }
  // Predictions through the conv forward, against the model with the same (tfjs-trained) weights.
  const probabilities = trainer.predict(data);
  const x = tf.tensor3d(Float32Array.from(data.images, (b) => b / 255), [data.count, 28, 28]);
  const expected = model.predict(x) as Tensor;
  const worst = maxDifference(probabilities, expected.dataSync());
  tf.dispose([x, expected]);
  assert.ok(worst < 1e-4, `predictions differ by ${worst}`);
  trainer.dispose();
  model.dispose();
});

variantTest('kernels, conv network: two threads take bit-identical steps to one; createTrainer picks the kernels', async (instructions) => {
  const { tf } = await selectBackend('cpu', () => undefined);
  const data = syntheticSplit(3 * 16, 3);
  const order = shuffledIndices(data.count, createRng(2));
  const [one, two] = ([1, 2] as const).map((threads) => {
    const model = buildNetworkModel(tf, ARCHITECTURE, { learningRate: 0.001, seed: 8 });
    const trainer = new KernelTrainer(tf, model, { learningRate: 0.001, batchSize: 16, architecture: ARCHITECTURE, threads, instructions });
    for (let start = 0; start < data.count; start += 16) trainer.trainBatch(data, order, start, 16);
    const result = { weights: trainer.weights(), evaluation: trainer.evaluate(data), helperCalls: trainer.helperCalls };
    trainer.dispose();
    model.dispose();
    return result;
  });
  assert.equal(one.helperCalls, 0);
  // Each step splits the conv blocks' calls (3 forward per block, 2 to 4 backward) besides the Dense ones.
  assert.ok(two.helperCalls > 3 * 12, `helper calls: ${two.helperCalls}`);
  assert.deepEqual(two.weights, one.weights);
  assertSameEvaluation(two.evaluation, one.evaluation);
  const model = buildNetworkModel(tf, ARCHITECTURE, { learningRate: 0.001, seed: 8 });
  const chosen = createTrainer(tf, model, { learningRate: 0.001, batchSize: 16, threads: 1 });
  assert.equal(chosen.path, 'wasm-kernels');
  chosen.dispose();
  model.dispose();
});
