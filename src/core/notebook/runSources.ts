/**
 * Where an exported run comes from, each turned into a `NotebookRun`:
 * - the dashboard's state (the extension host): settings, every epoch, predictions and the confusion matrix;
 * - a run in the per-user run history (the CLI's `--run ID`, the Runs view): settings, every epoch, how it
 *   ended and the confusion matrix;
 * - a saved model's run record (the CLI's `--model DIR`): settings and final accuracies only.
 */
import { NUM_CLASSES, TEST_IMAGES, TRAIN_IMAGES } from '../../domain/classes';
import type { HyperParameters } from '../../domain/hyperParameters';
import type { EpochMetrics, RunOutcome } from '../../domain/metrics';
import type { RunHistoryRecord, RunRecord } from '../../domain/runRecord';
import type { DashboardState } from '../../protocol/webview';
import type { NotebookEpoch, NotebookRun, NotebookSettings } from './notebookRun';


/** The run's hyper-parameters in the notebook's terms: no split means the test set validates each epoch. */
export function settingsFromParams(params: HyperParameters): NotebookSettings {
  const settings: NotebookSettings = {
    epochs: params.epochs,
    batchSize: params.batchSize,
    learningRate: params.learningRate,
    seed: params.seed,
    architecture: { hiddenLayers: params.architecture.hiddenLayers.map((layer) => ({ ...layer })), l2: params.architecture.l2 },
  };
  if (params.validationSplit > 0) settings.validationSplit = params.validationSplit;
  if (params.earlyStopping || params.restoreBestWeights) {
    settings.earlyStopping = { monitor: params.monitor, minDelta: params.minDelta, restoreBestWeights: params.restoreBestWeights };
    if (params.earlyStopping) settings.earlyStopping.patience = params.patience;
  }
  if (params.trainLimit !== undefined) settings.trainLimit = params.trainLimit;
  if (params.testLimit !== undefined) settings.testLimit = params.testLimit;
  return settings;
}

/** Keras's History: validation metrics are the validation split's when there is one, else the test set's. */
function notebookEpochs(history: readonly EpochMetrics[], split: boolean): NotebookEpoch[] {
  return [...history]
    .sort((a, b) => a.epoch - b.epoch)
    .map((m) => ({
      epoch: m.epoch,
      loss: m.loss,
      accuracy: m.accuracy,
      valLoss: split ? m.valLoss ?? Number.NaN : m.testLoss,
      valAccuracy: split ? m.valAccuracy ?? Number.NaN : m.testAccuracy,
      seconds: m.seconds,
    }));
}

/** The final evaluation on the test set: the epoch whose weights the model holds (the best one when restored). */
function finalEvaluation(history: readonly EpochMetrics[], outcome: RunOutcome | undefined): NotebookRun['final'] {
  const sorted = [...history].sort((a, b) => a.epoch - b.epoch);
  const held = outcome?.weights === 'best' && outcome.bestEpoch !== undefined ? sorted.find((m) => m.epoch === outcome.bestEpoch) : undefined;
  const epoch = held ?? sorted[sorted.length - 1];
  return epoch && { testAccuracy: epoch.testAccuracy, testLoss: epoch.testLoss, trainAccuracy: epoch.accuracy };
}

/** True when the dashboard holds results worth exporting: a run that finished or stopped after an epoch. */
export function hasExportableRun(state: DashboardState): boolean {
  return (state.status === 'finished' || state.status === 'stopped') && state.history.length > 0;
}

/** The dashboard's last run, or undefined when there is none to export yet. */
export function notebookRunFromDashboard(state: DashboardState): NotebookRun | undefined {
  if (!hasExportableRun(state)) return undefined;
  const history = notebookEpochs(state.history, state.params.validationSplit > 0);
  const run: NotebookRun = {
    settings: settingsFromParams(state.params),
    // What fit() is given: the images trained on and, when split, the validation images held out of them.
    trainCount: state.data ? state.data.trainCount + (state.validationCount ?? 0) : state.params.trainLimit ?? TRAIN_IMAGES,
    testCount: state.data?.testCount ?? state.params.testLimit ?? TEST_IMAGES,
    history,
    final: finalEvaluation(state.history, state.outcome),
  };
  const bestEpoch = state.outcome?.bestEpoch ?? state.bestEpoch;
  if (bestEpoch !== undefined) run.bestEpoch = bestEpoch;
  if (state.backend) run.backend = state.backend.name;
  // The saved model's record dates the run when it is this run's model (saved when it finished).
  const record = state.model?.record;
  if (record && state.status === 'finished' && record.testAccuracy === run.final?.testAccuracy) run.date = record.date;
  if (state.predictionAnalysis) run.confusion = state.predictionAnalysis.confusion.map((row) => [...row]);
  const predictions = state.predictions;
  if (predictions && predictions.count > 0) {
    run.firstPrediction = { probabilities: Array.from(predictions.probabilities.subarray(0, NUM_CLASSES)), label: predictions.labels[0] };
  }
  return run;
}

/** A run in the run history: everything but the predictions (the history keeps the confusion matrix, not each image's). */
export function notebookRunFromHistory(record: RunHistoryRecord): NotebookRun {
  const run: NotebookRun = {
    settings: settingsFromParams(record.params),
    date: record.startedAt,
    backend: record.backend,
    trainCount: record.trainCount + record.validationCount,
    testCount: record.testCount,
    history: notebookEpochs(record.history, record.params.validationSplit > 0),
    final: finalEvaluation(record.history, record.outcome),
  };
  if (record.outcome.bestEpoch !== undefined) run.bestEpoch = record.outcome.bestEpoch;
  if (record.confusion) run.confusion = record.confusion.map((row) => [...row]);
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
