/**
 * Where every buffer of a network's training lives in the kernels' memory. Sizes are in floats (4
 * bytes; i32 lists and u8 images use the same slots) and every buffer starts 16-byte aligned for SIMD.
 * Layer widths are padded to a multiple of 4 (`stride`, whole SIMD vectors; the kernels go by blocks of 4
 * vectors, one cache line, then the last 1 or 2 vectors), or of 16 where 3 vectors would be left over
 * (a block is faster than those): padding columns hold zeros and stay zero (see assembly/dense.ts), so
 * nothing of the math changes, and a width costs in proportion to itself (no cliff between multiples of 16).
 */
import { convLayersOf, convSides, isConvolutional, type Architecture } from '../../domain/architecture';
import { layOutConvBlocks, type ConvBlockBuffers } from './convBlocks';
import { filterStride } from './convKernels';
import { COMMAND_BYTES } from './helperThread';
import { WASM_PAGE_BYTES } from './kernelModule';

export const INPUT_WIDTH = 784;
export const CLASSES = 10;

/** One Dense layer's parameters, their Adam moments, activations, gradients and its input's lists. */
export interface DenseBuffers {
  /** Its input's width (weight rows) and the row stride of the input's activations. */
  inputs: number;
  /**
   * The input's values come in groups of `inputGroup` real values then `inputGroupStride - inputGroup`
   * zero padding (a conv block's filters padded to a SIMD vector); for an MLP one group of `inputs`.
   * The model's kernel has rows only for the real values.
   */
  inputGroup: number;
  inputGroupStride: number;
  inputStride: number;
  /** Its width and padded width (weight row stride). */
  units: number;
  stride: number;
  /** Dropout rate after it (hidden layers), 0 for none. */
  dropout: number;
  weights: number;
  weightMoments1: number;
  weightMoments2: number;
  bias: number;
  biasGradient: number;
  biasMoments1: number;
  biasMoments2: number;
  /** capacity × stride: pre-activation, then (hidden layers) relu·mask in place. */
  output: number;
  /** capacity × stride: the gradient at the pre-activation. */
  gradient: number;
  /** capacity × stride dropout mask, or 0. */
  mask: number;
  /**
   * The first layer of an MLP: the batch's images as floats 0..1, its input (capacity × 784); 0 for the
   * others (their input is the layer below's output, or the last conv block's pooled maps).
   */
  inputFloats: number;
  /** Per pair of samples (2p, 2p + 1): the union of their non-zero inputs at 2p·inputs, its count at [2p] (lists.ts). */
  pairIndices: number;
  pairCounts: number;
  /** Per pair of input units (i, i + 1): the samples where either is not zero at i·unitStride, and both values (rows i and i + 1). */
  pairSamples: number;
  pairValues: number;
}

export interface NetworkMemory {
  /** The conv blocks before the Flatten (none for an MLP), and their input: the images as floats 0..1. */
  conv: ConvBlockBuffers[];
  convInput: number;
  layers: DenseBuffers[];
  /** Entries between two input units' lists of samples: the batch size and a little more (not a power of two: the lists fall into different cache sets). */
  unitStride: number;
  /** The batch's images (u8, capacity × 784) and labels (i32). */
  images: number;
  labels: number;
  /**
   * Byte -> 0..1 table, Adam's step constants, training and evaluation stats (2 f64 for each thread's half of
   * the batch or chunk), the dropout generator's state.
   */
  pixelTable: number;
  adamStep: number;
  trainStats: number;
  evalStats: number;
  rngState: number;
  /** capacity × 10 class probabilities (prediction). */
  probabilities: number;
  /** The helper thread's command block (helperThread.ts). */
  helperCommand: number;
  /** Bytes of memory needed, in whole pages. */
  pages: number;
}

export function paddedWidth(units: number): number {
  const vectors = Math.ceil(units / 4) * 4;
  return vectors % 16 === 12 ? vectors + 4 : vectors;
}

/** Images per evaluation or prediction chunk: conv networks' activations and padded inputs take far more memory per image. */
export function trainerCapacity(architecture: Architecture, batchSize: number, minimum: number): number {
  return Math.max(batchSize, isConvolutional(architecture) ? Math.min(minimum, 64) : minimum);
}

/**
 * Lays out a network trained in batches of at most `batchSize` samples and evaluated in chunks of at
 * most `capacity` (≥ batchSize).
 */
export function layOutNetwork(architecture: Architecture, batchSize: number, capacity: number): NetworkMemory {
  const unitStride = Math.ceil(batchSize / 4) * 4 + 4;
  // Address 0 stays unused: the kernels read 0 as "no buffer".
  let next = 64;
  const take = (floats: number): number => {
    const at = next;
    next += Math.ceil(Math.max(floats, 4) / 4) * 16;
    return at;
  };
  const widths = [...architecture.hiddenLayers.map((layer) => layer.units), CLASSES];
  const rates = [...architecture.hiddenLayers.map((layer) => layer.dropout), 0];
  const conv = layOutConvBlocks(architecture, capacity, take);
  const convInput = conv.length > 0 ? take(capacity * INPUT_WIDTH) : 0;
  const layers: DenseBuffers[] = [];
  let inputs = INPUT_WIDTH;
  let inputGroup = INPUT_WIDTH;
  let inputGroupStride = INPUT_WIDTH;
  if (conv.length > 0) {
    const last = conv[conv.length - 1];
    const side = convSides(convLayersOf(architecture))[conv.length];
    inputGroup = last.filters;
    inputGroupStride = filterStride(last.filters);
    inputs = side * side * inputGroupStride;
  }
  let inputStride = inputs;
  widths.forEach((units, index) => {
    const stride = paddedWidth(units);
    const weightFloats = inputs * stride;
    layers.push({
      inputs,
      inputGroup,
      inputGroupStride,
      inputStride,
      units,
      stride,
      dropout: rates[index],
      weights: take(weightFloats),
      weightMoments1: take(weightFloats),
      weightMoments2: take(weightFloats),
      bias: take(stride),
      biasGradient: take(stride),
      biasMoments1: take(stride),
      biasMoments2: take(stride),
      output: take(capacity * stride),
      gradient: take(capacity * stride),
      mask: rates[index] > 0 ? take(capacity * stride) : 0,
      inputFloats: index === 0 && conv.length === 0 ? take(capacity * INPUT_WIDTH) : 0,
      // A list of the union of n values may write one slot past n (assembly/lists.ts).
      pairIndices: take(capacity * inputs + 4),
      pairCounts: take(capacity),
      pairSamples: take(unitStride * inputs),
      pairValues: take(unitStride * inputs),
    });
    inputs = units;
    inputGroup = units;
    inputGroupStride = units;
    inputStride = stride;
  });
  const memory = {
    conv,
    convInput,
    layers,
    unitStride,
    images: take(Math.ceil((capacity * INPUT_WIDTH) / 4)),
    labels: take(capacity),
    pixelTable: take(256),
    adamStep: take(8),
    trainStats: take(8),
    evalStats: take(8),
    rngState: take(4),
    probabilities: take(capacity * CLASSES),
    helperCommand: take(COMMAND_BYTES / 4),
    pages: 0,
  };
  memory.pages = Math.ceil(next / WASM_PAGE_BYTES);
  return memory;
}
