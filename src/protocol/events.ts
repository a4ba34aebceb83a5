/** The training run's events, in order: what the worker reports and the host and CLI consume. */
import type { DataInfo } from '../domain/data';
import type { UserError } from '../domain/errors';
import type { BackendInfo, HyperParameters } from '../domain/hyperParameters';
import type { BatchProgress, EpochMetrics, Predictions } from '../domain/metrics';
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
      modelSaved?: SavedModelInfo;
      /** The run finished but its model could not be saved; the previous saved model is untouched. */
      saveError?: UserError;
    }
  | { type: 'stopped'; history: EpochMetrics[] }
  | { type: 'error'; error: UserError };
