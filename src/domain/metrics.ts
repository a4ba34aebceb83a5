/** What training and evaluation measure: batch progress, per-epoch metrics, how a run ended, predictions and their analysis. */
import type { MonitorChoice } from './hyperParameters';

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
  /** On the held-out validation images, when the run has a validation split. */
  valLoss?: number;
  valAccuracy?: number;
  seconds: number;
  samplesPerSecond: number;
}

/** How a run ended: all its epochs, early stopping, the user's Stop, or a failure. */
export type RunEnd = 'completed' | 'earlyStopped' | 'stopped' | 'failed';

/** The end of a run and what the model holds. */
export interface RunOutcome {
  end: RunEnd;
  epochsRun: number;
  /** What the best epoch is judged by, and on which images (the validation split, or the test set without one). */
  monitor: MonitorChoice;
  monitoredOn: 'validation' | 'test';
  /** 1-based best epoch by the monitored metric; undefined before the first epoch ends. */
  bestEpoch?: number;
  /** The weights the trained model holds: the best epoch's (restore_best_weights) or the last epoch's. */
  weights: 'best' | 'last';
  /** Early stopping's patience, when it ended the run. */
  patience?: number;
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
