/**
 * Training any [Conv2D(relu) -> MaxPooling2D(2)] ... (convLayer.ts) -> Flatten -> Dense(relu)[-> Dropout]
 * ... -> Dense(10, softmax) network with the compiled kernels (assembly/), in a memory of its own laid out
 * once (networkMemory.ts). A step runs the list of layers (convLayer.ts, denseLayer.ts) up, the head (softmax and cross-entropy), then the layers down: a dozen kernel
 * calls, split over one or two threads (kernelThreads.ts); no tensor is created and nothing is read back
 * during an epoch. Evaluation and prediction run the same forward kernels. The weights go back into the
 * LayersModel to save.
 *
 * What is computed is Keras's math: mean sparse categorical cross-entropy from the logits, relu,
 * inverted dropout in training only (seeded masks), l2(λ) on the kernels (λ·Σw² in the loss, 2λw in
 * the gradient), Adam with Keras's constants and ε added to √v (or tfjs's form, for comparing with
 * tfjs's own optimizer), moments flushed to zero below the smallest normal float. The unit tests
 * compare steps with LayersModel.trainOnBatch.
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import type { Architecture } from '../../domain/architecture';
import type { TrainingThreads } from '../../protocol/worker';
import type { Tf } from '../backend';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON } from '../model';
import { PIXEL_TO_UNIT, type ImageSplit } from '../imageInput';
import type { RunningMetrics, Trainer, TrainerOptions } from '../trainer';
import { ConvLayer } from './convLayer';
import { DenseLayer, type KernelLayer, type StepContext } from './denseLayer';
import { loadDenseWeights, readDenseWeights } from './denseWeights';
import { bestInstructionSet, kernelModule, type InstructionSet, type MlpKernels } from './kernelModule';
import { KernelThreads, type ThreadDecision } from './kernelThreads';
import { CLASSES, INPUT_WIDTH, layOutNetwork, trainerCapacity, type NetworkMemory } from './networkMemory';

/** Evaluation and prediction run in chunks of at least this many images (the buffers are sized for it). */
export const MIN_CAPACITY = 256;

export interface KernelTrainerOptions extends TrainerOptions {
  architecture: Architecture;
  /** The largest batch it will see. */
  batchSize: number;
  /** Seeds the dropout masks. */
  seed?: number;
  /**
   * 1: this thread only. 2: each step's dense kernels split with a helper thread on shared memory
   * (samples for the forward and backward passes, weight rows for the gradient and Adam). 'auto' (the
   * default): timed at the start and again when the machine gets busy (kernelThreads.ts). The same
   * computation either way, split, so the weights are bit-identical.
   */
  threads?: TrainingThreads;
  /** The kernels' instruction set; default the best this runtime runs (kernelModule.ts). */
  instructions?: InstructionSet;
  /** Wraps the kernels (the bench times each call); the helper thread's calls are not seen. */
  instrument?: (kernels: MlpKernels, memory: WebAssembly.Memory) => MlpKernels;
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
  private readonly threads: KernelThreads;
  private readonly kernels: MlpKernels;
  private readonly layout: NetworkMemory;
  private readonly layers: KernelLayer[];
  /** The conv blocks before the Flatten, when the network has any (the first of `layers`). */
  private readonly conv: ConvLayer | undefined;
  private readonly context: StepContext;
  private readonly capacity: number;
  private readonly options: Required<Omit<KernelTrainerOptions, 'architecture' | 'seed' | 'threads' | 'instructions' | 'instrument'>>;
  private readonly bytes: Uint8Array;
  private readonly floats: Float32Array;
  private readonly ints: Int32Array;
  private step = 0;
  private samples = 0;
  /** Σ over the epoch's steps of batch size · λ·Σw² (the L2 part of Keras's reported loss). */
  private regularizationLoss = 0;

