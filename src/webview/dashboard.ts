/**
 * The dashboard: receives host messages and keeps the page in step with the host's state. A whole `state`
 * (sent on `ready` and on phase changes) rebuilds the cells; `progress`, `epoch`, `images` and
 * `classification` touch only the widgets they concern, so a stream of progress messages stays cheap.
 */
import * as l10n from '@vscode/l10n';
import type { BatchProgress } from '../domain/metrics';
import type { DashboardCell, DashboardState, HostToWebview, WebviewToHost } from '../protocol/webview';
import { classifyCell } from './cells/classifyCell';
import { confusionCell } from './cells/confusionCell';
import { dataCell } from './cells/dataCell';
import { evaluateCell } from './cells/evaluateCell';
import { modelCell } from './cells/modelCell';
import { PredictCell } from './cells/predictCell';
import { preprocessCell } from './cells/preprocessCell';
import { TrainCell } from './cells/trainCell';
import { CompareCell } from './cells/compareCell';
import { newSweepUi, sweepCell } from './cells/sweepCell';
import { h, replaceChildren } from './dom';
import { ImageStore } from './imageStore';
import { EpochStore } from './epochStore';
import { EpochSelection } from './epochSelection';
import { FirstLayerView } from './firstLayerView';
import { saliencyView } from './saliencyView';
import { featureMapsView } from './featureMapsView';
import type { GridFilter } from './predictionFilter';
import { statusBanner } from './statusBanner';
import { configureL10n, Strings } from './strings';
import { watchTheme } from './theme';
import type { UiState, ViewContext } from './viewContext';
import { mergeEpoch } from '../protocol/events';

export interface UiPersistence {
  load(): UiState;
  save(ui: UiState): void;
}

export class Dashboard {
  private ctx?: ViewContext;
  private trainCell?: TrainCell;
  private compareCell?: CompareCell;
  private predictCell?: PredictCell;
  private evaluateSection?: HTMLElement;
  private confusionSection?: HTMLElement;
  private showInGrid?: (filter: GridFilter) => void;
  private classifySection?: HTMLElement;
  private cellsContainer?: HTMLElement;
  private banner?: HTMLElement;
  private readonly images: ImageStore;
  private readonly epochs = new EpochStore();
  private readonly epochSelection: EpochSelection;
  private pins: number[] = [];
  private readonly firstLayer = new FirstLayerView();
  /** The host's saliency answers for classified files, by path (asked for once per file and page). */
  private readonly fileSaliencies = new Map<string, Extract<HostToWebview, { type: 'saliency' }>>();
  private readonly ui: UiState;
  /** The Sweep view's sort, filter, selection and typed alternatives, kept across the host's state messages. */
  private readonly sweepUi = newSweepUi();
  private pendingProgress?: BatchProgress;
  private firstRender = true;
  /** Set by a `reveal`: the host asked for a cell, so the saved scroll position must not win afterwards. */
  private revealed = false;
  /** Numbers and durations in the host's locale (set by the `l10n` message; English until then). */
  private strings = new Strings('en');

  constructor(
    private readonly root: HTMLElement,
    private readonly post: (message: WebviewToHost) => void,
    private readonly persistence: UiPersistence,
  ) {
    this.images = new ImageStore(post);
    this.ui = persistence.load();
    this.epochSelection = new EpochSelection(this.epochs, () => this.ui.epoch, (epoch) => {
      this.ui.epoch = epoch;
      this.persistence.save(this.ui);
    });
    // What is drawn on canvas takes the theme's colours when drawn: a theme switch draws it again.
    watchTheme(() => {
      this.trainCell?.applyTheme();
      this.compareCell?.applyTheme();
      this.firstLayer.applyTheme();
      this.predictCell?.applyTheme();
      this.showAllFileSaliencies();
    });
    let scrollTimer: ReturnType<typeof setTimeout> | undefined;
    window.addEventListener('scroll', () => {
      if (scrollTimer !== undefined) return;
      scrollTimer = setTimeout(() => {
        scrollTimer = undefined;
        this.ui.scrollY = window.scrollY;
        this.persistence.save(this.ui);
      }, 250);
    });
  }

  handle(message: HostToWebview): void {
    switch (message.type) {
      case 'l10n':
        // Once per page load, before the first state: every sentence below is looked up in this bundle.
        configureL10n(message.bundle);
        this.strings = new Strings(message.locale);
        break;
      case 'state':
        this.render(message.state, this.strings);
        break;
      case 'progress':
        this.onProgress(message.progress);
        break;
      case 'epoch':
        this.onEpoch(message);
        break;
      case 'images':
        this.images.receive(message.indices, message.pixels);
        break;
      case 'classification':
        this.onClassification(message.results);
        break;
      case 'firstLayer':
        this.firstLayer.setLayer(message.layer, message.filters);
        break;
      case 'saliency':
        if (message.target.kind === 'test') this.predictCell?.saliencyArrived(message.target.index, message);
        else {
          this.fileSaliencies.set(message.target.file, message);
          this.showFileSaliency(message.target.file);
        }
        break;
      case 'followedFiles':
        if (this.ctx) this.onClassification(this.ctx.state.classifications, message.files);
        break;
      case 'pins':
        this.pins = message.pins;
        if (this.ctx) this.ctx.pins = message.pins;
        this.predictCell?.pinsChanged();
        break;
      case 'epochPredictions': {
        const before = this.epochs.epochs.length;
        this.epochs.receive(message.replace, message.data);
        // The epoch views change shape when their first epoch arrives (something to show) and their second
        // (a slider); later epochs only redraw what they watch.
        const after = this.epochs.epochs.length;
        if (message.replace || (before < 2 && after !== before)) this.rebuildEpochCells();
        break;
      }
      case 'reveal':
        this.reveal(message.cell);
        break;
    }
  }

