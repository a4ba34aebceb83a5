/**
 * What the trainer tests share: images with a learnable signal, a batch as tfjs's trainOnBatch takes it,
 * the comparison of our weights with tfjs's after the same steps, and of two threads' evaluation with one's.
 */
import assert from 'node:assert/strict';
import type { Tensor } from '@tensorflow/tfjs';
import type { Tf } from '../../src/training/backend';
import type { ImageSplit } from '../../src/training/imageInput';
import { createRng } from '../../src/training/seededRandom';
import { shuffledIndices } from '../../src/training/shuffling';
import type { RunningMetrics, Trainer } from '../../src/training/trainer';

/** Random images with a learnable signal: the label brightens one band of rows. */
export function syntheticSplit(count: number, seed: number): ImageSplit {
  const rng = createRng(seed);
  const images = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = Math.floor(rng() * 10);
    labels[i] = label;
    for (let k = 0; k < 784; k++) {
      const band = Math.floor(Math.floor(k / 28) / 3) === label;
      images[i * 784 + k] = rng() < 0.4 ? 0 : Math.floor(rng() * (band ? 255 : 120));
    }
  }
  return { images, labels, count };
}

/** Images `order[start..start+size)` scaled to 0..1 as [size, 28, 28], and their labels: one batch for trainOnBatch. */
export function batchOf(tf: Tf, data: ImageSplit, order: Int32Array, start: number, size: number): { xs: Tensor; ys: Tensor } {
  const x = new Float32Array(size * 784);
  const y = new Float32Array(size);
  for (let s = 0; s < size; s++) {
    const index = order[start + s];
    for (let k = 0; k < 784; k++) x[s * 784 + k] = data.images[index * 784 + k] / 255;
    y[s] = data.labels[index];
  }
  return { xs: tf.tensor3d(x, [size, 28, 28]), ys: tf.tensor1d(y) };
}

export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Each of tfjs's weight arrays moved more than `minMove` from `initial`, and ours are within 2e-5 of them. */
export function assertSameSteps(ours: ArrayLike<number>[], keras: ArrayLike<number>[], initial: ArrayLike<number>[], minMove: number): void {
  for (let i = 0; i < keras.length; i++) {
    const maxMove = maxDifference(keras[i], initial[i]);
    const maxDiff = maxDifference(ours[i], keras[i]);
    assert.ok(maxMove > minMove, `weights ${i} should have moved (moved ${maxMove})`);
    assert.ok(maxDiff < 2e-5, `weights ${i} differ by ${maxDiff} from trainOnBatch`);
  }
}

/**
 * Three epochs of `trainer` on `train` in batches of `batchSize` (shuffled by seed 9), each followed by an
 * evaluation on `heldOut`: the tensor count after each epoch must not move, and the loss must fall.
 */
export function assertLearnsWithFlatTensors(tf: Tf, trainer: Trainer, train: ImageSplit, heldOut: ImageSplit, batchSize: number): void {
  const rng = createRng(9);
  const counts: number[] = [];
  let first = 0;
  for (let epoch = 0; epoch < 3; epoch++) {
    const order = shuffledIndices(train.count, rng);
    trainer.resetMetrics();
    for (let start = 0; start < train.count; start += batchSize) trainer.trainBatch(train, order, start, Math.min(batchSize, train.count - start));
    const running = trainer.readMetrics();
    assert.equal(running.samples, train.count);
    if (epoch === 0) first = running.loss;
    trainer.evaluate(heldOut);
    counts.push(tf.memory().numTensors);
  }
  assert.equal(new Set(counts).size, 1, `tensor counts ${counts.join(', ')}`);
  assert.ok(trainer.readMetrics().loss < first, 'the loss should fall');
}

/**
 * Two threads' evaluation against one thread's: the same, but for the loss, which each thread sums over its
 * half of every chunk (the same terms, added in another order): within 1e-12 of it.
 */
export function assertSameEvaluation(two: RunningMetrics, one: RunningMetrics): void {
  assert.deepEqual({ ...two, loss: 0 }, { ...one, loss: 0 });
  assert.ok(Math.abs(two.loss - one.loss) <= 1e-12 * one.loss, `evaluation loss ${two.loss} vs ${one.loss}`);
}
