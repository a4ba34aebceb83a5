/**
 * The fast training path on the tfjs wasm backend: a whole step is four calls into the kernels of
 * wasmKernels.ts (forward, head, W1's gradient fused with its Adam update, Adam for the small
 * parameters), working in the backend's heap on buffers allocated once. No tensor is created and
 * nothing is read back during an epoch; the batch is gathered from the uint8 images straight into
 * the heap. The weights go back into tfjs tensors only to evaluate, predict and save.
 *
 * (tfjs's own wasm matMul is fast, but it caches its right operand's packing by tensor id, so it
 * cannot take weights updated in place, and each fresh operand costs a packing pass; the kernels here
 * also skip background pixels, which contribute exact zeros.)
 *
 * The math is the same as OpsTrainer's (and Keras's); the unit tests check both against
 * LayersModel.trainOnBatch.
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { NUM_CLASSES, PIXELS } from '../domain/classes';
import type { Tf } from './backend';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON } from './model';
import {
  evaluateWeights,
  PIXEL_TO_UNIT,
  type ImageSplit,
  type RunningMetrics,
  type Trainer,
  type TrainerOptions,
} from './trainer';
import { COLUMN_BLOCK, instantiateKernels, SMALL_BLOCK_FLOATS, type TrainingKernels } from './wasmKernels';

/** The parts of the tfjs wasm backend this path relies on (not public API, so checked at start). */
interface WasmBackendInternals {
  wasm: {
    _malloc(bytes: number): number;
    _free(pointer: number): void;
    asm?: { memory?: WebAssembly.Memory };
  };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
}

function wasmInternals(tf: Tf): WasmBackendInternals | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const backend = tf.backend() as unknown as Partial<WasmBackendInternals>;
  const memory = backend.wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory) || typeof backend.wasm?._malloc !== 'function' || backend.dataIdMap === undefined) {
    return undefined;
  }
  return backend as WasmBackendInternals;
}

/**
 * A float view on a tensor's memory in the wasm heap (valid until the heap grows), or undefined on
 * other backends. Lets a fresh tensor be filled in place, without a second copy in JS.
 */
export function heapFloats(tf: Tf, tensor: Tensor): Float32Array | undefined {
  const backend = wasmInternals(tf);
  const entry = backend?.dataIdMap.get(tensor.dataId);
  const memory = backend?.wasm.asm?.memory;
  if (entry === undefined || memory === undefined || tensor.dtype !== 'float32') return undefined;
  return new Float32Array(memory.buffer, entry.memoryOffset, tensor.size);
}

/**
 * The largest batch the kernels take: their per-batch buffers (the pixel lists) need 16 bytes per
 * pixel of the batch, 51 MB at this size; larger batches train with tfjs ops.
 */
export const MAX_KERNEL_BATCH = 4096;

/** Whether the fast path can run here: the wasm backend, a hidden width of whole 32-column blocks, a batch that fits. */
export function canUseWasmKernels(tf: Tf, hiddenUnits: number, batchSize: number): boolean {
  return hiddenUnits % COLUMN_BLOCK === 0 && batchSize <= MAX_KERNEL_BATCH && wasmInternals(tf) !== undefined;
}

export class WasmKernelTrainer implements Trainer {
  readonly path = 'wasm-kernels';
  private readonly tf: Tf;
  private readonly backend: WasmBackendInternals;
  private readonly memory: WebAssembly.Memory;
  private readonly kernels: TrainingKernels;
  private readonly hidden: number;
  private readonly smallFloats: number;
  private readonly learningRate: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly epsilonForm: 'keras' | 'tfjs';
  private readonly pointers: number[] = [];
  /** W1 (784×H) and its Adam moments. */
  private readonly w1: number;
  private readonly mW1: number;
  private readonly vW1: number;
  /** [b1 | W2ᵀ | b2], their gradients, and their Adam moments. */
  private readonly small: number;
  private readonly smallGrad: number;
  private readonly mSmall: number;
  private readonly vSmall: number;
  private readonly stats: number;
  private readonly labels: number;
  private readonly hBuffer: number;
  private readonly zBuffer: number;
  private readonly dz1Buffer: number;
  /** Per sample, its non-zero pixels (W1 row offset, value) and their count; see the forward kernel. */
  private readonly sampleRows: number;
  private readonly sampleValues: number;
  private readonly sampleCounts: number;
  /** Per pixel, the samples where it is not zero (dz1 row offset, value) and their count. */
  private readonly pixelRows: number;
  private readonly pixelValues: number;
  private readonly pixelCounts: number;
  /** The batch's images (uint8) and the byte -> 0..1 table the gather kernel reads. */
  private readonly batchImages: number;
  private readonly pixelTable: number;
  private readonly maxBatch: number;
  private step = 0;
  private samples = 0;

