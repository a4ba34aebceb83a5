/**
 * The dashboard's state as a pure function of what happened: `(state, event) -> state`. The host keeps one
 * `DashboardState` for the window; the panel, the status bar and the tests all read it, and the webview gets
 * it whole on `ready`. Pure (no `vscode`, no tfjs, no clock), so the folding is unit-tested event by event.
 *
 * Rules worth knowing:
 * - a new run (`beginRun`) clears the last run's results; until then they stay, whatever the panel does;
 * - `stopped` keeps the epochs that finished; `error` keeps what the run had produced so far;
 * - the analyses (over-fitting, confusion) are computed here from the data, never by the webview;
 * - classifications and the saved model are not part of a run: a new run leaves them alone.
 */
import { bestEpochOf } from '../core/analysis/earlyStopping';
import { analyzeOverfitting, analyzePredictions } from '../core/analysis/analysis';
import type { ClassificationResult } from '../domain/classification';
import type { DashboardState } from '../protocol/webview';
import type { EpochMetrics } from '../domain/metrics';
import type { HyperParameters } from '../domain/hyperParameters';
import type { SavedModelInfo } from '../domain/runRecord';
import type { TrainingEvent } from '../protocol/events';
import { mergeEpoch } from '../protocol/events';

export function initialDashboardState(params: HyperParameters): DashboardState {
  return { status: 'idle', params, history: [] };
}

/** A run was accepted by the worker: forget the last run's results and wait for its data. */
export function beginRun(state: DashboardState, params: HyperParameters): DashboardState {
  const next: DashboardState = { status: 'loading', params, history: [] };
  if (state.model) next.model = state.model;
  if (state.classifications) next.classifications = state.classifications;
  // A comparison stays open: a re-run with changes trains below the runs it is measured against.
  if (state.comparison) next.comparison = state.comparison;
  return next;
}

export function applyTrainingEvent(state: DashboardState, event: TrainingEvent): DashboardState {
  switch (event.type) {
    case 'backend':
      return { ...state, backend: event.backend };
    case 'downloadProgress':
      return {
        ...state,
        download: { file: event.file, receivedBytes: event.receivedBytes, totalBytes: event.totalBytes },
      };
    case 'dataLoaded': {
      const next: DashboardState = { ...state, data: event.data };
      delete next.download;
      return next;
    }
    case 'started':
      return {
        ...state,
        status: 'training',
        params: event.params,
        backend: event.backend,
        batchesPerEpoch: event.batchesPerEpoch,
        validationCount: event.validationCount,
      };
    case 'batch':
      return { ...state, progress: event.progress };
    case 'notice':
      // Told through the log and a notification; nothing on the dashboard changes.
      return state;
    case 'epoch': {
      const history = mergeEpoch(state.history, event.metrics);
      return { ...state, history, overfitting: analyzeOverfitting(history), ...best(history, state) };
    }
    case 'finished': {
      const history = event.history.length > 0 ? event.history : state.history;
      const next: DashboardState = {
        ...state,
        status: 'finished',
        history,
        overfitting: analyzeOverfitting(history),
        predictions: event.predictions,
        predictionAnalysis: analyzePredictions(event.predictions),
        outcome: event.outcome,
        ...best(history, state),
      };
      if (event.outcome.bestEpoch !== undefined) next.bestEpoch = event.outcome.bestEpoch;
      if (event.modelSaved) next.model = event.modelSaved;
      // The results stand; the banner says the model was not kept and what to do.
      if (event.saveError) next.error = event.saveError;
      delete next.download;
      return next;
    }
    case 'stopped': {
      // The client's own `stopped` (after a forced terminate) may know fewer epochs than we folded in.
      const history = event.history.length >= state.history.length ? event.history : state.history;
      const next: DashboardState = { ...state, status: 'stopped', history, overfitting: analyzeOverfitting(history), ...best(history, state) };
      if (event.outcome !== undefined) next.outcome = event.outcome;
      delete next.download;
      return next;
    }
    case 'error': {
      const next: DashboardState = { ...state, status: 'error', error: event.error };
      delete next.download;
      return next;
    }
  }
}

/** True while a run is loading data or training. */
export function isRunActive(state: DashboardState): boolean {
  return state.status === 'loading' || state.status === 'training';
}

export function withClassifications(state: DashboardState, results: ClassificationResult[]): DashboardState {
  return { ...state, classifications: results };
}

export function withModel(state: DashboardState, model: SavedModelInfo | undefined): DashboardState {
  const next: DashboardState = { ...state };
  if (model) next.model = model;
  else delete next.model;
  return next;
}

/**
 * Between runs, `params` are what the next Train will use (the panel's controls show them, bound to the
 * settings); a run in progress keeps its own, so the controls cannot misreport what is training.
 */
export function withNextParams(state: DashboardState, params: HyperParameters): DashboardState {
  return isRunActive(state) ? state : { ...state, params };
}

/** Fraction of the whole run done, 0..1, from the latest batch progress (for progress bars outside the panel). */
export function runFraction(state: DashboardState): number {
  const p = state.progress;
  if (!p || p.epochs <= 0 || p.batchesPerEpoch <= 0) return 0;
  return Math.min(1, (p.epoch - 1 + p.batch / p.batchesPerEpoch) / p.epochs);
}

/** The best epoch of the history by the run's monitored metric, as a state field (absent before any epoch). */
function best(history: EpochMetrics[], state: DashboardState): { bestEpoch?: number } {
  const epoch = bestEpochOf(history, state.params.monitor, state.params.minDelta);
  return epoch === undefined ? {} : { bestEpoch: epoch };
}
