/**
 * The host side of the training worker: spawns one long-lived `worker_threads` Worker (lazily), sends it
 * typed commands and turns what it posts back into typed callbacks. It imports neither `vscode` nor tfjs,
 * so the extension host, the CLI and the unit tests all drive training through this one class.
 *
 * Guarantees the callers rely on:
 * - one run at a time: `start` while a run is going throws a BUSY `TrainerError`;
 * - every run ends with exactly one terminal event (`finished`, `stopped` or `error`), even when the
 *   worker crashes (-> `error` with code WORKER_CRASHED) or ignores a stop (-> terminated, `stopped`);
 * - after a crash the next `start` or `classify` spawns a fresh worker.
 */
import { Worker } from 'node:worker_threads';
import { busyError, crashAdvice, TrainerError } from '../core/errors';
import { t } from '../core/text/l10n';
import type { ClassificationResult } from '../domain/classification';
import type { EpochMetrics } from '../domain/metrics';
import type { PictureInsight } from '../domain/convInsight';
import type { EpochInsight, HostToWorker, SaliencyInput, StartRequest, WorkerToHost } from '../protocol/worker';
import type { TrainingEvent } from '../protocol/events';
import type { UserError } from '../domain/errors';
import { isTerminalEvent } from '../protocol/events';

export interface TrainingClientOptions {
  /** The worker bundle, normally `<extension>/dist/worker.js`. */
  workerPath: string;
  /** Environment for the worker thread; defaults to a copy of this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** How long a stop may take before the worker is terminated and `stopped` is reported here. */
  stopTimeoutMs?: number;
}

export interface Subscription {
  dispose(): void;
}

export type TrainingEventListener = (runId: number, event: TrainingEvent) => void;
export type TestImagesListener = (runId: number, images: Uint8Array, count: number) => void;
export type EpochInsightListener = (runId: number, insight: EpochInsight) => void;

interface CurrentRun {
  runId: number;
  /** Epochs seen so far, so a `stopped` reported by this side still carries the history. */
  history: EpochMetrics[];
  stopTimer?: NodeJS.Timeout;
}

interface PendingClassification {
  resolve(results: ClassificationResult[]): void;
  reject(error: TrainerError): void;
}

const DEFAULT_STOP_TIMEOUT_MS = 5000;

export class TrainingClient {
  private worker: Worker | undefined;
  private run: CurrentRun | undefined;
  private nextRunId = 1;
  private nextRequestId = 1;
  private readonly pending = new Map<number, PendingClassification>();
  private readonly pendingSaliency = new Map<number, { resolve(insight: PictureInsight): void; reject(error: TrainerError): void }>();
  private readonly eventListeners = new Set<TrainingEventListener>();
  private readonly imageListeners = new Set<TestImagesListener>();
  private readonly insightListeners = new Set<EpochInsightListener>();
  private disposed = false;

  constructor(private readonly options: TrainingClientOptions) {}

  get isRunning(): boolean {
    return this.run !== undefined;
  }

  onEvent(listener: TrainingEventListener): Subscription {
    this.eventListeners.add(listener);
    return { dispose: () => this.eventListeners.delete(listener) };
  }

  onTestImages(listener: TestImagesListener): Subscription {
    this.imageListeners.add(listener);
    return { dispose: () => this.imageListeners.delete(listener) };
  }

  /** The per-epoch insight of runs started with `insight: true`. */
  onEpochInsight(listener: EpochInsightListener): Subscription {
    this.insightListeners.add(listener);
    return { dispose: () => this.insightListeners.delete(listener) };
  }

  /** Starts a run in the worker and returns its id; throws a BUSY `TrainerError` while another run is going. */
  start(request: StartRequest): number {
    this.assertUsable();
    if (this.run) {
      throw busyError();
    }
    const runId = this.nextRunId++;
    this.run = { runId, history: [] };
    this.send({ type: 'start', runId, request });
    return runId;
  }

