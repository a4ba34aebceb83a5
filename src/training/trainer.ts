/**
 * Training the tutorial's model fast, with Keras's math, on any tfjs backend.
 *
 * `model.fit` spends most of its time outside the arithmetic: ~130 kernels per step from autodiff,
 * four separate Adam updates, and (on wasm) a transposed matMul for the first layer's weight gradient
 * that misses the fast XNNPACK path. This trainer writes the gradients of this fixed architecture out
 * by hand, feeds every matMul untransposed operands (the batch's transpose is built in JS while the
 * batch is gathered), keeps all parameters in one flat buffer so Adam is one update, and accumulates
 * loss and accuracy on the device so nothing is read back between progress reports.
 *
 * What is computed is what Keras computes: Glorot-uniform weights and zero biases (taken from the
 * compiled LayersModel), mean sparse categorical cross-entropy over the batch (its gradient with
 * respect to the logits of a softmax output is (p - onehot) / B), Adam with β1 0.9, β2 0.999, ε 1e-7
 * in Keras's form (step size lr·√(1-β2^t)/(1-β1^t), ε added to √v). The trained weights are written
 * back into the LayersModel, which then saves and predicts like any other.
 */
import type { LayersModel, Scalar, Tensor } from '@tensorflow/tfjs';
import { NUM_CLASSES, PIXELS } from '../domain/classes';
import type { Tf } from './backend';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON } from './model';

/** The images (uint8, count*784) and labels of one split, as the dataset hands them over. */
export interface ImageSplit {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/** Pixel byte -> its float in 0..1. A table lookup is the cheapest way to normalise per batch. */
export const PIXEL_TO_UNIT = Float32Array.from({ length: 256 }, (_, i) => i / 255);

/** A small seeded generator (mulberry32): the same seed shuffles the same way on every machine. */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Fisher-Yates permutation of 0..count-1. */
export function shuffledIndices(count: number, rng: () => number): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
  return order;
}

export interface TrainerOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /**
   * Where ε goes. 'keras' (TensorFlow's Adam, the tutorial's): p -= α·m/(√v + ε) with the bias
   * corrections folded into α. 'tfjs' (tfjs's AdamOptimizer): ε is added to the bias-corrected √v̂,
   * the same as ε·√(1-β2^t) in the folded form. They differ only for gradients near ε.
   */
  epsilonForm?: 'keras' | 'tfjs';
}

/** Running totals over an epoch (or an evaluation), read back only when asked. */
export interface RunningMetrics {
  loss: number;
  accuracy: number;
  samples: number;
}

/** What run.ts needs from a training path; both paths compute the same steps. */
export interface Trainer {
  /** Which implementation runs: hand-written wasm kernels, or tfjs ops on any backend. */
  readonly path: 'wasm-kernels' | 'tfjs-ops';
  /** Adam steps taken so far. */
  readonly steps: number;
  /** One Adam step on images `order[start..start+size)`; adds its loss and correct count to the running totals. */
  trainBatch(split: ImageSplit, order: ArrayLike<number>, start: number, size: number): void;
  /** The running loss and accuracy since the last reset (reads back two numbers). */
  readMetrics(): RunningMetrics;
  resetMetrics(): void;
  /** Loss and accuracy of the current weights on a whole split. */
  evaluate(split: ImageSplit): RunningMetrics;
  /** Writes the trained weights into the LayersModel (copies). */
  writeWeightsTo(model: LayersModel): void;
  /** The current weights in the model's layout [W1, b1, W2, b2] (tests compare them). */
  weights(): Float32Array[];
  dispose(): void;
}

/**
 * Gathers images `order[start..start+size)` as floats in 0..1 into `x` (size×784, at `xAt`) and its
 * transpose `xT` (784×size, at `xTAt`), and their labels. Normalising here, per batch, keeps the
 * data set in uint8 (a quarter of the memory of floats).
 */
export function gatherBatch(
  split: ImageSplit,
  order: ArrayLike<number>,
  start: number,
  size: number,
  x: Float32Array,
  xAt: number,
  xT: Float32Array,
  xTAt: number,
  labels: Int32Array,
  labelsAt: number,
): void {
  const images = split.images;
  for (let s = 0; s < size; s++) {
    const index = order[start + s];
    const from = index * PIXELS;
    const row = xAt + s * PIXELS;
    let column = xTAt + s;
    for (let k = 0; k < PIXELS; k++) {
      const value = PIXEL_TO_UNIT[images[from + k]];
      x[row + k] = value;
      xT[column] = value;
      column += size;
    }
    labels[labelsAt + s] = split.labels[index];
  }
}

