/** Loss and accuracy of a network's weights on a split, in tfjs ops (the tfjs-ops trainer's evaluation). */
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { IMAGE_SIZE, NUM_CLASSES, PIXELS } from '../domain/classes';
import type { Tf } from './backend';
import { convForward } from './convOps';
import { PIXEL_TO_UNIT, type ImageSplit } from './imageInput';
import type { RunningMetrics } from './trainer';
import { CONV_IMAGES_PER_PASS } from './predictAll';

export interface EvaluationOptions {
  /** Images per forward pass (bounds memory); by default 2,500 for an MLP, fewer behind conv blocks. */
  chunk?: number;
  /** Keras's penalty λ·Σw² over the Dense kernels, added to the loss as Keras's evaluate does. */
  l2?: number;
  /** Conv blocks before the Dense layers: their kernels and biases come first in the weights. */
  convBlocks?: number;
}

/**
 * Loss and accuracy of weights [K1, b1, ... (conv blocks), W1, b1, ..., Wout, bout] (relu between, no
 * dropout: inference) on a split, in chunks to bound memory.
 */
export function evaluateWeights(tf: Tf, weights: Tensor[], split: ImageSplit, options: EvaluationOptions = {}): RunningMetrics {
  if (split.count === 0) return { loss: 0, accuracy: 0, samples: 0 };
  const convParams = 2 * (options.convBlocks ?? 0);
  const chunk = options.chunk ?? (convParams > 0 ? CONV_IMAGES_PER_PASS : 2500);
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
      if (convParams > 0) {
        const conv = convForward(tf, tf.reshape(h, [size, IMAGE_SIZE, IMAGE_SIZE, 1]) as Tensor4D, weights.slice(0, convParams));
        h = tf.reshape(conv.output, [size, -1]);
      }
      for (let layer = convParams; layer < weights.length; layer += 2) {
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
  const l2 = options.l2 ?? 0;
  const penalty = l2 > 0 ? l2Penalty(tf, weights.slice(convParams), l2) : 0;
  return { loss: lossSum / split.count + penalty, accuracy: correct / split.count, samples: split.count };
}

/** λ·Σw² over the Dense kernels (every even weight: W1, W2, ...), as Keras's l2 regularizer adds to the loss. */
function l2Penalty(tf: Tf, weights: Tensor[], l2: number): number {
  return tf.tidy(() => {
    const sums = weights.filter((_, index) => index % 2 === 0).map((kernel) => tf.sum(tf.square(kernel)));
    return tf.mul(tf.addN(sums), l2).dataSync()[0];
  });
}
