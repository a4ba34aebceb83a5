/**
 * What the worker thread does with each command from the host, kept apart from the thread wiring in
 * main.ts: one training run at a time (a second `start` is refused with BUSY), `stop` flips the flag the
 * training loop checks between batches, `classify` loads the saved model (cached per folder and
 * model.json modification time) and classifies the files here, off the host's thread.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { checkSaveTarget } from '../core/modelFiles/saveTarget';
import { selectBackend, tfjsNodeLoader, type Tf } from '../training/backend';
import { classifyFiles } from '../training/classify';
import { busyError, toUserError } from '../core/errors';
import { configureLocale, t } from '../core/text/l10n';
import { loadModel, saveModelOrKeep } from '../training/modelStore';
import { runTutorial } from '../training/run';
import { saliencyOf } from '../training/saliencyOf';
import { featureMaps } from '../training/convInsight';
import { keepRun } from '../training/keepRun';
import { RunHistory } from '../core/runs/runHistory';
import { findL10nDir } from '../core/text/l10nDir';
import type { ClassificationResult } from '../domain/classification';
import { featureMapBuffers, insightBuffers, type HostToWorker, type SaliencyInput, type StartRequest, type WorkerToHost } from '../protocol/worker';
import { TrainerError } from '../core/errors';
import { PIXELS } from '../domain/classes';
import type { TrainingEvent } from '../protocol/events';
import { isTerminalEvent } from '../protocol/events';

/** Posts a message to the host, optionally transferring buffers. */
export type PostToHost = (message: WorkerToHost, transfer?: ArrayBuffer[]) => void;

type LoadedModel = Awaited<ReturnType<typeof loadModel>>['model'];

interface ActiveRun {
  runId: number;
  request: StartRequest;
  stopRequested: boolean;
  /** Aborted on stop, so a download in progress ends at once instead of at the next batch. */
  abort: AbortController;
  /** The epoch whose verdict the run is waiting for (`StartRequest.epochVerdict`), and how to go on. */
  awaiting?: { epoch: number; release(): void };
}

interface CachedModel {
  key: string;
  model: LoadedModel;
}


export class TrainingWorker {
  private active: ActiveRun | undefined;
  private cachedModel: CachedModel | undefined;
  /** The tail of the queue of classify requests (classify never rejects: errors become results). */
  private classifications: Promise<void> = Promise.resolve();
  private readonly l10nDir = findL10nDir();
  /** The latest run's test images and its data's checksum: saliency maps of them need no pixels from the host. */
  private testSet: { images: Uint8Array; count: number; checksum: string } | undefined;

  constructor(private readonly post: PostToHost) {}

  /** The run in progress, for the uncaught-exception handler in main.ts. */
  get activeRunId(): number | undefined {
    return this.active?.runId;
  }

  handle(message: HostToWorker): void {
    switch (message.type) {
      case 'start':
        this.start(message.runId, message.request);
        return;
      case 'stop':
        if (this.active?.runId === message.runId) {
          this.active.stopRequested = true;
          this.active.abort.abort();
          this.active.awaiting?.release();
        }
        return;
      case 'continue':
        if (this.active?.runId === message.runId && this.active.awaiting?.epoch === message.epoch) this.active.awaiting.release();
        return;
      case 'saliency': {
        const { requestId, input, modelDir } = message;
        this.classifications = this.classifications.then(() => this.saliency(requestId, input, modelDir));
        return;
      }
      case 'classify': {
        // One classification at a time: a newer model replacing the cached one must not be disposed
        // while an earlier request is still predicting with it.
        const { requestId, files, modelDir, locale, nativeBackendFolders } = message;
        this.classifications = this.classifications.then(() => this.classify(requestId, files, modelDir, locale, nativeBackendFolders));
        return;
      }
    }
  }

  private setLocale(locale: string): void {
    if (this.l10nDir !== undefined) configureLocale(locale, this.l10nDir);
  }

