/**
 * Training any Flatten -> Dense(relu)[-> Dropout] ... -> Dense(10, softmax) network with the compiled
 * kernels (assembly/), in a memory of its own laid out once (networkMemory.ts). A step is a dozen
 * kernel calls; no tensor is created and nothing is read back during an epoch. The weights go back
 * into the LayersModel to predict and save.
 *
 * What is computed is Keras's math: mean sparse categorical cross-entropy from the logits, relu,
 * inverted dropout in training only (seeded masks), l2(λ) on the kernels (λ·Σw² in the loss, 2λw in
 * the gradient), Adam with Keras's constants and ε added to √v (or tfjs's form, for comparing with
 * tfjs's own optimizer), moments flushed to zero below the smallest normal float. The unit tests
 * compare steps with LayersModel.trainOnBatch.
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import type { Architecture } from '../../domain/architecture';
import type { Tf } from '../backend';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON } from '../model';
import { PIXEL_TO_UNIT, type ImageSplit } from '../imageInput';
import type { RunningMetrics, Trainer, TrainerOptions } from '../trainer';
import { KernelHelper } from './helperThread';
import { bestInstructionSet, instantiateKernels, kernelModule, type InstructionSet, type MlpKernels } from './kernelModule';
import { INPUT_WIDTH, layOutNetwork, type DenseBuffers, type NetworkMemory } from './networkMemory';

/** Evaluation runs in chunks of at least this many images (the buffers are sized for it). */
const MIN_CAPACITY = 256;

export interface KernelTrainerOptions extends TrainerOptions {
  architecture: Architecture;
  /** The largest batch it will see. */
  batchSize: number;
  /** Seeds the dropout masks. */
  seed?: number;
  /**
   * 2 splits each step's dense kernels with a helper thread on shared memory (samples for the forward
   * and backward passes, weight rows for the gradient and Adam): the same computation, split, so the
   * weights are bit-identical to one thread's. Default 1 (see the README's Speed section for why).
   */
  threads?: 1 | 2;
  /** The kernels' instruction set; default the best this runtime runs (kernelModule.ts). */
  instructions?: InstructionSet;
}

/** Whether the compiled kernels are present (they are part of every build). */
export function kernelsAvailable(): boolean {
  return kernelModule() !== undefined;
}

export class KernelTrainer implements Trainer {
  readonly path = 'wasm-kernels';
  readonly instructions: InstructionSet;
  private readonly tf: Tf;
  private readonly architecture: Architecture;
  private readonly memory: WebAssembly.Memory;
  private readonly kernels: MlpKernels;
  private readonly layout: NetworkMemory;
  private readonly capacity: number;
  private readonly options: Required<Omit<KernelTrainerOptions, 'architecture' | 'seed' | 'threads' | 'instructions'>>;
  private readonly helper: KernelHelper | undefined;
  private readonly bytes: Uint8Array;
  private readonly floats: Float32Array;
  private readonly ints: Int32Array;
  private step = 0;
  private samples = 0;
  /** Σ over the epoch's steps of batch size · λ·Σw² (the L2 part of Keras's reported loss). */
  private regularizationLoss = 0;

  constructor(tf: Tf, model: LayersModel, options: KernelTrainerOptions) {
    const threads = options.threads ?? 1;
    const instructions = options.instructions ?? bestInstructionSet();
    const module = kernelModule({ instructions, shared: threads === 2 });
    if (module === undefined) throw new Error(`The training kernels (${instructions}) are missing or do not run here; run npm run build.`);
    this.instructions = instructions;
    this.tf = tf;
    this.architecture = options.architecture;
    this.options = {
      learningRate: options.learningRate,
      beta1: options.beta1 ?? ADAM_BETA1,
      beta2: options.beta2 ?? ADAM_BETA2,
      epsilon: options.epsilon ?? ADAM_EPSILON,
      epsilonForm: options.epsilonForm ?? 'keras',
      batchSize: options.batchSize,
    };
    this.capacity = Math.max(options.batchSize, MIN_CAPACITY);
    this.layout = layOutNetwork(options.architecture, options.batchSize, this.capacity);
    this.memory = new WebAssembly.Memory({ initial: this.layout.pages, maximum: this.layout.pages, shared: threads === 2 });
    this.kernels = instantiateKernels(module, this.memory);
    this.helper = threads === 2 ? new KernelHelper(module, this.memory, this.layout.helperCommand) : undefined;
    this.bytes = new Uint8Array(this.memory.buffer);
    this.floats = new Float32Array(this.memory.buffer);
    this.ints = new Int32Array(this.memory.buffer);
    this.floats.set(PIXEL_TO_UNIT, this.layout.pixelTable / 4);
    new Uint32Array(this.memory.buffer)[this.layout.rngState / 4] = Math.imul((options.seed ?? 0) ^ 0x5bd1e995, 0x9e3779b1) >>> 0;
    this.loadWeights(model);
  }

  get steps(): number {
    return this.step;
  }

