/**
 * The conv and pool kernels' exports (assembly/conv.ts, assembly/pool.ts), compiled into the same module
 * as the dense ones. Addresses are byte offsets into the trainer's memory; pixel ranges [first, end) let
 * two threads split a batch. Channels and filters are padded to `stride` floats (a multiple of 4).
 */
export interface ConvKernels {
  convForward(
    first: number, end: number, side: number, channels: number, inStride: number, filterStride: number, kernelSize: number,
    input: number, kernel: number, bias: number, out: number,
  ): void;
  reluGradient(count: number, activations: number, gradients: number): void;
  convBiasGradient(pixels: number, filterStride: number, gradients: number, sums: number): void;
  convKernelGradient(
    firstRow: number, endRow: number, batch: number, side: number, channels: number, inStride: number, filterStride: number, kernelSize: number,
    input: number, gradients: number, kernelGradient: number,
  ): void;
  convInputGradient(
    first: number, end: number, side: number, channels: number, inStride: number, filterStride: number, kernelSize: number,
    gradients: number, kernel: number, inputGradient: number,
  ): void;
  maxPoolForward(first: number, end: number, side: number, stride: number, input: number, out: number): void;
  maxPoolBackward(first: number, end: number, side: number, stride: number, input: number, gradients: number, inputGradient: number): void;
}

/** The conv and pool kernels of an instance of the compiled module. */
export function convKernelsOf(instance: object): ConvKernels {
  return instance as ConvKernels;
}

/** Floats per output pixel (and per kernel row) of a conv layer of `filters` filters: a multiple of 4, one SIMD vector. */
export function filterStride(filters: number): number {
  return Math.ceil(filters / 4) * 4;
}
