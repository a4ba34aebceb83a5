/**
 * The networks the trainer builds and trains: optionally conv blocks first, each Conv2D(filters, K×K,
 * stride 1, relu, padding 'same') followed by MaxPooling2D(2×2) (the input reshaped to 28×28×1 for them);
 * then Flatten -> one or more Dense(units, relu) hidden layers, each optionally followed by inverted
 * Dropout(rate) -> Dense(10, softmax); optionally Keras's l2(λ) on every Dense kernel (the loss gains
 * λ·Σw²). Biases and conv kernels are not regularized.
 */
import { IMAGE_SIZE, PIXELS } from './classes';

/** One conv block: Conv2D(filters, kernelSize×kernelSize, relu, 'same') then MaxPooling2D(2×2). */
export interface ConvLayer {
  filters: number;
  /** The square kernel's side K. */
  kernelSize: number;
}

export interface HiddenLayer {
  /** Width of the Dense layer (relu). */
  units: number;
  /** Dropout rate after it, in [0, 1); 0 means no Dropout layer. */
  dropout: number;
}

export interface Architecture {
  /** The conv blocks before Flatten, input side first; absent or empty for an MLP (the tutorial's). */
  convLayers?: ConvLayer[];
  hiddenLayers: HiddenLayer[];
  /** λ of Keras's kernel_regularizer=l2(λ) on every Dense kernel; 0 means none. */
  l2: number;
}

/** The pooling window (and stride) after every Conv2D. */
export const POOL_SIZE = 2;

/**
 * The TensorFlow tutorial's network: one hidden layer of 128 units. Frozen to the leaves: the defaults are
 * copied with a spread (`{ ...DEFAULT_HYPER_PARAMETERS }`), which shares this object, so a copy that edited
 * its architecture in place would change every later run's default; frozen, such an edit throws where it is made.
 */
export const TUTORIAL_ARCHITECTURE: Architecture = Object.freeze({
  hiddenLayers: Object.freeze([Object.freeze({ units: 128, dropout: 0 })]) as HiddenLayer[],
  l2: 0,
});

/** The tutorial's network with another hidden width (the `hiddenUnits` hyper-parameter). */
export function singleHiddenLayer(units: number): Architecture {
  return { hiddenLayers: [{ units, dropout: 0 }], l2: 0 };
}

/** The conv blocks of a network ([] for an MLP). */
export function convLayersOf(architecture: Architecture): ConvLayer[] {
  return architecture.convLayers ?? [];
}

/** Whether the network starts with conv blocks. */
export function isConvolutional(architecture: Architecture): boolean {
  return convLayersOf(architecture).length > 0;
}

/**
 * The side of the square picture entering each conv block and, last, leaving the last pool: 28, 14, 7, ...
 * (MaxPooling2D(2) with Keras's 'valid' padding floors: 7 -> 3).
 */
export function convSides(convLayers: readonly ConvLayer[]): number[] {
  const sides = [IMAGE_SIZE];
  for (let i = 0; i < convLayers.length; i++) sides.push(Math.floor(sides[i] / POOL_SIZE));
  return sides;
}

/** The values Flatten hands to the first Dense layer: 784 for an MLP, side²·filters after conv blocks. */
export function flattenedWidth(architecture: Architecture): number {
  const conv = convLayersOf(architecture);
  if (conv.length === 0) return PIXELS;
  const side = convSides(conv)[conv.length];
  return side * side * conv[conv.length - 1].filters;
}

/** Whether it is the tutorial's shape (one hidden layer, no dropout, no L2, no conv), whatever the width. */
export function isSingleHiddenLayer(architecture: Architecture): boolean {
  return (
    !isConvolutional(architecture) &&
    architecture.hiddenLayers.length === 1 &&
    architecture.hiddenLayers[0].dropout === 0 &&
    architecture.l2 === 0
  );
}

/** One conv block written FILTERS:KERNEL ("16:5"), or undefined when the text is not of that form. */
export function convLayerFrom(text: string): ConvLayer | undefined {
  const match = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(text);
  return match === null ? undefined : { filters: Number(match[1]), kernelSize: Number(match[2]) };
}

/** "8:5,16:5": conv blocks as the CLI's --conv takes them (filters:kernel). */
export function describeConvLayers(convLayers: readonly ConvLayer[]): string {
  return convLayers.map((conv) => `${conv.filters}:${conv.kernelSize}`).join(',');
}

/** "784-512-256-10, dropout 0.2, l2 0.001", "conv 8:5,16:5, 784-64-10": how the bench and logs name a network. */
export function describeArchitecture(architecture: Architecture): string {
  const widths = [flattenedWidth(architecture), ...architecture.hiddenLayers.map((layer) => layer.units), 10].join('-');
  const rates = [...new Set(architecture.hiddenLayers.map((layer) => layer.dropout).filter((rate) => rate > 0))];
  const parts = isConvolutional(architecture) ? [`conv ${describeConvLayers(convLayersOf(architecture))}`, widths] : [widths];
  if (rates.length > 0) parts.push(`dropout ${rates.join('/')}`);
  if (architecture.l2 > 0) parts.push(`l2 ${architecture.l2}`);
  return parts.join(', ');
}

/** Whether two networks are the same (an absent conv list is the same as an empty one). */
export function sameArchitecture(a: Architecture, b: Architecture): boolean {
  const convA = convLayersOf(a);
  const convB = convLayersOf(b);
  return (
    a.l2 === b.l2 &&
    convA.length === convB.length &&
    convA.every((conv, i) => conv.filters === convB[i].filters && conv.kernelSize === convB[i].kernelSize) &&
    a.hiddenLayers.length === b.hiddenLayers.length &&
    a.hiddenLayers.every((layer, i) => layer.units === b.hiddenLayers[i].units && layer.dropout === b.hiddenLayers[i].dropout)
  );
}