  constructor(tf: Tf, model: LayersModel | undefined, options: KernelTrainerOptions) {
    const threads = options.threads ?? 'auto';
    const instructions = options.instructions ?? bestInstructionSet();
    const shared = threads !== 1;
    const module = kernelModule({ instructions, shared });
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
    this.capacity = trainerCapacity(options.architecture, options.batchSize, MIN_CAPACITY);
    this.layout = layOutNetwork(options.architecture, options.batchSize, this.capacity);
    this.memory = new WebAssembly.Memory({ initial: this.layout.pages, maximum: this.layout.pages, shared });
    this.threads = new KernelThreads(module, this.memory, this.layout.helperCommand, threads, options.instrument);
    this.kernels = this.threads.kernels;
    this.context = { threads: this.threads, layout: this.layout };
    const dense = this.layout.layers;
    this.conv = this.layout.conv.length > 0 ? new ConvLayer(this.threads, this.layout, this.memory) : undefined;
    const flatten = this.conv && { stride: dense[0].inputStride, mask: 0, gradient: this.conv.outputGradients };
    const denseLayers = dense.map((buffers, index) => new DenseLayer(buffers, index === 0 ? flatten : dense[index - 1], index === dense.length - 1));
    this.layers = this.conv === undefined ? denseLayers : [this.conv, ...denseLayers];
    this.bytes = new Uint8Array(this.memory.buffer);
    this.floats = new Float32Array(this.memory.buffer);
    this.ints = new Int32Array(this.memory.buffer);
    this.floats.set(PIXEL_TO_UNIT, this.layout.pixelTable / 4);
    new Uint32Array(this.memory.buffer)[this.layout.rngState / 4] = Math.imul((options.seed ?? 0) ^ 0x5bd1e995, 0x9e3779b1) >>> 0;
    if (model !== undefined) this.loadWeights(model.getWeights().map((w) => w.dataSync() as Float32Array));
  }

  get steps(): number {
    return this.step;
  }

  /** Threads the next step uses, and the timed choices made so far (threads 'auto'). */
  get threadsInUse(): 1 | 2 {
    return this.threads.threads;
  }

  get threadDecisions(): readonly ThreadDecision[] {
    return this.threads.decisions;
  }

  /** Kernel calls run on the helper thread so far. */
  get helperCalls(): number {
    return this.threads.helperCalls;
  }

  /** [kernel, bias] per conv block then [W, b] per Dense layer, in the model's layout, into the padded layout. */
  loadWeights(weights: ArrayLike<number>[]): void {
    const convWeights = 2 * this.layout.conv.length;
    if (weights.length !== convWeights + 2 * this.layout.layers.length) throw new Error('The model does not match the trainer\'s architecture.');
    this.conv?.blocks.loadWeights(this.floats, weights.slice(0, convWeights));
    this.layout.layers.forEach((layer, index) => loadDenseWeights(this.floats, layer, weights[convWeights + 2 * index], weights[convWeights + 2 * index + 1]));
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
    let input = 0;
    for (const layer of this.layers) {
      layer.forward(this.context, size, training, input);
      input = layer.output;
    }
  }