  private start(runId: number, request: StartRequest): void {
    this.setLocale(request.locale);
    if (this.active) {
      this.post({
        type: 'rejected',
        runId,
        error: busyError().toUserError(),
      });
      return;
    }
    const run: ActiveRun = { runId, request, stopRequested: false, abort: new AbortController() };
    this.active = run;
    triggerTestCrash(runId);
    void this.train(run);
  }

  private async train(run: ActiveRun): Promise<void> {
    const { runId, request } = run;
    // The terminal event is held back until runTutorial has returned and this run is no longer
    // active, so a host that starts again the moment it sees `finished` is never refused as busy.
    let terminal: TrainingEvent | undefined;
    let dataChecksum: string | undefined;
    try {
      // A keep that a crash cut off (kill -9, a power cut) is removed now, when provably the history's own and stale.
      if (request.runHistory !== undefined) void new RunHistory(request.runHistory.dir).removeInterrupted().catch(() => undefined);
      const result = await runTutorial({
        request,
        shouldStop: () => run.stopRequested,
        signal: run.abort.signal,
        onEvent: (event) => {
          if (event.type === 'dataLoaded') dataChecksum = event.data.checksum;
          if (isTerminalEvent(event)) terminal = event;
          else this.post({ type: 'event', runId, event });
        },
        onTestImages: (images: Uint8Array, count: number) => {
          // A copy: the run keeps using its own buffer, and the copy can be transferred without cloning.
          const copy = images.slice();
          this.testSet = dataChecksum === undefined ? undefined : { images, count, checksum: dataChecksum };
          this.post({ type: 'testImages', runId, images: copy, count }, [copy.buffer as ArrayBuffer]);
        },
        // Checked before the data loads, so a folder that cannot take the model costs seconds, not a run.
        checkSaveTarget: request.saveDir === undefined ? undefined : async () => void (await checkSaveTarget(request.saveDir as string)),
        afterEpoch: request.epochVerdict === undefined ? undefined : (epoch) => awaitVerdict(run, epoch, request.epochVerdict!.timeoutMs),
        // Fresh arrays per epoch, so they are transferred, not cloned.
        onEpochInsight: request.insight
          ? (insight) => this.post({ type: 'epochInsight', runId, insight }, insightBuffers(insight))
          : undefined,
        keepRun:
          request.runHistory === undefined
            ? undefined
            : (tf, model, record) => {
                const { dir, keepModels, sweepId } = request.runHistory!;
                return keepRun(tf, new RunHistory(dir, keepModels), model, sweepId === undefined ? record : { ...record, sweepId });
              },
        saveModel:
          request.saveDir === undefined
            ? undefined
            : (tf, model, record) => saveModelOrKeep(tf, model, record, request.saveDir as string, rescueFolder(request.cacheDir)),
      });
      // The trained model is ours; what the host needs of it (predictions, the saved copy) is already out.
      result.model?.dispose();
    } catch (error) {
      // runTutorial reports its own failures as events; this is the safety net for anything else.
      terminal = { type: 'error', error: toUserError(error) };
    } finally {
      if (this.active === run) this.active = undefined;
    }
    this.post({
      type: 'event',
      runId,
      event: terminal ?? {
        type: 'error',
        error: { code: 'INTERNAL', message: t('The training run ended without reporting a result.') },
      },
    });
  }

  private async classify(
    requestId: number,
    files: string[],
    modelDir: string,
    locale: string,
    nativeBackendFolders: string[] | undefined,
  ): Promise<void> {
    if (!this.active) this.setLocale(locale);
    let results: ClassificationResult[];
    try {
      // During a run, classify on the run's backend: switching backends under a running fit would break it.
      const run = this.active?.request;
      const { tf } = await selectBackend(run?.params.backend ?? 'auto', tfjsNodeLoader(run?.nativeBackendFolders ?? nativeBackendFolders));
      const model = await this.loadCachedModel(tf, modelDir);
      results = await classifyFiles(tf, model, files);
    } catch (error) {
      const userError = toUserError(error);
      results = files.map((file) => ({ ok: false, file, error: userError }));
    }
    this.post({ type: 'classified', requestId, results });
  }

