/** The saved model's Dense layers as plain arrays, and the saliency of one 28 × 28 input (worker side). */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { IMAGE_SIZE } from '../domain/classes';
import type { Tf } from './backend';
import { PIXEL_TO_UNIT } from './imageInput';
import { saliency, type DenseLayer, type Saliency } from '../core/analysis/saliency';

/** The model's Dense layers in order (Flatten and Dropout have no weights and change nothing at inference). */
export function denseLayers(model: LayersModel): DenseLayer[] {
  return model.layers
    .filter((layer) => layer.getClassName() === 'Dense')
    .map((layer) => {
      const [kernel, bias] = layer.getWeights();
      const config = layer.getConfig() as { activation?: string };
      const activation = config.activation === 'softmax' ? 'softmax' : config.activation === 'relu' ? 'relu' : 'linear';
      return { kernel: kernel.dataSync() as Float32Array, bias: bias.dataSync() as Float32Array, inputs: kernel.shape[0] as number, units: kernel.shape[1] as number, activation };
    });
}

/**
 * Gradient × input of the predicted class's probability for the 784 pixel bytes `input`: in closed form
 * for a Dense network, by tfjs's gradients through the model for one with conv blocks.
 */
export function saliencyOf(tf: Tf, model: LayersModel, input: Uint8Array): Saliency {
  const x = Float32Array.from(input, (v) => PIXEL_TO_UNIT[v]);
  if (!model.layers.some((layer) => layer.getClassName() === 'Conv2D')) return saliency(denseLayers(model), x);
  return tf.tidy(() => {
    const image = tf.tensor(x, [1, IMAGE_SIZE, IMAGE_SIZE]);
    const probabilities = (model.apply(image, { training: false }) as Tensor).dataSync();
    let predicted = 0;
    for (let c = 1; c < probabilities.length; c++) if (probabilities[c] > probabilities[predicted]) predicted = c;
    const gradient = tf.grad((inputs: Tensor) => tf.sum(tf.mul(model.apply(inputs, { training: false }) as Tensor, tf.oneHot([predicted], probabilities.length))))(image);
    const values = tf.mul(gradient, image).dataSync() as Float32Array;
    let scale = 0;
    for (const value of values) scale = Math.max(scale, Math.abs(value));
    return { predicted, probability: probabilities[predicted], values: Float32Array.from(values), scale };
  });
}
