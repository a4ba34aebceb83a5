/** The trained model's predictions for a whole split (the run's last step, the epoch views, the bench). */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { NUM_CLASSES, PIXELS } from '../domain/classes';
import type { Predictions } from '../domain/metrics';
import type { Tf } from './backend';
import { imagesToInput, type ImageSplit } from './imageInput';

/**
 * Images per forward pass for a conv network (predictions and evaluations): its feature maps are tens of
 * thousands of values per image, so a split goes through in chunks (an MLP's test set in one batch).
 */
export const CONV_IMAGES_PER_PASS = 250;

/**
 * Runs the model (the standard LayersModel) on all test images, in one batch for an MLP. `apply` rather
 * than `predict`: predict first copies its whole input with a slice, 31 MB for the test set, which the
 * wasm heap keeps; the forward pass is the same.
 */
export function predictAll(tf: Tf, model: LayersModel, test: ImageSplit): Predictions {
  const conv = model.layers.some((layer) => layer.getClassName() === 'Conv2D');
  const chunk = conv ? CONV_IMAGES_PER_PASS : Math.max(test.count, 1);
  const probabilities = new Float32Array(test.count * NUM_CLASSES);
  const started = performance.now();
  for (let start = 0; start < test.count; start += chunk) {
    const count = Math.min(chunk, test.count - start);
    const part = { images: test.images.subarray(start * PIXELS, (start + count) * PIXELS), labels: test.labels.subarray(start, start + count), count };
    const input = imagesToInput(tf, part);
    try {
      const output = model.apply(input, { training: false }) as Tensor;
      probabilities.set(output.dataSync() as Float32Array, start * NUM_CLASSES);
      output.dispose();
    } finally {
      input.dispose();
    }
  }
  const predictMs = performance.now() - started;
  const predicted = new Uint8Array(test.count);
  for (let i = 0; i < test.count; i++) {
    let best = 0;
    for (let c = 1; c < NUM_CLASSES; c++) {
      if (probabilities[i * NUM_CLASSES + c] > probabilities[i * NUM_CLASSES + best]) best = c;
    }
    predicted[i] = best;
  }
  return { probabilities, predicted, labels: test.labels.slice(0, test.count), count: test.count, predictMs };
}
