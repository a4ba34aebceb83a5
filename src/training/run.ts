/**
 * The whole tutorial as one call: backend, data, model, training with events, evaluation on the
 * validation split (when asked) and the test set after every epoch, early stopping and the best epoch
 * (Keras's EarlyStopping), predictions for the test images, and (optionally) saving. The worker
 * and the CLI both run it; it never throws, every failure becomes an `error` event.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import type { BackendInfo } from '../domain/hyperParameters';
import type { EpochMetrics, Predictions, RunOutcome } from '../domain/metrics';
import type { RunHistoryRecord, RunRecord, SavedModelInfo } from '../domain/runRecord';
import { RUN_HISTORY_FORMAT, RUN_HISTORY_VERSION } from '../domain/runRecord';
import { analyzePredictions } from '../core/analysis/analysis';
import type { EpochInsight, StartRequest } from '../protocol/worker';
import type { TrainingEvent } from '../protocol/events';
import { PROGRESS_INTERVAL_MS } from '../protocol/events';
import type { UserError } from '../domain/errors';
import { PIXELS } from '../domain/classes';
import { selectBackend, tfjsNodeLoader, type Tf } from './backend';
import { describeDataset, loadFashionMnist } from '../core/data/dataset';
import { toUserError } from '../core/errors';
import { buildModel, summarize } from './model';
import { splitCounts, validateHyperParameters } from '../core/hyperParameters';
import { EarlyStopping, monitoredValue } from '../core/analysis/earlyStopping';
import type { Architecture } from '../domain/architecture';
import { checkMemoryBudget } from './memoryBudget';
import type { ImageSplit } from './imageInput';
import { createRng } from './seededRandom';
import { shuffledIndices } from './shuffling';
import type { Trainer } from './trainer';
import { predictAll, trainerPredictions } from './predictAll';
import { createTrainer } from './trainingPath';
import { epochInsight } from './epochInsight';

export interface RunOptions {
  request: StartRequest;
  onEvent: (event: TrainingEvent) => void;
  /** Checked before every batch; when it says true the run ends with a `stopped` event. */
  shouldStop: () => boolean;
  /**
   * Called once after the data loads with the test images the run uses (for the prediction grid).
   * A view on the run's data: copy what you keep, change nothing.
   */
  onTestImages?: (images: Uint8Array, count: number) => void;
  /** Called before the backend and the data load: throws when the model could not be saved where asked. */
  checkSaveTarget?: () => Promise<void>;
  /**
   * Called after each epoch's evaluation (after its `epoch` event) with the test images' predictions by that
   * epoch's weights. Costs one forward pass over the test set per epoch; not computed when absent.
   */
  onEpochInsight?: (insight: EpochInsight) => void;
  /** Called after the last epoch, before `finished`; its result goes into `finished.modelSaved`. */
  saveModel?: (tf: Tf, model: LayersModel, record: RunRecord) => Promise<SavedModelInfo>;
  /**
   * Keeps the run (record and model) in the run history, for a run that finished or was stopped after
   * training began; returns its id. A failure does not fail the run: the terminal event says so.
   */
  keepRun?: (tf: Tf, model: LayersModel, record: Omit<RunHistoryRecord, 'id'>) => Promise<string>;
  /**
   * Awaited after every epoch that has a next one (its `epoch` event and insight already sent): the caller's
   * verdict. A stop it brings (`shouldStop`) ends the run before the next epoch's first batch.
   */
  afterEpoch?: (epoch: number) => Promise<void>;
  /** A network to train instead of `params.architecture` (the bench's fixed networks). */
  architecture?: Architecture;
  /** Called with the run's trainer once it is made (the bench reads how its threads were chosen). */
  onTrainer?: (trainer: Trainer) => void;
  /** The data loader; tests inject a small one. */
  loadData?: typeof loadFashionMnist;
  /** Aborted when the user stops: cancels a data download in progress. */
  signal?: AbortSignal;
}

export interface RunResult {
  /** The trained model (also after a stop); the caller owns it and disposes it. */
  model?: LayersModel;
  history: EpochMetrics[];
  status: 'finished' | 'stopped' | 'error';
}

