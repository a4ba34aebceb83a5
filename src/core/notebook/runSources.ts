/**
 * Where an exported run comes from, each turned into a `NotebookRun`:
 * - the dashboard's state (the extension host): settings, every epoch, predictions and the confusion matrix;
 * - a saved model's run record (the CLI's `--model DIR`): settings and final accuracies only.
 * The per-user run history (src/core/runs, issue #16) will add a third adapter here, from one history
 * record (settings with architecture, validation split and early stopping, per-epoch metrics, confusion
 * matrix, best epoch) to `NotebookRun`; the CLI's `--run ID` and the dashboard then export through it.
 */
import { NUM_CLASSES } from '../../domain/classes';
import type { HyperParameters } from '../../domain/hyperParameters';
import type { RunRecord } from '../../domain/runRecord';
import type { DashboardState } from '../../protocol/webview';
import type { NotebookRun, NotebookSettings } from './notebookRun';

const FULL_TRAIN = 60_000;
const FULL_TEST = 10_000;

/** Today's runs: the tutorial's network with the chosen hidden width, the test set as validation, no early stopping. */
export function settingsFromParams(params: HyperParameters): NotebookSettings {
  const settings: NotebookSettings = {
    epochs: params.epochs,
    batchSize: params.batchSize,
    learningRate: params.learningRate,
    seed: params.seed,
    architecture: { hiddenLayers: [{ units: params.hiddenUnits, dropout: 0 }], l2: 0 },
  };
  if (params.trainLimit !== undefined) settings.trainLimit = params.trainLimit;
  if (params.testLimit !== undefined) settings.testLimit = params.testLimit;
  return settings;
}

/** True when the dashboard holds results worth exporting: a run that finished or stopped after an epoch. */
export function hasExportableRun(state: DashboardState): boolean {
  return (state.status === 'finished' || state.status === 'stopped') && state.history.length > 0;
}

/** The dashboard's last run, or undefined when there is none to export yet. */
export function notebookRunFromDashboard(state: DashboardState): NotebookRun | undefined {
  if (!hasExportableRun(state)) return undefined;
  const history = [...state.history]
    .sort((a, b) => a.epoch - b.epoch)
    .map((m) => ({ epoch: m.epoch, loss: m.loss, accuracy: m.accuracy, valLoss: m.testLoss, valAccuracy: m.testAccuracy, seconds: m.seconds }));
  const last = history[history.length - 1];
  const run: NotebookRun = {
    settings: settingsFromParams(state.params),
    trainCount: state.data?.trainCount ?? state.params.trainLimit ?? FULL_TRAIN,
    testCount: state.data?.testCount ?? state.params.testLimit ?? FULL_TEST,
    history,
    // The test set validated every epoch, so the last epoch's test metrics are the final evaluation.
    final: { testAccuracy: last.valAccuracy, testLoss: last.valLoss, trainAccuracy: last.accuracy },
  };
  if (state.backend) run.backend = state.backend.name;
  // The saved model's record dates the run when it is this run's model (saved when it finished).
  const record = state.model?.record;
  if (record && state.status === 'finished' && record.testAccuracy === last.valAccuracy) run.date = record.date;
  if (state.predictionAnalysis) run.confusion = state.predictionAnalysis.confusion.map((row) => [...row]);
  const predictions = state.predictions;
  if (predictions && predictions.count > 0) {
    run.firstPrediction = { probabilities: Array.from(predictions.probabilities.subarray(0, NUM_CLASSES)), label: predictions.labels[0] };
  }
  return run;
}

/** A saved model's run record: the settings and final accuracies (it keeps no per-epoch metrics). */
export function notebookRunFromRecord(record: RunRecord): NotebookRun {
  return {
    settings: settingsFromParams(record.params),
    date: record.date,
    backend: record.backend,
    trainCount: record.trainCount,
    testCount: record.testCount,
    history: [],
    final: { testAccuracy: record.testAccuracy, trainAccuracy: record.trainAccuracy },
  };
}
