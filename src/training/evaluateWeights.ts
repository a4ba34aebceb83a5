/** Loss and accuracy of a network's weights on a split, in tfjs ops (the tfjs-ops trainer's evaluation). */
import type { Tensor } from '@tensorflow/tfjs';
import { NUM_CLASSES, PIXELS } from '../domain/classes';
import type { Tf } from './backend';
import { PIXEL_TO_UNIT, type ImageSplit } from './imageInput';
import type { RunningMetrics } from './trainer';

/**
 * Loss and accuracy of weights [W1, b1, ..., Wout, bout] (relu between, no dropout: inference) on a split,
 * in chunks to bound memory. `l2` adds Keras's penalty λ·Σw² over the kernels to the loss, as Keras's
 * evaluate does.
 */
export function evaluateWeights(tf: Tf, weights: Tensor[], split: ImageSplit, chunk = 2500, l2 = 0): RunningMetrics {
  if (split.count === 0) return { loss: 0, accuracy: 0, samples: 0 };
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < split.count; start += chunk) {
    const size = Math.min(chunk, split.count - start);
    const x = new Float32Array(size * PIXELS);
    const images = split.images.subarray(start * PIXELS, (start + size) * PIXELS);
    for (let i = 0; i < x.length; i++) x[i] = PIXEL_TO_UNIT[images[i]];
    const oneHot = new Float32Array(size * NUM_CLASSES);
    const labels = new Int32Array(size);
    for (let s = 0; s < size; s++) {
      labels[s] = split.labels[start + s];
      oneHot[s * NUM_CLASSES + labels[s]] = 1;
    }
    const [l, c] = tf.tidy(() => {
      let h: Tensor = tf.tensor2d(x, [size, PIXELS]);
      for (let layer = 0; layer < weights.length; layer += 2) {
        h = tf.add(tf.matMul(h, weights[layer]), weights[layer + 1]);
        if (layer + 2 < weights.length) h = tf.relu(h);
      }
      // Cross-entropy from the logits (log-sum-exp), as Keras computes it for a softmax output.
      const logProbabilities = tf.logSoftmax(h);
      const loss = tf.neg(tf.sum(tf.mul(logProbabilities, tf.tensor2d(oneHot, [size, NUM_CLASSES]))));
      const hits = tf.sum(tf.cast(tf.equal(tf.argMax(h, 1), tf.tensor1d(labels, 'int32')), 'float32'));
      return [loss.dataSync()[0], hits.dataSync()[0]];
    });
    lossSum += l;
    correct += c;
  }
  const penalty = l2 > 0 ? l2Penalty(tf, weights, l2) : 0;
  return { loss: lossSum / split.count + penalty, accuracy: correct / split.count, samples: split.count };
}

/** λ·Σw² over the kernels (every even weight: W1, W2, ...), as Keras's l2 regularizer adds to the loss. */
function l2Penalty(tf: Tf, weights: Tensor[], l2: number): number {
  return tf.tidy(() => {
    const sums = weights.filter((_, index) => index % 2 === 0).map((kernel) => tf.sum(tf.square(kernel)));
    return tf.mul(tf.addN(sums), l2).dataSync()[0];
  });
}
