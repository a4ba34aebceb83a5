/**
 * Training data for the trainer tests: images with a class-dependent bright band (so a few steps learn
 * something) and 40% background, a batch of them as a LayersModel's input, and the largest difference
 * between two weight arrays.
 */
import type { Tensor } from '@tensorflow/tfjs';
import type { Tf } from '../../src/training/backend';
import type { ImageSplit } from '../../src/training/imageInput';
import { createRng } from '../../src/training/seededRandom';

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

/** Images `order[start..start+size)` as trainOnBatch takes them: x (size × 28 × 28, 0..1) and y (labels). */
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
