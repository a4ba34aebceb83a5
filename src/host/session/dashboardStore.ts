/**
 * The dashboard's store: the state the host owns (the panel can close, reopen or reload mid-run and show the
 * same thing), the shown run's test images and per-epoch predictions, and the routing of every change to the
 * panel as the message it needs: the whole state on a phase change, one incremental message otherwise, batch
 * progress throttled. The rooms of the session change the state through it; the panel listens to it.
 */
import { Disposable, Emitter } from '../../core/emitter';
import type { RunSnapshot } from '../../core/runs/runSnapshot';
import type { HyperParameters } from '../../domain/hyperParameters';
import { isTerminalEvent, type TrainingEvent } from '../../protocol/events';
import type { DashboardCell, DashboardState, HostToWebview } from '../../protocol/webview';
import type { EpochInsight } from '../../protocol/worker';
import type { SweepView } from '../../protocol/sweepView';
import { applyTrainingEvent, beginRun, initialDashboardState, withNextParams } from '../dashboardState';
import { ProgressThrottle } from '../progressThrottle';
import { RunEpochs, type EpochPredictionsMessage, type FirstLayerMessage } from '../runEpochs';
import { TestImageCache } from '../testImageCache';

/** What the panel should do after a change: post the whole state, or one incremental message. */
export type DashboardUpdate = { kind: 'state' } | { kind: 'message'; message: HostToWebview };

export class DashboardStore extends Disposable {
  private state: DashboardState;
  /** The saved model's record and the last run are read the first time someone needs the state, not at activation. */
  private looked = false;
  /** The test images of the run shown, for the prediction grid. */
  readonly testImages = new TestImageCache();
  /** The shown run's predictions after each epoch, for the epoch slider. */
  readonly epochs = new RunEpochs();
  private readonly progress = new ProgressThrottle(() => this.flushProgress());
  private readonly updateEmitter = new Emitter<DashboardUpdate>();
  /** What the dashboard should post. */
  readonly onDidUpdate = this.updateEmitter.event;

  /** `firstLook` runs once, the first time the state is needed (it restores what was kept: see session/trainingSession.ts). */
  constructor(
    params: HyperParameters,
    private readonly firstLook: () => void,
  ) {
    super();
    this.state = initialDashboardState(params);
    this.register(this.updateEmitter, this.progress);
  }

  /** The state as the dashboard shows it now. */
  get current(): DashboardState {
    if (!this.looked) {
      this.looked = true;
      this.firstLook();
    }
    return this.state;
  }

  /** Replaces the state without posting it (the caller posts what changed). */
  replace(state: DashboardState): void {
    this.state = state;
  }

  /** Replaces the state and posts it whole. */
  show(state: DashboardState): void {
    this.state = state;
    this.postState();
  }

  postState(): void {
    this.updateEmitter.fire({ kind: 'state' });
  }

  post(message: HostToWebview): void {
    this.updateEmitter.fire({ kind: 'message', message });
  }

  /** Shows the Sweep view as it is now (undefined: closes it). */
  setSweep(view: SweepView | undefined): void {
    const next = { ...this.current };
    if (view === undefined) delete next.sweep;
    else next.sweep = view;
    this.show(next);
  }

  /** Asks the panel to scroll to a cell. */
  reveal(cell: DashboardCell): void {
    this.post({ type: 'reveal', cell });
  }

  /** What a run snapshot keeps of the run shown: its state, test images, per-epoch predictions and first layer. */
  snapshot(): RunSnapshot {
    // The Sweep view belongs to the window, not to the run: a run kept (or restored after a reload) carries none.
    const state = { ...this.state };
    delete state.sweep;
    const snapshot: RunSnapshot = { state, ...this.epochs.saved };
    if (this.testImages.current) snapshot.testImages = this.testImages.current;
    if (this.testImages.testSet) snapshot.testSet = this.testImages.testSet;
    return snapshot;
  }

  /** Shows a kept run whole (a past run, or the live one again): its state, images, epochs and first layer. */
  display(state: DashboardState, snapshot: Omit<RunSnapshot, 'state'>): void {
    this.state = state;
    this.testImages.set(snapshot.testImages, snapshot.testSet);
    this.epochs.reset(snapshot);
    this.postState();
    this.post(this.epochs.message());
    this.post(this.epochs.firstLayerMessage());
  }

  /** A run was accepted: the last run's results, images and epochs are forgotten (posted by `postRunStart`). */
  beginRun(params: HyperParameters): void {
    this.testImages.set(undefined);
    this.epochs.reset();
    this.state = beginRun(this.current, params);
  }

  /** After `beginRun` and whatever the other rooms added to the state: the panel gets the new run. */
  postRunStart(): void {
    this.postState();
    this.post(this.epochs.message());
  }

  /** Between runs, shows the parameters the next run will use (after a settings change). */
  setNextParams(params: HyperParameters): void {
    const next = withNextParams(this.state, params);
    if (next === this.state) return;
    this.show(next);
  }

  /** Folds a training event into the state and posts what the panel needs of it. */
  applyEvent(event: TrainingEvent): void {
    this.state = applyTrainingEvent(this.current, event);
    switch (event.type) {
      case 'batch':
      case 'downloadProgress':
        this.progress.request();
        break;
      case 'epoch':
        this.post({ type: 'epoch', metrics: event.metrics, overfitting: this.state.overfitting ?? { state: 'notEnoughData', gapPoints: [] }, bestEpoch: this.state.bestEpoch });
        break;
      default:
        if (isTerminalEvent(event)) this.progress.cancel();
        this.postState();
    }
  }

  /** Holds one epoch's predictions (and first layer) and posts them; false when the insight does not fit this run. */
  receiveInsight(insight: EpochInsight): boolean {
    const message = this.epochs.receive(insight);
    if (!message) return false;
    this.post(message);
    if (insight.firstLayer || insight.convFilters) this.post(this.epochs.firstLayerMessage());
    return true;
  }

  /**
   * The pixels of the test images the grid asked for (indices already validated against 0..9,999), or
   * undefined when this run has not sent its images yet. Indices beyond this run's test set are left out.
   */
  imagesFor(indices: number[]): Extract<HostToWebview, { type: 'images' }> | undefined {
    return this.testImages.imagesFor(indices);
  }

  /** Like `imagesFor`, once a kept run's images, being read from the data, have arrived. */
  imagesWhenReady(indices: number[]): Promise<Extract<HostToWebview, { type: 'images' }> | undefined> {
    return this.testImages.imagesWhenReady(indices);
  }

  /** All held epochs' predictions and their analyses, sent whole once per page load (after the state). */
  epochPredictionsMessage(): EpochPredictionsMessage {
    void this.current;
    return this.epochs.message();
  }

  /** The newest epoch's first-layer weights, for a page that has just loaded. */
  firstLayerMessage(): FirstLayerMessage {
    return this.epochs.firstLayerMessage();
  }

  private flushProgress(): void {
    if (this.state.download && this.state.status === 'loading') {
      this.postState();
    } else if (this.state.progress) {
      this.post({ type: 'progress', progress: this.state.progress });
    }
  }
}
