// Conv networks on the tfjs-ops path: the Keras-style model (layers, shapes, parameters, initializers),
// training steps equal to tfjs's own (LayersModel.trainOnBatch on the cpu backend, from the same weights),
// the ops evaluation, and the standard tfjs layers files (saved, loaded by tfjs, classified).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tensor } from '@tensorflow/tfjs';
import { selectBackend } from '../../src/training/backend';
import { architectureOf, buildNetworkModel, summarize } from '../../src/training/model';
import { createRng } from '../../src/training/seededRandom';
import { shuffledIndices } from '../../src/training/shuffling';
import { createTrainer } from '../../src/training/trainingPath';
import { predictAll } from '../../src/training/predictAll';
import { loadModel, saveModel } from '../../src/training/modelStore';
import { predictInputs } from '../../src/training/classify';
import { checkModelArchitecture } from '../../src/core/modelFiles/architecture';
import type { Architecture } from '../../src/domain/architecture';
import { parameterCount } from '../../src/domain/networkLayers';
import { summaryOf } from '../../src/domain/modelSummary';
import { DEFAULT_HYPER_PARAMETERS } from '../../src/domain/hyperParameters';
import type { RunRecord } from '../../src/domain/runRecord';
import { batchOf, maxDifference, syntheticSplit } from './syntheticTraining';

/** The issue's CNN: Conv2D(8, 5×5)+pool, Conv2D(16, 5×5)+pool, Flatten, Dense(64), Dense(10). */
const ISSUE_CNN: Architecture = { convLayers: [{ filters: 8, kernelSize: 5 }, { filters: 16, kernelSize: 5 }], hiddenLayers: [{ units: 64, dropout: 0 }], l2: 0 };
/** Small, with an even kernel (TensorFlow pads 'same' unevenly then) and L2 on the Dense kernels. */
const SMALL_CNN: Architecture = { convLayers: [{ filters: 3, kernelSize: 4 }, { filters: 5, kernelSize: 3 }], hiddenLayers: [{ units: 12, dropout: 0 }], l2: 0.001 };

test('the summary of the settings (summaryOf, no model built) is the built model\'s, layer for layer, for MLPs and conv networks', async () => {
  const { tf } = await selectBackend('cpu');
  const architectures: Architecture[] = [
    { hiddenLayers: [{ units: 128, dropout: 0 }], l2: 0 },
    { hiddenLayers: [{ units: 512, dropout: 0.2 }, { units: 256, dropout: 0 }, { units: 64, dropout: 0.5 }], l2: 0.001 },
    { hiddenLayers: [], l2: 0 },
    ISSUE_CNN,
    { convLayers: [{ filters: 32, kernelSize: 3 }, { filters: 64, kernelSize: 3 }], hiddenLayers: [{ units: 128, dropout: 0.25 }], l2: 0 },
    { convLayers: [{ filters: 3, kernelSize: 7 }, { filters: 5, kernelSize: 2 }, { filters: 6, kernelSize: 1 }], hiddenLayers: [], l2: 0 },
  ];
  for (const architecture of architectures) {
    const model = buildNetworkModel(tf, architecture, { learningRate: 0.001, seed: 3 });
    assert.deepEqual(summaryOf(architecture), summarize(model), JSON.stringify(architecture));
    assert.equal(parameterCount(architecture), model.countParams());
    model.dispose();
  }
});

test('the issue\'s CNN is a Keras Sequential of 54,314 parameters, summarized per layer and read back the same', async () => {
  const { tf } = await selectBackend('cpu');
  const model = buildNetworkModel(tf, ISSUE_CNN, { learningRate: 0.001, seed: 1 });
  const summary = summarize(model);
  assert.deepEqual(
    summary.layers.map((l) => [l.name, l.className, l.outputShape, l.params]),
    [
      ['reshape', 'Reshape', [null, 28, 28, 1], 0],
      ['conv2d', 'Conv2D', [null, 28, 28, 8], 5 * 5 * 1 * 8 + 8],
      ['max_pooling2d', 'MaxPooling2D', [null, 14, 14, 8], 0],
      ['conv2d_1', 'Conv2D', [null, 14, 14, 16], 5 * 5 * 8 * 16 + 16],
      ['max_pooling2d_1', 'MaxPooling2D', [null, 7, 7, 16], 0],
      ['flatten', 'Flatten', [null, 784], 0],
      ['dense', 'Dense', [null, 64], 784 * 64 + 64],
      ['dense_1', 'Dense', [null, 10], 64 * 10 + 10],
    ],
  );
  assert.equal(summary.totalParams, 54_314);
  assert.equal(summary.trainableParams, 54_314);
  assert.equal(parameterCount(ISSUE_CNN), 54_314, 'the tfjs-free count agrees with tfjs');
  assert.deepEqual(architectureOf(model), ISSUE_CNN);
  // Keras's initializers: Glorot-uniform kernels in [kh, kw, in, out] within ±√(6/(fan_in+fan_out)), zero biases.
  const [kernel, bias] = model.layers[1].getWeights();
  assert.deepEqual(kernel.shape, [5, 5, 1, 8]);
  const limit = Math.sqrt(6 / (5 * 5 * 1 + 5 * 5 * 8));
  const values = kernel.dataSync();
  assert.ok(values.every((v) => Math.abs(v) <= limit) && Math.max(...values.map(Math.abs)) > limit * 0.9, 'Glorot-uniform bounds');
  assert.ok(bias.dataSync().every((v) => v === 0));
  model.dispose();
});

