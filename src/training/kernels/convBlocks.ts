/**
 * The conv blocks of a network on the compiled kernels: their buffers in the trainer's memory and a
 * step's calls, forward (the padded input, Conv2D + relu, 2 × 2 max pooling per block) and backward (through the
 * pool and relu, bias and kernel gradients, the input gradient for the block below with the kernel as it
 * was, then Adam over the block's kernel and bias at once). The dense layers after the Flatten read the
 * last block's pooled output (NHWC, the filters padded to a multiple of 4) and write its gradient.
 *
 * The caller (convLayer.ts in the kernel trainer, or a test) gives the kernels, an allocator in its memory,
 * and a way to split a call's rows over its threads.
 */
import { convLayersOf, convSides, type Architecture } from '../../domain/architecture';
import { filterStride, type ConvKernels } from './convKernels';
import type { ConvSplitKernel } from './splitKernels';

/** The kernels the blocks call: the conv and pool kernels, and Adam over a parameter array. */
export interface ConvStepKernels extends ConvKernels {
  adamUpdate(count: number, parameters: number, gradients: number, moments1: number, moments2: number, settings: number): void;
}

/**
 * Runs `kernel(...args(first, end))` over rows [0, rows) (pixels, filters or images), split however the caller's threads split work
 * (each kernel's first two arguments are its row range).
 */
export type RowSplit = (rows: number, kernel: ConvSplitKernel, args: (first: number, end: number) => number[]) => void;

/** One block's shape and the addresses (bytes) of its buffers. */
export interface ConvBlockBuffers {
  side: number;
  channels: number;
  /** Floats per input pixel: 1 for the picture, the block below's filterStride after it. */
  inStride: number;
  filters: number;
  filterStride: number;
  kernelSize: number;
  /** Kernel rows: K·K·inStride. */
  depth: number;
  /** depth rounded up to a multiple of 4: the row stride of the transposed kernel. */
  patchStride: number;
  /** Kernel (depth × filterStride) then bias (filterStride), one array for Adam; gradients and moments alike. */
  parameters: number;
  parameterCount: number;
  gradients: number;
  moments1: number;
  moments2: number;
  /** The kernel transposed (filterStride × patchStride), for the input gradient. */
  kernelT: number;
  /**
   * The kernel's gradient transposed, as the sparse kernel gradient accumulates it (each kernel row's K·inStride floats padded to a
   * multiple of 4); 0 for a block over the picture, whose kernel gradient is a dense product.
   */
  kernelGradientT: number;
  /** The block's input pictures with 'same' padding around each: (side + K - 1)² · inStride floats per image. */
  padded: number;
  activations: number;
  activationGradients: number;
  pooled: number;
  pooledGradients: number;
}

/**
 * The blocks' buffers for batches of up to `batch` images, taken from `allocate(floats)` (which returns a
 * 16-byte aligned, zeroed address).
 */
export function layOutConvBlocks(architecture: Architecture, batch: number, allocate: (floats: number) => number): ConvBlockBuffers[] {
  const conv = convLayersOf(architecture);
  const sides = convSides(conv);
  let inStride = 1;
  let channels = 1;
  return conv.map((layer, i) => {
    const side = sides[i];
    const half = sides[i + 1];
    const stride = filterStride(layer.filters);
    const depth = layer.kernelSize * layer.kernelSize * inStride;
    const patchStride = filterStride(depth);
    const parameterCount = depth * stride + stride;
    const block: ConvBlockBuffers = {
      side, channels, inStride, filters: layer.filters, filterStride: stride, kernelSize: layer.kernelSize, depth, patchStride,
      parameters: allocate(parameterCount), parameterCount, gradients: allocate(parameterCount), moments1: allocate(parameterCount), moments2: allocate(parameterCount),
      kernelT: allocate(stride * patchStride),
      kernelGradientT: inStride === 1 ? 0 : allocate(stride * layer.kernelSize * filterStride(layer.kernelSize * inStride)),
      // 4 floats to spare: the kernel gradient reads a patch's last row in whole vectors.
      padded: allocate(batch * (side + layer.kernelSize - 1) ** 2 * inStride + 4),
      activations: allocate(batch * side * side * stride),
      activationGradients: allocate(batch * side * side * stride),
      pooled: allocate(batch * half * half * stride),
      pooledGradients: allocate(batch * half * half * stride),
    };
    inStride = stride;
    channels = layer.filters;
    return block;
  });
}

/** The floats the blocks take for batches of `batch` (for sizing the memory). */
export function convBlocksFloats(architecture: Architecture, batch: number): number {
  let floats = 0;
  layOutConvBlocks(architecture, batch, (count) => {
    floats += Math.ceil(count / 4) * 4;
    return 0;
  });
  return floats;
}

export class ConvBlocks {
  constructor(
    private readonly kernels: ConvStepKernels,
    readonly blocks: readonly ConvBlockBuffers[],
    private readonly split: RowSplit = (rows, kernel, args) => (kernels[kernel] as (...values: number[]) => void)(...args(0, rows)),
  ) {}

  /** The last block's pooled output: the Flatten's values, `side² · filterStride` floats per image. */
  get output(): number {
    return this.blocks[this.blocks.length - 1].pooled;
  }

