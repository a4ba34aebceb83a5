/**
 * The tutorial's model, exactly: Flatten(28x28) -> Dense(hidden, relu) -> Dense(10, softmax), Adam,
 * sparse categorical cross-entropy, accuracy. Also its summary and the checks on hyper-parameters.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import type { BackendChoice, HyperParameters } from '../domain/hyperParameters';
import type { ModelSummary } from '../domain/modelSummary';
import { IMAGE_SIZE, NUM_CLASSES } from '../domain/classes';
import { TrainerError } from '../core/errors';
import { t } from '../core/text/l10n';
import type { Tf } from './backend';
import { singleHiddenLayer, type Architecture, type HiddenLayer } from '../domain/architecture';

/** Keras's defaults for Adam (tf.keras.optimizers.Adam). */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-7;

export const LAYER_NAMES = { flatten: 'flatten', hidden: 'dense', output: 'dense_1' } as const;

/**
 * Builds and compiles the tutorial's Sequential with `hiddenUnits` in its hidden layer.
 */
export function buildTutorialModel(
  tf: Tf,
  params: Pick<HyperParameters, 'hiddenUnits' | 'learningRate' | 'seed'>,
): LayersModel {
  return buildNetworkModel(tf, singleHiddenLayer(params.hiddenUnits), params);
}

/**
 * Builds and compiles a standard Sequential of exactly the architecture's layers: Flatten, then per
 * hidden layer Dense(units, relu) and Dropout(rate) where the rate is above 0, then Dense(10,
 * softmax); every Dense kernel with l2(λ) where λ is above 0. Weights are Glorot-uniform (seeded; each
 * layer its own seed so no two kernels are drawn from the same stream) and biases zero, as in Keras.
 * Layer names follow Keras's: flatten, dense, dropout, dense_1, ...
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
  const layers: ReturnType<typeof tf.layers.flatten | typeof tf.layers.dense | typeof tf.layers.dropout>[] = [tf.layers.flatten({ inputShape: [IMAGE_SIZE, IMAGE_SIZE], name: LAYER_NAMES.flatten })];
  let dropouts = 0;
  architecture.hiddenLayers.forEach((hidden, index) => {
    layers.push(dense(hidden.units, 'relu', index));
    if (hidden.dropout > 0) {
      layers.push(tf.layers.dropout({ rate: hidden.dropout, name: dropouts === 0 ? 'dropout' : `dropout_${dropouts}` }));
      dropouts += 1;
    }
  });
  layers.push(dense(NUM_CLASSES, 'softmax', architecture.hiddenLayers.length));
  const model = tf.sequential({ name: 'fashion_mnist_tutorial', layers });
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

const BACKENDS: readonly BackendChoice[] = ['auto', 'node', 'wasm', 'cpu'];
const MAX_EPOCHS = 1000;
const MAX_HIDDEN_UNITS = 4096;
const MAX_LEARNING_RATE = 10;

function isPositiveInteger(value: number): boolean {
  return Number.isInteger(value) && value > 0;
}

/**
 * Throws INVALID_PARAMS listing every problem, one sentence each. `trainCount` is the number of
 * training images available (before `trainLimit`); when given, the batch must fit in the data.
 */
export function validateHyperParameters(p: HyperParameters, trainCount?: number): void {
  const problems: string[] = [];
  if (!isPositiveInteger(p.epochs)) {
    problems.push(t('The number of epochs must be a whole number of at least 1 (got {0}).', String(p.epochs)));
  } else if (p.epochs > MAX_EPOCHS) {
    problems.push(t('The number of epochs must be at most {0} (got {1}).', MAX_EPOCHS, p.epochs));
  }
  if (!isPositiveInteger(p.batchSize)) {
    problems.push(t('The batch size must be a whole number of at least 1 (got {0}).', String(p.batchSize)));
  }
  if (!Number.isFinite(p.learningRate) || p.learningRate <= 0) {
    problems.push(t('The learning rate must be a number greater than 0 (got {0}).', String(p.learningRate)));
  } else if (p.learningRate > MAX_LEARNING_RATE) {
    problems.push(t('The learning rate must be at most {0} (got {1}).', MAX_LEARNING_RATE, p.learningRate));
  }
  if (!isPositiveInteger(p.hiddenUnits) || p.hiddenUnits > MAX_HIDDEN_UNITS) {
    problems.push(
      t('The number of hidden units must be a whole number from 1 to {0} (got {1}).', MAX_HIDDEN_UNITS, String(p.hiddenUnits)),
    );
  }
  if (!Number.isSafeInteger(p.seed)) {
    problems.push(t('The seed must be a whole number (got {0}).', String(p.seed)));
  }
  if (!BACKENDS.includes(p.backend)) {
    problems.push(t('The backend must be one of auto, node, wasm or cpu (got {0}).', String(p.backend)));
  }
  if (p.trainLimit !== undefined && !isPositiveInteger(p.trainLimit)) {
    problems.push(t('The training image limit must be a whole number of at least 1 (got {0}).', String(p.trainLimit)));
  }
  if (p.testLimit !== undefined && !isPositiveInteger(p.testLimit)) {
    problems.push(t('The test image limit must be a whole number of at least 1 (got {0}).', String(p.testLimit)));
  }
  if (trainCount !== undefined && isPositiveInteger(p.batchSize)) {
    const available = p.trainLimit !== undefined && p.trainLimit > 0 ? Math.min(p.trainLimit, trainCount) : trainCount;
    if (p.batchSize > available) {
      problems.push(
        t('The batch size ({0}) is larger than the number of training images ({1}); choose a batch size of at most {1}.', p.batchSize, available),
      );
    }
  }
  if (problems.length > 0) {
    throw new TrainerError('INVALID_PARAMS', problems.join(' '), undefined, t('Correct the settings and start again.'));
  }
}
