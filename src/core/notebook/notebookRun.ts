/**
 * What a notebook export needs to know about one run, independent of where the run is kept: the dashboard's
 * state (the extension host), a run in the per-user run history (src/core/runs: the CLI's --run and the Runs
 * view), or a saved model's run record. Each source has a small adapter to this type (runSources.ts); the
 * notebook itself is a pure function of it (notebook.ts).
 */
import type { Architecture } from '../../domain/architecture';
import type { MonitorChoice } from '../../domain/hyperParameters';

/** Keras's EarlyStopping callback as the run used it. */
export interface NotebookEarlyStopping {
  monitor: MonitorChoice;
  /** Undefined: the run never stopped early and only kept the best epoch's weights (restore without stopping). */
  patience?: number;
  minDelta: number;
  restoreBestWeights: boolean;
}

export interface NotebookSettings {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  architecture: Architecture;
  /** Fraction of the training images held out for validation; undefined = the test set validates each epoch. */
  validationSplit?: number;
  /** Early stopping, or restoring the best weights without it; undefined = neither. */
  earlyStopping?: NotebookEarlyStopping;
  /** The run used only the first N training / test images. */
  trainLimit?: number;
  testLimit?: number;
}

/** One epoch as Keras's History records it: training metrics and the validation ones (`val_*`). */
export interface NotebookEpoch {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  seconds: number;
}

export interface NotebookRun {
  settings: NotebookSettings;
  /** ISO date of the run, when known. */
  date?: string;
  /** The tfjs backend that trained it ('wasm', 'tensorflow', 'cpu'), when known. */
  backend?: string;
  /** Images actually used (after any limit). */
  trainCount: number;
  testCount: number;
  /** Per-epoch metrics in epoch order; empty when the source kept none (a saved model's record). */
  history: NotebookEpoch[];
  /** 1-based epoch whose weights the model kept (early stopping with restore), when known. */
  bestEpoch?: number;
  /** The final evaluation on the test set; loss unknown for a saved model's record. */
  final?: { testAccuracy: number; testLoss?: number; trainAccuracy?: number };
  /** confusion[true][predicted] on the test set, when predictions were kept. */
  confusion?: number[][];
  /** Test image 0's ten probabilities and its label: the tutorial's last step. */
  firstPrediction?: { probabilities: number[]; label: number };
}
