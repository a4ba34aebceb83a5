import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeOverfitting, analyzePredictions } from '../../src/core/analysis/analysis';
import type { EpochMetrics } from '../../src/domain/metrics';

/** Builds an epoch history from parallel series of training and test accuracy. */
function history(train: number[], test: number[]): EpochMetrics[] {
  return train.map((accuracy, i) => ({
    epoch: i + 1,
    loss: 1 - accuracy,
    accuracy,
    testLoss: 1 - test[i],
    testAccuracy: test[i],
    seconds: 5,
    samplesPerSecond: 12000,
  }));
}

// The shape the TensorFlow tutorial usually shows: training keeps climbing, test levels off with wobbles.
const tutorialTrain = [0.821, 0.864, 0.877, 0.886, 0.893, 0.898, 0.903, 0.907, 0.911, 0.914];
const tutorialTest = [0.842, 0.855, 0.862, 0.87, 0.868, 0.875, 0.873, 0.88, 0.876, 0.882];

test('the tutorial curve reads as over-fitting once test accuracy levels off', () => {
  const a = analyzeOverfitting(history(tutorialTrain, tutorialTest));
  assert.equal(a.state, 'overfitting');
  assert.equal(a.sinceEpoch, 6);
  assert.ok(Math.abs((a.trainDeltaPoints ?? NaN) - 1.6) < 1e-9, `train delta ${a.trainDeltaPoints}`);
  assert.ok(Math.abs((a.testDeltaPoints ?? NaN) - 0.7) < 1e-9, `test delta ${a.testDeltaPoints}`);
  assert.equal(a.testTrend, 'flat', 'a small rise within the tolerance reads as flat, not falling');
  assert.equal(a.bestEpoch, 10);
  assert.equal(a.bestTestAccuracy, 0.882);
  assert.equal(a.gapPoints.length, 10);
  assert.ok(Math.abs(a.gapPoints[0] - -2.1) < 1e-9);
  assert.ok(Math.abs(a.gapPoints[9] - 3.2) < 1e-9);
});

test('both curves climbing together reads as generalising', () => {
  const train = [0.8, 0.82, 0.84, 0.86, 0.88, 0.9];
  const test = [0.81, 0.83, 0.845, 0.86, 0.875, 0.89];
  const a = analyzeOverfitting(history(train, test));
  assert.equal(a.state, 'generalising');
  assert.equal(a.sinceEpoch, undefined);
  assert.equal(a.bestEpoch, 6);
});

test('test accuracy falling while training rises is over-fitting from the test peak', () => {
  const train = [0.85, 0.88, 0.9, 0.92, 0.94, 0.96];
  const test = [0.86, 0.88, 0.89, 0.885, 0.88, 0.87];
  const a = analyzeOverfitting(history(train, test));
  assert.equal(a.state, 'overfitting');
  // Epoch 2 (0.88) is followed by 0.89: within the one-point tolerance, so test is already flat there.
  assert.equal(a.sinceEpoch, 2);
  assert.equal(a.bestEpoch, 3);
  assert.ok(Math.abs((a.testDeltaPoints ?? NaN) - -1.0) < 1e-9, `test delta ${a.testDeltaPoints}`);
  assert.equal(a.testTrend, 'falling');
});

test('the test trend word follows the signed change: a wobble down is flat, a real drop is falling', () => {
  const train = [0.85, 0.87, 0.89, 0.91, 0.93];
  // From epoch 1, test ends 0.2 points lower: rounding-level, so "flat" (with its −0.2 shown beside it).
  const wobble = analyzeOverfitting(history(train, [0.86, 0.865, 0.862, 0.859, 0.858]));
  assert.equal(wobble.state, 'overfitting');
  assert.equal(wobble.sinceEpoch, 1);
  assert.ok(Math.abs((wobble.testDeltaPoints ?? NaN) - -0.2) < 1e-9, `test delta ${wobble.testDeltaPoints}`);
  assert.equal(wobble.testTrend, 'flat');
  // The same curve ending 0.4 points lower is "falling".
  const drop = analyzeOverfitting(history(train, [0.86, 0.865, 0.862, 0.859, 0.856]));
  assert.equal(drop.state, 'overfitting');
  assert.equal(drop.sinceEpoch, 1);
  assert.ok(Math.abs((drop.testDeltaPoints ?? NaN) - -0.4) < 1e-9, `test delta ${drop.testDeltaPoints}`);
  assert.equal(drop.testTrend, 'falling');
});

