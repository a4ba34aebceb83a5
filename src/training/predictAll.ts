/**
 * The trained model's predictions for a whole split (the run's last step, the epoch views, the bench):
 * through the forward kernels (src/training/kernels) for every network they train, conv networks included,
 * in chunks, else
 * through tfjs (`model.apply`). Both give the same probabilities (within 1e-5, tested).
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { NUM_CLASSES, PIXELS } from '../domain/classes';
import type { Predictions } from '../domain/metrics';
import type { Tf } from './backend';
import { imagesToInput, type ImageSplit } from './imageInput';
import { KernelTrainer, kernelsAvailable } from './kernels/kernelTrainer';
import { architectureOf } from './model';
import { POOL_SIZE } from '../domain/architecture';
import { LAYER_CLASS_NAMES, networkLayers } from '../domain/networkLayers';
import type { Trainer } from './trainer';

/** The arg max of each image's probabilities, with its label: the Predictions of a split. */
export function toPredictions(probabilities: Float32Array, split: ImageSplit, predictMs: number): Predictions {
  const predicted = new Uint8Array(split.count);
  for (let i = 0; i < split.count; i++) {
    let best = 0;
    for (let c = 1; c < NUM_CLASSES; c++) {
      if (probabilities[i * NUM_CLASSES + c] > probabilities[i * NUM_CLASSES + best]) best = c;
    }
    predicted[i] = best;
  }
  return { probabilities, predicted, labels: split.labels.slice(0, split.count), count: split.count, predictMs };
}

/**
 * Whether the kernels can run this model: built, and exactly a network of the layers they train, as
 * domain/networkLayers.ts plans it ([Reshape, Conv2D(stride 1, 'same', relu) + MaxPooling2D(2) ...,]
 * Flatten, Dense(relu) [+ Dropout] ..., Dense(10, softmax)). A model read from elsewhere with other
 * settings (a 'valid' conv, a sigmoid) goes through tfjs.
 */
export function kernelsRun(model: LayersModel): boolean {
  if (!kernelsAvailable()) return false;
  const plan = networkLayers(architectureOf(model));
  if (plan.length !== model.layers.length) return false;
  return plan.every((planned, i) => {
    const layer = model.layers[i];
    if (layer.getClassName() !== LAYER_CLASS_NAMES[planned.kind]) return false;
    const config = layer.getConfig() as { activation?: string; padding?: string; strides?: number | number[]; poolSize?: number | number[]; units?: number };
    const all = (value: number | number[] | undefined, expected: number) => (Array.isArray(value) ? value : [value]).every((v) => v === expected);
    switch (planned.kind) {
      case 'conv2d':
        return config.activation === 'relu' && config.padding === 'same' && all(config.strides, 1);
      case 'maxPooling2d':
        return config.padding === 'valid' && all(config.poolSize, POOL_SIZE) && all(config.strides, POOL_SIZE);
      case 'dense':
        return config.activation === planned.activation && config.units === planned.units;
      default:
        return true;
    }
  });
}

/** The probabilities through the forward kernels, on this thread, from the model's weights. */
export function kernelProbabilities(tf: Tf, model: LayersModel, split: ImageSplit): Float32Array {
  const predictor = new KernelTrainer(tf, model, { architecture: architectureOf(model), batchSize: 1, learningRate: 0, threads: 1 });
  try {
    return predictor.predict(split);
  } finally {
    predictor.dispose();
  }
}

/**
 * Images per forward pass of a conv network through tfjs (predictions and evaluations): its feature maps are
 * tens of thousands of values per image, so a split goes through in chunks (an MLP's in one batch).
 */
export const CONV_IMAGES_PER_PASS = 250;

/**
 * The probabilities through tfjs. `apply` rather than `predict`: predict first copies its whole input with a
 * slice, 31 MB for the test set, which the wasm heap keeps; the forward pass is the same.
 */
export function tfjsProbabilities(tf: Tf, model: LayersModel, split: ImageSplit): Float32Array {
  const conv = model.layers.some((layer) => layer.getClassName() === 'Conv2D');
  const chunk = conv ? CONV_IMAGES_PER_PASS : Math.max(split.count, 1);
  const probabilities = new Float32Array(split.count * NUM_CLASSES);
  for (let start = 0; start < split.count; start += chunk) {
    const count = Math.min(chunk, split.count - start);
    const part = { images: split.images.subarray(start * PIXELS, (start + count) * PIXELS), labels: split.labels.subarray(start, start + count), count };
    const input = imagesToInput(tf, part);
    try {
      const output = model.apply(input, { training: false }) as Tensor;
      probabilities.set(output.dataSync() as Float32Array, start * NUM_CLASSES);
      output.dispose();
    } finally {
      input.dispose();
    }
  }
  return probabilities;
}

/** Runs the model on all images of a split: the kernels where they run, else tfjs. */
export function predictAll(tf: Tf, model: LayersModel, split: ImageSplit): Predictions {
  const started = performance.now();
  const probabilities = kernelsRun(model) ? kernelProbabilities(tf, model, split) : tfjsProbabilities(tf, model, split);
  return toPredictions(probabilities, split, performance.now() - started);
}

/**
 * The predictions of a trainer's current weights: its own forward kernels on its threads where it has
 * them (no copy of the weights), else the model's (which the caller filled with the same weights).
 */
export function trainerPredictions(trainer: Trainer, tf: Tf, model: LayersModel, split: ImageSplit): Predictions {
  if (trainer.predict === undefined) return predictAll(tf, model, split);
  const started = performance.now();
  const probabilities = trainer.predict(split);
  return toPredictions(probabilities, split, performance.now() - started);
}
