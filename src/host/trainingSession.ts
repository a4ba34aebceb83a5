/**
 * The window's one training session: it owns the worker client, folds the worker's events into the
 * dashboard state (see dashboardState.ts), keeps the test images for the prediction grid, and tells the
 * panel what to post. The state lives here, not in the webview, so the panel can close, reopen or reload
 * mid-run and show the same thing, and training goes on with no panel at all.
 */
import type { RunComparison } from '../domain/runComparison';
import { TrainerError } from '../core/errors';
import { t } from '../core/text/l10n';
import { type ClassificationResult } from '../domain/classification';
import { type DashboardCell, type DashboardState, type FollowedFile, type HostToWebview, type SaliencyTarget } from '../protocol/webview';
import { NUM_CLASSES, PIXELS } from '../domain/classes';
import { type HyperParameters } from '../domain/hyperParameters';
import { type StartRequest } from '../protocol/worker';
import { type TrainingEvent } from '../protocol/events';
import {
  applyTrainingEvent,
  beginRun,
  initialDashboardState,
  isRunActive,
  withClassifications,
  withModel,
  withNextParams,
} from './dashboardState';
import { RunSnapshotStore, type RunSnapshot } from '../core/runs/runSnapshot';
import { RunHistory } from '../core/runs/runHistory';
import { busyError, noModelError } from '../core/errors';
import { findSavedModel, hasSavedModel } from '../core/modelFiles/savedModel';
import { Disposable, Emitter } from '../core/emitter';
import type { TrainingClient } from '../worker/client';
import { isTerminalEvent } from '../protocol/events';
import { ProgressThrottle } from './progressThrottle';
import { TestImageCache } from './testImageCache';
import { RunEpochs, type EpochPredictionsMessage, type FirstLayerMessage } from './runEpochs';
import type { PinStore } from './pinStore';
import { errorMessage } from '../domain/errors';

/** What the session needs of the worker client (a fake in unit tests). */
export type SessionClient = Pick<TrainingClient, 'start' | 'stop' | 'classify' | 'saliency' | 'isRunning' | 'onEvent' | 'onTestImages' | 'onEpochInsight'>;

/** What the panel should do after a change: post the whole state, or one incremental message. */
export type DashboardUpdate = { kind: 'state' } | { kind: 'message'; message: HostToWebview };

export interface SessionOptions {
  folders: SessionFolders;
  /** What the dashboard shows before any run: the parameters the settings ask for. */
  params: HyperParameters;
  /** Where the last run's results are kept across reloads; none = only in memory. */
  lastRun?: RunSnapshotStore;
  /** Where the pinned test images are kept; none = only in memory. */
  pins?: PinStore;
  /** Reports a problem that does not stop anything (e.g. the last run could not be saved). */
  warn?: (message: string) => void;
  /** Where the worker looks for tfjs-node, read when a run or a classification starts (the setting may change). */
  nativeBackendFolders?: () => string[];
}

export interface SessionFolders {
  /** Where downloaded data is cached (global storage/data). */
  cacheDir: string;
  /** Where the latest model is saved and read from (global storage/models/latest). */
  modelDir: string;
}

/** Run-level inputs that come from the settings and the environment. */
export interface RunSettings {
  params: HyperParameters;
  dataDir?: string;
  allowDownload: boolean;
  locale: string;
  /** Keep the run in the run history (its folder, resolved, and how many models to keep). */
  runHistory?: { dir: string; keepModels: number };
}

export class TrainingSession extends Disposable {
  private state: DashboardState;
  private runId: number | undefined;
  private readonly testImages = new TestImageCache();
  /** The run's predictions after each epoch, for the epoch slider. */
  private readonly epochs = new RunEpochs();
  private memoryPins: number[] = [];
  private memoryFollowed: string[] = [];
  /** The files this run follows (in its `followImages` order) and their probabilities after each epoch. */
  private following: { files: string[]; epochs: number[]; probabilities: number[][][] } = { files: [], epochs: [], probabilities: [] };
  private readonly progress = new ProgressThrottle(() => this.flushProgress());
  /** The saved model's record and the last run are read the first time someone needs the state, not at activation. */
  private restored = false;
  /** The last-run store's write or delete in progress, so they happen in order and can be awaited. */
  private storeWork: Promise<void> = Promise.resolve();
  /** The run history the current run is kept in (its dashboard is kept there too when the run ends). */
  private runHistoryDir: string | undefined;
  /** While a past run is shown: the live dashboard to go back to, and the past run's model (for saliency). */
  private pastRun: { live: RunSnapshot; modelDir: string } | undefined;

