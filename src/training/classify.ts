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
import { checkModelArchitecture, type OutputKind } from '../core/modelFiles/architecture';
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
  const outputs = outputKindOf(model);
  if (good.length > 0) checkWeightsFinite(model);
  const probabilities = good.length > 0 ? predictInputs(tf, model, good.map((p) => p.input), outputs) : [];

  let next = 0;
  return prepared.map((p, i): ClassificationResult => {
    const file = files[i];
    if (!('input' in p)) return { ok: false, file, error: p.error };
    const probs = probabilities[next++];
    const predicted = argmax(probs);
    const warnings: ClassificationWarning[] = [];
    if (probs[predicted] < LOW_CONFIDENCE) warnings.push('lowConfidence');
    if (p.unlikeDataset) warnings.push('unlikeDataset');
    if (outputs === 'logits') warnings.push('softmaxApplied');
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
export function predictInputs(tf: Tf, model: LayersModel, inputs: Uint8Array[], outputs: OutputKind = outputKindOf(model)): number[][] {
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
    // Logits (the current tutorial's Dense(10) without an activation) become probabilities here.
    return (outputs === 'logits' ? tf.softmax(y) : y).dataSync();
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
  for (let i = 0; i < inputs.length; i++) rows.push(checkedProbabilities(Array.from(values.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES))));
  return rows;
}

/** How far the ten outputs of a softmax may sum from 1 in float32 before they are not probabilities. */
const SUM_TOLERANCE = 1e-3;

/**
 * The ten outputs as probabilities that sum to exactly 1, or MODEL_INVALID when they are not probabilities
 * at all (a value that is not a finite number in 0..1, or a sum far from 1): never a "434%" or "NaN%".
 */
export function checkedProbabilities(row: number[]): number[] {
  const bad = row.findIndex((p) => !Number.isFinite(p));
  if (bad >= 0) {
    throw new TrainerError(
      'MODEL_INVALID',
      t('The model gave {0} as a class probability, so it has no answer for this picture.', String(row[bad])),
      undefined,
      t('The model is damaged (its weights hold values that are not numbers, or overflowed); train a new one or import another.'),
    );
  }
  const sum = row.reduce((a, b) => a + b, 0);
  if (row.some((p) => p < 0 || p > 1) || Math.abs(sum - 1) > SUM_TOLERANCE) {
    throw new TrainerError(
      'MODEL_INVALID',
      t('The model\'s 10 outputs are not probabilities (they sum to {0}), so any answer would be wrong.', sum.toPrecision(4)),
      undefined,
      t('Use a model whose last layer is Dense(10, softmax), or Dense(10) without an activation (logits), or train a new one.'),
    );
  }
  return row.map((p) => p / sum);
}

/** Probabilities or logits, from the model's own topology (the one rule in core/modelFiles/architecture). */
export function outputKindOf(model: LayersModel): OutputKind {
  return checkModelArchitecture(model.toJSON(null, false));
}

/** Refuses a model with a weight that is NaN or infinite, naming the weight. */
export function checkWeightsFinite(model: LayersModel): void {
  for (const weight of model.weights) {
    const values = weight.read().dataSync();
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) {
        throw new TrainerError(
          'MODEL_INVALID',
          t('The model\'s weight {0} holds {1}, so its answers would mean nothing.', weight.originalName ?? weight.name, String(values[i])),
          undefined,
          t('The model is damaged (its weights hold values that are not numbers, or overflowed); train a new one or import another.'),
        );
      }
    }
  }
}

function argmax(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
