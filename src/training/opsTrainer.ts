/**
 * The training step in tfjs ops, on any tfjs backend (cpu, wasm, tfjs-node), for any network the model
 * builder makes. The compiled kernels (kernels/) are the default path; this one runs when asked for
 * (`path: 'ops'`, as the unit tests do to compare the two) or when the kernels were not built.
 *
 * It takes `model.fit`'s place: fit spends most of its time outside the arithmetic (~130 kernels per step
 * from autodiff, separate Adam updates per weight, and on wasm a transposed matMul for the first layer's
 * weight gradient that misses XNNPACK's fast path). This trainer writes the gradients of the MLP out by
 * hand (any number of Dense/relu hidden layers, inverted dropout after any of them, L2 on the kernels;
 * conv blocks before them through convOps.ts).
 * The first layer's weight gradient is xᵀ·dz with xᵀ built in JS while the batch is gathered, so that
 * matMul (the largest) takes plain operands; the deeper layers' inputs and the kernels of the backward
 * pass are transposed with tf.transpose. All parameters live in one flat tensor, so Adam is one update,
 * and loss and accuracy accumulate on the device, so nothing is read back between progress reports.
 *
 * What is computed is what Keras computes: Glorot-uniform weights and zero biases (taken from the
 * compiled LayersModel), mean sparse categorical cross-entropy over the batch (its gradient with
 * respect to the logits of a softmax output is (p - onehot) / B) plus λ·Σw² over the kernels (gradient
 * 2λw), Dropout as Keras's (keep with probability 1-rate, scaled by 1/(1-rate), in training only), Adam
 * with β1 0.9, β2 0.999, ε 1e-7 in Keras's form (step size lr·√(1-β2^t)/(1-β1^t), ε added to √v). The
 * trained weights are written back into the LayersModel, which then saves and predicts like any other.
 */
import type { LayersModel, Scalar, Tensor } from '@tensorflow/tfjs';
import { IMAGE_SIZE, NUM_CLASSES, PIXELS } from '../domain/classes';
import { convLayersOf } from '../domain/architecture';
import { convBackward, convForward } from './convOps';
import type { Tf } from './backend';
import { dropoutMask, dropoutRng } from './dropoutMasks';
import { evaluateWeights } from './evaluateWeights';
import { gatherBatch, type ImageSplit } from './imageInput';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, architectureOf } from './model';
import type { RunningMetrics, Trainer, TrainerOptions } from './trainer';

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

/** The training step in tfjs ops (see the top of this file). */
export class OpsTrainer implements Trainer {
  readonly path = 'tfjs-ops';
  private readonly tf: Tf;
  private readonly shapes: number[][];
  private readonly sizes: number[];
  /** Conv blocks before the Dense layers (their kernels and biases come first in `params`). */
  private readonly convBlocks: number;
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
    this.convBlocks = convLayersOf(architecture).length;
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
    const convParams = 2 * this.convBlocks;
    const dense = (this.params.length - convParams) / 2;
    const kernelAt = (layer: number) => convParams + 2 * layer;
    const result = tf.tidy(() => {
      const x = tf.tensor2d(b.x, [size, PIXELS]);
      const oneHot = tf.tensor2d(b.oneHot, [size, NUM_CLASSES]);
      const labels = tf.tensor1d(b.labels, 'int32');
      // Conv blocks first (when any): their last pool, flattened, is the Dense layers' input.
      const conv = convParams > 0 ? convForward(tf, tf.reshape(x, [size, IMAGE_SIZE, IMAGE_SIZE, 1]), this.params.slice(0, convParams)) : undefined;
      const flat = conv === undefined ? x : tf.reshape(conv.output, [size, -1]);
      // The first layer's weight gradient takes the transpose built while gathering, for an MLP.
      const xT = conv === undefined ? tf.tensor2d(b.xT, [PIXELS, size]) : undefined;
      // Forward: per hidden layer a = h·W + b, h' = relu(a) (· dropout mask).
      const inputs: Tensor[] = [flat];
      const preActivations: Tensor[] = [];
      const maskTensors: (Tensor | undefined)[] = [];
      let h: Tensor = flat;
      for (let layer = 0; layer < dense - 1; layer++) {
        const a = tf.add(tf.matMul(h, this.params[kernelAt(layer)]), this.params[kernelAt(layer) + 1]);
        preActivations.push(a);
        h = tf.relu(a);
        const mask = masks[layer];
        const maskTensor = mask === undefined ? undefined : tf.tensor2d(mask, [size, this.hidden[layer].units]);
        maskTensors.push(maskTensor);
        if (maskTensor !== undefined) h = tf.mul(h, maskTensor);
        inputs.push(h);
      }
      const z = tf.add(tf.matMul(h, this.params[kernelAt(dense - 1)]), this.params[kernelAt(dense - 1) + 1]);
      const p = tf.softmax(z);
      // Backward: mean cross-entropy over the batch, through softmax, then each dense (+ L2), dropout, relu.
      let dz: Tensor = tf.mul(tf.sub(p, oneHot), this.scalar(1 / size));
      const gradients: Tensor[] = new Array(this.params.length);
      for (let layer = dense - 1; layer >= 0; layer--) {
        const kernel = this.params[kernelAt(layer)];
        const inputT = layer === 0 && xT !== undefined ? xT : tf.transpose(inputs[layer]);
        let dW = tf.matMul(inputT, dz);
        if (this.l2 > 0) dW = tf.add(dW, tf.mul(kernel, this.scalar(2 * this.l2)));
        gradients[kernelAt(layer)] = tf.reshape(dW, [-1]);
        gradients[kernelAt(layer) + 1] = tf.sum(dz, 0);
        if (layer > 0) {
          let dh = tf.matMul(dz, tf.transpose(kernel));
          const mask = maskTensors[layer - 1];
          if (mask !== undefined) dh = tf.mul(dh, mask);
          dz = tf.mul(dh, tf.step(preActivations[layer - 1]));
        }
      }
      if (conv !== undefined) {
        const dFlat = tf.matMul(dz, tf.transpose(this.params[kernelAt(0)]));
        const convGradients = convBackward(tf, conv.caches, this.params.slice(0, convParams), tf.reshape(dFlat, conv.output.shape));
        convGradients.forEach((gradient, index) => (gradients[index] = tf.reshape(gradient, [-1])));
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
        const squares = this.denseKernels().map((kernel) => tf.sum(tf.square(kernel)));
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

  /** The Dense kernels (the ones L2 regularizes): after the conv blocks' weights, every other tensor. */
  private denseKernels(): Tensor[] {
    return this.params.filter((_, index) => index >= 2 * this.convBlocks && index % 2 === 0);
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
    return evaluateWeights(this.tf, this.params, split, { convBlocks: this.convBlocks, l2: this.l2 });
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