  /** Where the dense layer above writes the gradient at the Flatten. */
  get outputGradients(): number {
    return this.blocks[this.blocks.length - 1].pooledGradients;
  }

  /** Forward over `size` images from `input` (size × 28 × 28 floats in 0..1). */
  forward(size: number, input: number): void {
    let from = input;
    for (const b of this.blocks) {
      const pixels = size * b.side * b.side;
      const half = b.side >> 1;
      const input = from;
      this.split(size * b.side, 'convPadInput', (first, end) => [first, end, b.side, b.inStride, b.kernelSize, input, b.padded]);
      this.split(pixels, 'convForward', (first, end) => [
        first, end, b.side, b.inStride, b.kernelSize, b.filterStride, b.padded, b.parameters, b.parameters + 4 * b.depth * b.filterStride, b.activations,
      ]);
      this.split(size * half * half, 'maxPoolForward', (first, end) => [first, end, b.side, b.filterStride, b.activations, b.pooled]);
      from = b.pooled;
    }
  }

  /**
   * Backward over `size` images from the gradient at `outputGradients`; Adam with the step's constants at
   * `adamStep` (AdamStep: α, β1, 1-β1, β2, 1-β2, ε) updates every block's kernel and bias.
   */
  backward(size: number, adamStep: number): void {
    const k = this.kernels;
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const b = this.blocks[i];
      const pixels = size * b.side * b.side;
      const half = b.side >> 1;
      this.split(size * half * half, 'maxPoolBackward', (first, end) => [first, end, b.side, b.filterStride, b.activations, b.pooledGradients, b.activationGradients]);
      k.reluGradient(pixels * b.filterStride, b.activations, b.activationGradients);
      const biasGradient = b.gradients + 4 * b.depth * b.filterStride;
      k.convBiasGradient(pixels, b.filterStride, b.activationGradients, biasGradient);
      if (b.inStride === 1) {
        // Over the picture: a dense product in registers beats adding the nonzeros' short patch rows.
        this.split(b.kernelSize * b.kernelSize, 'convPictureKernelGradient', (first, end) => [
          first, end, pixels, b.side, b.kernelSize, b.filterStride, b.padded, b.activationGradients, b.gradients,
        ]);
      } else {
        this.split(b.filters, 'convKernelGradientT', (first, end) => [
          first, end, pixels, b.side, b.inStride, b.kernelSize, b.filterStride, b.padded, b.activationGradients, b.kernelGradientT,
        ]);
        k.convKernelGradientFromT(b.kernelSize, b.inStride, b.filters, b.filterStride, b.kernelGradientT, b.gradients);
      }
      if (i > 0) {
        const below = this.blocks[i - 1];
        k.convTransposeKernel(b.depth, b.patchStride, b.filterStride, b.parameters, b.kernelT);
        this.split(size, 'convInputGradient', (first, end) => [
          first, end, b.side, b.inStride, b.kernelSize, b.filters, b.filterStride, b.patchStride, b.activationGradients, b.kernelT, below.pooledGradients,
        ]);
      }
      k.adamUpdate(b.parameterCount, b.parameters, b.gradients, b.moments1, b.moments2, adamStep);
    }
  }

  /** Keras's [kernel [K, K, in, out], bias [out]] per block into the padded layout (zeros elsewhere). */
  loadWeights(floats: Float32Array, weights: readonly ArrayLike<number>[]): void {
    this.blocks.forEach((b, i) => {
      const kernel = weights[2 * i];
      const bias = weights[2 * i + 1];
      if (kernel.length !== b.kernelSize * b.kernelSize * b.channels * b.filters || bias.length !== b.filters) {
        throw new Error('The model does not match the trainer\'s conv blocks.');
      }
      const at = b.parameters / 4;
      floats.fill(0, at, at + b.parameterCount);
      for (let tap = 0; tap < b.kernelSize * b.kernelSize; tap++) {
        for (let c = 0; c < b.channels; c++) {
          const row = (tap * b.inStride + c) * b.filterStride;
          for (let f = 0; f < b.filters; f++) floats[at + row + f] = kernel[(tap * b.channels + c) * b.filters + f];
        }
      }
      for (let f = 0; f < b.filters; f++) floats[at + b.depth * b.filterStride + f] = bias[f];
    });
  }

  /** The blocks' weights in Keras's layout: [kernel, bias] per block. */
  weights(floats: Float32Array): Float32Array[] {
    return this.blocks.flatMap((b) => {
      const at = b.parameters / 4;
      const kernel = new Float32Array(b.kernelSize * b.kernelSize * b.channels * b.filters);
      for (let tap = 0; tap < b.kernelSize * b.kernelSize; tap++) {
        for (let c = 0; c < b.channels; c++) {
          const row = (tap * b.inStride + c) * b.filterStride;
          for (let f = 0; f < b.filters; f++) kernel[(tap * b.channels + c) * b.filters + f] = floats[at + row + f];
        }
      }
      const bias = floats.slice(at + b.depth * b.filterStride, at + b.depth * b.filterStride + b.filters);
      return [kernel, bias];
    });
  }
}
