import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sanitizeSort, sortIndices } from '../../src/webview/predictionOrder';

/** Four images over 10 classes: each row lists its nonzero probabilities as [class, p]. */
function scored(rows: [number, number][][], labels: number[]) {
  const probabilities = new Float32Array(rows.length * 10);
  rows.forEach((row, i) => row.forEach(([c, p]) => (probabilities[i * 10 + c] = p)));
  return { probabilities, labels };
}

// image 0: sure and right; 1: sure and wrong (true class 1 at 0.02); 2: torn between 3 and 4 (right);
// 3: wrong but with the true class second.
const set = scored(
  [
    [[0, 0.97], [1, 0.03]],
    [[2, 0.9], [1, 0.02], [5, 0.08]],
    [[3, 0.49], [4, 0.48], [6, 0.03]],
    [[7, 0.6], [8, 0.4]],
  ],
  [0, 1, 3, 8],
);

test('loss puts the most wrong first (smallest probability of the true class), test-set order breaks ties', () => {
  assert.deepEqual(sortIndices([0, 1, 2, 3], set, 'loss'), [1, 3, 2, 0]);
  const tie = scored([[[0, 0.5], [1, 0.5]], [[0, 0.5], [1, 0.5]]], [1, 1]);
  assert.deepEqual(sortIndices([1, 0], tie, 'loss'), [0, 1]);
});

test('confidence puts the surest first; uncertain puts the closest top two first', () => {
  assert.deepEqual(sortIndices([0, 1, 2, 3], set, 'confidence'), [0, 1, 3, 2]);
  assert.deepEqual(sortIndices([0, 1, 2, 3], set, 'uncertain'), [2, 3, 1, 0]);
});

test('sorting orders only the given images, leaves its input alone, and works on quantized levels too', () => {
  const input = [3, 1];
  assert.deepEqual(sortIndices(input, set, 'loss'), [1, 3]);
  assert.deepEqual(input, [3, 1]);
  assert.deepEqual(sortIndices([2, 0], set, 'index'), [2, 0]);
  const quantized = { probabilities: Uint8Array.from(set.probabilities, (p) => Math.round(p * 255)), labels: set.labels };
  assert.deepEqual(sortIndices([0, 1, 2, 3], quantized, 'uncertain'), [2, 3, 1, 0]);
  assert.equal(sanitizeSort('loss'), 'loss');
  assert.equal(sanitizeSort('random'), 'index');
});
