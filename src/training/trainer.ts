/**
 * Training the tutorial's model fast, with Keras's math, on any tfjs backend.
 *
 * `model.fit` spends most of its time outside the arithmetic: ~130 kernels per step from autodiff,
 * separate Adam updates per weight, and (on wasm) a transposed matMul for the first layer's weight
 * gradient that misses the fast XNNPACK path. This trainer writes the gradients of the MLP out by hand
 * (any number of Dense/relu hidden layers, inverted dropout after any of them, L2 on the kernels), feeds
 * the first layer's matMul untransposed operands (the batch's transpose is built in JS while the batch is
 * gathered), keeps all parameters in one flat buffer so Adam is one update, and accumulates loss and
 * accuracy on the device so nothing is read back between progress reports.
 *
 * What is computed is what Keras computes: Glorot-uniform weights and zero biases (taken from the
 * compiled LayersModel), mean sparse categorical cross-entropy over the batch (its gradient with
 * respect to the logits of a softmax output is (p - onehot) / B) plus λ·Σw² over the kernels (gradient
 * 2λw), Dropout as Keras's (keep with probability 1-rate, scaled by 1/(1-rate), in training only), Adam with β1 0.9, β2 0.999, ε 1e-7
 * in Keras's form (step size lr·√(1-β2^t)/(1-β1^t), ε added to √v). The trained weights are written
 * back into the LayersModel, which then saves and predicts like any other.
 */
import type { LayersModel, Scalar, Tensor } from '@tensorflow/tfjs';
import { NUM_CLASSES, PIXELS } from '../domain/classes';
import type { Tf } from './backend';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, architectureOf } from './model';

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
  /** Seeds the dropout masks (the run's seed); the same seed drops the same units. */
  seed?: number;
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
  /** The current weights in the model's layout [W1, b1, ..., Wout, bout] (tests compare them, early stopping keeps the best). */
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

/** The stream the dropout masks are drawn from (apart from the shuffling's, so dropout does not change the order). */
export function dropoutRng(seed: number): () => number {
  return createRng((seed ^ 0x5eed) >>> 0);
}

/**
 * Keras's inverted dropout mask for one layer of a batch (size×units): 0 with probability `rate`, else
 * 1/(1-rate), so the expected activation is unchanged and inference needs no scaling.
 */
