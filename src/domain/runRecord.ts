/** The record a saved model carries: what was trained, how, and how well. */
import type { BackendName, HyperParameters } from './hyperParameters';
import type { EpochMetrics, RunOutcome } from './metrics';

/** The small record written beside model.json. */
export interface RunRecord {
  date: string;
  params: HyperParameters;
  backend: BackendName;
  trainAccuracy: number;
  testAccuracy: number;
  /** SHA-256 of the four decompressed data files, joined, so a model names the data it saw. */
  dataChecksum: string;
  trainCount: number;
  testCount: number;
  /** How the run ended and whether the model holds the best or the last epoch's weights (absent before 0.2). */
  outcome?: RunOutcome;
}

export interface SavedModelInfo {
  directory: string;
  record: RunRecord;
}

/** The `format` every run history record carries, so a foreign JSON file in the folder is told apart. */
export const RUN_HISTORY_FORMAT = 'fashion-mnist-trainer/run';
export const RUN_HISTORY_VERSION = 1;

/**
 * One run in the per-user run history, finished or stopped: what was asked, where it ran, what it saw,
 * every epoch, how it ended, and the final confusion matrix (when it got that far).
 */
export interface RunHistoryRecord {
  format: typeof RUN_HISTORY_FORMAT;
  version: number;
  /** The folder name in the history: sortable by start time, unique across writers. */
  id: string;
  startedAt: string;
  durationSeconds: number;
  params: HyperParameters;
  backend: BackendName;
  tfjsVersion: string;
  dataChecksum: string;
  trainCount: number;
  validationCount: number;
  testCount: number;
  history: EpochMetrics[];
  outcome: RunOutcome;
  /** confusion[true][predicted] on the test images, with the weights the model holds; absent for a stopped run. */
  confusion?: number[][];
  perClassAccuracy?: number[];
  /** The sweep this run is a trial of (domain/sweep.ts), when it is one. */
  sweepId?: string;
}

/** What the history lists for a run without holding its epochs: the row of `npm run runs` and the Runs view. */
export interface RunSummary {
  id: string;
  startedAt: string;
  params: HyperParameters;
  end: RunOutcome['end'];
  epochsRun: number;
  bestEpoch?: number;
  /** Test accuracy of the weights the model holds (the best epoch's when restored). */
  testAccuracy?: number;
  trainAccuracy?: number;
  pinned: boolean;
  /** The run's model is still kept (the latest runs and pinned ones). */
  hasModel: boolean;
  /** The run's dashboard as it ended is kept (a run trained in the extension, while its model is kept): it opens whole. */
  hasSnapshot: boolean;
  /** The sweep this run is a trial of, when it is one. */
  sweepId?: string;
}
