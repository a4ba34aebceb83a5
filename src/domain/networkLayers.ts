/**
 * The layers of the Sequential an architecture asks for, in order, as Keras names and counts them: the one
 * plan that training/model.ts builds with tfjs and that the model summary lists before any model is built
 * (the dashboard's Model cell shows the summary of the settings it holds, not of the last run's model).
 * [Reshape(28,28,1) -> (Conv2D(F, K×K, relu, same) -> MaxPooling2D(2)) per conv block ->] Flatten ->
 * Dense(units, relu) [-> Dropout(rate)] per hidden layer -> Dense(10, softmax).
 */
import { convLayersOf, convSides, flattenedWidth, type Architecture } from './architecture';
import { IMAGE_SIZE, NUM_CLASSES } from './classes';

interface LayerCommon {
  /** Keras's name: reshape, conv2d, max_pooling2d, conv2d_1, ..., flatten, dense, dropout, dense_1, ... */
  name: string;
  /** Without the batch dimension. */
  outputShape: number[];
  params: number;
}

export type NetworkLayer = LayerCommon &
  (
    | { kind: 'reshape' }
    | { kind: 'conv2d'; filters: number; kernelSize: number; /** Its place among the conv blocks (seeds its kernel). */ index: number }
    | { kind: 'maxPooling2d' }
    | { kind: 'flatten' }
    | { kind: 'dense'; units: number; activation: 'relu' | 'softmax'; /** Its place among the Dense layers (seeds its kernel). */ index: number }
    | { kind: 'dropout'; rate: number; /** The Dense layer it follows (seeds its masks). */ index: number }
  );

/** Keras's class name of each kind, as `model.summary()` prints it. */
export const LAYER_CLASS_NAMES = {
  reshape: 'Reshape',
  conv2d: 'Conv2D',
  maxPooling2d: 'MaxPooling2D',
  flatten: 'Flatten',
  dense: 'Dense',
  dropout: 'Dropout',
} as const satisfies Record<NetworkLayer['kind'], string>;

/** Keras's name for the index-th layer of a kind: dense, dense_1, dense_2, ... */
function kerasName(base: string, index: number): string {
  return index === 0 ? base : `${base}_${index}`;
}

export function networkLayers(architecture: Architecture): NetworkLayer[] {
  const layers: NetworkLayer[] = [];
  const convLayers = convLayersOf(architecture);
  if (convLayers.length > 0) {
    layers.push({ kind: 'reshape', name: 'reshape', outputShape: [IMAGE_SIZE, IMAGE_SIZE, 1], params: 0 });
    const sides = convSides(convLayers);
    let channels = 1;
    convLayers.forEach((conv, index) => {
      const { filters, kernelSize } = conv;
      layers.push({ kind: 'conv2d', name: kerasName('conv2d', index), filters, kernelSize, index, outputShape: [sides[index], sides[index], filters], params: kernelSize * kernelSize * channels * filters + filters });
      layers.push({ kind: 'maxPooling2d', name: kerasName('max_pooling2d', index), outputShape: [sides[index + 1], sides[index + 1], filters], params: 0 });
      channels = filters;
    });
  }
  let width = flattenedWidth(architecture);
  layers.push({ kind: 'flatten', name: 'flatten', outputShape: [width], params: 0 });
  let dropouts = 0;
  const dense = (units: number, activation: 'relu' | 'softmax', index: number) => {
    layers.push({ kind: 'dense', name: kerasName('dense', index), units, activation, index, outputShape: [units], params: width * units + units });
    width = units;
  };
  architecture.hiddenLayers.forEach((hidden, index) => {
    dense(hidden.units, 'relu', index);
    if (hidden.dropout > 0) layers.push({ kind: 'dropout', name: kerasName('dropout', dropouts++), rate: hidden.dropout, index, outputShape: [hidden.units], params: 0 });
  });
  dense(NUM_CLASSES, 'softmax', architecture.hiddenLayers.length);
  return layers;
}

/** Weights and biases of the network, input to output (Keras's "Total params"). */
export function parameterCount(architecture: Architecture): number {
  return networkLayers(architecture).reduce((sum, layer) => sum + layer.params, 0);
}
