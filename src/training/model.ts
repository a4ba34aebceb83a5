/**
 * The networks the trainer builds: Flatten(28x28) -> Dense(units, relu) [-> Dropout(rate)] per hidden
 * layer -> Dense(10, softmax), optionally l2(λ) on every kernel; Adam, sparse categorical cross-entropy,
 * accuracy. The default is the tutorial's model exactly. Also its summary, as Keras prints it.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import type { HyperParameters } from '../domain/hyperParameters';
import type { ModelSummary } from '../domain/modelSummary';
import { IMAGE_SIZE, NUM_CLASSES } from '../domain/classes';
import { singleHiddenLayer, type Architecture, type HiddenLayer } from '../domain/architecture';
import type { Tf } from './backend';

/** Keras's defaults for Adam (tf.keras.optimizers.Adam). */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-7;

export const LAYER_NAMES = { flatten: 'flatten', hidden: 'dense', output: 'dense_1' } as const;

/** The tutorial's Sequential with `hiddenUnits` in its one hidden layer. */
export function buildTutorialModel(tf: Tf, params: { hiddenUnits: number; learningRate: number; seed: number }): LayersModel {
  return buildNetworkModel(tf, singleHiddenLayer(params.hiddenUnits), params);
}

/** The Sequential a run's parameters ask for. */
export function buildModel(tf: Tf, params: Pick<HyperParameters, 'architecture' | 'learningRate' | 'seed'>): LayersModel {
  return buildNetworkModel(tf, params.architecture, params);
}

/**
 * Builds and compiles a standard Sequential of exactly the architecture's layers: Flatten, then per
 * hidden layer Dense(units, relu) and Dropout(rate) where the rate is above 0, then Dense(10, softmax);
 * every Dense kernel with l2(λ) where λ is above 0. Weights are Glorot-uniform (seeded; each Dense layer
 * its own seed so no two kernels are drawn from the same stream) and biases zero, as in Keras. Layer
 * names follow Keras's: flatten, dense, dropout, dense_1, ...
 */
export function buildNetworkModel(tf: Tf, architecture: Architecture, params: Pick<HyperParameters, 'learningRate' | 'seed'>): LayersModel {
  const regularizer = architecture.l2 > 0 ? { kernelRegularizer: tf.regularizers.l2({ l2: architecture.l2 }) } : {};
  const dense = (units: number, activation: 'relu' | 'softmax', index: number) =>
    tf.layers.dense({
      units,
      activation,
      kernelInitializer: tf.initializers.glorotUniform({ seed: params.seed + index }),
      biasInitializer: 'zeros',
      name: index === 0 ? 'dense' : `dense_${index}`,
      ...regularizer,
    });
  const model = tf.sequential({ name: 'fashion_mnist_tutorial' });
  model.add(tf.layers.flatten({ inputShape: [IMAGE_SIZE, IMAGE_SIZE], name: LAYER_NAMES.flatten }));
  let dropouts = 0;
  architecture.hiddenLayers.forEach((hidden, index) => {
    model.add(dense(hidden.units, 'relu', index));
    if (hidden.dropout > 0) {
      model.add(tf.layers.dropout({ rate: hidden.dropout, seed: params.seed + index, name: dropouts === 0 ? 'dropout' : `dropout_${dropouts}` }));
      dropouts += 1;
    }
  });
  model.add(dense(NUM_CLASSES, 'softmax', architecture.hiddenLayers.length));
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
  const hiddenLayers: HiddenLayer[] = [];
  let l2 = 0;
  for (const layer of model.layers) {
    const config = layer.getConfig() as { units?: number; rate?: number; kernelRegularizer?: { config?: { l2?: number } } | null };
    if (layer.getClassName() === 'Dense') {
      hiddenLayers.push({ units: config.units ?? 0, dropout: 0 });
      l2 = config.kernelRegularizer?.config?.l2 ?? 0;
    } else if (layer.getClassName() === 'Dropout' && hiddenLayers.length > 0) {
      hiddenLayers[hiddenLayers.length - 1].dropout = config.rate ?? 0;
    }
  }
  hiddenLayers.pop();
  return { hiddenLayers, l2 };
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
