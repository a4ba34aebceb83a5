/**
 * The runs kept on disk and shown again: the last run (kept across reloads until the next run starts), each
 * finished run's dashboard in the run history, a past run opened whole from the Runs view (and the way back
 * to the latest run), and runs compared side by side. Writes go one after the other and can be awaited.
 */
import { busyError } from '../../core/errors';
import { DEFAULT_DEBIAN_DIR } from '../../core/data/dataLocation';
import { readTestImages } from '../../core/data/publishedTestImages';
import { RunHistory } from '../../core/runs/runHistory';
import { RunSnapshotStore, type RunSnapshot } from '../../core/runs/runSnapshot';
import { t } from '../../core/text/l10n';
import { errorMessage } from '../../domain/errors';
import type { RunComparison } from '../../domain/runComparison';
import type { DashboardState } from '../../protocol/webview';
import { isRunActive, withNextParams } from '../dashboardState';
import type { DashboardStore } from './dashboardStore';
import type { PinsAndFollowed } from './pinsAndFollowed';

export interface RunArchiveOptions {
  /** Where the last run's results are kept across reloads; none = only in memory. */
  lastRun?: RunSnapshotStore;
  /** Where the latest model is saved (the model of the run shown, unless a past run is). */
  modelDir: string;
  /** The data cache (global storage/data): one of the places a kept run's test images are read again from. */
  cacheDir: string;
  warn: (message: string) => void;
}

export class RunArchive {
  /** The writes and deletes in progress, in order (whenStored awaits them all). */
  private storeWork: Promise<void> = Promise.resolve();
  /** While a past run is shown: the live dashboard to go back to, and the past run's model (for classify and saliency). */
  private pastRun: { live: RunSnapshot; modelDir: string } | undefined;

  constructor(
    private readonly store: DashboardStore,
    private readonly pins: PinsAndFollowed,
    private readonly options: RunArchiveOptions,
  ) {}

  /** The model of the run the dashboard shows: a past run's own while it is shown, else the latest saved one. */
  get shownModelDir(): string {
    return this.pastRun?.modelDir ?? this.options.modelDir;
  }

  /** True while a past run of the run history is shown in place of the latest one. */
  get showsPastRun(): boolean {
    return this.pastRun !== undefined;
  }

  /** Once, before any run started: the last run kept before a reload, shown again. */
  restoreLastRun(): void {
    const snapshot = this.options.lastRun?.load();
    if (!snapshot) return;
    this.store.replace(withNextParams(snapshot.state, this.store.current.params));
    this.store.testImages.set(snapshot.testImages, snapshot.testSet);
    this.readTestImages(snapshot);
    this.store.epochs.reset(snapshot);
  }

  /**
   * A kept run names its test images (its data's checksum and their count) rather than holding a copy: they
   * are read again from the data cache, the folder the run read its data from, or Debian's package.
   */
  private readTestImages(snapshot: RunSnapshot): void {
    if (snapshot.testImages || !snapshot.testSet) return;
    const dirs = [this.options.cacheDir, snapshot.state.data?.directory, DEFAULT_DEBIAN_DIR].filter((dir): dir is string => dir !== undefined);
    this.store.testImages.load(snapshot.testSet, readTestImages(snapshot.testSet, dirs));
  }

  /** A run was accepted: the latest run is shown again, and the last one kept is forgotten (a reload must not bring it back). */
  beginRun(): void {
    this.pastRun = undefined;
    this.queueLastRun((lastRun) => lastRun.clear());
  }

  /** A run ended: it is kept as the last run, and its dashboard beside its record in the run history (when it was kept there). */
  keep(snapshot: RunSnapshot, historyDir: string | undefined, keptRunId: string | undefined): void {
    this.queueLastRun((lastRun) => lastRun.save(snapshot));
    if (historyDir === undefined || keptRunId === undefined) return;
    const kept = new RunHistory(historyDir).snapshotDir(keptRunId);
    this.queue(
      () => new RunSnapshotStore(kept).save(snapshot),
      (error) => this.options.warn(t('The run\'s dashboard could not be kept in the run history (the run itself is): {0}', errorMessage(error))),
    );
  }

  /**
   * Shows a past run of the run history whole (its dashboard as it ended: every epoch, the grid and the epoch
   * slider, saliency with its model) in place of the latest run, until `showLatestRun` or the next run. False
   * when the history kept no dashboard for it (a run from the terminal, or one whose model was deleted).
   */
  showRun(history: RunHistory, id: string): boolean {
    if (isRunActive(this.store.current)) throw busyError();
    const snapshot = new RunSnapshotStore(history.snapshotDir(id)).load();
    if (!snapshot) return false;
    const live = this.pastRun?.live ?? this.store.snapshot();
    this.pastRun = { live, modelDir: history.modelDir(id) };
    this.pins.forgetRun();
    const params = this.store.current.params;
    const state: DashboardState = { ...withNextParams(snapshot.state, params), shownRun: { id } };
    delete state.comparison;
    this.store.display(state, snapshot);
    this.readTestImages(snapshot);
    return true;
  }

  /** Back from a past run to the latest one (the dashboard's "Show the latest run"). */
  showLatestRun(): void {
    const past = this.pastRun;
    if (!past) return;
    this.pastRun = undefined;
    this.store.display({ ...withNextParams(past.live.state, this.store.current.params) }, past.live);
    this.readTestImages(past.live);
  }

  /** Shows runs from the history side by side in the dashboard (undefined closes the compare view). */
  setComparison(comparison: RunComparison | undefined): void {
    const next = { ...this.store.current };
    if (comparison === undefined) delete next.comparison;
    else next.comparison = comparison;
    this.store.show(next);
    if (comparison !== undefined) this.store.reveal('compare');
  }

  /** Resolves when the last run has been saved (or forgotten) on disk; for deactivation and tests. */
  whenStored(): Promise<void> {
    return this.storeWork;
  }

  private queueLastRun(work: (lastRun: RunSnapshotStore) => Promise<void>): void {
    const lastRun = this.options.lastRun;
    if (!lastRun) return;
    this.queue(
      () => work(lastRun),
      (error) => this.options.warn(t('The last run could not be kept for the next session: {0}', errorMessage(error))),
    );
  }

  private queue(work: () => Promise<void>, onError: (error: unknown) => void): void {
    this.storeWork = this.storeWork.then(work).catch(onError);
  }
}
