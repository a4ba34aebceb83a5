/**
 * Predictions for the test images after every epoch of a run, kept compactly so the dashboard can replay the
 * run: per image per epoch one predicted class (uint8) and ten probabilities quantized to uint8 (p ≈ q / 255,
 * an error of at most 0.2 percentage points). 11 bytes per image per epoch: 110 KB an epoch for 10,000 images.
 */

/** The quantized probability q stands for q / PROBABILITY_LEVELS. */
export const PROBABILITY_LEVELS = 255;

/**
 * At most this many epochs are held (10,000 × 11 × 50 bytes = 5.5 MB). Past it, the held epoch whose
 * neighbours are closest together is dropped (never the first or the newest), so a long run keeps evenly
 * spread epochs from start to end rather than only its latest.
 */
export const MAX_HELD_EPOCHS = 50;

/** One epoch's predictions, as the worker sends them. */
export interface EpochSnapshot {
  /** 1-based. */
  epoch: number;
  count: number;
  /** count predicted classes. */
  predicted: Uint8Array;
  /** count × 10 quantized probabilities, row per image. */
  probabilities: Uint8Array;
}

/** What the host computes from one held epoch (every number the epoch views show). */
export interface EpochAnalysis {
  epoch: number;
  /** confusion[trueClass][predictedClass] = count. */
  confusion: number[][];
  perClassAccuracy: number[];
  accuracy: number;
  /** Images right now and wrong at the previous held epoch (all right ones at the first). */
  learned: number;
  /** Images wrong now and right at the previous held epoch. */
  forgotten: number;
  misclassified: number;
  /** The largest off-diagonal cells, most first. */
  confusedPairs: { trueClass: number; predicted: number; count: number }[];
}

/** All held epochs of a run, concatenated: epoch slot k holds images [k·count, (k+1)·count). */
export interface EpochPredictions {
  count: number;
  labels: Uint8Array;
  /** The held epochs' numbers, ascending. */
  epochs: number[];
  /** epochs.length × count. */
  predicted: Uint8Array;
  /** epochs.length × count × 10. */
  probabilities: Uint8Array;
  /** One per held epoch, same order. */
  analyses: EpochAnalysis[];
}
