import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectBackend } from '../../src/training/backend';
import { buildNetworkModel, buildTutorialModel } from '../../src/training/model';
import { denseLayers, saliencyOf } from '../../src/training/saliencyOf';
import { forward } from '../../src/core/analysis/saliency';
import { DEFAULT_HYPER_PARAMETERS } from '../../src/domain/hyperParameters';
import type { Tensor } from '@tensorflow/tfjs';

test('the saliency reads the tutorial model’s own layers: its forward pass is the model’s, and finite differences agree', async () => {
  const { tf } = await selectBackend('cpu', () => undefined);
  const model = buildTutorialModel(tf, { ...DEFAULT_HYPER_PARAMETERS, hiddenUnits: 16 });
  try {
    const input = Uint8Array.from({ length: 784 }, (_, i) => (i * 37) % 256);
    const x = Float32Array.from(input, (v) => v / 255);
    const layers = denseLayers(model);
    assert.deepEqual(layers.map((l) => [l.inputs, l.units, l.activation]), [[784, 16, 'relu'], [16, 10, 'softmax']]);
    const expected = tf.tidy(() => (model.predict(tf.tensor(x, [1, 28, 28])) as Tensor).dataSync());
    const ours = forward(layers, x).probabilities;
    for (let c = 0; c < 10; c++) assert.ok(Math.abs(ours[c] - expected[c]) < 1e-5, `class ${c}`);
    const map = saliencyOf(tf, model, input);
    const k = map.predicted;
    for (const i of [100, 400, 650]) {
      const up = Float32Array.from(x);
      const down = Float32Array.from(x);
      up[i] += 1e-3;
      down[i] -= 1e-3;
      const numeric = ((forward(layers, up).probabilities[k] - forward(layers, down).probabilities[k]) / 2e-3) * x[i];
      assert.ok(Math.abs(map.values[i] - numeric) < 1e-3 * Math.max(map.scale, 1e-6) + 1e-6, `pixel ${i}: ${map.values[i]} vs ${numeric}`);
    }
  } finally {
    model.dispose();
  }
});

// On wasm too (the worker's default backend): its gradients lack some kernels (UnsortedSegmentSum, gather's).
for (const backend of ['cpu', 'wasm'] as const) test(`the saliency of a conv model is gradient × input through its conv blocks: finite differences on the model agree (${backend})`, async () => {
  const { tf } = await selectBackend(backend, () => undefined);
  assert.equal(tf.getBackend(), backend);
  const architecture = { convLayers: [{ filters: 4, kernelSize: 5 }, { filters: 6, kernelSize: 3 }], hiddenLayers: [{ units: 16, dropout: 0 }], l2: 0 };
  const model = buildNetworkModel(tf, architecture, { learningRate: 0.001, seed: 4 });
  try {
    const input = Uint8Array.from({ length: 784 }, (_, i) => (i * 37) % 256);
    const x = Float32Array.from(input, (v) => v / 255);
    const probabilities = (at: Float32Array) => tf.tidy(() => (model.predict(tf.tensor(at, [1, 28, 28])) as Tensor).dataSync());
    const map = saliencyOf(tf, model, input);
    const expected = probabilities(x);
    assert.ok(Math.abs(map.probability - Math.max(...expected)) < 1e-6);
    assert.equal(map.predicted, expected.indexOf(Math.max(...expected)));
    assert.equal(map.values.length, 784);
    assert.ok(map.scale > 0);
    const k = map.predicted;
    let compared = 0;
    for (const i of [100, 250, 400, 401, 650]) {
      if (x[i] === 0) continue;
      const up = Float32Array.from(x);
      const down = Float32Array.from(x);
      up[i] += 1e-3;
      down[i] -= 1e-3;
      const numeric = ((probabilities(up)[k] - probabilities(down)[k]) / 2e-3) * x[i];
      assert.ok(Math.abs(map.values[i] - numeric) < 1e-2 * map.scale + 1e-5, `pixel ${i}: ${map.values[i]} vs ${numeric}`);
      compared++;
    }
    assert.ok(compared >= 4);
  } finally {
    model.dispose();
  }
});