  constructor(tf: Tf, model: LayersModel, options: TrainerOptions & { batchSize: number }) {
    const backend = wasmInternals(tf);
    if (backend === undefined) throw new Error('The wasm kernels need the tfjs wasm backend.');
    this.tf = tf;
    this.backend = backend;
    this.memory = backend.wasm.asm?.memory as WebAssembly.Memory;
    this.kernels = instantiateKernels(this.memory);
    this.learningRate = options.learningRate;
    this.beta1 = options.beta1 ?? ADAM_BETA1;
    this.beta2 = options.beta2 ?? ADAM_BETA2;
    this.epsilon = options.epsilon ?? ADAM_EPSILON;
    this.epsilonForm = options.epsilonForm ?? 'keras';
    this.maxBatch = options.batchSize;

    const [w1, b1, w2, b2] = model.getWeights().map((w) => w.dataSync() as Float32Array);
    const hidden = b1.length;
    if (hidden % COLUMN_BLOCK !== 0) throw new Error('The wasm kernels need a hidden width that is a multiple of 32.');
    this.hidden = hidden;
    this.smallFloats = SMALL_BLOCK_FLOATS(hidden);
    const w1Floats = PIXELS * hidden;
    this.w1 = this.allocate(w1Floats);
    this.floats(this.w1, w1Floats).set(w1);
    this.mW1 = this.allocate(w1Floats);
    this.vW1 = this.allocate(w1Floats);
    this.small = this.allocate(this.smallFloats);
    this.smallGrad = this.allocate(this.smallFloats);
    this.mSmall = this.allocate(this.smallFloats);
    this.vSmall = this.allocate(this.smallFloats);
    this.stats = this.allocate(4);
    this.labels = this.allocate(this.maxBatch);
    this.hBuffer = this.allocate(this.maxBatch * hidden);
    this.zBuffer = this.allocate(this.maxBatch * NUM_CLASSES);
    this.dz1Buffer = this.allocate(this.maxBatch * hidden);
    this.sampleRows = this.allocate(this.maxBatch * PIXELS);
    this.sampleValues = this.allocate(this.maxBatch * PIXELS);
    this.sampleCounts = this.allocate(this.maxBatch);
    this.pixelRows = this.allocate(this.maxBatch * PIXELS);
    this.pixelValues = this.allocate(this.maxBatch * PIXELS);
    this.pixelCounts = this.allocate(PIXELS);
    this.batchImages = this.allocate(Math.ceil((this.maxBatch * PIXELS) / 4));
    this.pixelTable = this.allocate(PIXEL_TO_UNIT.length);
    this.floats(this.pixelTable, PIXEL_TO_UNIT.length).set(PIXEL_TO_UNIT);
    const block = this.floats(this.small, this.smallFloats);
    block.set(b1, 0);
    for (let j = 0; j < hidden; j++) {
      for (let c = 0; c < NUM_CLASSES; c++) block[hidden + c * hidden + j] = w2[j * NUM_CLASSES + c];
    }
    block.set(b2, hidden * (1 + NUM_CLASSES));
  }

  get steps(): number {
    return this.step;
  }

  /** Zeroed floats in the backend's heap, freed in dispose (16-byte aligned for SIMD loads). */
  private allocate(floats: number): number {
    const bytes = Math.max(16, Math.ceil(floats / 4) * 16);
    const pointer = this.backend.wasm._malloc(bytes);
    if (pointer === 0) throw new Error('Out of WebAssembly memory.');
    this.pointers.push(pointer);
    new Uint8Array(this.memory.buffer, pointer, bytes).fill(0);
    return pointer;
  }

  /** A view on the heap; made afresh each time because the heap's buffer changes when it grows. */
  private floats(pointer: number, count: number): Float32Array {
    return new Float32Array(this.memory.buffer, pointer, count);
  }

