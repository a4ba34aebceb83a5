/** What training and evaluation measure: batch progress, per-epoch metrics, predictions and their analysis. */
export interface BatchProgress {
  /** 1-based epoch and batch numbers. */
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  /** Running mean over this epoch so far. */
  loss: number;
  accuracy: number;
  /** Seconds left in the whole run, estimated from the pace so far. */
  etaSeconds: number;
  samplesPerSecond: number;
}

export interface EpochMetrics {
  /** 1-based. */
  epoch: number;
  loss: number;
  accuracy: number;
  testLoss: number;
  testAccuracy: number;
  seconds: number;
  samplesPerSecond: number;
}

/** Predictions for the test images, as compact typed arrays (row-major, one row per image). */
export interface Predictions {
  /** count * 10 probabilities. */
  probabilities: Float32Array;
  /** count predicted classes (argmax). */
  predicted: Uint8Array;
  /** count true labels. */
  labels: Uint8Array;
  count: number;
  /** Milliseconds the predict call took. */
  predictMs: number;
}

/** Over-fitting indicator, computed by the host (src/core/analysis/analysis.ts) from the epoch history. */
export interface OverfittingAnalysis {
  state: 'notEnoughData' | 'generalising' | 'overfitting';
  /** 1-based epoch since which training accuracy rises while test accuracy is flat or falling. */
  sinceEpoch?: number;
  /** Gap (training - test accuracy) in percentage points, per epoch. */
  gapPoints: number[];
  /** 1-based epoch where test accuracy peaked. */
  bestEpoch?: number;
  bestTestAccuracy?: number;
  /** Over the over-fitting stretch: training accuracy change and test accuracy change, in points. */
  trainDeltaPoints?: number;
  testDeltaPoints?: number;
  /** With state 'overfitting': how test accuracy moved over the stretch ('falling' past a small drop, else 'flat'). */
  testTrend?: 'flat' | 'falling';
}

export interface PredictionAnalysis {
  /** confusion[trueClass][predictedClass] = count. */
  confusion: number[][];
  /** Per true class: correct / total. */
  perClassAccuracy: number[];
  accuracy: number;
}
