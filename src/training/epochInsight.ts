/**
 * What the worker computes after each epoch's evaluation for the dashboard's epoch views, through the
 * LayersModel the trainer has just filled with the epoch's weights: the test images' predictions, quantized
 * (src/core/analysis/epochPredictions.ts), and the first Dense layer's weights with each hidden unit's most
 * exciting test images, or a conv network's first Conv2D filters.
 */
import type { LayersModel, Tensor, Tensor2D } from '@tensorflow/tfjs';
import { PIXELS } from '../domain/classes';
import { TOP_IMAGES_PER_UNIT, type FirstLayerSnapshot } from '../domain/firstLayer';
import type { EpochInsight } from '../protocol/worker';
import { quantizeEpoch } from '../core/analysis/epochPredictions';
import type { Tf } from './backend';
import { imagesToInput, type ImageSplit } from './imageInput';
import { predictAll } from './predictAll';
import { convFiltersSnapshot } from './convInsight';
import type { Predictions } from '../domain/metrics';

/**
 * The epoch's insight from `model` (holding that epoch's weights) on the test split, and on the followed
 * images; `predict` gives the predictions of the same weights (the trainer's kernels, by default the model's).
 */
export function epochInsight(
  tf: Tf,
  model: LayersModel,
  test: ImageSplit,
  epoch: number,
  follow?: ImageSplit,
  predict: (split: ImageSplit) => Predictions = (split) => predictAll(tf, model, split),
): EpochInsight {
  const p = predict(test);
  const insight: EpochInsight = { predictions: quantizeEpoch(epoch, p.probabilities, p.predicted, p.count), labels: p.labels };
  const firstLayer = firstLayerSnapshot(tf, model, test, epoch);
  if (firstLayer) insight.firstLayer = firstLayer;
  const convFilters = convFiltersSnapshot(model, epoch);
  if (convFilters) insight.convFilters = convFilters;
  if (follow && follow.count > 0) insight.followed = predict(follow).probabilities.slice();
  return insight;
}

/** Quantizes a 784 × units kernel to int8 per unit (column). */
export function quantizeKernel(kernel: Float32Array, units: number): { weights: Int8Array; unitScale: Float32Array } {
  const unitScale = new Float32Array(units);
  for (let i = 0; i < kernel.length; i++) unitScale[i % units] = Math.max(unitScale[i % units], Math.abs(kernel[i]));
  const weights = new Int8Array(kernel.length);
  for (let i = 0; i < kernel.length; i++) {
    const scale = unitScale[i % units];
    weights[i] = scale > 0 ? Math.round((kernel[i] / scale) * 127) : 0;
  }
  return { weights, unitScale };
}

/** The first Dense layer after the input, the next one, and the test images that excite each unit most. */
export function firstLayerSnapshot(tf: Tf, model: LayersModel, test: ImageSplit, epoch: number): FirstLayerSnapshot | undefined {
  // A conv network's first layer is its filters, not pictures of 784 weights.
  if (model.layers.some((layer) => layer.getClassName() === 'Conv2D')) return undefined;
  const dense = model.layers.filter((layer) => layer.getClassName() === 'Dense');
  if (dense.length < 2 || test.count === 0) return undefined;
  const [kernel, bias] = dense[0].getWeights();
  const [nextKernel] = dense[1].getWeights();
  if (kernel.shape[0] !== PIXELS) return undefined;
  const units = kernel.shape[1] as number;
  const { weights, unitScale } = quantizeKernel(kernel.dataSync() as Float32Array, units);
  const next = nextKernel.dataSync() as Float32Array;
  const k = Math.min(TOP_IMAGES_PER_UNIT, test.count);
  const input = imagesToInput(tf, test);
  let topImages: Uint16Array;
  try {
    const top = tf.tidy(() => {
      const activation = tf.relu(tf.add(tf.matMul(input.reshape([test.count, PIXELS]) as Tensor2D, kernel as Tensor2D), bias)) as Tensor2D;
      return tf.topk(activation.transpose(), k).indices as Tensor;
    });
    topImages = Uint16Array.from(top.dataSync());
    top.dispose();
  } finally {
    input.dispose();
  }
  return {
    epoch,
    units,
    weights,
    unitScale,
    next: Float32Array.from(next),
    nextUnits: nextKernel.shape[1] as number,
    nextIsClasses: dense.length === 2,
    topImages,
    topK: k,
  };
}