  /** The model's [W, b] per Dense layer into the padded layout. */
  private loadWeights(model: LayersModel): void {
    const weights = model.getWeights();
    if (weights.length !== 2 * this.layout.layers.length) throw new Error('The model does not match the trainer\'s architecture.');
    this.layout.layers.forEach((layer, index) => {
      const kernel = weights[2 * index].dataSync() as Float32Array;
      const bias = weights[2 * index + 1].dataSync() as Float32Array;
      if (kernel.length !== layer.inputs * layer.units || bias.length !== layer.units) {
        throw new Error('The model does not match the trainer\'s architecture.');
      }
      for (let row = 0; row < layer.inputs; row++) {
        this.floats.set(kernel.subarray(row * layer.units, (row + 1) * layer.units), layer.weights / 4 + row * layer.stride);
      }
      this.floats.set(bias, layer.bias / 4);
    });
  }

  /** Images `order[start..start+size)` (or `start..start+size` without an order) and labels into memory. */
  private copyBatch(split: ImageSplit, order: ArrayLike<number> | undefined, start: number, size: number): void {
    const { images, labels } = this.layout;
    if (order === undefined) {
      this.bytes.set(split.images.subarray(start * INPUT_WIDTH, (start + size) * INPUT_WIDTH), images);
      for (let s = 0; s < size; s++) this.ints[labels / 4 + s] = split.labels[start + s];
    } else {
      for (let s = 0; s < size; s++) {
        const index = order[start + s];
        this.bytes.set(split.images.subarray(index * INPUT_WIDTH, (index + 1) * INPUT_WIDTH), images + s * INPUT_WIDTH);
        this.ints[labels / 4 + s] = split.labels[index];
      }
    }
  }

  /** Forward through every layer (dropout only in training); the logits end in the last layer's output. */
  private forward(size: number, training: boolean): void {
    const k = this.kernels;
    const { layers, images, pixelTable, rngState } = this.layout;
    let activations = 0;
    for (const layer of layers) {
      const units = training ? [layer.unitIndices, layer.unitValues, layer.unitCounts] : [0, 0, 0];
      if (activations === 0) {
        k.listNonZeroPixels(size, INPUT_WIDTH, images, pixelTable, layer.sampleIndices, layer.sampleValues, layer.sampleCounts, units[0], units[1], units[2], this.layout.unitStride);
      } else {
        k.listNonZero(size, layer.inputs, layer.inputStride, activations, layer.sampleIndices, layer.sampleValues, layer.sampleCounts, units[0], units[1], units[2], this.layout.unitStride);
      }
      this.splitSamples(size, 'denseForward', (from, count) => [
        count, layer.stride, layer.sampleIndices + 4 * from * layer.inputs, layer.sampleValues + 4 * from * layer.inputs,
        layer.sampleCounts + 4 * from, layer.inputs, layer.weights, layer.bias, layer.output + 4 * from * layer.stride,
      ]);
      if (layer === layers[layers.length - 1]) break;
      const dropping = training && layer.dropout > 0;
      if (dropping) {
        const keep = 1 - layer.dropout;
        k.dropoutMask(size, layer.units, layer.stride, keep, 1 / keep, rngState, layer.mask);
      }
      k.reluDropout(size * layer.stride, layer.output, dropping ? layer.mask : 0);
      activations = layer.output;
    }
  }

  /**
   * Runs `name` over items [0, count) (samples, or weight rows), given the arguments for a range: all
   * here with one thread, the second half on the helper with two. Returns the sum of the results.
   */
  private splitSamples(count: number, name: 'denseForward' | 'backwardToLayerBelow' | 'weightGradientAdam', argsFor: (from: number, count: number) => number[]): number {
    const kernel = this.kernels[name] as (...args: number[]) => number | undefined;
    if (this.helper === undefined || count < 2) return kernel(...argsFor(0, count)) ?? 0;
    const half = Math.ceil(count / 2);
    this.helper.start(name, argsFor(half, count - half));
    const mine = kernel(...argsFor(0, half)) ?? 0;
    return mine + this.helper.join();
  }

