/**
 * The conv and pool kernels' exports (assembly/conv.ts, assembly/pool.ts), compiled into the same module
 * as the dense ones. Addresses are byte offsets into the trainer's memory; row ranges [first, end) (of
 * pixels, images or filters) let two threads split a step. Filters are padded to filterStride
 * floats (a multiple of 4), the transposed kernel's rows to patchStride; pictures are read padded
 * (convPadInput) by the forward pass and the kernel gradient.
 */
export interface ConvKernels {
  convPadInput(first: number, end: number, side: number, inStride: number, kernelSize: number, input: number, padded: number): void;
  convForward(
    first: number, end: number, side: number, inStride: number, kernelSize: number, filterStride: number, padded: number, kernel: number, bias: number, out: number,
  ): void;
  convKernelGradientT(
    firstFilter: number, endFilter: number, pixels: number, side: number, inStride: number, kernelSize: number, filterStride: number,
    padded: number, gradients: number, kernelGradientT: number,
  ): void;
  convPictureKernelGradient(
    firstTap: number, endTap: number, pixels: number, side: number, kernelSize: number, filterStride: number, padded: number, gradients: number, kernelGradient: number,
  ): void;
  convKernelGradientFromT(kernelSize: number, inStride: number, filters: number, filterStride: number, kernelGradientT: number, kernelGradient: number): void;
  convTransposeKernel(depth: number, patchStride: number, filterStride: number, kernel: number, kernelT: number): void;
  convInputGradient(
    firstImage: number, endImage: number, side: number, inStride: number, kernelSize: number, filters: number, filterStride: number, patchStride: number,
    gradients: number, kernelT: number, inputGradient: number,
  ): void;
  reluGradient(count: number, activations: number, gradients: number): void;
  convBiasGradient(pixels: number, filterStride: number, gradients: number, sums: number): void;
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