  /**
   * Asks the worker to stop the current run (it stops within one batch). If it has not reported
   * `stopped` after the stop timeout, the worker is terminated and `stopped` is reported from here.
   */
  stop(): void {
    const run = this.run;
    if (!run || run.stopTimer) return;
    this.send({ type: 'stop', runId: run.runId });
    run.stopTimer = setTimeout(() => {
      if (this.run !== run) return;
      this.terminateWorker();
      this.finishRun(run.runId, { type: 'stopped', history: run.history });
    }, this.options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
  }

  /**
   * The verdict after `epoch` of a run started with `epochVerdict`: train on. (A stop is `stop()`; after a
   * stop this sends nothing, so the worker ends the run before its next epoch.)
   */
  continueAfterEpoch(epoch: number): void {
    const run = this.run;
    if (!run || run.stopTimer) return;
    this.send({ type: 'continue', runId: run.runId, epoch });
  }

  /** Classifies image files with the model saved in `modelDir`; runs in the worker, never on this thread. */
  classify(files: string[], modelDir: string, locale: string, nativeBackendFolders?: string[]): Promise<ClassificationResult[]> {
    this.assertUsable();
    const requestId = this.nextRequestId++;
    return new Promise<ClassificationResult[]>((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      const message: HostToWorker = { type: 'classify', requestId, files, modelDir, locale };
      if (nativeBackendFolders !== undefined) message.nativeBackendFolders = nativeBackendFolders;
      this.send(message);
    });
  }

  /**
   * The saliency of one prepared input, or of a test image the worker holds from its latest run, under the model
   * in `modelDir` (computed in the worker), with a conv network's feature maps of it. Rejects when the worker
   * does not hold that test image (any more).
   */
  saliency(input: SaliencyInput, modelDir: string): Promise<PictureInsight> {
    this.assertUsable();
    const requestId = this.nextRequestId++;
    return new Promise<PictureInsight>((resolve, reject) => {
      this.pendingSaliency.set(requestId, { resolve, reject });
      this.send({ type: 'saliency', requestId, input: input instanceof Uint8Array ? input.slice() : { ...input }, modelDir });
    });
  }

  /** Terminates the worker. A run in progress ends with `stopped`; pending classifications are rejected. */
  dispose(): void {
    if (this.disposed) return;
    const run = this.run;
    this.terminateWorker();
    if (run) this.finishRun(run.runId, { type: 'stopped', history: run.history });
    this.disposed = true;
    this.eventListeners.clear();
    this.imageListeners.clear();
  }

  private assertUsable(): void {
    if (this.disposed) throw new TrainerError('INTERNAL', t('The training client has been disposed.'));
  }

  private send(message: HostToWorker): void {
    this.ensureWorker().postMessage(message);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.options.workerPath, { env: this.options.env ?? { ...process.env } });
    worker.on('message', (message: WorkerToHost) => this.receive(worker, message));
    worker.on('error', (error) => this.workerFailed(worker, error.message));
    worker.on('exit', (code) => {
      // An exit we did not ask for is a crash whenever there was work in flight, whatever the code.
      if (code !== 0 || this.run || this.pending.size > 0) {
        this.workerFailed(worker, t('the worker exited with code {0}', code));
      } else if (this.worker === worker) {
        this.worker = undefined;
      }
    });
    this.worker = worker;
    return worker;
  }

  private receive(worker: Worker, message: WorkerToHost): void {
    switch (message.type) {
      case 'event':
        if (this.run?.runId !== message.runId) return; // late news from a run this side already ended
        if (message.event.type === 'epoch') this.run.history.push(message.event.metrics);
        if (message.event.type === 'error' && message.event.error.code === 'WORKER_CRASHED') {
          // The worker caught its own crash and is exiting: never hand it another command.
          this.retire(worker, message.event.error);
          return;
        }
        if (isTerminalEvent(message.event)) this.finishRun(message.runId, message.event);
        else this.emit(message.runId, message.event);
        return;
      case 'testImages':
        for (const listener of [...this.imageListeners]) listener(message.runId, message.images, message.count);
        return;
      case 'epochInsight':
        if (this.run?.runId !== message.runId) return;
        for (const listener of [...this.insightListeners]) listener(message.runId, message.insight);
        return;
      case 'classified': {
        const pending = this.pending.get(message.requestId);
        this.pending.delete(message.requestId);
        pending?.resolve(message.results);
        return;
      }
      case 'saliency': {
        const pending = this.pendingSaliency.get(message.requestId);
        this.pendingSaliency.delete(message.requestId);
        if (message.saliency) pending?.resolve(message.featureMaps ? { saliency: message.saliency, featureMaps: message.featureMaps } : { saliency: message.saliency });
        else pending?.reject(new TrainerError(message.error?.code ?? 'INTERNAL', message.error?.message ?? '', message.error?.file, message.error?.action));
        return;
      }
      case 'rejected':
        // The worker refused a start; the run it names ends here with that error.
        if (this.run?.runId === message.runId) this.finishRun(message.runId, { type: 'error', error: message.error });
        return;
    }
  }

  /** A crash ('error' event or an exit nobody asked for). */
  private workerFailed(worker: Worker, detail: string): void {
    this.retire(worker, {
      code: 'WORKER_CRASHED',
      message: t('The training worker stopped unexpectedly ({0}).', detail),
      action: crashAdvice(),
    });
  }

  /** Drops a failed worker: the run ends with `error`, classifications are rejected, the next command spawns anew. */
  private retire(worker: Worker, error: UserError): void {
    if (this.worker !== worker) return; // already replaced or terminated on purpose
    this.worker = undefined;
    worker.removeAllListeners('message');
    void worker.terminate();
    const run = this.run;
    if (run) this.finishRun(run.runId, { type: 'error', error });
    this.rejectPending(new TrainerError(error.code, error.message, undefined, error.action));
  }

  /** Ends the worker on purpose (dispose, or a stop it did not honour); what it still owed is rejected. */
  private terminateWorker(): void {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined; // its 'exit' is then ours, not a crash
    worker.removeAllListeners('message');
    void worker.terminate();
    this.rejectPending(
      new TrainerError(
        'WORKER_CRASHED',
        t('The training worker was shut down before it answered.'),
        undefined,
        t('Try again; a fresh worker is used.'),
      ),
    );
  }

  private finishRun(runId: number, event: TrainingEvent): void {
    if (this.run?.runId === runId) {
      clearTimeout(this.run.stopTimer);
      this.run = undefined;
    }
    this.emit(runId, event);
  }

  private rejectPending(error: TrainerError): void {
    const pending = [...this.pending.values(), ...this.pendingSaliency.values()];
    this.pending.clear();
    this.pendingSaliency.clear();
    for (const p of pending) p.reject(error);
  }

  private emit(runId: number, event: TrainingEvent): void {
    for (const listener of [...this.eventListeners]) listener(runId, event);
  }
}