  /**
   * While the data downloads, the host re-sends the whole state up to 10 times a second with only the
   * byte counts changed: then only the banner is redrawn.
   */
  private onlyDownloadChanged(state: DashboardState, s: Strings): boolean {
    const previous = this.ctx?.state;
    if (!previous || !this.banner || this.ctx?.s.locale !== s.locale) return false;
    const shape = (x: DashboardState) =>
      JSON.stringify(Object.keys(x).filter((k) => k !== 'download' && x[k as keyof DashboardState] !== undefined).sort()) + x.status;
    return state.status === 'loading' && previous.status === 'loading' && shape(state) === shape(previous) && JSON.stringify(previous.backend) === JSON.stringify(state.backend);
  }

  private render(state: DashboardState, s: Strings): void {
    if (this.onlyDownloadChanged(state, s) && this.ctx && this.banner) {
      this.ctx.state = state;
      const next = statusBanner(s, state, this.post);
      this.banner.replaceWith(next);
      this.banner = next;
      return;
    }
    const focusKey = document.activeElement?.getAttribute('data-focus-key') ?? undefined;
    this.trainCell?.destroy();
    this.compareCell?.destroy();
    this.images.resetPending();
    const ctx: ViewContext = { state, s, post: this.post, ui: this.ui, saveUi: () => this.persistence.save(this.ui), images: this.images, epochs: this.epochs, epoch: this.epochSelection, pins: this.pins };
    this.ctx = ctx;
    document.documentElement.lang = s.locale;
    document.title = l10n.t('Fashion-MNIST Trainer');

    this.trainCell = new TrainCell(ctx);
    this.compareCell = state.comparison !== undefined ? new CompareCell(ctx, state.comparison) : undefined;
    this.predictCell = new PredictCell(ctx);
    this.evaluateSection = evaluateCell(ctx);
    this.classifySection = classifyCell(ctx);
    const showInGrid = (filter: GridFilter) => {
      this.predictCell?.setFilter(filter);
      this.reveal('predict');
    };
    this.showInGrid = showInGrid;
    this.confusionSection = confusionCell(ctx, showInGrid);
    const model = modelCell(ctx);
    // The first layer's pictures belong to the model they show; they are redrawn after every epoch.
    model.querySelector('.cell-output')?.append(this.firstLayer.attach(ctx));
    this.cellsContainer = h('main', { className: 'cells' }, [
      state.sweep !== undefined ? sweepCell(ctx, state.sweep, this.sweepUi) : null,
      this.compareCell?.section,
      dataCell(ctx),
      preprocessCell(ctx),
      model,
      this.trainCell.section,
      this.evaluateSection,
      this.predictCell.section,
      this.confusionSection,
      this.classifySection,
    ]);
    this.banner = statusBanner(s, state, this.post);
    replaceChildren(this.root, [
      // The past-run note belongs to the page's header (its banner landmark): it says which run the page shows.
      h('header', { className: 'page-header' }, [h('h1', { text: l10n.t('Fashion-MNIST Trainer') }), h('p', { className: 'subtitle', text: l10n.t('The TensorFlow basic classification tutorial, step by step, running inside VS Code.') }), pastRunNote(ctx)]),
      this.banner,
      this.cellsContainer,
    ]);
    this.root.removeAttribute('aria-busy');
    this.showAllFileSaliencies();
    // The previous state's canvases are off the page now; stop drawing into them.
    this.images.forgetDetached();

    if (focusKey) this.restoreFocus(focusKey);
    if (this.firstRender) {
      this.firstRender = false;
      if (this.ui.scrollY > 0) {
        requestAnimationFrame(() => {
          if (!this.revealed) window.scrollTo(0, this.ui.scrollY);
        });
      }
    }
  }

