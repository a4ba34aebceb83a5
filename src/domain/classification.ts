/** The result of classifying one image file. */
import type { UserError } from './errors';

/**
 * lowConfidence: the top probability is below 50%. unlikeDataset: the picture looks unlike the dataset's.
 * softmaxApplied: the model outputs logits (the current TensorFlow tutorial's Dense(10) without softmax);
 * the classifier turned them into probabilities with a softmax.
 */
export type ClassificationWarning = 'lowConfidence' | 'unlikeDataset' | 'softmaxApplied';

export type ClassificationResult =
  | {
      ok: true;
      file: string;
      /** 10 probabilities. */
      probabilities: number[];
      predicted: number;
      /** The 28x28 input the model sees, 0..255, light object on black as in the dataset. */
      input: Uint8Array;
      /** A small RGBA thumbnail of the original (for display), at most 128 px on its longer side. */
      thumbnail: { width: number; height: number; rgba: Uint8Array };
      inverted: boolean;
      warnings: ClassificationWarning[];
    }
  | { ok: false; file: string; error: UserError };