  private readonly eventEmitter = new Emitter<TrainingEvent>();
  private readonly updateEmitter = new Emitter<DashboardUpdate>();
  private readonly runStartEmitter = new Emitter<number>();

  /** Every training event of the current run, after it was folded into the state. */
  readonly onDidTrainingEvent = this.eventEmitter.event;
  /** What the dashboard should post. */
  readonly onDidUpdate = this.updateEmitter.event;
  /** A run was accepted (its id). */
  readonly onDidStartRun = this.runStartEmitter.event;

  readonly folders: SessionFolders;

  constructor(
    private readonly client: SessionClient,
    private readonly options: SessionOptions,
  ) {
    super();
    this.folders = options.folders;
    this.state = initialDashboardState(options.params);
    this.register(
      this.eventEmitter,
      this.updateEmitter,
      this.runStartEmitter,
      this.progress,
      client.onEvent((runId, event) => this.receive(runId, event)),
      client.onTestImages((runId, images, count) => {
        if (runId === this.runId) this.testImages.set({ images, count });
      }),
      client.onEpochInsight((runId, insight) => {
        const message = runId === this.runId ? this.epochs.receive(insight) : undefined;
        if (message) this.update({ kind: 'message', message });
        if (message && insight.firstLayer) this.update({ kind: 'message', message: this.epochs.firstLayerMessage() });
        if (message && insight.followed) this.receiveFollowed(insight.predictions.epoch, insight.followed);
      }),
    );
  }

  /** The state as the dashboard shows it now. */
  get current(): DashboardState {
    if (!this.restored) this.restore();
    return this.state;
  }

  get isRunning(): boolean {
    return this.client.isRunning;
  }

  /** True when a trained model is saved (only checks that model.json exists). */
  get hasModel(): boolean {
    return hasSavedModel(this.folders.modelDir);
  }

  /**
   * Starts a run. Throws a BUSY `TrainerError` while another run is going (the client refuses it);
   * the last run's results are cleared only once the new run is accepted.
   */
  start(options: RunSettings): number {
    const request: StartRequest = {
      params: options.params,
      cacheDir: this.folders.cacheDir,
      saveDir: this.folders.modelDir,
      locale: options.locale,
      allowDownload: options.allowDownload,
      insight: true,
    };
    if (options.dataDir !== undefined) request.dataDir = options.dataDir;
    if (options.runHistory !== undefined) request.runHistory = options.runHistory;
    // The followed files this session has classified (their 28 × 28 inputs); the others wait for a classification.
    const inputs = new Map((this.current.classifications ?? []).flatMap((r) => (r.ok ? [[r.file, r.input] as const] : [])));
    const followed = this.followedPaths.filter((file) => inputs.has(file));
    if (followed.length > 0) {
      request.followImages = new Uint8Array(followed.length * PIXELS);
      followed.forEach((file, i) => request.followImages!.set((inputs.get(file) as Uint8Array).subarray(0, PIXELS), i * PIXELS));
    }
    const nativeBackendFolders = this.options.nativeBackendFolders?.();
    if (nativeBackendFolders !== undefined) request.nativeBackendFolders = nativeBackendFolders;
    const runId = this.client.start(request);
    this.runId = runId;
    this.following = { files: followed, epochs: [], probabilities: followed.map(() => []) };
    this.runHistoryDir = options.runHistory?.dir;
    this.pastRun = undefined;
    this.testImages.set(undefined);
    this.epochs.reset();
    // The last run's results are replaced by this run's; a reload mid-run must not bring them back.
    this.queueStoreWork((store) => store.clear());
    this.state = beginRun(this.current, options.params);
    this.state = { ...this.state, followedFiles: this.followedFiles() };
    this.update({ kind: 'state' });
    this.update({ kind: 'message', message: this.epochs.message() });
    this.runStartEmitter.fire(runId);
    return runId;
  }

