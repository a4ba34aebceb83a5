import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectBackend } from '../../src/training/backend';
import { buildTutorialModel } from '../../src/training/model';
import { OpsTrainer } from '../../src/training/opsTrainer';
import { createRng } from '../../src/training/seededRandom';
import { shuffledIndices } from '../../src/training/shuffling';
import type { Trainer } from '../../src/training/trainer';
import { KernelTrainer } from '../../src/training/kernels/kernelTrainer';
import { TUTORIAL_ARCHITECTURE } from '../../src/domain/architecture';
import { assertLearnsWithFlatTensors, assertSameSteps, batchOf, syntheticSplit } from './syntheticTraining';
import type { Tf } from '../../src/training/backend';
import type { LayersModel } from '@tensorflow/tfjs';
import type { BackendChoice } from '../../src/domain/hyperParameters';

type MakeTrainer = (tf: Tf, model: LayersModel, options: { learningRate: number; epsilonForm: 'tfjs'; batchSize: number }) => Trainer;
const paths: [string, BackendChoice, MakeTrainer][] = [
  ['tfjs ops on cpu', 'cpu', (tf, model, o) => new OpsTrainer(tf, model, o)],
  ['tfjs ops on wasm', 'wasm', (tf, model, o) => new OpsTrainer(tf, model, o)],
  ['compiled kernels', 'wasm', (tf, model, o) => new KernelTrainer(tf, model, { ...o, architecture: TUTORIAL_ARCHITECTURE })],
];

for (const [label, backend, makeTrainer] of paths) {
  test(`${label}: the training step takes the same Adam steps as LayersModel.trainOnBatch`, async () => {
    const { tf } = await selectBackend(backend, () => undefined);
    const params = { hiddenUnits: 128, learningRate: 0.001, seed: 3 };
    const data = syntheticSplit(5 * 32 + 8, 11);
    const fastModel = buildTutorialModel(tf, params);
    const kerasModel = buildTutorialModel(tf, params);
    kerasModel.setWeights(fastModel.getWeights());
    const initial = fastModel.getWeights().map((w) => w.dataSync().slice());
    const trainer = makeTrainer(tf, fastModel, { learningRate: params.learningRate, epsilonForm: 'tfjs', batchSize: 32 });
    const order = shuffledIndices(data.count, createRng(5));
    // Five full batches and a short last one, as an epoch ends.
    const batches: [number, number][] = [[0, 32], [32, 32], [64, 32], [96, 32], [128, 32], [160, 8]];
    for (const [start, size] of batches) {
      trainer.trainBatch(data, order, start, size);
      const { xs, ys } = batchOf(tf, data, order, start, size);
      await kerasModel.trainOnBatch(xs, ys);
      xs.dispose();
      ys.dispose();
    }
    const fast = trainer.weights();
    const keras = kerasModel.getWeights().map((w) => w.dataSync());
    assert.equal(keras.length, 4, 'two Dense layers: kernel and bias each');
    assertSameSteps(fast, keras, initial, 3e-3);
    trainer.dispose();
    fastModel.dispose();
    kerasModel.dispose();
  });
}

test('wasm: learns, and tensors stay flat across epochs and evaluations', async () => {
  const { tf } = await selectBackend('wasm', () => undefined);
  const train = syntheticSplit(2000, 1);
  const test = syntheticSplit(500, 2);
  const model = buildTutorialModel(tf, { hiddenUnits: 32, learningRate: 0.005, seed: 1 });
  const trainer = new OpsTrainer(tf, model, { learningRate: 0.005 });
  assertLearnsWithFlatTensors(tf, trainer, train, test, 64);
  assert.ok(trainer.evaluate(test).accuracy > 0.8);
  trainer.writeWeightsTo(model);
  const predicted = tf.tidy(() => model.predict(tf.zeros([1, 28, 28])) as ReturnType<typeof tf.zeros>);
  assert.equal(predicted.shape[1], 10);
  predicted.dispose();
  trainer.dispose();
  model.dispose();
});

test('the shuffle is a seeded permutation', () => {
  const a = shuffledIndices(1000, createRng(4));
  const b = shuffledIndices(1000, createRng(4));
  const c = shuffledIndices(1000, createRng(5));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 1000 }, (_, i) => i));
});

test('the compiled kernels are chosen for any width and batch on every backend, tfjs ops only when asked for', async () => {
  const { createTrainer } = await import('../../src/training/trainingPath');
  const wasm = await selectBackend('wasm', () => undefined);
  const cases: [number, number, 'auto' | 'ops', string][] = [
    [128, 32, 'auto', 'wasm-kernels'],
    [64, 4096, 'auto', 'wasm-kernels'],
    [30, 32, 'auto', 'wasm-kernels'],
    [128, 4097, 'auto', 'wasm-kernels'],
    [128, 32, 'ops', 'tfjs-ops'],
  ];
  for (const [hiddenUnits, batchSize, path, expected] of cases) {
    const model = buildTutorialModel(wasm.tf, { hiddenUnits, learningRate: 0.001, seed: 1 });
    const trainer = createTrainer(wasm.tf, model, { learningRate: 0.001, batchSize, path });
    assert.equal(trainer.path, expected);
    trainer.dispose();
    model.dispose();
  }
  const cpu = await selectBackend('cpu', () => undefined);
  const model = buildTutorialModel(cpu.tf, { hiddenUnits: 128, learningRate: 0.001, seed: 1 });
  const trainer = createTrainer(cpu.tf, model, { learningRate: 0.001, batchSize: 32 });
  assert.equal(trainer.path, 'wasm-kernels');
  trainer.dispose();
  model.dispose();
});
