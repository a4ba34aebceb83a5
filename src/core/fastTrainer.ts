/**
 * The fast training path on the tfjs wasm backend. Per step: the batch and its transpose are
 * uploaded, tfjs runs the two large matMuls on XNNPACK, and the rest of the step is three calls into
 * the kernels of wasmKernels.ts, which work in place in the same memory: nothing is read back.
 *
 * Orientation matters. tfjs's wasm matMul hands its right operand to XNNPACK as packed weights and
 * caches that packing by tensor id, so a right operand changed in place would be read stale. So the
 * weights go on the left and the fresh batch on the right: a1ᵀ = W1ᵀ·xᵀ and dW1ᵀ = dz1ᵀ·x, and W1 is
 * kept (and updated by Adam) transposed, as W1ᵀ (H×784).
 *
 * The math is the same as OpsTrainer's (and Keras's); the unit tests check both against
 * LayersModel.trainOnBatch.
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { NUM_CLASSES, PIXELS } from '../shared/messages';
import type { Tf } from './backend';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON } from './model';
import {
  evaluateWeights,
  gatherBatch,
  type ImageSplit,
  type RunningMetrics,
  type Trainer,
  type TrainerOptions,
} from './trainer';
import { instantiateKernels, SMALL_BLOCK_FLOATS, type TrainingKernels } from './wasmKernels';

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

/** Whether the fast path can run here: the wasm backend, and a hidden layer whose width fills SIMD lanes. */
export function canUseWasmKernels(tf: Tf, hiddenUnits: number): boolean {
  return hiddenUnits % 4 === 0 && wasmInternals(tf) !== undefined;
}

/** Reused host buffers for one batch size; the tensors made from them are fresh every step. */
interface BatchBuffers {
  x: Float32Array;
  xT: Float32Array;
  labels: Int32Array;
  /** dz1ᵀ (H×size): the left operand of the second matMul, rewritten in place every step. */
  dz1T: Tensor;
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
  /** W1ᵀ (H×784), a tensor because tfjs's matMul reads it; updated in place by Adam. */
  private readonly w1T: Tensor;
  private readonly pointers: number[] = [];
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
  private readonly maxBatch: number;
  private readonly batches = new Map<number, BatchBuffers>();
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
    if (hidden % 4 !== 0) throw new Error('The wasm kernels need a hidden width that is a multiple of 4.');
    this.hidden = hidden;
    this.smallFloats = SMALL_BLOCK_FLOATS(hidden);
    // A fresh tensor, never a clone: clones share memory with the model's variable, and this one is written in place.
    const w1T = new Float32Array(PIXELS * hidden);
    for (let k = 0; k < PIXELS; k++) {
      for (let j = 0; j < hidden; j++) w1T[j * PIXELS + k] = w1[k * hidden + j];
    }
    this.w1T = tf.tensor2d(w1T, [hidden, PIXELS]);
    const w1Floats = PIXELS * hidden;
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

  private offset(tensor: Tensor): number {
    const entry = this.backend.dataIdMap.get(tensor.dataId);
    if (entry === undefined) throw new Error('A tensor of the training step is not in the wasm heap.');
    return entry.memoryOffset;
  }

  private batchBuffers(size: number): BatchBuffers {
    let buffers = this.batches.get(size);
    if (buffers === undefined) {
      buffers = {
        x: new Float32Array(size * PIXELS),
        xT: new Float32Array(size * PIXELS),
        labels: new Int32Array(size),
        dz1T: this.tf.zeros([this.hidden, size]),
      };
      this.batches.set(size, buffers);
    }
    return buffers;
  }

  trainBatch(split: ImageSplit, order: ArrayLike<number>, start: number, size: number): void {
    if (size > this.maxBatch) throw new Error(`Batch of ${size} is larger than the trainer's ${this.maxBatch}.`);
    const tf = this.tf;
    const k = this.kernels;
    const b = this.batchBuffers(size);
    gatherBatch(split, order, start, size, b.x, 0, b.xT, 0, b.labels, 0);
    new Int32Array(this.memory.buffer, this.labels, size).set(b.labels);
    // Fresh tensors (wasm copies the data into its heap at once, so the buffers can be reused).
    const x = tf.tensor2d(b.x, [size, PIXELS]);
    const xT = tf.tensor2d(b.xT, [PIXELS, size]);

    this.step += 1;
    const t = this.step;
    const alpha = (this.learningRate * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    const epsilon = this.epsilonForm === 'keras' ? this.epsilon : this.epsilon * Math.sqrt(1 - this.beta2 ** t);

    const a1T = tf.matMul(this.w1T, xT);
    k.head(size, this.hidden, this.offset(a1T), this.small, this.labels, this.hBuffer, this.zBuffer, this.offset(b.dz1T), this.smallGrad, this.stats, 1 / size);
    const dW1T = tf.matMul(b.dz1T, x);
    const [b1, b2] = [this.beta1, this.beta2];
    k.adam(this.offset(this.w1T), this.offset(dW1T), this.mW1, this.vW1, PIXELS * this.hidden, alpha, b1, 1 - b1, b2, 1 - b2, epsilon);
    k.adam(this.small, this.smallGrad, this.mSmall, this.vSmall, this.smallFloats, alpha, b1, 1 - b1, b2, 1 - b2, epsilon);
    for (const tensor of [x, xT, a1T, dW1T]) tensor.dispose();
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
    const tensors = [tf.transpose(this.w1T), tf.tensor1d(b1), tf.tensor2d(w2, [this.hidden, NUM_CLASSES]), tf.tensor1d(b2)];
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
    this.w1T.dispose();
    for (const buffers of this.batches.values()) buffers.dz1T.dispose();
    this.batches.clear();
    for (const pointer of this.pointers.splice(0)) this.backend.wasm._free(pointer);
  }
}