  /** Asks the run to stop; false when nothing is running. The run ends with a `stopped` event. */
  stop(): boolean {
    if (!this.client.isRunning) return false;
    this.client.stop();
    return true;
  }

  /** Shows runs from the history side by side in the dashboard (undefined closes the compare view). */
  setComparison(comparison: RunComparison | undefined): void {
    const next = { ...this.current };
    if (comparison === undefined) delete next.comparison;
    else next.comparison = comparison;
    this.state = next;
    this.update({ kind: 'state' });
    if (comparison !== undefined) this.update({ kind: 'message', message: { type: 'reveal', cell: 'compare' } });
  }

  /**
   * Shows a past run of the run history whole (its dashboard as it ended: every epoch, the grid and the epoch
   * slider, saliency with its model) in place of the latest run, until `showLatestRun` or the next run. False
   * when the history kept no dashboard for it (a run from the terminal, or one whose model was deleted).
   */
  showRun(history: RunHistory, id: string): boolean {
    if (isRunActive(this.current)) throw busyError();
    const snapshot = new RunSnapshotStore(history.snapshotDir(id)).load();
    if (!snapshot) return false;
    const live = this.pastRun?.live ?? { state: this.state, testImages: this.testImages.current, ...this.epochs.saved };
    this.pastRun = { live, modelDir: history.modelDir(id) };
    // What the live run followed is in its state now (live.state.followedFiles); the past run shows its own.
    this.following = { files: [], epochs: [], probabilities: [] };
    const state: DashboardState = { ...withNextParams(snapshot.state, this.state.params), shownRun: { id } };
    delete state.comparison;
    this.display(state, snapshot);
    return true;
  }

  /** Back from a past run to the latest one (the dashboard's "Show the latest run"). */
  showLatestRun(): void {
    const past = this.pastRun;
    if (!past) return;
    this.pastRun = undefined;
    this.display({ ...withNextParams(past.live.state, this.state.params) }, past.live);
  }

  private display(state: DashboardState, snapshot: Omit<RunSnapshot, 'state'>): void {
    this.state = state;
    this.testImages.set(snapshot.testImages);
    this.epochs.reset(snapshot);
    this.update({ kind: 'state' });
    this.update({ kind: 'message', message: this.epochs.message() });
    this.update({ kind: 'message', message: this.epochs.firstLayerMessage() });
  }

  /** Between runs, shows the parameters the next run will use (after a settings change). */
  setNextParams(params: HyperParameters): void {
    if (isRunActive(this.state)) return;
    this.state = withNextParams(this.state, params);
    this.update({ kind: 'state' });
  }

  /** Classifies image files with the saved model, in the worker; results go into the state and the panel. */
  async classify(files: string[], locale: string): Promise<ClassificationResult[]> {
    // The model of the run the dashboard shows: a past run's own while it is shown, else the latest saved one.
    const modelDir = this.pastRun?.modelDir ?? this.folders.modelDir;
    if (this.pastRun && !hasSavedModel(modelDir)) {
      throw new TrainerError(
        'NO_MODEL',
        t('The model of run {0} is no longer kept in the run history.', this.state.shownRun?.id ?? ''),
        modelDir,
        t('Show the latest run to classify with its model, or pin a run in the Runs view to keep its model.'),
      );
    }
    if (!hasSavedModel(modelDir)) throw noModelError();
    const results = await this.client.classify(files, modelDir, locale, this.options.nativeBackendFolders?.());
    this.state = withClassifications(this.current, results);
    this.update({ kind: 'message', message: { type: 'classification', results } });
    this.update({ kind: 'message', message: { type: 'reveal', cell: 'classify' } });
    return results;
  }