  /** Keras's Adam step constants for step t, into memory for the kernels. */
  private writeAdamStep(t: number): void {
    const { learningRate, beta1, beta2, epsilon, epsilonForm } = this.options;
    const alpha = (learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    const stepEpsilon = epsilonForm === 'keras' ? epsilon : epsilon * Math.sqrt(1 - beta2 ** t);
    this.floats.set([alpha, beta1, 1 - beta1, beta2, 1 - beta2, stepEpsilon], this.layout.adamStep / 4);
  }

  /** Backward from the last layer down: each layer's gradient below (with its weights before their update), then its Adam. */
  private backward(size: number): number {
    const k = this.kernels;
    const { layers, adamStep } = this.layout;
    const lambda = this.architecture.l2;
    let squares = 0;
    for (let index = layers.length - 1; index >= 0; index--) {
      const layer = layers[index];
      if (index > 0) {
        const below: DenseBuffers = layers[index - 1];
        this.splitSamples(size, 'backwardToLayerBelow', (from, count) => [
          count, layer.stride, layer.gradient + 4 * from * layer.stride, layer.weights, layer.sampleIndices + 4 * from * layer.inputs,
          layer.sampleCounts + 4 * from, layer.inputs, below.stride, below.mask === 0 ? 0 : below.mask + 4 * from * below.stride,
          below.gradient + 4 * from * below.stride,
        ]);
      }
      const unitStride = this.layout.unitStride;
      squares += this.splitSamples(layer.inputs, 'weightGradientAdam', (from, count) => {
        const rows = 4 * from * layer.stride;
        return [
          count, layer.stride, layer.unitIndices + 4 * from * unitStride, layer.unitValues + 4 * from * unitStride, layer.unitCounts + 4 * from,
          unitStride, layer.gradient, layer.weights + rows, layer.weightMoments1 + rows, layer.weightMoments2 + rows, adamStep, lambda,
        ];
      });
      k.columnSums(size, layer.stride, layer.gradient, layer.biasGradient);
      k.adamUpdate(layer.stride, layer.bias, layer.biasGradient, layer.biasMoments1, layer.biasMoments2, adamStep);
    }
    return squares;
  }

  trainBatch(split: ImageSplit, order: ArrayLike<number>, start: number, size: number): void {
    if (size > this.options.batchSize) throw new Error(`Batch of ${size} is larger than the trainer's ${this.options.batchSize}.`);
    this.copyBatch(split, order, start, size);
    this.forward(size, true);
    const head = this.layout.layers[this.layout.layers.length - 1];
    this.kernels.softmaxCrossEntropy(size, head.stride, head.output, this.layout.labels, head.gradient, this.layout.trainStats, 1 / size);
    this.step += 1;
    this.writeAdamStep(this.step);
    const squares = this.backward(size);
    this.regularizationLoss += size * this.architecture.l2 * squares;
    this.samples += size;
  }

  private stats(at: number): Float64Array {
    return new Float64Array(this.memory.buffer, at, 2);
  }

  readMetrics(): RunningMetrics {
    if (this.samples === 0) return { loss: 0, accuracy: 0, samples: 0 };
    const [loss, correct] = this.stats(this.layout.trainStats);
    return { loss: (loss + this.regularizationLoss) / this.samples, accuracy: correct / this.samples, samples: this.samples };
  }

  resetMetrics(): void {
    this.stats(this.layout.trainStats).fill(0);
    this.regularizationLoss = 0;
    this.samples = 0;
  }

  /** λ·Σw² over the kernels of the current weights. */
  private regularization(): number {
    if (this.architecture.l2 === 0) return 0;
    let squares = 0;
    for (const layer of this.layout.layers) squares += this.kernels.sumOfSquares(layer.inputs * layer.stride, layer.weights);
    return this.architecture.l2 * squares;
  }

  /** Loss (with the L2 term, as Keras's evaluate reports it) and accuracy on a whole split, no dropout. */
  evaluate(split: ImageSplit): RunningMetrics {
    const stats = this.stats(this.layout.evalStats);
    stats.fill(0);
    const head = this.layout.layers[this.layout.layers.length - 1];
    for (let start = 0; start < split.count; start += this.capacity) {
      const size = Math.min(this.capacity, split.count - start);
      this.copyBatch(split, undefined, start, size);
      this.forward(size, false);
      this.kernels.softmaxCrossEntropy(size, head.stride, head.output, this.layout.labels, 0, this.layout.evalStats, 1);
    }
    const [loss, correct] = stats;
    return { loss: loss / split.count + this.regularization(), accuracy: correct / split.count, samples: split.count };
  }

  /** The weights in the model's layout [W, b] per Dense layer (copies, padding removed). */
  weights(): Float32Array[] {
    return this.layout.layers.flatMap((layer) => {
      const kernel = new Float32Array(layer.inputs * layer.units);
      for (let row = 0; row < layer.inputs; row++) {
        const from = layer.weights / 4 + row * layer.stride;
        kernel.set(this.floats.subarray(from, from + layer.units), row * layer.units);
      }
      return [kernel, this.floats.slice(layer.bias / 4, layer.bias / 4 + layer.units)];
    });
  }

  writeWeightsTo(model: LayersModel): void {
    const tf = this.tf;
    const values = this.weights();
    const tensors: Tensor[] = this.layout.layers.flatMap((layer, index) => [
      tf.tensor2d(values[2 * index], [layer.inputs, layer.units]),
      tf.tensor1d(values[2 * index + 1]),
    ]);
    try {
      model.setWeights(tensors);
    } finally {
      for (const tensor of tensors) tensor.dispose();
    }
  }

  /** The dropout masks of the last training step (tests replay them in tfjs). */
  lastDropoutMasks(size: number): (Float32Array | undefined)[] {
    return this.layout.layers.slice(0, -1).map((layer) => {
      if (layer.mask === 0) return undefined;
      const mask = new Float32Array(size * layer.units);
      for (let s = 0; s < size; s++) {
        const from = layer.mask / 4 + s * layer.stride;
        mask.set(this.floats.subarray(from, from + layer.units), s * layer.units);
      }
      return mask;
    });
  }

  dispose(): void {
    // The memory is the trainer's own and goes with it; a helper thread is stopped.
    this.helper?.dispose();
  }
}

