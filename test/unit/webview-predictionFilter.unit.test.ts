import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterPredictions, gridCountText, pageOf, sanitizeFilter, PAGE_SIZE } from '../../src/webview/predictionFilter';
import { Strings } from '../../src/webview/strings';

// Ten hand-made predictions: truth vs guess.
//            index: 0  1  2  3  4  5  6  7  8  9
const labels = Uint8Array.from([0, 6, 6, 2, 9, 7, 6, 0, 4, 6]);
const predicted = Uint8Array.from([0, 0, 6, 4, 9, 9, 2, 6, 4, 0]);
const set = { labels, predicted, count: 10 };

test('all keeps every image in test-set order', () => {
  assert.deepEqual(filterPredictions(set, { kind: 'all' }), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('misclassified keeps exactly the images whose prediction differs from the truth', () => {
  assert.deepEqual(filterPredictions(set, { kind: 'misclassified' }), [1, 3, 5, 6, 7, 9]);
});

test('by true class and by predicted class', () => {
  assert.deepEqual(filterPredictions(set, { kind: 'trueClass', cls: 6 }), [1, 2, 6, 9]);
  assert.deepEqual(filterPredictions(set, { kind: 'predictedClass', cls: 0 }), [0, 1, 9]);
  assert.deepEqual(filterPredictions(set, { kind: 'predictedClass', cls: 3 }), []);
});

test('a confusion cell selects exactly the images of that true class predicted as that class', () => {
  assert.deepEqual(filterPredictions(set, { kind: 'cell', trueClass: 6, predicted: 0 }), [1, 9]);
  assert.deepEqual(filterPredictions(set, { kind: 'cell', trueClass: 6, predicted: 6 }), [2]);
  assert.deepEqual(filterPredictions(set, { kind: 'cell', trueClass: 0, predicted: 6 }), [7]);
});

test('the filters respect count (only the first `count` images exist)', () => {
  assert.deepEqual(filterPredictions({ ...set, count: 3 }, { kind: 'misclassified' }), [1]);
});

test('pages of 100 through 10,000 images, clamped into range', () => {
  const indices = Array.from({ length: 10_000 }, (_, i) => i);
  const first = pageOf(indices, 0);
  assert.equal(PAGE_SIZE, 100);
  assert.equal(first.pageCount, 100);
  assert.deepEqual([first.first, first.last, first.total], [1, 100, 10_000]);
  assert.equal(first.indices[99], 99);
  const last = pageOf(indices, 99);
  assert.deepEqual([last.indices[0], last.indices.length, last.first, last.last], [9900, 100, 9901, 10_000]);
  assert.equal(pageOf(indices, 500).page, 99, 'beyond the end clamps to the last page');
  assert.equal(pageOf(indices, -3).page, 0);
  assert.equal(pageOf(indices, Number.NaN).page, 0);
});

test('a short last page and an empty list', () => {
  const page = pageOf(Array.from({ length: 250 }, (_, i) => i * 2), 2);
  assert.deepEqual([page.page, page.pageCount, page.indices.length, page.first, page.last], [2, 3, 50, 201, 250]);
  assert.equal(page.indices[0], 400);
  const empty = pageOf([], 4);
  assert.deepEqual([empty.page, empty.pageCount, empty.indices.length, empty.first, empty.last, empty.total], [0, 1, 0, 0, 0, 0]);
});

test('a filter restored from saved state is used only when well-formed', () => {
  assert.deepEqual(sanitizeFilter({ kind: 'cell', trueClass: 6, predicted: 0 }), { kind: 'cell', trueClass: 6, predicted: 0 });
  assert.deepEqual(sanitizeFilter({ kind: 'trueClass', cls: 9 }), { kind: 'trueClass', cls: 9 });
  assert.deepEqual(sanitizeFilter({ kind: 'trueClass', cls: 10 }), { kind: 'all' });
  assert.deepEqual(sanitizeFilter({ kind: 'cell', trueClass: 1.5, predicted: 0 }), { kind: 'all' });
  assert.deepEqual(sanitizeFilter({ kind: 'misclassified', extra: 1 }), { kind: 'misclassified' });
  assert.deepEqual(sanitizeFilter('misclassified'), { kind: 'all' });
  assert.deepEqual(sanitizeFilter(undefined), { kind: 'all' });
});

test('the grid count reads right for one image and for many', () => {
  const s = new Strings('en');
  assert.equal(gridCountText(s, pageOf([42], 0)), 'Showing image 1 of 1');
  assert.equal(gridCountText(s, pageOf([3, 9], 0)), 'Showing 1–2 of 2 images');
  const hundredAndOne = Array.from({ length: 101 }, (_, i) => i);
  assert.equal(gridCountText(s, pageOf(hundredAndOne, 0)), 'Showing 1–100 of 101 images');
  assert.equal(gridCountText(s, pageOf(hundredAndOne, 1)), 'Showing image 101 of 101', 'a last page with one image');
  assert.equal(gridCountText(s, pageOf(Array.from({ length: 10000 }, (_, i) => i), 3)), 'Showing 301–400 of 10,000 images');
  assert.equal(gridCountText(s, pageOf([], 0)), 'No test image matches this filter.');
});

test('learned and forgotten compare the epoch shown with the one before; at the first epoch every right image is learned', () => {
  //               index: 0  1  2  3  4  5  6  7  8  9
  const before = Uint8Array.from([0, 6, 6, 4, 1, 7, 6, 0, 4, 0]);
  assert.deepEqual(filterPredictions(set, { kind: 'learned' }, before), [4]);
  assert.deepEqual(filterPredictions(set, { kind: 'forgotten' }, before), [1, 5, 6, 7]);
  assert.deepEqual(filterPredictions(set, { kind: 'learned' }), [0, 2, 4, 8]);
  assert.deepEqual(filterPredictions(set, { kind: 'forgotten' }), []);
  assert.deepEqual(sanitizeFilter({ kind: 'forgotten' }), { kind: 'forgotten' });
});
