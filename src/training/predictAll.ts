/** The trained model's predictions for a whole split, in one batch (the run's last step, the epoch views, the bench). */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { NUM_CLASSES } from '../domain/classes';
import type { Predictions } from '../domain/metrics';
import type { Tf } from './backend';
import { imagesToInput, type ImageSplit } from './imageInput';

/**
 * Runs the model (the standard LayersModel) on all test images in one batch. `apply` rather than
 * `predict`: predict first copies its whole input with a slice, 31 MB for the test set, which the
 * wasm heap keeps; the forward pass is the same.
 */
export function predictAll(tf: Tf, model: LayersModel, test: ImageSplit): Predictions {
  const input = imagesToInput(tf, test);
  try {
    const started = performance.now();
    const output = model.apply(input, { training: false }) as Tensor;
    const probabilities = output.dataSync() as Float32Array;
    const predictMs = performance.now() - started;
    output.dispose();
    const predicted = new Uint8Array(test.count);
    for (let i = 0; i < test.count; i++) {
      let best = 0;
      for (let c = 1; c < NUM_CLASSES; c++) {
        if (probabilities[i * NUM_CLASSES + c] > probabilities[i * NUM_CLASSES + best]) best = c;
      }
      predicted[i] = best;
    }
    return { probabilities, predicted, labels: test.labels.slice(0, test.count), count: test.count, predictMs };
  } finally {
    input.dispose();
  }
}
