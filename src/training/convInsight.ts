/**
 * A conv network's filters and feature maps, read from the LayersModel (any backend): the first Conv2D's
 * kernel as K × K pictures, and one picture's activations after each conv block's Conv2D + relu, the
 * model's own layers applied in order (inference: no dropout comes before the Flatten).
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { IMAGE_SIZE } from '../domain/classes';
import type { ConvFiltersSnapshot, FeatureMapBlock, FeatureMaps } from '../domain/convInsight';
import type { Tf } from './backend';
import { PIXEL_TO_UNIT } from './imageInput';

/** The first Conv2D's filters, filter-major, when the model has one over a one-channel picture. */
export function convFiltersSnapshot(model: LayersModel, epoch: number): ConvFiltersSnapshot | undefined {
  const conv = model.layers.find((layer) => layer.getClassName() === 'Conv2D');
  if (conv === undefined) return undefined;
  const [kernel, bias] = conv.getWeights();
  const [kernelSize, width, channels, filters] = kernel.shape as number[];
  if (kernelSize !== width || channels !== 1) return undefined;
  const keras = kernel.dataSync();
  const weights = new Float32Array(filters * kernelSize * kernelSize);
  const scale = new Float32Array(filters);
  for (let tap = 0; tap < kernelSize * kernelSize; tap++) {
    for (let f = 0; f < filters; f++) {
      const value = keras[tap * filters + f];
      weights[f * kernelSize * kernelSize + tap] = value;
      scale[f] = Math.max(scale[f], Math.abs(value));
    }
  }
  return { epoch, kernelSize, filters, weights, scale, bias: Float32Array.from(bias?.dataSync() ?? new Float32Array(filters)) };
}

/** Per map of an NHWC activation (one picture): its values quantized to 0..255 by its own largest. */
function quantizeMaps(values: Float32Array, side: number, filters: number): FeatureMapBlock {
  const scale = new Float32Array(filters);
  for (let i = 0; i < values.length; i++) scale[i % filters] = Math.max(scale[i % filters], values[i]);
  const quantized = new Uint8Array(values.length);
  for (let p = 0; p < side * side; p++) {
    for (let f = 0; f < filters; f++) {
      const s = scale[f];
      quantized[f * side * side + p] = s > 0 ? Math.round((Math.max(0, values[p * filters + f]) / s) * 255) : 0;
    }
  }
  return { side, filters, values: quantized, scale };
}

/** The picture's (784 pixel bytes) feature maps after each Conv2D + relu; no blocks for a model without conv layers. */
export function featureMaps(tf: Tf, model: LayersModel, image: Uint8Array): FeatureMaps {
  const blocks: FeatureMapBlock[] = [];
  tf.tidy(() => {
    let h: Tensor = tf.tensor(Float32Array.from(image, (v) => PIXEL_TO_UNIT[v]), [1, IMAGE_SIZE, IMAGE_SIZE]);
    for (const layer of model.layers) {
      if (layer.getClassName() === 'Flatten') break;
      h = layer.apply(h, { training: false }) as Tensor;
      if (layer.getClassName() === 'Conv2D') {
        const [, side, , filters] = h.shape as number[];
        blocks.push(quantizeMaps(h.dataSync() as Float32Array, side, filters));
      }
    }
  });
  return { blocks };
}