  /** Re-reads the saved model's record (after an import). */
  refreshModel(): void {
    this.state = withModel(this.current, findSavedModel(this.folders.modelDir));
    this.update({ kind: 'state' });
  }

  /** Asks the panel to scroll to a cell. */
  reveal(cell: DashboardCell): void {
    this.update({ kind: 'message', message: { type: 'reveal', cell } });
  }

  /**
   * The pixels of the test images the grid asked for (indices already validated against 0..9,999), or
   * undefined when this run has not sent its images yet. Indices beyond this run's test set are left out.
   */
  imagesFor(indices: number[]): Extract<HostToWebview, { type: 'images' }> | undefined {
    return this.testImages.imagesFor(indices);
  }

  /** The pinned test images, oldest first. */
  get pins(): number[] {
    return this.options.pins?.current ?? this.memoryPins;
  }

  /** Pins or unpins a test image; the panel gets the new list. */
  setPin(index: number, pinned: boolean): void {
    const store = this.options.pins;
    if (store) this.savePins(store.set(index, pinned));
    else this.memoryPins = [...this.memoryPins.filter((n) => n !== index), ...(pinned ? [index] : [])];
    this.update({ kind: 'message', message: { type: 'pins', pins: this.pins } });
  }

  /** The classified files followed across the epochs, oldest first. */
  get followedPaths(): string[] {
    return this.options.pins?.files ?? this.memoryFollowed;
  }

  /** Follows a classified file across the epochs of the next runs, or stops; the panel gets the new list. */
  setFilePin(file: string, pinned: boolean): void {
    const store = this.options.pins;
    if (store) this.savePins(store.setFile(file, pinned));
    else this.memoryFollowed = [...this.memoryFollowed.filter((f) => f !== file), ...(pinned ? [file] : [])];
    this.postFollowed();
  }

  /** A pins write that fails costs only the pins' persistence: say so, do not stop anything. */
  private savePins(writing: Promise<void>): void {
    writing.catch((error: unknown) => this.options.warn?.(t('The pinned images could not be saved: {0}', errorMessage(error))));
  }

  /** Every followed file with what the run shown knows of it (this run's epochs, or what a kept run recorded). */
  private followedFiles(): FollowedFile[] {
    const recorded = new Map((this.state.followedFiles ?? []).map((f) => [f.file, f]));
    return this.followedPaths.map((file) => {
      const k = this.following.files.indexOf(file);
      if (k >= 0 && this.following.epochs.length > 0) return { file, epochs: [...this.following.epochs], probabilities: this.following.probabilities[k].map((p) => [...p]) };
      return recorded.get(file) ?? { file, epochs: [], probabilities: [] };
    });
  }

  private receiveFollowed(epoch: number, probabilities: Float32Array): void {
    const { files } = this.following;
    if (probabilities.length < files.length * NUM_CLASSES || this.following.epochs.includes(epoch)) return;
    this.following.epochs.push(epoch);
    files.forEach((_, k) => this.following.probabilities[k].push(Array.from(probabilities.subarray(k * NUM_CLASSES, (k + 1) * NUM_CLASSES))));
    this.postFollowed();
  }

  private postFollowed(): void {
    const files = this.followedFiles();
    this.state = { ...this.state, followedFiles: files };
    this.update({ kind: 'message', message: { type: 'followedFiles', files } });
  }

  /** All held epochs' predictions and their analyses, sent whole once per page load (after the state). */
  epochPredictionsMessage(): EpochPredictionsMessage {
    if (!this.restored) this.restore();
    return this.epochs.message();
  }