const SAMPLE_IMAGES = 25;

/** How often, at least, the batches let queued messages in (a stop), between the progress events. */
const STOP_CHECK_MS = 5;

/** Lets queued messages (a stop request from the host) arrive between batches. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The followed images as a split (no labels: only their probabilities are asked for). */
function followSplit(images: Uint8Array | undefined): ImageSplit | undefined {
  const count = images === undefined ? 0 : Math.floor(images.length / PIXELS);
  return images === undefined || count === 0 ? undefined : { images: images.subarray(0, count * PIXELS), labels: new Uint8Array(count), count };
}

function firstImages(split: ImageSplit, limit: number | undefined): ImageSplit {
  if (limit === undefined || limit >= split.count) return split;
  return { images: split.images.subarray(0, limit * PIXELS), labels: split.labels.subarray(0, limit), count: limit };
}

function imagesFrom(split: ImageSplit, start: number, count: number): ImageSplit {
  return { images: split.images.subarray(start * PIXELS, (start + count) * PIXELS), labels: split.labels.subarray(start, start + count), count };
}

/**
 * Keras's validation_split: the last fraction of the images, taken before any shuffling, validates; the
 * rest trains. (Keras takes them from the arrays as passed to fit: here, after `trainLimit`.)
 */
export function splitValidation(split: ImageSplit, validationSplit: number): { train: ImageSplit; validation?: ImageSplit } {
  const counts = splitCounts(split.count, validationSplit);
  if (counts.validation === 0) return { train: split };
  return { train: imagesFrom(split, 0, counts.train), validation: imagesFrom(split, counts.train, counts.validation) };
}

/** Sets the model's weights to copies kept earlier (the best epoch's), in the model's weight order. */
function restoreWeights(tf: Tf, model: LayersModel, weights: Float32Array[]): void {
  const tensors = model.getWeights().map((current, i) => tf.tensor(weights[i], current.shape));
  model.setWeights(tensors);
  for (const tensor of tensors) tensor.dispose();
}

