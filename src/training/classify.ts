/**
 * Classifies image files with a trained model: each file is decoded and prepared like a dataset
 * picture (image.ts), the good ones are predicted in one batch, and every file gets a result, either
 * the ten probabilities or the error that names it. One bad file never stops the others.
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import type { ClassificationResult, ClassificationWarning } from '../domain/classification';
import { IMAGE_SIZE, NUM_CLASSES, PIXELS } from '../domain/classes';
import type { Tf } from './backend';
import { toUserError, TrainerError } from '../core/errors';
import { prepareImageFile, type PreparedImage } from '../core/image/image';
import { t } from '../core/text/l10n';

/** Below this top probability the answer is flagged as uncertain. */
export const LOW_CONFIDENCE = 0.5;

/** One result per file, in the order given. */
export async function classifyFiles(tf: Tf, model: LayersModel, files: string[]): Promise<ClassificationResult[]> {
  const prepared: (PreparedImage | { error: ReturnType<typeof toUserError> })[] = [];
  for (const file of files) {
    try {
      prepared.push(await prepareImageFile(file));
    } catch (error) {
      prepared.push({ error: toUserError(error) });
    }
  }
  const good = prepared.filter((p): p is PreparedImage => 'input' in p);
  const probabilities = good.length > 0 ? predictInputs(tf, model, good.map((p) => p.input)) : [];

  let next = 0;
  return prepared.map((p, i): ClassificationResult => {
    const file = files[i];
    if (!('input' in p)) return { ok: false, file, error: p.error };
    const probs = probabilities[next++];
    const predicted = argmax(probs);
    const warnings: ClassificationWarning[] = [];
    if (probs[predicted] < LOW_CONFIDENCE) warnings.push('lowConfidence');
    if (p.unlikeDataset) warnings.push('unlikeDataset');
    return {
      ok: true,
      file,
      probabilities: probs,
      predicted,
      input: p.input,
      thumbnail: p.thumbnail,
      inverted: p.inverted,
      warnings,
    };
  });
}

/**
 * The model's probabilities for 28x28 inputs (0..255, scaled to 0..1 as in training), shaped to
 * whatever input the model declares: [28, 28], [784] or [28, 28, 1].
 */
export function predictInputs(tf: Tf, model: LayersModel, inputs: Uint8Array[]): number[][] {
  const inputShape = model.inputs[0]?.shape.slice(1) ?? [IMAGE_SIZE, IMAGE_SIZE];
  const perImage = inputShape.reduce<number>((product, d) => product * (d ?? 1), 1);
  if (perImage !== PIXELS) {
    throw new TrainerError(
      'MODEL_INVALID',
      t('The model expects inputs of shape [{0}], which is not a 28 x 28 picture.', inputShape.join(', ')),
      undefined,
      t('Train a new model, or import one whose input is 28 x 28 pixels or 784 values.'),
    );
  }
  const batch = new Float32Array(inputs.length * PIXELS);
  inputs.forEach((input, i) => {
    for (let j = 0; j < PIXELS; j++) batch[i * PIXELS + j] = input[j] / 255;
  });
  const values = tf.tidy(() => {
    const x = tf.tensor(batch, [inputs.length, ...inputShape.map((d) => d ?? 1)]);
    const y = model.predict(x) as Tensor;
    return y.dataSync();
  });
  const rows: number[][] = [];
  const width = values.length / inputs.length;
  if (width !== NUM_CLASSES) {
    throw new TrainerError(
      'MODEL_INVALID',
      t('The model gives {0} outputs per picture instead of 10 class probabilities.', width),
      undefined,
      t('Train a new model, or import one whose last layer has 10 units.'),
    );
  }
  for (let i = 0; i < inputs.length; i++) rows.push(Array.from(values.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES)));
  return rows;
}

function argmax(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