/** Loss and accuracy of weights [W1, b1, W2, b2] on a split, in chunks to bound memory. */
export function evaluateWeights(tf: Tf, weights: Tensor[], split: ImageSplit, chunk = 2500): RunningMetrics {
  const [w1, b1, w2, b2] = weights;
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
      const h = tf.relu(tf.add(tf.matMul(tf.tensor2d(x, [size, PIXELS]), w1), b1));
      const z = tf.add(tf.matMul(h, w2), b2);
      // Cross-entropy from the logits (log-sum-exp), as Keras computes it for a softmax output.
      const logProbabilities = tf.logSoftmax(z);
      const loss = tf.neg(tf.sum(tf.mul(logProbabilities, tf.tensor2d(oneHot, [size, NUM_CLASSES]))));
      const hits = tf.sum(tf.cast(tf.equal(tf.argMax(z, 1), tf.tensor1d(labels, 'int32')), 'float32'));
      return [loss.dataSync()[0], hits.dataSync()[0]];
    });
    lossSum += l;
    correct += c;
  }
  return { loss: lossSum / split.count, accuracy: correct / split.count, samples: split.count };
}

/** One batch's inputs, gathered from the uint8 images and normalised. */
interface BatchBuffers {
  size: number;
  /** size x 784, row per image. */
  x: Float32Array;
  /** 784 x size: the transpose, so the first layer's weight gradient is a plain matMul. */
  xT: Float32Array;
  oneHot: Float32Array;
  labels: Int32Array;
}

/** The training step in tfjs ops: runs on every backend (cpu, wasm, tfjs-node). */
export class OpsTrainer implements Trainer {
  readonly path = 'tfjs-ops';
  private readonly tf: Tf;
  private readonly hidden: number;
  private readonly sizes: number[];
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly learningRate: number;
  private readonly epsilonForm: 'keras' | 'tfjs';
  /** wasm copies uploaded data into its heap at once, so batch buffers can be reused there. */
  private readonly reuseBuffers: boolean;

  private w1: Tensor;
  private b1: Tensor;
  private w2: Tensor;
  private b2: Tensor;
  /** All parameters, flattened in the order w1, b1, w2, b2; with its Adam moments. */
  private theta: Tensor;
  private m: Tensor;
  private v: Tensor;
  private step = 0;
  private lossSum: Tensor;
  private correctSum: Tensor;
  private samples = 0;
  private readonly scalars = new Map<number, Scalar>();
  private buffers: BatchBuffers | undefined;

  constructor(tf: Tf, model: LayersModel, options: TrainerOptions) {
    this.tf = tf;
    this.learningRate = options.learningRate;
    this.beta1 = options.beta1 ?? ADAM_BETA1;
    this.beta2 = options.beta2 ?? ADAM_BETA2;
    this.epsilon = options.epsilon ?? ADAM_EPSILON;
    this.epsilonForm = options.epsilonForm ?? 'keras';
    this.reuseBuffers = tf.getBackend() === 'wasm';
    const [w1, b1, w2, b2] = model.getWeights();
    this.hidden = w1.shape[1] ?? 0;
    this.sizes = [w1.size, b1.size, w2.size, b2.size];
    this.w1 = w1.clone();
    this.b1 = b1.clone();
    this.w2 = w2.clone();
    this.b2 = b2.clone();
    this.theta = tf.tidy(() => tf.concat([w1.reshape([-1]), b1, w2.reshape([-1]), b2]));
    this.m = tf.zerosLike(this.theta);
    this.v = tf.zerosLike(this.theta);
    this.lossSum = tf.scalar(0);
    this.correctSum = tf.scalar(0);
  }

  get steps(): number {
    return this.step;
  }

  /** A cached scalar tensor (kept for the trainer's life, so steps create no constants). */
  private scalar(value: number): Scalar {
    let s = this.scalars.get(value);
    if (s === undefined) {
      s = this.tf.keep(this.tf.scalar(value));
      this.scalars.set(value, s);
    }
    return s;
  }

  private batchBuffers(size: number): BatchBuffers {
    if (this.reuseBuffers && this.buffers !== undefined && this.buffers.size === size) return this.buffers;
    const buffers: BatchBuffers = {
      size,
      x: new Float32Array(size * PIXELS),
      xT: new Float32Array(size * PIXELS),
      oneHot: new Float32Array(size * NUM_CLASSES),
      labels: new Int32Array(size),
    };
    if (this.reuseBuffers) this.buffers = buffers;
    return buffers;
  }

  private gather(split: ImageSplit, order: ArrayLike<number>, start: number, size: number): BatchBuffers {
    const b = this.batchBuffers(size);
    gatherBatch(split, order, start, size, b.x, 0, b.xT, 0, b.labels, 0);
    b.oneHot.fill(0);
    for (let s = 0; s < size; s++) b.oneHot[s * NUM_CLASSES + b.labels[s]] = 1;
    return b;
  }

