/**
 * The networks the trainer builds: [Reshape(28,28,1) -> (Conv2D(F, K×K, relu, same) -> MaxPooling2D(2))
 * per conv block ->] Flatten -> Dense(units, relu) [-> Dropout(rate)] per hidden layer -> Dense(10,
 * softmax), optionally l2(λ) on every Dense kernel; Adam, sparse categorical cross-entropy, accuracy.
 * The default is the tutorial's model exactly. Also its summary, as Keras prints it.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import type { HyperParameters } from '../domain/hyperParameters';
import type { ModelSummary } from '../domain/modelSummary';
import { IMAGE_SIZE } from '../domain/classes';
import { POOL_SIZE, singleHiddenLayer, type Architecture, type ConvLayer, type HiddenLayer } from '../domain/architecture';
import { networkLayers } from '../domain/networkLayers';
import type { Tf } from './backend';

/** Keras's defaults for Adam (tf.keras.optimizers.Adam). */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-7;

/** Conv kernels draw from seeds after the Dense layers' (seed + index), so no two kernels share a stream. */
const CONV_SEED_OFFSET = 1000;

/** The tutorial's Sequential with `hiddenUnits` in its one hidden layer. */
export function buildTutorialModel(tf: Tf, params: { hiddenUnits: number; learningRate: number; seed: number }): LayersModel {
  return buildNetworkModel(tf, singleHiddenLayer(params.hiddenUnits), params);
}

/** The Sequential a run's parameters ask for. */
export function buildModel(tf: Tf, params: Pick<HyperParameters, 'architecture' | 'learningRate' | 'seed'>): LayersModel {
  return buildNetworkModel(tf, params.architecture, params);
}

/**
 * Builds and compiles a standard Sequential of exactly the architecture's layers: for a conv network
 * Reshape([28, 28, 1]) and per conv block Conv2D(filters, K×K, stride 1, relu, 'same') and
 * MaxPooling2D(2×2); Flatten, then per hidden layer Dense(units, relu) and Dropout(rate) where the rate is
 * above 0, then Dense(10, softmax); every Dense kernel with l2(λ) where λ is above 0. Kernels are
 * Glorot-uniform (seeded; each layer its own seed so no two kernels are drawn from the same stream; conv
 * kernels in Keras's [kh, kw, in, out] layout) and biases zero, as in Keras. The layers, their Keras
 * names and shapes are domain/networkLayers.ts's plan; this builds each with tfjs.
 */
export function buildNetworkModel(tf: Tf, architecture: Architecture, params: Pick<HyperParameters, 'learningRate' | 'seed'>): LayersModel {
  const regularizer = architecture.l2 > 0 ? { kernelRegularizer: tf.regularizers.l2({ l2: architecture.l2 }) } : {};
  const model = tf.sequential({ name: 'fashion_mnist_tutorial' });
  const input = { inputShape: [IMAGE_SIZE, IMAGE_SIZE] };
  networkLayers(architecture).forEach((layer, at) => {
    const { name } = layer;
    const first = at === 0 ? input : {};
    switch (layer.kind) {
      case 'reshape':
        return model.add(tf.layers.reshape({ ...first, targetShape: layer.outputShape, name }));
      case 'conv2d':
        return model.add(
          tf.layers.conv2d({
            filters: layer.filters,
            kernelSize: layer.kernelSize,
            strides: 1,
            padding: 'same',
            activation: 'relu',
            kernelInitializer: tf.initializers.glorotUniform({ seed: params.seed + CONV_SEED_OFFSET + layer.index }),
            biasInitializer: 'zeros',
            name,
          }),
        );
      case 'maxPooling2d':
        return model.add(tf.layers.maxPooling2d({ poolSize: POOL_SIZE, strides: POOL_SIZE, padding: 'valid', name }));
      case 'flatten':
        return model.add(tf.layers.flatten({ ...first, name }));
      case 'dense':
        return model.add(
          tf.layers.dense({
            units: layer.units,
            activation: layer.activation,
            kernelInitializer: tf.initializers.glorotUniform({ seed: params.seed + layer.index }),
            biasInitializer: 'zeros',
            name,
            ...regularizer,
          }),
        );
      case 'dropout':
        return model.add(tf.layers.dropout({ rate: layer.rate, seed: params.seed + layer.index, name }));
    }
  });
  model.compile({
    optimizer: tf.train.adam(params.learningRate, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  // tfjs disposes only optimizers it created from a name; this one holds two tensors of its own, so the
  // model takes ownership and `model.dispose()` releases everything.
  (model as unknown as { isOptimizerOwned: boolean }).isOptimizerOwned = true;
  return model;
}

/** The architecture of a model built by buildNetworkModel (read back from its layers' Keras config). */
export function architectureOf(model: LayersModel): Architecture {
  const convLayers: ConvLayer[] = [];
  const hiddenLayers: HiddenLayer[] = [];
  let l2 = 0;
  for (const layer of model.layers) {
    const config = layer.getConfig() as {
      units?: number;
      rate?: number;
      filters?: number;
      kernelSize?: number | number[];
      kernelRegularizer?: { config?: { l2?: number } } | null;
    };
    if (layer.getClassName() === 'Conv2D') {
      const kernelSize = Array.isArray(config.kernelSize) ? config.kernelSize[0] : (config.kernelSize ?? 0);
      convLayers.push({ filters: config.filters ?? 0, kernelSize });
    } else if (layer.getClassName() === 'Dense') {
      hiddenLayers.push({ units: config.units ?? 0, dropout: 0 });
      l2 = config.kernelRegularizer?.config?.l2 ?? 0;
    } else if (layer.getClassName() === 'Dropout' && hiddenLayers.length > 0) {
      hiddenLayers[hiddenLayers.length - 1].dropout = config.rate ?? 0;
    }
  }
  hiddenLayers.pop();
  return convLayers.length > 0 ? { convLayers, hiddenLayers, l2 } : { hiddenLayers, l2 };
}

/** Layers, output shapes and parameter counts, as Keras's `model.summary()` shows them. */
export function summarize(model: LayersModel): ModelSummary {
  const layers = model.layers.map((layer) => ({
    name: layer.name,
    className: layer.getClassName(),
    outputShape: (layer.outputShape as (number | null)[]).slice(),
    params: layer.countParams(),
  }));
  const totalParams = layers.reduce((sum, layer) => sum + layer.params, 0);
  const trainableParams = model.trainableWeights.reduce(
    (sum, w) => sum + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1),
    0,
  );
  return {
    layers,
    totalParams,
    trainableParams,
    optimizer: 'Adam',
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  };
}
