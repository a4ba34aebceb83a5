/** The training run's events, in order: what the worker reports and the host and CLI consume. */
import type { DataInfo } from '../domain/data';
import type { UserError } from '../domain/errors';
import type { BackendInfo, HyperParameters } from '../domain/hyperParameters';
import type { BatchProgress, EpochMetrics, Predictions, RunOutcome } from '../domain/metrics';
import type { ModelSummary } from '../domain/modelSummary';
import type { SavedModelInfo } from '../domain/runRecord';

/** What the training core emits, in order: backend, data, started, (batch* epoch)*, finished | stopped | error. */
export type TrainingEvent =
  | { type: 'backend'; backend: BackendInfo }
  | { type: 'downloadProgress'; file: string; receivedBytes: number; totalBytes: number | null }
  | { type: 'dataLoaded'; data: DataInfo }
  | {
      type: 'started';
      params: HyperParameters;
      backend: BackendInfo;
      trainCount: number;
      /** Images held out from the training images by the validation split (0 without one). */
      validationCount: number;
      testCount: number;
      batchesPerEpoch: number;
      summary: ModelSummary;
    }
  | { type: 'batch'; progress: BatchProgress }
  | { type: 'epoch'; metrics: EpochMetrics }
  /** Not fatal, worth telling the user (e.g. a damaged cached file was deleted and fetched again). Localized. */
  | { type: 'notice'; message: string }
  | {
      type: 'finished';
      history: EpochMetrics[];
      predictions: Predictions;
      outcome: RunOutcome;
      modelSaved?: SavedModelInfo;
      /** The run finished but its model could not be saved; the previous saved model is untouched. */
      saveError?: UserError;
      /** The run's id in the run history, when it was kept there. */
      keptRunId?: string;
      /** The run could not be written to the run history (the run itself stands). */
      historyError?: UserError;
    }
  | { type: 'stopped'; history: EpochMetrics[]; outcome?: RunOutcome; keptRunId?: string; historyError?: UserError }
  | { type: 'error'; error: UserError };

/**
 * Batch progress is reported (worker -> host) and forwarded (host -> webview) at most this often; the first batch
 * of every epoch is reported regardless, so each epoch shows up even when it takes less than the interval.
 */
export const PROGRESS_INTERVAL_MS = 100;

/** The events that end a run. */
export type TerminalEvent = Extract<TrainingEvent, { type: 'finished' | 'stopped' | 'error' }>;

/** True when the event ends a run (finished, stopped or error). */
export function isTerminalEvent(event: TrainingEvent): event is TerminalEvent {
  return event.type === 'finished' || event.type === 'stopped' || event.type === 'error';
}

/** The epoch list with `metrics` in its place, in epoch order (an epoch reported twice replaces the first report). */
export function mergeEpoch(history: readonly EpochMetrics[], metrics: EpochMetrics): EpochMetrics[] {
  return [...history.filter((m) => m.epoch !== metrics.epoch), metrics].sort((a, b) => a.epoch - b.epoch);
}