  /**
   * One Adam step on the images `order[start..start+size)`; adds the batch's loss and correct count
   * to the running totals on the device.
   */
  trainBatch(split: ImageSplit, order: ArrayLike<number>, start: number, size: number): void {
    const tf = this.tf;
    const b = this.gather(split, order, start, size);
    this.step += 1;
    const t = this.step;
    // Keras's Adam: the bias corrections fold into one step size; ε is added to √v.
    const stepSize = (this.learningRate * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    const epsilon = this.epsilonForm === 'keras' ? this.epsilon : this.epsilon * Math.sqrt(1 - this.beta2 ** t);
    const previous = [this.w1, this.b1, this.w2, this.b2, this.theta, this.m, this.v, this.lossSum, this.correctSum];
    const result = tf.tidy(() => {
      const x = tf.tensor2d(b.x, [size, PIXELS]);
      const xT = tf.tensor2d(b.xT, [PIXELS, size]);
      const oneHot = tf.tensor2d(b.oneHot, [size, NUM_CLASSES]);
      const labels = tf.tensor1d(b.labels, 'int32');
      // Forward.
      const a1 = tf.add(tf.matMul(x, this.w1), this.b1);
      const h = tf.relu(a1);
      const z = tf.add(tf.matMul(h, this.w2), this.b2);
      const p = tf.softmax(z);
      // Backward: mean cross-entropy over the batch, through softmax, dense, relu, dense.
      const dz2 = tf.mul(tf.sub(p, oneHot), this.scalar(1 / size));
      const dW2 = tf.matMul(tf.transpose(h), dz2);
      const db2 = tf.sum(dz2, 0);
      const dh = tf.matMul(dz2, tf.transpose(this.w2));
      const dz1 = tf.mul(dh, tf.step(a1));
      const dW1 = tf.matMul(xT, dz1);
      const db1 = tf.sum(dz1, 0);
      const g = tf.concat([tf.reshape(dW1, [-1]), db1, tf.reshape(dW2, [-1]), db2]);
      const m = tf.add(tf.mul(this.m, this.scalar(this.beta1)), tf.mul(g, this.scalar(1 - this.beta1)));
      const v = tf.add(tf.mul(this.v, this.scalar(this.beta2)), tf.mul(tf.square(g), this.scalar(1 - this.beta2)));
      const update = tf.div(m, tf.add(tf.sqrt(v), tf.scalar(epsilon)));
      const theta = tf.sub(this.theta, tf.mul(update, tf.scalar(stepSize)));
      const [w1, b1, w2, b2] = tf.split(theta, this.sizes);
      // Metrics, kept on the device.
      // Cross-entropy from the logits (log-sum-exp), as Keras computes it for a softmax output.
      const batchLoss = tf.neg(tf.sum(tf.mul(tf.logSoftmax(z), oneHot)));
      const correct = tf.sum(tf.cast(tf.equal(tf.argMax(z, 1), labels), 'float32'));
      return [
        tf.reshape(w1, [PIXELS, this.hidden]),
        b1,
        tf.reshape(w2, [this.hidden, NUM_CLASSES]),
        b2,
        theta,
        m,
        v,
        tf.add(this.lossSum, batchLoss),
        tf.add(this.correctSum, correct),
      ];
    });
    [this.w1, this.b1, this.w2, this.b2, this.theta, this.m, this.v, this.lossSum, this.correctSum] = result;
    this.samples += size;
    for (const tensor of previous) tensor.dispose();
  }

  /** The running loss and accuracy since the last reset (this reads back two numbers). */
  readMetrics(): RunningMetrics {
    if (this.samples === 0) return { loss: 0, accuracy: 0, samples: 0 };
    const loss = this.lossSum.dataSync()[0];
    const correct = this.correctSum.dataSync()[0];
    return { loss: loss / this.samples, accuracy: correct / this.samples, samples: this.samples };
  }

  resetMetrics(): void {
    this.lossSum.dispose();
    this.correctSum.dispose();
    this.lossSum = this.tf.scalar(0);
    this.correctSum = this.tf.scalar(0);
    this.samples = 0;
  }

  evaluate(split: ImageSplit): RunningMetrics {
    return evaluateWeights(this.tf, [this.w1, this.b1, this.w2, this.b2], split);
  }

  /** Writes the trained weights into the model (a copy: the model owns its variables). */
  writeWeightsTo(model: LayersModel): void {
    model.setWeights([this.w1, this.b1, this.w2, this.b2]);
  }

  /** The current weights, as copies of the model's four weight arrays (tests compare them). */
  weights(): Float32Array[] {
    return [this.w1, this.b1, this.w2, this.b2].map((w) => w.dataSync() as Float32Array);
  }

  dispose(): void {
    for (const tensor of [this.w1, this.b1, this.w2, this.b2, this.theta, this.m, this.v, this.lossSum, this.correctSum]) {
      tensor.dispose();
    }
    for (const s of this.scalars.values()) s.dispose();
    this.scalars.clear();
  }
}
