// What a conv network shows of what it learned: its first layer's K × K filters (from Keras's
// [K, K, 1, filters] kernel) and a picture's feature maps after each conv block, checked against the
// layers' math done by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectBackend } from '../../src/training/backend';
import { buildNetworkModel } from '../../src/training/model';
import { convFiltersSnapshot, featureMaps } from '../../src/training/convInsight';
import { epochInsight } from '../../src/training/epochInsight';
import { insightBuffers } from '../../src/protocol/worker';
import { RunEpochs } from '../../src/host/runEpochs';

const CNN = { convLayers: [{ filters: 3, kernelSize: 5 }, { filters: 6, kernelSize: 3 }], hiddenLayers: [{ units: 8, dropout: 0 }], l2: 0 };

test('the first conv layer\'s filters come out filter-major as K x K pictures with their scale and bias', async () => {
  const { tf } = await selectBackend('cpu');
  const model = buildNetworkModel(tf, CNN, { learningRate: 0.001, seed: 5 });
  const snapshot = convFiltersSnapshot(model, 2);
  assert.ok(snapshot);
  assert.deepEqual([snapshot.epoch, snapshot.kernelSize, snapshot.filters], [2, 5, 3]);
  const keras = model.layers[1].getWeights()[0].arraySync() as number[][][][];
  for (let f = 0; f < 3; f++) {
    let largest = 0;
    for (let y = 0; y < 5; y++) {
      for (let x = 0; x < 5; x++) {
        assert.equal(snapshot.weights[(f * 5 + y) * 5 + x], Math.fround(keras[y][x][0][f]));
        largest = Math.max(largest, Math.abs(keras[y][x][0][f]));
      }
    }
    assert.equal(snapshot.scale[f], Math.fround(largest));
  }
  assert.deepEqual(Array.from(snapshot.bias), [0, 0, 0]);
  const mlp = buildNetworkModel(tf, { hiddenLayers: [{ units: 8, dropout: 0 }], l2: 0 }, { learningRate: 0.001, seed: 5 });
  assert.equal(convFiltersSnapshot(mlp, 1), undefined);
  assert.deepEqual(featureMaps(tf, mlp, new Uint8Array(784)).blocks, []);
  model.dispose();
  mlp.dispose();
});

test('a picture\'s feature maps after each conv block are relu(conv + bias), quantized per map', async () => {
  const { tf } = await selectBackend('cpu');
  const model = buildNetworkModel(tf, CNN, { learningRate: 0.001, seed: 6 });
  // A bias of its own per filter, so a map can be all zero (a negative bias) or never zero.
  model.layers[1].setWeights([model.layers[1].getWeights()[0], tf.tensor1d([0.1, -50, 0])]);
  const image = Uint8Array.from({ length: 784 }, (_, i) => ((i % 28) > 8 && (i % 28) < 20 && i > 200 && i < 600 ? 200 : 0));
  const maps = featureMaps(tf, model, image);
  assert.deepEqual(maps.blocks.map((b) => [b.side, b.filters, b.values.length]), [[28, 3, 3 * 784], [14, 6, 6 * 196]]);
  // By hand: the first block's conv at 'same' padding (2 before for K = 5), plus bias, relu.
  const [kernel] = model.layers[1].getWeights();
  const k = kernel.arraySync() as number[][][][];
  const bias = [0.1, -50, 0];
  const first = maps.blocks[0];
  assert.equal(first.scale[1], 0, 'a bias of -50 leaves the map at 0');
  for (let f = 0; f < 3; f++) {
    for (const [y, x] of [[0, 0], [10, 14], [27, 27], [15, 3]]) {
      let sum = bias[f];
      for (let ky = 0; ky < 5; ky++)
        for (let kx = 0; kx < 5; kx++) {
          const iy = y + ky - 2;
          const ix = x + kx - 2;
          if (iy >= 0 && iy < 28 && ix >= 0 && ix < 28) sum += (image[iy * 28 + ix] / 255) * k[ky][kx][0][f];
        }
      const expected = Math.max(0, sum);
      const shown = (first.values[f * 784 + y * 28 + x] / 255) * first.scale[f];
      assert.ok(Math.abs(shown - expected) <= first.scale[f] / 255 + 1e-6, `filter ${f} at (${y}, ${x}): ${shown} vs ${expected}`);
    }
  }
  assert.ok(first.scale[0] > 0.1 && Math.max(...first.values.subarray(0, 784)) === 255);
  model.dispose();
});

test('after an epoch a conv network\'s insight carries its filters (not a Dense first layer); the host keeps the newest, posts and saves them', async () => {
  const { tf } = await selectBackend('cpu');
  const model = buildNetworkModel(tf, CNN, { learningRate: 0.001, seed: 7 });
  const count = 12;
  const test = { images: Uint8Array.from({ length: count * 784 }, (_, i) => (i * 13) % 256), labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count };
  const insight = epochInsight(tf, model, test, 2);
  assert.equal(insight.firstLayer, undefined, 'the Dense layer after the Flatten does not read pixels');
  assert.deepEqual(insight.convFilters, convFiltersSnapshot(model, 2));
  const filters = insight.convFilters;
  assert.ok(filters);
  for (const array of [filters.weights, filters.scale, filters.bias]) assert.ok(insightBuffers(insight).includes(array.buffer as ArrayBuffer), 'transferred, not copied');
  const epochs = new RunEpochs();
  assert.equal(epochs.firstLayerMessage().filters, undefined);
  assert.ok(epochs.receive(insight));
  const older = { ...insight, predictions: { ...insight.predictions, epoch: 1 }, convFilters: { ...filters, epoch: 1 } };
  epochs.receive(older);
  assert.equal(epochs.firstLayerMessage().filters, filters, 'an older epoch arriving late does not replace the newest');
  assert.equal(epochs.firstLayerMessage().layer, undefined);
  const restored = new RunEpochs();
  restored.reset(epochs.saved);
  assert.equal(restored.firstLayerMessage().filters, filters, 'saved with the run and read back');
  restored.reset();
  assert.equal(restored.firstLayerMessage().filters, undefined, 'a new run forgets them');
  const mlp = buildNetworkModel(tf, { hiddenLayers: [{ units: 8, dropout: 0 }, { units: 6, dropout: 0 }], l2: 0 }, { learningRate: 0.001, seed: 7 });
  const plain = epochInsight(tf, mlp, test, 1);
  assert.ok(plain.firstLayer, 'an MLP still shows its first Dense layer');
  assert.equal(plain.convFilters, undefined);
  model.dispose();
  mlp.dispose();
});
