import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EpochPredictionStore } from '../../src/core/analysis/epochPredictions';
import { EpochStore } from '../../src/webview/epochStore';
import { parseHostMessage } from '../../src/webview/hostMessages';

/** The host's payload for 3 images (labels 0, 1, 2) over the given epochs' predicted classes. */
function payload(epochs: [number, number[]][]) {
  const store = new EpochPredictionStore(Uint8Array.from([0, 1, 2]), 3);
  for (const [epoch, guesses] of epochs) {
    const probabilities = new Uint8Array(30);
    guesses.forEach((c, i) => (probabilities[i * 10 + c] = 51 * epoch));
    store.add({ epoch, count: 3, predicted: Uint8Array.from(guesses), probabilities });
  }
  return store.toPayload();
}

test('the webview store slices the epoch the slider asks for, with the previous epoch for learned / forgotten', () => {
  const store = new EpochStore();
  let changes = 0;
  store.onChange(() => changes++);
  store.receive(true, payload([[1, [0, 0, 0]], [3, [0, 1, 1]]]));
  store.receive(false, payload([[4, [0, 1, 2]]]));
  assert.deepEqual(store.epochs, [1, 3, 4]);
  assert.equal(changes, 2);
  const third = store.at(3);
  assert.deepEqual(Array.from(third?.predicted ?? []), [0, 1, 1]);
  assert.deepEqual(Array.from(third?.previous ?? []), [0, 0, 0]);
  assert.equal(third?.analysis.learned, 1, 'the host’s analysis travels with its epoch');
  assert.equal(store.at(2)?.epoch, 1, 'an epoch not held shows the one held before it');
  assert.equal(store.at(1)?.previous, undefined);
  const history = store.history(1);
  assert.deepEqual(history.epochs, [1, 3, 4]);
  assert.deepEqual(history.probabilities.map((p) => p[1]), [0, 0.6, 0.8]);
  // A new run (replace with nothing) forgets it all.
  store.receive(true, undefined);
  assert.equal(store.isEmpty, true);
  assert.equal(store.at(1), undefined);
});

test('the epochPredictions message is checked: consistent sizes pass (any transport), others are dropped', () => {
  const data = payload([[1, [0, 1, 1]], [2, [0, 1, 2]]]);
  const viaJson = JSON.parse(JSON.stringify({ type: 'epochPredictions', replace: true, data }));
  const message = parseHostMessage(viaJson);
  assert.ok(message?.type === 'epochPredictions');
  assert.ok(message.data?.predicted instanceof Uint8Array);
  assert.deepEqual(message.data?.epochs, [1, 2]);
  assert.deepEqual(parseHostMessage({ type: 'epochPredictions', replace: true }), { type: 'epochPredictions', replace: true, data: undefined });
  assert.equal(parseHostMessage({ type: 'epochPredictions', replace: false, data: { ...data, predicted: data.predicted.subarray(1) } }), undefined);
  assert.equal(parseHostMessage({ type: 'epochPredictions', replace: false, data: { ...data, analyses: [data.analyses[0]] } }), undefined);
  const badMatrix = { ...data.analyses[0], confusion: [[1]] };
  assert.equal(parseHostMessage({ type: 'epochPredictions', replace: false, data: { ...data, analyses: [badMatrix, data.analyses[1]] } }), undefined);
});