test('only an over-fitting result carries a test trend', () => {
  assert.equal(analyzeOverfitting(history([0.8, 0.82, 0.84, 0.86], [0.81, 0.83, 0.845, 0.86])).testTrend, undefined);
  assert.equal(analyzeOverfitting(history([0.82], [0.84])).testTrend, undefined);
});

test('converged curves (both flat) are not over-fitting', () => {
  const train = [0.9, 0.902, 0.901, 0.903, 0.902];
  const test = [0.88, 0.881, 0.879, 0.882, 0.88];
  assert.equal(analyzeOverfitting(history(train, test)).state, 'generalising');
});

test('a single flat epoch at the end does not flip the state', () => {
  const train = [0.8, 0.83, 0.86, 0.89];
  const test = [0.8, 0.83, 0.86, 0.86];
  assert.equal(analyzeOverfitting(history(train, test)).state, 'generalising');
});

test('fewer than two epochs is not enough data, but still reports the gap and the best epoch', () => {
  const none = analyzeOverfitting([]);
  assert.equal(none.state, 'notEnoughData');
  assert.deepEqual(none.gapPoints, []);
  assert.equal(none.bestEpoch, undefined);
  const one = analyzeOverfitting(history([0.82], [0.84]));
  assert.equal(one.state, 'notEnoughData');
  assert.equal(one.bestEpoch, 1);
  assert.equal(one.gapPoints.length, 1);
});

test('epochs arriving out of order are analysed in epoch order', () => {
  const h = history(tutorialTrain, tutorialTest).reverse();
  const a = analyzeOverfitting(h);
  assert.equal(a.sinceEpoch, 6);
  assert.ok(Math.abs(a.gapPoints[0] - -2.1) < 1e-9);
});

test('confusion matrix, per-class accuracy and accuracy from a small hand-made set', () => {
  // truth:     0 0 0 1 1 2 9 9 9 9
  // predicted: 0 6 0 1 3 2 9 7 9 9
  const labels = Uint8Array.from([0, 0, 0, 1, 1, 2, 9, 9, 9, 9]);
  const predicted = Uint8Array.from([0, 6, 0, 1, 3, 2, 9, 7, 9, 9]);
  const a = analyzePredictions({ labels, predicted, count: 10 });
  assert.equal(a.confusion.length, 10);
  assert.ok(a.confusion.every((row) => row.length === 10));
  assert.equal(a.confusion[0][0], 2);
  assert.equal(a.confusion[0][6], 1);
  assert.equal(a.confusion[1][3], 1);
  assert.equal(a.confusion[9][7], 1);
  assert.equal(a.confusion[9][9], 3);
  assert.equal(a.confusion.flat().reduce((s, n) => s + n, 0), 10);
  assert.ok(Math.abs(a.perClassAccuracy[0] - 2 / 3) < 1e-12);
  assert.equal(a.perClassAccuracy[1], 0.5);
  assert.equal(a.perClassAccuracy[2], 1);
  assert.equal(a.perClassAccuracy[9], 0.75);
  assert.equal(a.perClassAccuracy[5], 0, 'a class without images reports 0 (its row sums to 0)');
  assert.equal(a.accuracy, 0.7);
});

test('analyzePredictions reads only the first `count` entries', () => {
  const a = analyzePredictions({ labels: Uint8Array.from([1, 2, 3]), predicted: Uint8Array.from([1, 0, 0]), count: 1 });
  assert.equal(a.accuracy, 1);
  assert.equal(a.confusion.flat().reduce((s, n) => s + n, 0), 1);
});