  /**
   * The saved model's saliency for a test image (its pixels as the grid shows them) or a classified file (the
   * 28 × 28 input it was classified from), computed in the worker; the panel gets it as a `saliency` message.
   */
  async saliency(target: SaliencyTarget): Promise<void> {
    const input = target.kind === 'test'
      ? this.testImages.imagesFor([target.index])?.pixels
      : this.current.classifications?.flatMap((r) => (r.ok && r.file === target.file ? [r.input] : []))[0];
    let message: HostToWebview;
    const modelDir = this.pastRun?.modelDir ?? this.folders.modelDir;
    if (!input || input.length !== PIXELS || !hasSavedModel(modelDir)) {
      message = { type: 'saliency', target, error: noModelError().toUserError() };
    } else {
      try {
        message = { type: 'saliency', target, saliency: await this.client.saliency(input, modelDir) };
      } catch (error) {
        message = { type: 'saliency', target, error: { code: 'INTERNAL', message: errorMessage(error) } };
      }
    }
    this.update({ kind: 'message', message });
  }

  /** The newest epoch's first-layer weights, for a page that has just loaded. */
  firstLayerMessage(): FirstLayerMessage {
    return this.epochs.firstLayerMessage();
  }

  /** Once: the last run saved before a reload (if no run started since), and the saved model's record. */
  private restore(): void {
    this.restored = true;
    const snapshot = this.runId === undefined ? this.options.lastRun?.load() : undefined;
    if (snapshot) {
      this.state = withNextParams(snapshot.state, this.state.params);
      if (snapshot.testImages) this.testImages.set(snapshot.testImages);
      this.epochs.reset(snapshot);
    }
    this.state = withModel(this.state, findSavedModel(this.folders.modelDir));
    this.state = { ...this.state, followedFiles: this.followedFiles() };
  }

  /** Resolves when the last run has been saved (or forgotten) on disk; for deactivation and tests. */
  whenStored(): Promise<void> {
    return this.storeWork;
  }

  private queueStoreWork(work: (store: RunSnapshotStore) => Promise<void>): void {
    const store = this.options.lastRun;
    if (!store) return;
    this.queueWork(() => work(store), (error) => this.warn(error));
  }

  /** Store writes run one after the other (whenStored awaits them all). */
  private queueWork(work: () => Promise<void>, onError: (error: unknown) => void): void {
    this.storeWork = this.storeWork.then(work).catch(onError);
  }

  private warn(error: unknown): void {
    this.options.warn?.(t('The last run could not be kept for the next session: {0}', errorMessage(error)));
  }

  private warnHistory(error: unknown): void {
    this.options.warn?.(t('The run\'s dashboard could not be kept in the run history (the run itself is): {0}', errorMessage(error)));
  }

  private receive(runId: number, event: TrainingEvent): void {
    if (runId !== this.runId) return; // a run this session no longer follows
    this.state = applyTrainingEvent(this.current, event);
    if (event.type === 'finished' || event.type === 'stopped') {
      const state = this.state;
      const testImages = this.testImages.current;
      const epochs = this.epochs.saved;
      this.queueStoreWork((store) => store.save({ state, testImages, ...epochs }));
      const historyDir = this.runHistoryDir;
      const keptId = event.keptRunId;
      if (historyDir !== undefined && keptId !== undefined) {
        const kept = new RunHistory(historyDir).snapshotDir(keptId);
        this.queueWork(() => new RunSnapshotStore(kept).save({ state, testImages, ...epochs }), (error) => this.warnHistory(error));
      }
    }
    switch (event.type) {
      case 'batch':
      case 'downloadProgress':
        this.progress.request();
        break;
      case 'epoch':
        this.update({
          kind: 'message',
          message: { type: 'epoch', metrics: event.metrics, overfitting: this.state.overfitting ?? { state: 'notEnoughData', gapPoints: [] }, bestEpoch: this.state.bestEpoch },
        });
        break;
      default:
        if (isTerminalEvent(event)) this.progress.cancel();
        this.update({ kind: 'state' });
    }
    this.eventEmitter.fire(event);
  }

  private flushProgress(): void {
    if (this.state.download && this.state.status === 'loading') {
      this.update({ kind: 'state' });
    } else if (this.state.progress) {
      this.update({ kind: 'message', message: { type: 'progress', progress: this.state.progress } });
    }
  }

  private update(update: DashboardUpdate): void {
    this.updateEmitter.fire(update);
  }
}

