/**
 * The kernels a training step can split between two threads: the one list that the helper thread's
 * protocol numbers (helperThread.ts), the trainer's threads accept (kernelThreads.ts) and the conv
 * blocks call by name (convBlocks.ts). Each splits by samples, weight rows, picture rows, pixels,
 * filters, taps or images; a kernel's two halves give exactly the single-threaded result.
 */
import type { MlpKernels } from './kernelModule';

/** The dense layers' split kernels (by samples, or by weight rows). */
export const DENSE_SPLIT_KERNELS = ['pixelsToFloats', 'denseForward', 'reluDropout', 'softmaxCrossEntropy', 'softmaxRows', 'backwardToLayerBelow', 'weightGradientAdam'] as const;

/** The conv blocks' split kernels (by picture rows, pixels, filters, taps or images; each one's first two arguments are its range). */
export const CONV_SPLIT_KERNELS = [
  'convPadInput', 'convForward', 'maxPoolForward', 'maxPoolBackward', 'convKernelGradientT', 'convPictureKernelGradient', 'convInputGradient',
] as const;

/** Every split kernel; a kernel's index here is its number in the helper thread's protocol. */
export const SPLIT_KERNELS = [...DENSE_SPLIT_KERNELS, ...CONV_SPLIT_KERNELS] as const satisfies readonly (keyof MlpKernels)[];

export type ConvSplitKernel = (typeof CONV_SPLIT_KERNELS)[number];
export type SplitKernel = (typeof SPLIT_KERNELS)[number];
