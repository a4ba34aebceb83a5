// EarlyStopping against Keras's documented behaviour (keras.callbacks.EarlyStopping): patience counting,
// min_delta, mode by metric, the best epoch, and which weights restore_best_weights keeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EarlyStopping } from '../../src/core/analysis/earlyStopping';

/** Feeds the values epoch by epoch; returns the epochs run and the epochs whose weights were kept as best. */
function run(stopping: EarlyStopping, values: number[]): { epochsRun: number; kept: number[] } {
  const kept: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const verdict = stopping.onEpochEnd(i + 1, values[i]);
    if (verdict.improved) kept.push(i + 1);
    if (verdict.stop) return { epochsRun: i + 1, kept };
  }
  return { epochsRun: values.length, kept };
}

test('Keras docs example: loss that never improves stops after patience epochs past the first (patience 3 -> 4 epochs)', () => {
  // keras.io: callback = EarlyStopping(monitor='loss', patience=3); a loss that does not decrease -> "Only 4 epochs are run."
  const stopping = new EarlyStopping('val_loss', 3);
  const result = run(stopping, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  assert.equal(result.epochsRun, 4);
  assert.equal(stopping.stoppedEpoch, 4);
  assert.equal(stopping.bestEpoch, 1);
});

test('patience counts epochs without improvement since the last improvement', () => {
  const stopping = new EarlyStopping('val_loss', 2);
  // improves at 1, 2, 4; epochs 5 and 6 do not -> stops after 6
  const result = run(stopping, [0.5, 0.4, 0.45, 0.3, 0.35, 0.31, 0.1]);
  assert.equal(result.epochsRun, 6);
  assert.deepEqual(result.kept, [1, 2, 4]);
  assert.equal(stopping.bestEpoch, 4);
  assert.equal(stopping.bestValue, 0.3);
});

test('patience 0 stops at the first epoch that does not improve, never after the first epoch alone', () => {
  const stopping = new EarlyStopping('val_loss', 0);
  assert.equal(run(stopping, [0.5, 0.4, 0.41, 0.2]).epochsRun, 3);
  const once = new EarlyStopping('val_loss', 0);
  assert.deepEqual(once.onEpochEnd(1, Number.NaN), { improved: true, stop: false }, 'the first epoch never stops (epoch > 0 in Keras)');
});

test('min_delta: a change of at most min_delta is no improvement', () => {
  const stopping = new EarlyStopping('val_loss', 1, 0.01);
  // 0.5 -> 0.495 is only 0.005 better: no improvement, wait reaches 1 -> stop after epoch 2
  const result = run(stopping, [0.5, 0.495, 0.3]);
  assert.equal(result.epochsRun, 2);
  assert.equal(stopping.bestEpoch, 1);
  const enough = new EarlyStopping('val_loss', 1, 0.01);
  assert.equal(run(enough, [0.5, 0.48, 0.47]).epochsRun, 3, '0.02 better counts, 0.01 exactly does not');
  assert.equal(enough.bestEpoch, 2);
});

test('val_accuracy is maximised (Keras mode auto), min_delta the other way round', () => {
  const stopping = new EarlyStopping('val_accuracy', 1, 0.001);
  const result = run(stopping, [0.80, 0.85, 0.8505, 0.84]);
  assert.equal(result.epochsRun, 3);
  assert.equal(stopping.bestEpoch, 2);
  assert.deepEqual(result.kept, [1, 2]);
});

test('without patience it only names the best epoch and never stops', () => {
  const stopping = new EarlyStopping('val_loss', undefined);
  const result = run(stopping, [0.5, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8]);
  assert.equal(result.epochsRun, 7);
  assert.equal(stopping.stoppedEpoch, undefined);
  assert.equal(stopping.bestEpoch, 2);
});

test('restore_best_weights keeps the first epoch when nothing ever improves (NaN losses)', () => {
  const stopping = new EarlyStopping('val_loss', 1);
  const result = run(stopping, [Number.NaN, Number.NaN, Number.NaN]);
  assert.deepEqual(result.kept, [1]);
  assert.equal(result.epochsRun, 2);
  assert.equal(stopping.bestEpoch, 1);
});