  /** Keras's Adam step constants for step t, into memory for the kernels. */
  private writeAdamStep(t: number): void {
    const { learningRate, beta1, beta2, epsilon, epsilonForm } = this.options;
    const alpha = (learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    const stepEpsilon = epsilonForm === 'keras' ? epsilon : epsilon * Math.sqrt(1 - beta2 ** t);
    this.floats.set([alpha, beta1, 1 - beta1, beta2, 1 - beta2, stepEpsilon], this.layout.adamStep / 4);
  }

  private get head(): { stride: number; output: number; gradient: number } {
    return this.layout.layers[this.layout.layers.length - 1];
  }

  trainBatch(split: ImageSplit, order: ArrayLike<number>, start: number, size: number): void {
    if (size > this.options.batchSize) throw new Error(`Batch of ${size} is larger than the trainer's ${this.options.batchSize}.`);
    this.threads.beginStep();
    this.copyBatch(split, order, start, size);
    this.forward(size, true);
    this.threads.splitAhead(size, 'softmaxCrossEntropy', this.crossEntropyHalf(this.layout.trainStats, this.head.gradient, 1 / size), 2);
    this.step += 1;
    this.writeAdamStep(this.step);
    // From the top down: each layer's gradient below (with its weights before their update), then its Adam
    // (each layer waits where it must); both threads' calls done before the step ends.
    let squares = 0;
    for (let index = this.layers.length - 1; index >= 0; index--) squares += this.layers[index].backward(this.context, size, this.architecture.l2);
    squares += this.threads.join();
    this.regularizationLoss += size * this.architecture.l2 * squares;
    this.samples += size;
    this.threads.endStep();
  }

  /** softmaxCrossEntropy's arguments for the half at `from`: loss and hits into that half's slots of `stats`, gradient rows at `gradient` (0: none). */
  private crossEntropyHalf(stats: number, gradient: number, scale: number): (from: number, count: number) => number[] {
    const { stride, output } = this.head;
    return (from, count) => [count, stride, output + 4 * from * stride, this.layout.labels + 4 * from, gradient === 0 ? 0 : gradient + 4 * from * stride, from === 0 ? stats : stats + 16, scale];
  }

  /** Training or evaluation stats: loss sum and hits, then the helper's half's. */
  private stats(at: number): Float64Array {
    return new Float64Array(this.memory.buffer, at, 4);
  }

  /** Loss sum and hits over both halves. */
  private summedStats(at: number): [number, number] {
    const [loss, correct, helperLoss, helperCorrect] = this.stats(at);
    return [loss + helperLoss, correct + helperCorrect];
  }

  readMetrics(): RunningMetrics {
    if (this.samples === 0) return { loss: 0, accuracy: 0, samples: 0 };
    const [loss, correct] = this.summedStats(this.layout.trainStats);
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

  /**
   * The whole split forward (no dropout) in chunks of the trainer's capacity, on the threads the steps use
   * (on a busy machine a second thread makes long calls slower too), then `head` over each chunk's logits (the
   * last layer's output; split too, by samples: the helper's half at `from`); `each` reads what it wrote once
   * both threads are done with it.
   */
  private forwardInChunks(split: ImageSplit, head: (from: number, count: number) => number[], name: 'softmaxCrossEntropy' | 'softmaxRows', each?: (size: number, start: number) => void): void {
    for (let start = 0; start < split.count; start += this.capacity) {
      const size = Math.min(this.capacity, split.count - start);
      this.copyBatch(split, undefined, start, size);
      this.forward(size, false);
      this.threads.splitAhead(size, name, head, 2);
      this.threads.join();
      each?.(size, start);
    }
  }

  /** Loss (with the L2 term, as Keras's evaluate reports it) and accuracy on a whole split, no dropout. */
  evaluate(split: ImageSplit): RunningMetrics {
    this.stats(this.layout.evalStats).fill(0);
    this.forwardInChunks(split, this.crossEntropyHalf(this.layout.evalStats, 0, 1), 'softmaxCrossEntropy');
    const [loss, correct] = this.summedStats(this.layout.evalStats);
    if (split.count === 0) return { loss: 0, accuracy: 0, samples: 0 };
    return { loss: loss / split.count + this.regularization(), accuracy: correct / split.count, samples: split.count };
  }

  /** The softmax probabilities of every image of a split (count × 10), no dropout: the model's predictions. */
  predict(split: ImageSplit): Float32Array {
    const probabilities = new Float32Array(split.count * CLASSES);
    const { stride, output } = this.head;
    const at = this.layout.probabilities;
    this.forwardInChunks(split, (from, count) => [count, stride, output + 4 * from * stride, at + 4 * from * CLASSES], 'softmaxRows', (size, start) => {
      probabilities.set(this.floats.subarray(at / 4, at / 4 + size * CLASSES), start * CLASSES);
    });
    return probabilities;
  }

  /** The weights in the model's layout: [kernel, bias] per conv block, [W, b] per Dense layer (copies, padding removed). */
  weights(): Float32Array[] {
    const conv = this.conv?.blocks.weights(this.floats) ?? [];
    return conv.concat(this.layout.layers.flatMap((layer) => readDenseWeights(this.floats, layer)));
  }

  writeWeightsTo(model: LayersModel): void {
    const tf = this.tf;
    const values = this.weights();
    const tensors: Tensor[] = model.getWeights().map((weight, index) => tf.tensor(values[index], weight.shape));
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
    this.threads.dispose();
  }
}