  private async saliency(requestId: number, input: SaliencyInput, modelDir: string): Promise<void> {
    try {
      const pixels = this.saliencyPixels(input);
      const { tf } = await selectBackend(this.active?.request.params.backend ?? 'auto');
      const model = await this.loadCachedModel(tf, modelDir);
      const saliency = saliencyOf(tf, model, pixels);
      const maps = featureMaps(tf, model, pixels);
      const message: WorkerToHost = { type: 'saliency', requestId, saliency };
      if (maps.blocks.length > 0) message.featureMaps = maps;
      this.post(message, [saliency.values.buffer as ArrayBuffer, ...featureMapBuffers(message.featureMaps)]);
    } catch (error) {
      this.post({ type: 'saliency', requestId, error: toUserError(error) });
    }
  }

  /** The input's pixels: as sent, or a test image of the latest run (the host sends the pixels when this fails). */
  private saliencyPixels(input: SaliencyInput): Uint8Array {
    if (input instanceof Uint8Array) return input;
    const held = this.testSet;
    if (!held || held.checksum !== input.dataChecksum || !Number.isInteger(input.testIndex) || input.testIndex < 0 || input.testIndex >= held.count) {
      throw new TrainerError('INTERNAL', t('The worker no longer holds test image {0}.', input.testIndex));
    }
    return held.images.subarray(input.testIndex * PIXELS, (input.testIndex + 1) * PIXELS);
  }

  /** The model in `modelDir`, loaded once per folder, backend and model.json modification time. */
  private async loadCachedModel(tf: Tf, modelDir: string): Promise<LoadedModel> {
    // The key is taken before loading: a model replaced during the load then reloads next time.
    const key = modelKey(tf, modelDir);
    if (key !== undefined && this.cachedModel?.key === key) return this.cachedModel.model;
    // loadModel says NO_MODEL (with what to do) when there is none, and recovers an interrupted save.
    const { model } = await loadModel(tf, modelDir);
    this.cachedModel?.model.dispose();
    this.cachedModel = { key: key ?? modelKey(tf, modelDir) ?? '', model };
    return model;
  }
}

/** Resolves when the host's verdict on `epoch` arrives (continue or stop) or after `timeoutMs` without one. */
function awaitVerdict(run: ActiveRun, epoch: number, timeoutMs: number): Promise<void> {
  if (run.stopRequested) return Promise.resolve();
  return new Promise((resolve) => {
    const release = () => {
      clearTimeout(timer);
      if (run.awaiting?.release === release) delete run.awaiting;
      resolve();
    };
    const timer = setTimeout(release, timeoutMs);
    run.awaiting = { epoch, release };
  });
}

/** Where a trained model goes when its own folder fails at the end of a run: a new folder in the cache. */
function rescueFolder(cacheDir: string): string {
  return join(cacheDir, 'unsaved-models', `model-${new Date().toISOString().replace(/[:.]/g, '-')}`);
}

/** What identifies a saved model's version: backend, folder, model.json's modification time; undefined if absent. */
function modelKey(tf: Tf, modelDir: string): string | undefined {
  try {
    return `${tf.getBackend()}|${modelDir}|${statSync(join(modelDir, 'model.json')).mtimeMs}`;
  } catch {
    return undefined;
  }
}

/**
 * Test-only: FASHION_MNIST_TEST_CRASH="exit:<runId>" or "throw:<runId>" makes the worker die when that run
 * starts, so the tests can prove a crash becomes an error event and the client recovers. Nothing in the
 * extension or the CLI sets this variable.
 */
function triggerTestCrash(runId: number): void {
  const hook = process.env.FASHION_MNIST_TEST_CRASH;
  if (!hook) return;
  const [mode, id] = hook.split(':');
  if (Number(id) !== runId) return;
  if (mode === 'exit') process.exit(70);
  if (mode === 'throw') {
    setTimeout(() => {
      throw new Error('test crash requested by FASHION_MNIST_TEST_CRASH');
    }, 0);
  }
}
