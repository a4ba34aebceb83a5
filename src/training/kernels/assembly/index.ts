// The training kernels of a Flatten -> Dense(relu) [-> Dropout] ... -> Dense(10, softmax) network.
// Memory is imported and owned by the trainer (which lays out every buffer); the kernels allocate
// nothing and hold no state, so they need no runtime and no static data.
export { adamUpdate } from './adam';
export { pixelsToFloats } from './lists';
export { backwardToLayerBelow, columnSums, denseForward, reluDropout, sumOfSquares } from './dense';
export { weightGradientAdam } from './weightGradient';
export { softmaxCrossEntropy, softmaxRows } from './head';
export { peakMultiplyAdd } from './simd';
export { dropoutMask } from './dropout';
export { maxPoolBackward, maxPoolForward } from './pool';
export { convBiasGradient, convForward, convPadInput, reluGradient } from './conv';
export { convInputGradient, convKernelGradientFromT, convKernelGradientT, convTransposeKernel } from './convGradient';
export { convPictureKernelGradient } from './convPictureGradient';
