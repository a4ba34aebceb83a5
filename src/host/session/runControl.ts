/**
 * Run control: starts a run in the worker with the settings, the storage folders and the followed files,
 * stops it, and passes the worker's events, test images and per-epoch insight of the run it follows to the
 * dashboard store, the followed files and the run archive.
 */
import { Disposable, Emitter } from '../../core/emitter';
import type { HyperParameters } from '../../domain/hyperParameters';
import type { TrainingEvent } from '../../protocol/events';
import type { StartRequest } from '../../protocol/worker';
import type { TrainingClient } from '../../worker/client';
import type { DashboardStore } from './dashboardStore';
import type { PinsAndFollowed } from './pinsAndFollowed';
import type { RunArchive } from './runArchive';

/** What the session needs of the worker client (a fake in unit tests). */
export type SessionClient = Pick<TrainingClient, 'start' | 'stop' | 'classify' | 'saliency' | 'isRunning' | 'onEvent' | 'onTestImages' | 'onEpochInsight'>;

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

export class RunControl extends Disposable {
  private runId: number | undefined;
  /** The run history the current run is kept in (its dashboard is kept there too when the run ends). */
  private runHistoryDir: string | undefined;
  private readonly eventEmitter = new Emitter<TrainingEvent>();
  private readonly runStartEmitter = new Emitter<number>();
  /** Every training event of the current run, after it was folded into the state. */
  readonly onDidTrainingEvent = this.eventEmitter.event;
  /** A run was accepted (its id). */
  readonly onDidStartRun = this.runStartEmitter.event;

  constructor(
    private readonly client: SessionClient,
    private readonly store: DashboardStore,
    private readonly pins: PinsAndFollowed,
    private readonly archive: RunArchive,
    private readonly options: { folders: SessionFolders; nativeBackendFolders?: () => string[] },
  ) {
    super();
    this.register(
      this.eventEmitter,
      this.runStartEmitter,
      client.onEvent((runId, event) => this.receive(runId, event)),
      client.onTestImages((runId, images, count) => {
        if (runId !== this.runId) return;
        // Named by the data's checksum, a kept run reads them again from the data instead of keeping a copy.
        const checksum = store.current.data?.checksum;
        store.testImages.set({ images, count }, checksum === undefined ? undefined : { checksum, count }, true);
      }),
      client.onEpochInsight((runId, insight) => {
        if (runId !== this.runId || !store.receiveInsight(insight)) return;
        if (insight.followed) pins.receive(insight.predictions.epoch, insight.followed);
      }),
    );
  }

  /** True once a run has been started in this session (the last run kept before a reload is then not restored). */
  get hasStarted(): boolean {
    return this.runId !== undefined;
  }

  get isRunning(): boolean {
    return this.client.isRunning;
  }

  /**
   * Starts a run. Throws a BUSY `TrainerError` while another run is going (the client refuses it);
   * the last run's results are cleared only once the new run is accepted.
   */
  start(options: RunSettings): number {
    const { folders } = this.options;
    const request: StartRequest = {
      params: options.params,
      cacheDir: folders.cacheDir,
      saveDir: folders.modelDir,
      locale: options.locale,
      allowDownload: options.allowDownload,
      insight: true,
    };
    if (options.dataDir !== undefined) request.dataDir = options.dataDir;
    if (options.runHistory !== undefined) request.runHistory = options.runHistory;
    const followed = this.pins.inputsForRun(this.store.current.classifications);
    if (followed.pixels) request.followImages = followed.pixels;
    const nativeBackendFolders = this.options.nativeBackendFolders?.();
    if (nativeBackendFolders !== undefined) request.nativeBackendFolders = nativeBackendFolders;
    const runId = this.client.start(request);
    this.runId = runId;
    this.runHistoryDir = options.runHistory?.dir;
    this.pins.beginRun(followed.files);
    this.archive.beginRun();
    this.store.beginRun(options.params);
    this.pins.recordInState();
    this.store.postRunStart();
    this.runStartEmitter.fire(runId);
    return runId;
  }

  /** Asks the run to stop; false when nothing is running. The run ends with a `stopped` event. */
  stop(): boolean {
    if (!this.client.isRunning) return false;
    this.client.stop();
    return true;
  }

  private receive(runId: number, event: TrainingEvent): void {
    if (runId !== this.runId) return; // a run this session no longer follows
    this.store.applyEvent(event);
    if (event.type === 'finished' || event.type === 'stopped') this.archive.keep(this.store.snapshot(), this.runHistoryDir, event.keptRunId);
    this.eventEmitter.fire(event);
  }
}
