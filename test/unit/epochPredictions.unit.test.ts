import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeEpoch, dequantize, EpochPredictionStore, epochToDrop, quantizeEpoch } from '../../src/core/analysis/epochPredictions';
import { MAX_HELD_EPOCHS } from '../../src/domain/epochPredictions';
import type { EpochSnapshot } from '../../src/domain/epochPredictions';

const labels = Uint8Array.from([0, 1, 2, 3]);

/** A snapshot of the 4 images above where `guesses` are the predicted classes. */
function snapshot(epoch: number, guesses: number[]): EpochSnapshot {
  const probabilities = new Uint8Array(40);
  guesses.forEach((c, i) => (probabilities[i * 10 + c] = 200));
  return { epoch, count: 4, predicted: Uint8Array.from(guesses), probabilities };
}

test('quantizing keeps every probability within half a level, clamps out-of-range values and copies the classes', () => {
  const probabilities = Float32Array.from([0, 1, 0.5, 0.123456, -0.1, 1.2, Number.NaN, 0.999, 0.001, 0.3]);
  const predicted = Uint8Array.from([1]);
  const s = quantizeEpoch(3, probabilities, predicted, 1);
  assert.equal(s.epoch, 3);
  assert.deepEqual(Array.from(s.probabilities), [0, 255, 128, 31, 0, 255, 0, 255, 0, 77]);
  for (const i of [0, 1, 2, 3, 7, 8, 9]) assert.ok(Math.abs(dequantize(s.probabilities[i]) - probabilities[i]) <= 0.5 / 255 + 1e-9);
  predicted[0] = 7;
  assert.equal(s.predicted[0], 1, 'the snapshot owns its classes');
});

test('an epoch’s analysis counts the confusion, the learned and forgotten images against the previous epoch, and the confused pairs', () => {
  const first = analyzeEpoch(1, Uint8Array.from([0, 2, 2, 0]), labels, 4, undefined);
  assert.equal(first.accuracy, 0.5);
  assert.deepEqual([first.learned, first.forgotten, first.misclassified], [2, 0, 2]);
  assert.deepEqual(first.confusedPairs, [
    { trueClass: 1, predicted: 2, count: 1 },
    { trueClass: 3, predicted: 0, count: 1 },
  ]);
  // Image 1 is learned, image 2 forgotten (called 3), image 3 stays wrong.
  const second = analyzeEpoch(2, Uint8Array.from([0, 1, 3, 0]), labels, 4, Uint8Array.from([0, 2, 2, 0]));
  assert.deepEqual([second.learned, second.forgotten, second.misclassified], [1, 1, 2]);
  assert.equal(second.confusion[2][3], 1);
  assert.deepEqual(second.perClassAccuracy.slice(0, 4), [1, 1, 0, 0]);
});

test('the store holds epochs in order, replaces one sent twice, and refuses a snapshot of another size', () => {
  const store = new EpochPredictionStore(labels, 4);
  assert.ok(store.add(snapshot(2, [0, 1, 2, 0])));
  assert.ok(store.add(snapshot(1, [0, 0, 0, 0])));
  assert.ok(store.add(snapshot(2, [0, 1, 2, 3])));
  assert.equal(store.add({ ...snapshot(3, [0, 1, 2, 3]), count: 5 }), false);
  assert.deepEqual(store.epochs, [1, 2]);
  assert.deepEqual(store.analysis(2)?.learned, 3, 'epoch 2 is compared with epoch 1, whatever the arrival order');
  assert.equal(store.analysis(2)?.accuracy, 1);
  const payload = store.toPayload();
  assert.deepEqual(Array.from(payload.predicted), [0, 0, 0, 0, 0, 1, 2, 3]);
  assert.equal(payload.probabilities.length, 80);
  assert.equal(store.bytes, 2 * 4 * 11);
  const again = EpochPredictionStore.fromPayload(payload);
  assert.deepEqual(again?.toPayload(), payload);
  assert.equal(EpochPredictionStore.fromPayload({ ...payload, predicted: payload.predicted.subarray(1) }), undefined);
});

test('past its bound the store keeps the first and newest epochs and spreads the rest evenly', () => {
  assert.equal(epochToDrop([1, 2, 3, 5, 9]), 1);
  assert.equal(epochToDrop([1, 3, 4, 5, 9]), 2);
  const store = new EpochPredictionStore(labels, 4, 5);
  for (let e = 1; e <= 20; e++) store.add(snapshot(e, [0, 1, 2, e % 4]));
  const epochs = store.epochs;
  assert.equal(epochs.length, 5);
  assert.equal(epochs[0], 1);
  assert.equal(epochs[4], 20);
  const gaps = epochs.slice(1).map((e, k) => e - epochs[k]);
  assert.ok(Math.max(...gaps) <= 2 * Math.min(...gaps) + 1, `uneven: ${epochs.join(', ')}`);
  // The 10,000-image bound the host uses: 11 bytes per image per epoch.
  assert.equal(MAX_HELD_EPOCHS * 10_000 * 11, 5_500_000);
});