export async function runTutorial(options: RunOptions): Promise<RunResult> {
  const { request, onEvent, shouldStop } = options;
  const params = request.params;
  const history: EpochMetrics[] = [];
  const startedAt = new Date();
  let model: LayersModel | undefined;
  let trainer: Trainer | undefined;
  try {
    validateHyperParameters(params);
    await options.checkSaveTarget?.();
    const { tf, info } = await selectBackend(params.backend, tfjsNodeLoader(request.nativeBackendFolders));
    const backend: BackendInfo = info;
    onEvent({ type: 'backend', backend });
    // Before the data loads: a batch size and width that cannot fit end here, with what does fit.
    checkMemoryBudget(params, backend.name, options.architecture ?? params.architecture);

    const load = options.loadData ?? loadFashionMnist;
    const data = await load({
      dataDir: request.dataDir,
      cacheDir: request.cacheDir,
      allowDownload: request.allowDownload,
      onDownloadProgress: (file: string, receivedBytes: number, totalBytes: number | null) =>
        onEvent({ type: 'downloadProgress', file, receivedBytes, totalBytes }),
      onWarning: (message: string) => onEvent({ type: 'notice', message }),
      signal: options.signal,
    });
    if (shouldStop()) {
      onEvent({ type: 'stopped', history: [] });
      return { history, status: 'stopped' };
    }
    validateHyperParameters(params, data.train.count);
    const { train, validation } = splitValidation(firstImages(data.train, params.trainLimit), params.validationSplit);
    const test = firstImages(data.test, params.testLimit);
    const follow = followSplit(request.followImages);
    // Described as used: counts and pixel range of the images this run trains on.
    onEvent({ type: 'dataLoaded', data: describeDataset({ ...data, train, test }, SAMPLE_IMAGES) });
    // A view, not a copy: the callee copies what it keeps (the worker transfers its copy to the host).
    options.onTestImages?.(test.images.subarray(0, test.count * PIXELS), test.count);

    model = buildModel(tf, options.architecture === undefined ? params : { ...params, architecture: options.architecture });
    const batchesPerEpoch = Math.ceil(train.count / params.batchSize);
    onEvent({
      type: 'started',
      params,
      backend,
      trainCount: train.count,
      validationCount: validation?.count ?? 0,
      testCount: test.count,
      batchesPerEpoch,
      summary: summarize(model),
    });

    trainer = createTrainer(tf, model, { learningRate: params.learningRate, batchSize: params.batchSize, seed: params.seed, threads: request.threads });
    options.onTrainer?.(trainer);
    // The best epoch and early stopping watch the validation images; without a split, the test set.
    const stopping = new EarlyStopping(params.monitor, params.earlyStopping ? params.patience : undefined, params.minDelta);
    const outcome = (end: RunOutcome['end']): RunOutcome => {
      const result: RunOutcome = {
        end,
        epochsRun: history.length,
        monitor: params.monitor,
        monitoredOn: validation !== undefined ? 'validation' : 'test',
        weights: end !== 'stopped' && params.restoreBestWeights && bestWeights !== undefined ? 'best' : 'last',
      };
      if (stopping.bestEpoch !== undefined) result.bestEpoch = stopping.bestEpoch;
      if (end === 'earlyStopped') result.patience = params.patience;
      return result;
    };
    /** Writes the run to the history (when asked); what the terminal event says about it. */
    const keep = async (trained: LayersModel, ended: RunOutcome, predictions?: Predictions): Promise<{ keptRunId?: string; historyError?: UserError }> => {
      if (options.keepRun === undefined) return {};
      const record: Omit<RunHistoryRecord, 'id'> = {
        format: RUN_HISTORY_FORMAT,
        version: RUN_HISTORY_VERSION,
        startedAt: startedAt.toISOString(),
        durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
        params,
        backend: backend.name,
        tfjsVersion: tf.version.tfjs,
        dataChecksum: data.checksum,
        trainCount: train.count,
        validationCount: validation?.count ?? 0,
        testCount: test.count,
        history: history.slice(),
        outcome: ended,
      };
      if (predictions !== undefined) {
        const analysis = analyzePredictions(predictions);
        record.confusion = analysis.confusion;
        record.perClassAccuracy = analysis.perClassAccuracy;
      }
      try {
        return { keptRunId: await options.keepRun(tf, trained, record) };
      } catch (error) {
        return { historyError: toUserError(error) };
      }
    };
    /** The best epoch's weights, kept only when they are to be restored. */
    let bestWeights: Float32Array[] | undefined;
    let end: RunOutcome['end'] = 'completed';
    const rng = createRng(params.seed);
    const totalBatches = batchesPerEpoch * params.epochs;
    const runStarted = performance.now();
    let lastProgress = -Infinity;
    let lastYield = -Infinity;
    let batchesDone = 0;

    for (let epoch = 1; epoch <= params.epochs; epoch++) {
      const order = shuffledIndices(train.count, rng);
      trainer.resetMetrics();
      const epochStarted = performance.now();
      for (let batch = 1; batch <= batchesPerEpoch; batch++) {
        if (shouldStop()) {
          trainer.writeWeightsTo(model);
          const stoppedOutcome = outcome('stopped');
          // A stop before the first epoch ended leaves nothing worth keeping.
          const kept = history.length > 0 ? await keep(model, stoppedOutcome) : {};
          onEvent({ type: 'stopped', history: history.slice(), outcome: stoppedOutcome, ...kept });
          return { model, history, status: 'stopped' };
        }
        const start = (batch - 1) * params.batchSize;
        trainer.trainBatch(train, order, start, Math.min(params.batchSize, train.count - start));
        batchesDone += 1;
        const now = performance.now();
        if (batch === 1 || now - lastProgress >= PROGRESS_INTERVAL_MS) {
          lastProgress = now;
          const running = trainer.readMetrics();
          const elapsed = (now - runStarted) / 1000;
          const epochSeconds = (now - epochStarted) / 1000;
          onEvent({
            type: 'batch',
            progress: {
              epoch,
              epochs: params.epochs,
              batch,
              batchesPerEpoch,
              loss: running.loss,
              accuracy: running.accuracy,
              etaSeconds: (elapsed / batchesDone) * (totalBatches - batchesDone),
              samplesPerSecond: epochSeconds > 0 ? running.samples / epochSeconds : 0,
            },
          });
          await yieldToEventLoop();
          lastYield = now;
        } else if (now - lastYield >= STOP_CHECK_MS) {
          // A stop (the user's, or a sweep pruning this trial after an epoch) arrives as a message: let it in.
          await yieldToEventLoop();
          lastYield = now;
        }
      }
      const trainSeconds = (performance.now() - epochStarted) / 1000;
      const running = trainer.readMetrics();
      const held = validation !== undefined ? trainer.evaluate(validation) : undefined;
      const evaluation = trainer.evaluate(test);
      const metrics: EpochMetrics = {
        epoch,
        loss: running.loss,
        accuracy: running.accuracy,
        testLoss: evaluation.loss,
        testAccuracy: evaluation.accuracy,
        // What the user waits for, test evaluation included (as Keras counts validation in the epoch).
        seconds: 0,
        samplesPerSecond: train.count / trainSeconds,
      };
      if (held !== undefined) {
        metrics.valLoss = held.loss;
        metrics.valAccuracy = held.accuracy;
      }
      const verdict = stopping.onEpochEnd(epoch, monitoredValue(metrics, params.monitor));
      if (verdict.improved && params.restoreBestWeights) bestWeights = trainer.weights().map((w) => w.slice());
      metrics.seconds = (performance.now() - epochStarted) / 1000;
      history.push(metrics);
      onEvent({ type: 'epoch', metrics });
      if (options.onEpochInsight !== undefined) {
        trainer.writeWeightsTo(model);
        const epochTrainer = trainer;
        const trained = model;
        options.onEpochInsight(epochInsight(tf, model, test, epoch, follow, (split) => trainerPredictions(epochTrainer, tf, trained, split)));
      }
      await yieldToEventLoop();
      if (verdict.stop) {
        end = 'earlyStopped';
        break;
      }
      if (epoch < params.epochs) await options.afterEpoch?.(epoch);
    }

    trainer.writeWeightsTo(model);
    if (params.restoreBestWeights && bestWeights !== undefined) restoreWeights(tf, model, bestWeights);
    const finalOutcome = outcome(end);
    // The record's accuracies are those of the weights the model holds.
    const held = finalOutcome.weights === 'best' && finalOutcome.bestEpoch !== undefined ? history[finalOutcome.bestEpoch - 1] : history[history.length - 1];
    // The trainer predicts on its own threads when it holds the model's weights; restored best weights go through the model.
    const restored = params.restoreBestWeights && bestWeights !== undefined;
    const predictions = restored ? predictAll(tf, model, test) : trainerPredictions(trainer, tf, model, test);
    const last = held;
    let modelSaved: SavedModelInfo | undefined;
    let saveError: UserError | undefined;
    if (options.saveModel !== undefined) {
      const record: RunRecord = {
        date: new Date().toISOString(),
        params,
        backend: backend.name,
        trainAccuracy: last.accuracy,
        testAccuracy: last.testAccuracy,
        dataChecksum: data.checksum,
        trainCount: train.count,
        testCount: test.count,
        outcome: finalOutcome,
      };
      try {
        modelSaved = await options.saveModel(tf, model, record);
      } catch (error) {
        // The run itself succeeded: show its results, and say that this model was not kept.
        saveError = toUserError(error);
      }
    }
    const finished: TrainingEvent = { type: 'finished', history: history.slice(), predictions, outcome: finalOutcome, ...(await keep(model, finalOutcome, predictions)) };
    if (modelSaved !== undefined) finished.modelSaved = modelSaved;
    if (saveError !== undefined) finished.saveError = saveError;
    onEvent(finished);
    return { model, history, status: 'finished' };
  } catch (error) {
    model?.dispose();
    if (shouldStop()) {
      // Stopped while the data was loading: the abort surfaces as an error, but the user asked for it.
      onEvent({ type: 'stopped', history: history.slice() });
      return { history, status: 'stopped' };
    }
    onEvent({ type: 'error', error: toUserError(error) });
    return { history, status: 'error' };
  } finally {
    trainer?.dispose();
  }
}