  /**
   * Copies images `order[start..start+size)` (uint8) and their labels into the heap, and has the
   * gather kernel build the lists of non-zero pixels the forward and backward kernels read. The data
   * set itself stays in JS, in uint8.
   */
  private gather(split: ImageSplit, order: ArrayLike<number>, start: number, size: number): void {
    const bytes = new Uint8Array(this.memory.buffer);
    const labels = new Int32Array(this.memory.buffer, this.labels, size);
    for (let s = 0; s < size; s++) {
      const index = order[start + s];
      bytes.set(split.images.subarray(index * PIXELS, (index + 1) * PIXELS), this.batchImages + s * PIXELS);
      labels[s] = split.labels[index];
    }
    this.kernels.gather(size, this.hidden, this.batchImages, this.pixelTable, this.sampleRows, this.sampleValues, this.sampleCounts, this.pixelRows, this.pixelValues, this.pixelCounts);
  }

  trainBatch(split: ImageSplit, order: ArrayLike<number>, start: number, size: number): void {
    if (size > this.maxBatch) throw new Error(`Batch of ${size} is larger than the trainer's ${this.maxBatch}.`);
    const k = this.kernels;
    this.gather(split, order, start, size);

    this.step += 1;
    const t = this.step;
    const alpha = (this.learningRate * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    const epsilon = this.epsilonForm === 'keras' ? this.epsilon : this.epsilon * Math.sqrt(1 - this.beta2 ** t);
    const [b1, b2] = [this.beta1, this.beta2];
    const hidden = this.hidden;

    // b1 is the first part of the small parameter block.
    k.forward(size, hidden, this.sampleRows, this.sampleValues, this.sampleCounts, this.w1, this.small, this.hBuffer);
    k.head(size, hidden, 0, this.small, this.labels, this.hBuffer, this.zBuffer, this.dz1Buffer, this.smallGrad, this.stats, 1 / size);
    k.backwardAdam(size, hidden, this.pixelRows, this.pixelValues, this.pixelCounts, this.dz1Buffer, this.w1, this.mW1, this.vW1, alpha, b1, 1 - b1, b2, 1 - b2, epsilon);
    k.adam(this.small, this.smallGrad, this.mSmall, this.vSmall, this.smallFloats, alpha, b1, 1 - b1, b2, 1 - b2, epsilon);
    this.samples += size;
  }

  readMetrics(): RunningMetrics {
    if (this.samples === 0) return { loss: 0, accuracy: 0, samples: 0 };
    const [loss, correct] = new Float64Array(this.memory.buffer, this.stats, 2);
    return { loss: loss / this.samples, accuracy: correct / this.samples, samples: this.samples };
  }

  resetMetrics(): void {
    new Float64Array(this.memory.buffer, this.stats, 2).fill(0);
    this.samples = 0;
  }

  /** b1, W2 (in the model's H×10 layout) and b2, read from the parameter block. */
  private smallWeights(): [Float32Array, Float32Array, Float32Array] {
    const hidden = this.hidden;
    const block = this.floats(this.small, this.smallFloats);
    const w2 = new Float32Array(hidden * NUM_CLASSES);
    for (let j = 0; j < hidden; j++) {
      for (let c = 0; c < NUM_CLASSES; c++) w2[j * NUM_CLASSES + c] = block[hidden + c * hidden + j];
    }
    return [block.slice(0, hidden), w2, block.slice(hidden * (1 + NUM_CLASSES), hidden * (1 + NUM_CLASSES) + NUM_CLASSES)];
  }

  private withWeightTensors<T>(use: (weights: Tensor[]) => T): T {
    const tf = this.tf;
    const [b1, w2, b2] = this.smallWeights();
    const w1 = this.floats(this.w1, PIXELS * this.hidden).slice();
    const tensors = [tf.tensor2d(w1, [PIXELS, this.hidden]), tf.tensor1d(b1), tf.tensor2d(w2, [this.hidden, NUM_CLASSES]), tf.tensor1d(b2)];
    try {
      return use(tensors);
    } finally {
      for (const tensor of tensors) tensor.dispose();
    }
  }

  evaluate(split: ImageSplit): RunningMetrics {
    return this.withWeightTensors((weights) => evaluateWeights(this.tf, weights, split));
  }

  writeWeightsTo(model: LayersModel): void {
    this.withWeightTensors((weights) => model.setWeights(weights));
  }

  weights(): Float32Array[] {
    return this.withWeightTensors((weights) => weights.map((w) => w.dataSync() as Float32Array));
  }

  dispose(): void {
    for (const pointer of this.pointers.splice(0)) this.backend.wasm._free(pointer);
  }
}