for (const backend of ['cpu', 'wasm'] as const) {
  test(`${backend}: the ops trainer's conv steps are tfjs's trainOnBatch (cpu) steps from the same weights`, async () => {
    const data = syntheticSplit(2 * 16 + 5, 4);
    const order = shuffledIndices(data.count, createRng(5));
    const params = { learningRate: 0.003, seed: 3 };
    const batches = [[0, 16], [16, 16], [32, 5]];

    const { tf } = await selectBackend(backend, () => undefined);
    const fastModel = buildNetworkModel(tf, SMALL_CNN, params);
    const initial = fastModel.getWeights().map((w) => w.dataSync().slice());
    const trainer = createTrainer(tf, fastModel, { learningRate: params.learningRate, epsilonForm: 'tfjs', batchSize: 16, path: 'ops' });
    assert.equal(trainer.path, 'tfjs-ops', 'asked for, conv networks train on tfjs ops');
    for (const [start, size] of batches) trainer.trainBatch(data, order, start, size);
    const fast = trainer.weights();
    const fastLoss = trainer.readMetrics();
    const fastEvaluation = trainer.evaluate(data);
    trainer.dispose();
    fastModel.dispose();

    const { tf: cpu } = await selectBackend('cpu');
    const kerasModel = buildNetworkModel(cpu, SMALL_CNN, params);
    kerasModel.setWeights(kerasModel.getWeights().map((w, i) => cpu.tensor(initial[i], w.shape)));
    let lossSum = 0;
    for (const [start, size] of batches) {
      const { xs, ys } = batchOf(cpu, data, order, start, size);
      lossSum += ((await kerasModel.trainOnBatch(xs, ys)) as number[])[0] * size;
      xs.dispose();
      ys.dispose();
    }
    const keras = kerasModel.getWeights().map((w) => w.dataSync());
    assert.equal(fast.length, 8);
    for (let i = 0; i < fast.length; i++) assert.ok(maxDifference(fast[i], keras[i]) < 3e-5, `weights ${i} differ by ${maxDifference(fast[i], keras[i])}`);
    assert.ok(Math.abs(fastLoss.loss - lossSum / data.count) < 1e-4, `loss ${fastLoss.loss} vs ${lossSum / data.count}`);
    // The ops evaluation is tfjs's evaluate on the trained weights, plus the L2 penalty over the Dense
    // kernels that Keras's evaluate reports (tfjs's leaves it out).
    const { xs, ys } = batchOf(cpu, data, Int32Array.from({ length: data.count }, (_, i) => i), 0, data.count);
    const [loss, accuracy] = (kerasModel.evaluate(xs, ys, { batchSize: 64 }) as Tensor[]).map((s) => s.dataSync()[0]);
    const penalty = SMALL_CNN.l2 * [keras[4], keras[6]].reduce((sum, kernel) => sum + Array.from(kernel).reduce((a, w) => a + w * w, 0), 0);
    assert.ok(Math.abs(fastEvaluation.loss - (loss + penalty)) < 1e-4, `evaluation loss ${fastEvaluation.loss} vs ${loss} + ${penalty}`);
    assert.ok(Math.abs(fastEvaluation.accuracy - accuracy) < 1e-6);
    xs.dispose();
    ys.dispose();
    kerasModel.dispose();
  });
}

test('a conv model saves in the standard tfjs layers format, loads with tfjs, predicts and classifies the same', async () => {
  const { tf } = await selectBackend('cpu');
  const model = buildNetworkModel(tf, ISSUE_CNN, { learningRate: 0.001, seed: 9 });
  const dir = mkdtempSync(join(tmpdir(), 'conv-model-'));
  try {
    const record = { params: { ...DEFAULT_HYPER_PARAMETERS, architecture: ISSUE_CNN } } as unknown as RunRecord;
    await saveModel(tf, model, record, join(dir, 'model'));
    const json = JSON.parse(readFileSync(join(dir, 'model', 'model.json'), 'utf8'));
    const classes = json.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name);
    assert.deepEqual(classes, ['Reshape', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dense']);
    assert.deepEqual(json.weightsManifest[0].weights[0].shape, [5, 5, 1, 8], 'the kernel in Keras\'s [kh, kw, in, out] layout');
    assert.equal(checkModelArchitecture(json), 'probabilities');
    // tfjs's own reader, straight from the files.
    const weights = readFileSync(join(dir, 'model', 'weights.bin'));
    const direct = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) }),
    );
    const { model: loaded } = await loadModel(tf, join(dir, 'model'));
    assert.deepEqual(architectureOf(loaded), ISSUE_CNN);
    const images = syntheticSplit(7, 3);
    const expected = predictAll(tf, model, images).probabilities;
    for (const other of [loaded, direct]) assert.ok(maxDifference(predictAll(tf, other, images).probabilities, expected) < 1e-6);
    const inputs = Array.from({ length: 7 }, (_, i) => images.images.subarray(i * 784, (i + 1) * 784));
    const classified = predictInputs(tf, loaded, inputs);
    assert.ok(maxDifference(classified.flat(), Array.from(expected)) < 1e-5);
    loaded.dispose();
    direct.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    model.dispose();
  }
});

test('predictions of a conv model go in chunks and equal one batch through the model', async () => {
  const { tf } = await selectBackend('cpu');
  const model = buildNetworkModel(tf, SMALL_CNN, { learningRate: 0.001, seed: 2 });
  const images = syntheticSplit(1203, 8);
  const chunked = predictAll(tf, model, images);
  const whole = tf.tidy(() => (model.predict(tf.tensor3d(Float32Array.from(images.images, (v) => v / 255), [1203, 28, 28])) as Tensor).dataSync());
  assert.ok(maxDifference(chunked.probabilities, whole) < 1e-6);
  assert.equal(chunked.count, 1203);
  model.dispose();
});