export function dropoutMask(rng: () => number, size: number, units: number, rate: number): Float32Array {
  const mask = new Float32Array(size * units);
  const kept = 1 / (1 - rate);
  for (let i = 0; i < mask.length; i++) mask[i] = rng() >= rate ? kept : 0;
  return mask;
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

/** The training step in tfjs ops: runs on every backend (cpu, wasm, tfjs-node), for any MLP the model builder makes. */
export class OpsTrainer implements Trainer {
  readonly path = 'tfjs-ops';
  private readonly tf: Tf;
  private readonly shapes: number[][];
  private readonly sizes: number[];
  /** Per hidden layer: its width and the dropout rate after it. */
  private readonly hidden: { units: number; dropout: number }[];
  private readonly l2: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly learningRate: number;
  private readonly epsilonForm: 'keras' | 'tfjs';
  private readonly dropoutRng: () => number;
  /** wasm copies uploaded data into its heap at once, so batch buffers can be reused there. */
  private readonly reuseBuffers: boolean;

  /** [W1, b1, ..., Wout, bout], each in its layer's shape. */
  private params: Tensor[];
  /** All parameters, flattened in that order; with its Adam moments. */
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
    this.dropoutRng = dropoutRng(options.seed ?? 0);
    this.reuseBuffers = tf.getBackend() === 'wasm';
    const architecture = architectureOf(model);
    this.hidden = architecture.hiddenLayers;
    this.l2 = architecture.l2;
    const weights = model.getWeights();
    this.shapes = weights.map((w) => w.shape.slice());
    this.sizes = weights.map((w) => w.size);
    this.params = weights.map((w) => w.clone());
    this.theta = tf.tidy(() => tf.concat(weights.map((w) => w.reshape([-1]))));
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
    const masks = this.hidden.map((layer) => (layer.dropout > 0 ? dropoutMask(this.dropoutRng, size, layer.units, layer.dropout) : undefined));
    this.step += 1;
    const t = this.step;
    // Keras's Adam: the bias corrections fold into one step size; ε is added to √v.
    const stepSize = (this.learningRate * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    const epsilon = this.epsilonForm === 'keras' ? this.epsilon : this.epsilon * Math.sqrt(1 - this.beta2 ** t);
    const previous = [...this.params, this.theta, this.m, this.v, this.lossSum, this.correctSum];
    const dense = this.params.length / 2;
    const result = tf.tidy(() => {
      const x = tf.tensor2d(b.x, [size, PIXELS]);
      const xT = tf.tensor2d(b.xT, [PIXELS, size]);
      const oneHot = tf.tensor2d(b.oneHot, [size, NUM_CLASSES]);
      const labels = tf.tensor1d(b.labels, 'int32');
      // Forward: per hidden layer a = h·W + b, h' = relu(a) (· dropout mask).
      const inputs: Tensor[] = [x];
      const preActivations: Tensor[] = [];
      const maskTensors: (Tensor | undefined)[] = [];
      let h: Tensor = x;
      for (let layer = 0; layer < dense - 1; layer++) {
        const a = tf.add(tf.matMul(h, this.params[2 * layer]), this.params[2 * layer + 1]);
        preActivations.push(a);
        h = tf.relu(a);
        const mask = masks[layer];
        const maskTensor = mask === undefined ? undefined : tf.tensor2d(mask, [size, this.hidden[layer].units]);
        maskTensors.push(maskTensor);
        if (maskTensor !== undefined) h = tf.mul(h, maskTensor);
        inputs.push(h);
      }
      const z = tf.add(tf.matMul(h, this.params[2 * (dense - 1)]), this.params[2 * dense - 1]);
      const p = tf.softmax(z);
      // Backward: mean cross-entropy over the batch, through softmax, then each dense (+ L2), dropout, relu.
      let dz: Tensor = tf.mul(tf.sub(p, oneHot), this.scalar(1 / size));
      const gradients: Tensor[] = new Array(this.params.length);
      for (let layer = dense - 1; layer >= 0; layer--) {
        const kernel = this.params[2 * layer];
        const inputT = layer === 0 ? xT : tf.transpose(inputs[layer]);
        let dW = tf.matMul(inputT, dz);
        if (this.l2 > 0) dW = tf.add(dW, tf.mul(kernel, this.scalar(2 * this.l2)));
        gradients[2 * layer] = tf.reshape(dW, [-1]);
        gradients[2 * layer + 1] = tf.sum(dz, 0);
        if (layer > 0) {
          let dh = tf.matMul(dz, tf.transpose(kernel));
          const mask = maskTensors[layer - 1];
          if (mask !== undefined) dh = tf.mul(dh, mask);
          dz = tf.mul(dh, tf.step(preActivations[layer - 1]));
        }
      }
      const g = tf.concat(gradients);
      const m = tf.add(tf.mul(this.m, this.scalar(this.beta1)), tf.mul(g, this.scalar(1 - this.beta1)));
      const v = tf.add(tf.mul(this.v, this.scalar(this.beta2)), tf.mul(tf.square(g), this.scalar(1 - this.beta2)));
      const update = tf.div(m, tf.add(tf.sqrt(v), tf.scalar(epsilon)));
      const theta = tf.sub(this.theta, tf.mul(update, tf.scalar(stepSize)));
      const params = tf.split(theta, this.sizes).map((part, index) => tf.reshape(part, this.shapes[index]));
      // Metrics, kept on the device. Cross-entropy from the logits (log-sum-exp), as Keras computes it
      // for a softmax output; the L2 penalty is part of the loss Keras reports.
      let batchLoss = tf.neg(tf.sum(tf.mul(tf.logSoftmax(z), oneHot)));
      if (this.l2 > 0) {
        const squares = this.params.filter((_, index) => index % 2 === 0).map((kernel) => tf.sum(tf.square(kernel)));
        batchLoss = tf.add(batchLoss, tf.mul(tf.addN(squares), this.scalar(this.l2 * size)));
      }
      const correct = tf.sum(tf.cast(tf.equal(tf.argMax(z, 1), labels), 'float32'));
      return [...params, theta, m, v, tf.add(this.lossSum, batchLoss), tf.add(this.correctSum, correct)];
    });
    const count = this.params.length;
    this.params = result.slice(0, count);
    [this.theta, this.m, this.v, this.lossSum, this.correctSum] = result.slice(count);
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
    return evaluateWeights(this.tf, this.params, split, undefined, this.l2);
  }

  /** Writes the trained weights into the model (a copy: the model owns its variables). */
  writeWeightsTo(model: LayersModel): void {
    model.setWeights(this.params);
  }

  /** The current weights, as copies of the model's weight arrays. */
  weights(): Float32Array[] {
    return this.params.map((w) => w.dataSync() as Float32Array);
  }

  dispose(): void {
    for (const tensor of [...this.params, this.theta, this.m, this.v, this.lossSum, this.correctSum]) tensor.dispose();
    for (const s of this.scalars.values()) s.dispose();
    this.scalars.clear();
  }
}
