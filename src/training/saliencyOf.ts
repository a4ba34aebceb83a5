/** The saved model's Dense layers as plain arrays, and the saliency of one 28 × 28 input (worker side). */
import type { LayersModel } from '@tensorflow/tfjs';
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

/** Gradient × input of the predicted class's probability for the 784 pixel bytes `input`. */
export function saliencyOf(model: LayersModel, input: Uint8Array): Saliency {
  const x = Float32Array.from(input, (v) => PIXEL_TO_UNIT[v]);
  return saliency(denseLayers(model), x);
}