  /**
   * Puts focus back where it was before the rebuild. Train and Stop swap roles as a run starts and ends,
   * so focus on the one that just became disabled moves to the other.
   */
  private restoreFocus(key: string): void {
    const find = (k: string) => this.root.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(k)}"]`);
    const partner: Record<string, string> = { train: 'stop', stop: 'train', 'banner-train': 'stop' };
    let target = find(key);
    if ((!target || target.hasAttribute('disabled')) && partner[key]) target = find(partner[key]);
    if (target && !target.hasAttribute('disabled')) target.focus({ preventScroll: true });
  }

  /** Progress may arrive faster than the screen refreshes; draw only the latest, once per frame. */
  private onProgress(progress: BatchProgress): void {
    if (!this.ctx) return;
    this.ctx.state.progress = progress;
    const scheduled = this.pendingProgress !== undefined;
    this.pendingProgress = progress;
    if (scheduled) return;
    requestAnimationFrame(() => {
      const latest = this.pendingProgress;
      this.pendingProgress = undefined;
      if (latest) this.trainCell?.updateProgress(latest);
    });
  }

  private onEpoch(message: Extract<HostToWebview, { type: 'epoch' }>): void {
    const ctx = this.ctx;
    if (!ctx) return;
    ctx.state.history = mergeEpoch(ctx.state.history, message.metrics);
    ctx.state.overfitting = message.overfitting;
    if (message.bestEpoch !== undefined) ctx.state.bestEpoch = message.bestEpoch;
    this.trainCell?.epochAdded(message.metrics);
    const focusKey = this.evaluateSection?.contains(document.activeElement) ? document.activeElement?.getAttribute('data-focus-key') : undefined;
    const next = evaluateCell(ctx);
    this.evaluateSection?.replaceWith(next);
    this.evaluateSection = next;
    if (focusKey) this.restoreFocus(focusKey);
  }

  /** Rebuilds the evaluate, prediction and confusion cells in place, keeping a keyboard user's focus. */
  private rebuildEpochCells(): void {
    const ctx = this.ctx;
    if (!ctx || !this.evaluateSection || !this.predictCell || !this.confusionSection || !this.showInGrid) return;
    const focusKey = document.activeElement?.getAttribute('data-focus-key') ?? undefined;
    const evaluate = evaluateCell(ctx);
    this.evaluateSection.replaceWith(evaluate);
    this.evaluateSection = evaluate;
    const predict = new PredictCell(ctx);
    this.predictCell.section.replaceWith(predict.section);
    this.predictCell = predict;
    const confusion = confusionCell(ctx, this.showInGrid);
    this.confusionSection.replaceWith(confusion);
    this.confusionSection = confusion;
    this.images.forgetDetached();
    if (focusKey) this.restoreFocus(focusKey);
  }

  /** Puts a classified file's saliency into its card, or asks the host for it once. */
  private showFileSaliency(file: string): void {
    const ctx = this.ctx;
    const slot = this.classifySection?.querySelector(`.saliency-slot[data-file="${CSS.escape(file)}"]`);
    if (!ctx || !slot) return;
    const known = this.fileSaliencies.get(file);
    if (known) slot.replaceChildren(saliencyView(ctx.s, known.saliency, known.error), ...featureMapsView(ctx.s, known.featureMaps));
    else if (ctx.state.model) ctx.post({ type: 'requestSaliency', target: { kind: 'file', file } });
  }

  private showAllFileSaliencies(): void {
    for (const result of this.ctx?.state.classifications ?? []) if (result.ok) this.showFileSaliency(result.file);
  }

  private onClassification(results: DashboardState['classifications'], followed?: DashboardState['followedFiles']): void {
    const ctx = this.ctx;
    if (!ctx || !this.cellsContainer) return;
    const focusKey = document.activeElement?.getAttribute('data-focus-key') ?? undefined;
    ctx.state.classifications = results;
    if (followed !== undefined) ctx.state.followedFiles = followed;
    const next = classifyCell(ctx);
    if (this.classifySection && next) this.classifySection.replaceWith(next);
    else if (this.classifySection) this.classifySection.remove();
    else if (next) this.cellsContainer.append(next);
    this.classifySection = next;
    // New results: ask again for each file (a file classified again may have changed on disk).
    if (followed === undefined) for (const result of results ?? []) this.fileSaliencies.delete(result.file);
    this.showAllFileSaliencies();
    if (focusKey) this.restoreFocus(focusKey);
  }

  private reveal(cell: DashboardCell): void {
    const section = document.getElementById(`cell-${cell}`);
    if (!section) return;
    this.revealed = true;
    section.scrollIntoView({ block: 'start' });
    section.focus({ preventScroll: true });
  }
}

/** While a past run of the run history is shown (Open Run): which one, and the way back to the latest run. */
function pastRunNote(ctx: ViewContext): HTMLElement | null {
  const shown = ctx.state.shownRun;
  if (!shown) return null;
  return h('div', { className: 'past-run' }, [
    h('p', { text: l10n.t('This is run {0} from the run history, as it ended; classifying and saliency use its model. Train, or go back to the latest run, to leave it.', shown.id) }),
    h('button', {
      className: 'secondary',
      text: l10n.t('Show the latest run'),
      attrs: { type: 'button', 'data-focus-key': 'past-run-back' },
      on: { click: () => ctx.post({ type: 'showLatestRun' }) },
    }),
  ]);
}
