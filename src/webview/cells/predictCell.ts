/**
 * Step 6: the clickable grid of test images with their predictions, paged 100 at a time through the whole
 * test set, with filters, and the detail of one image (large, true vs predicted, all 10 probabilities).
 */
import * as l10n from '@vscode/l10n';
import { NUM_CLASSES } from '../../domain/classes';
import type { Predictions } from '../../domain/metrics';
import { PROBABILITY_LEVELS, type EpochAnalysis } from '../../domain/epochPredictions';
import { epochSlider } from '../epochSlider';
import { renderPinned } from '../pinnedImages';
import { saliencyView } from '../saliencyView';
import { featureMapsView } from '../featureMapsView';
import type { HostToWebview } from '../../protocol/webview';
import { GRID_SORTS, sortIndices, type GridSort } from '../predictionOrder';
import * as code from '../codeSnippets';
import { h, replaceChildren, replaceKeepingFocus } from '../dom';
import { grayCanvas } from '../pixels';
import { filterPredictions, gridCountText, pageOf, PAGE_SIZE, sameFilter, type GridFilter } from '../predictionFilter';
import { probabilityBars } from '../probabilityBars';
import { columnsOnFirstRow, rovingFocus } from '../rovingFocus';
import { cellFrame, waiting, type ViewContext } from '../viewContext';
import type { Label } from '../strings';

type SimpleKind = 'all' | 'misclassified' | 'learned' | 'forgotten' | 'trueClass' | 'predictedClass';
/** The filters; `count` names the host's count of its images in an epoch's analysis. */
const KINDS: { kind: SimpleKind; label: Label; counted?: (count: string) => string; count?: (a: EpochAnalysis, total: number) => number; epochOnly?: boolean }[] = [
  { kind: 'all', label: () => l10n.t('All test images'), counted: (count) => l10n.t('All test images ({0})', count), count: (_a, total) => total },
  { kind: 'misclassified', label: () => l10n.t('Misclassified only'), counted: (count) => l10n.t('Misclassified only ({0})', count), count: (a) => a.misclassified },
  { kind: 'learned', label: () => l10n.t('Learned this epoch'), counted: (count) => l10n.t('Learned this epoch ({0})', count), count: (a) => a.learned, epochOnly: true },
  { kind: 'forgotten', label: () => l10n.t('Forgotten this epoch'), counted: (count) => l10n.t('Forgotten this epoch ({0})', count), count: (a) => a.forgotten, epochOnly: true },
  { kind: 'trueClass', label: () => l10n.t('By true class') },
  { kind: 'predictedClass', label: () => l10n.t('By predicted class') },
];
const LEVEL_TO_PROBABILITY = Float32Array.from({ length: PROBABILITY_LEVELS + 1 }, (_, q) => q / PROBABILITY_LEVELS);
const SORT_LABELS: Record<GridSort, Label> = { index: () => l10n.t('Test-set order'), loss: () => l10n.t('Loss (most wrong first)'), confidence: () => l10n.t('Confidence (most sure first)'), uncertain: () => l10n.t('Uncertain (top two closest first)') };

/** The host's answer about one test image: its saliency map and a conv network's feature maps, or why there are none. */
type PictureAnswer = Pick<Extract<HostToWebview, { type: 'saliency' }>, 'saliency' | 'featureMaps' | 'error'>;

export class PredictCell {
  readonly section: HTMLElement;
  private predictions?: Predictions;
  /** At an epoch from the epoch store: the classes the epoch before predicted, and the host's analysis. */
  private previous?: Uint8Array;
  private analysis?: EpochAnalysis;
  private readonly epochNote: HTMLElement;
  private readonly pinned: HTMLElement;
  private readonly filterBar: HTMLElement;
  private readonly pager: HTMLElement;
  private readonly grid: HTMLUListElement;
  private readonly detail: HTMLElement;
  private filtered: number[] = [];
  /** The page's drawn tile pictures by image index, reused when the slider redraws the same page. */
  private canvases = new Map<number, HTMLCanvasElement>();
  /** Drawn canvases of the last page, free for other images (only drawn ones: none is waiting for pixels). */
  private spareCanvases: HTMLCanvasElement[] = [];
  private readonly saliencies = new Map<number, PictureAnswer>();

  constructor(private readonly ctx: ViewContext) {
    const frame = cellFrame('predict', l10n.t('Make predictions'), l10n.t('model.predict gives every test image 10 probabilities, one per class; the highest one is the prediction. Select an image to see all ten.'), code.predictCode());
    this.section = frame.section;
    this.refreshPredictions();
    this.epochNote = h('p', { className: 'hint epoch-note' });
    this.pinned = h('div', { className: 'pinned-slot' });
    this.filterBar = h('div', { className: 'filter-bar' });
    this.pager = h('div', { className: 'pager' });
    this.grid = h('ul', { className: 'prediction-grid', attrs: { 'aria-label': l10n.t('Test images with their predictions. Use the arrow keys to move and Enter to open one.') } });
    // Not a live region: opening a detail moves focus to its heading, which is announced; a live region
    // would read the whole probability table aloud on every selection.
    this.detail = h('section', { className: 'detail', attrs: { 'aria-label': l10n.t('Probability for each class') } });
    if (!this.predictions || this.predictions.count === 0) {
      frame.output.append(waiting(l10n.t('This step fills in when training finishes.')));
      return;
    }
    const slider = epochSlider(ctx, 'predict');
    if (slider) frame.output.append(slider);
    frame.output.append(this.epochNote, this.pinned, this.filterBar, this.pager, h('div', { className: 'predict-layout' }, [this.grid, this.detail]));
    ctx.epoch.watch(this.grid, () => this.epochChanged());
    this.renderEpochNote();
    this.renderPins();
    this.renderDetailHint();
    this.applyFilter(ctx.ui.filter, ctx.ui.page, false);
    // applyFilter has already dropped a saved selection that the saved filter no longer shows.
    if (ctx.ui.selected !== undefined) this.showDetail(ctx.ui.selected, false);
  }

  /**
   * The predictions of the epoch the slider shows: the final ones (exact) at the newest epoch of a finished
   * run, else the epoch store's (quantized probabilities, as the worker sent them).
   */
  private refreshPredictions(): void {
    const { state, epochs, epoch } = this.ctx;
    const view = epochs.at(epoch.current ?? 0);
    this.analysis = view?.analysis;
    this.previous = view?.previous;
    if (!view || (epoch.atLatest && state.predictions && state.predictions.count === view.count)) {
      this.predictions = state.predictions;
      return;
    }
    const probabilities = new Float32Array(view.probabilities.length);
    for (let i = 0; i < probabilities.length; i++) probabilities[i] = LEVEL_TO_PROBABILITY[view.probabilities[i]];
    this.predictions = {
      probabilities,
      predicted: view.predicted,
      labels: view.labels,
      count: view.count,
      predictMs: 0,
    };
  }

  /**
   * The saved model's saliency (and a conv network's feature maps) for test image `index` arrived: shown in the
   * open detail if it is that image's.
   */
  saliencyArrived(index: number, answer: PictureAnswer): void {
    this.saliencies.set(index, answer);
    if (this.ctx.ui.selected === index) this.showAnswer(answer);
  }

  /** VS Code switched the colour theme: the open detail's saliency map and feature maps are drawn on the new theme's scale. */
  applyTheme(): void {
    const index = this.ctx.ui.selected;
    const known = index === undefined ? undefined : this.saliencies.get(index);
    if (known) this.showAnswer(known);
  }

  private showAnswer(answer: PictureAnswer): void {
    this.detail.querySelector('.saliency-slot')?.replaceChildren(saliencyView(this.ctx.s, answer.saliency, answer.error));
    this.detail.querySelector('.feature-maps-slot')?.replaceChildren(...featureMapsView(this.ctx.s, answer.featureMaps));
  }

  /** The host's pin list changed: redraw the pinned row and the open detail's Pin button. */
  pinsChanged(): void {
    this.renderPins();
    if (this.ctx.ui.selected !== undefined && this.predictions) this.showDetail(this.ctx.ui.selected, false);
  }

  private renderPins(): void {
    if (!this.predictions) return;
    renderPinned(this.pinned, this.ctx, this.ctx.pins, (index) => this.showDetail(index, true));
  }

  private epochChanged(): void {
    this.refreshPredictions();
    this.renderEpochNote();
    this.renderPins();
    this.applyFilter(this.ctx.ui.filter, this.ctx.ui.page, false);
    if (this.ctx.ui.selected !== undefined) this.showDetail(this.ctx.ui.selected, false);
  }

  private renderEpochNote(): void {
    const { s, epoch } = this.ctx;
    const rounded = this.predictions !== this.ctx.state.predictions && epoch.current !== undefined;
    this.epochNote.textContent = rounded ? l10n.t('Showing the model after epoch {0}. The probabilities kept per epoch are rounded to 1/255 (within 0.2 percentage points).', s.int(epoch.current ?? 0)) : '';
    this.epochNote.hidden = !rounded;
  }

  /** Shows exactly the images the filter selects (from the filter bar or a confusion-matrix cell). */
  setFilter(filter: GridFilter): void {
    this.applyFilter(filter, undefined, true);
  }

  /**
   * The detail always belongs to an image the grid can show: when a new filter (from the filter bar or a
   * confusion-matrix cell) leaves the open image out, the detail closes; when the image is still in, the
   * detail stays and the grid turns to the page that holds its tile. `restoredPage` is the saved page on
   * a reload; a user's new filter passes undefined and starts at the first page (or the selected tile's).
   */
  private applyFilter(filter: GridFilter, restoredPage: number | undefined, save: boolean): void {
    if (!this.predictions) return;
    let changed = !sameFilter(filter, this.ctx.ui.filter);
    this.ctx.ui.filter = filter;
    this.filtered = sortIndices(filterPredictions(this.predictions, filter, this.previous), this.predictions, this.ctx.ui.sort ?? 'index');
    let page = restoredPage ?? 0;
    const selected = this.ctx.ui.selected;
    if (selected !== undefined) {
      const position = this.filtered.indexOf(selected);
      if (position < 0) {
        this.ctx.ui.selected = undefined;
        this.renderDetailHint();
        changed = true;
      } else if (restoredPage === undefined) {
        page = Math.floor(position / PAGE_SIZE);
      }
    }
    this.renderFilterBar();
    this.showPage(page, false);
    if (save || changed) this.ctx.saveUi();
  }

  private renderFilterBar(): void {
    const { s } = this.ctx;
    const filter = this.ctx.ui.filter;
    const analysis = this.analysis;
    const total = this.predictions?.count ?? 0;
    const label = (k: (typeof KINDS)[number]) => (analysis && k.count && k.counted ? k.counted(s.int(k.count(analysis, total))) : k.label());
    const kindSelect = h('select', { attrs: { id: 'grid-filter', 'data-focus-key': 'grid-filter' } },
      KINDS.filter((k) => !k.epochOnly || analysis || filter.kind === k.kind).map((k) => h('option', { text: label(k), attrs: { value: k.kind, selected: filter.kind === k.kind } })));
    const sort = this.ctx.ui.sort ?? 'index';
    const sortSelect = h('select', { attrs: { id: 'grid-sort', 'data-focus-key': 'grid-sort' } },
      GRID_SORTS.map((key) => h('option', { text: SORT_LABELS[key](), attrs: { value: key, selected: key === sort } })));
    sortSelect.addEventListener('change', () => {
      this.ctx.ui.sort = sortSelect.value as GridSort;
      this.applyFilter(this.ctx.ui.filter, undefined, true);
    });
    if (filter.kind === 'cell') {
      kindSelect.append(h('option', { text: l10n.t('True {0}, predicted {1}', s.className(filter.trueClass), s.className(filter.predicted)), attrs: { value: 'cell', selected: true } }));
    }
    const cls = filter.kind === 'trueClass' || filter.kind === 'predictedClass' ? filter.cls : 0;
    const classSelect = h('select', { attrs: { id: 'grid-class', disabled: filter.kind !== 'trueClass' && filter.kind !== 'predictedClass', 'data-focus-key': 'grid-class' } },
      Array.from({ length: NUM_CLASSES }, (_, c) => h('option', { text: `${c} ${s.className(c)}`, attrs: { value: c, selected: c === cls } })));
    const read = (): GridFilter => {
      const kind = kindSelect.value as SimpleKind | 'cell';
      const c = Number(classSelect.value);
      if (kind === 'trueClass' || kind === 'predictedClass') return { kind, cls: c };
      if (kind === 'cell') return filter;
      return { kind };
    };
    kindSelect.addEventListener('change', () => this.applyFilter(read(), undefined, true));
    classSelect.addEventListener('change', () => this.applyFilter(read(), undefined, true));
    replaceKeepingFocus(this.filterBar, [
      h('label', { text: l10n.t('Show'), attrs: { for: 'grid-filter' } }),
      kindSelect,
      h('label', { text: l10n.t('Class'), attrs: { for: 'grid-class' } }),
      classSelect,
      h('label', { text: l10n.t('Sort:'), attrs: { for: 'grid-sort' } }),
      sortSelect,
    ]);
  }

  private showPage(page: number, focusGrid: boolean): void {
    const predictions = this.predictions;
    if (!predictions) return;
    const { s, images } = this.ctx;
    const current = pageOf(this.filtered, page);
    if (current.page !== this.ctx.ui.page) {
      this.ctx.ui.page = current.page;
      this.ctx.saveUi();
    }
    const prev = h('button', { className: 'secondary', text: `‹ ${l10n.t('Previous page')}`, attrs: { type: 'button', disabled: current.page === 0, 'data-focus-key': 'page-prev' }, on: { click: () => this.showPage(current.page - 1, false) } });
    const next = h('button', { className: 'secondary', text: `${l10n.t('Next page')} ›`, attrs: { type: 'button', disabled: current.page >= current.pageCount - 1, 'data-focus-key': 'page-next' }, on: { click: () => this.showPage(current.page + 1, false) } });
    replaceKeepingFocus(this.pager, [
      h('span', { className: 'grid-count', text: gridCountText(s, current), attrs: { role: 'status' } }),
      prev,
      h('span', { className: 'page-of', text: l10n.t('Page {0} of {1}', s.int(current.page + 1), s.int(current.pageCount)) }),
      next,
    ], () => [prev, next].find((b) => !b.disabled));

    const showing = new Set(current.indices);
    this.spareCanvases = [...this.canvases].filter(([index, canvas]) => !showing.has(index) && canvas.classList.contains('loaded')).map(([, canvas]) => canvas);
    const tiles = current.indices.map((index) => this.tile(index));
    this.canvases = new Map(tiles.map((tile, i) => [current.indices[i], tile.querySelector('canvas') as HTMLCanvasElement]));
    replaceChildren(this.grid, tiles.map((tile) => h('li', {}, [tile])));
    // Only prune when this grid is on the page: while a new state is being built, nothing is attached yet.
    if (this.grid.isConnected) images.forgetDetached();
    images.request(current.indices);
    rovingFocus(this.grid, tiles, () => columnsOnFirstRow(tiles));
    if (focusGrid) tiles[0]?.focus();
  }

  private tile(index: number): HTMLButtonElement {
    const { s } = this.ctx;
    const p = this.predictions as Predictions;
    const predicted = p.predicted[index];
    const truth = p.labels[index];
    const confidence = p.probabilities[index * NUM_CLASSES + predicted];
    const correct = predicted === truth;
    const canvas = this.tileCanvas(index);
    const button = h('button', {
      className: `tile ${correct ? 'tile-correct' : 'tile-wrong'}`,
      attrs: {
        type: 'button',
        'data-index': index,
        'data-focus-key': `tile-${index}`,
      },
      on: { click: () => this.showDetail(index, true) },
    }, [
      // The name a screen reader gives the button is what it shows, framed by two hidden words:
      // "Test image 12: Sandal 85% True: Sandal, correct" (so the visible label is part of the name).
      h('span', { className: 'visually-hidden', text: `${l10n.t('Test image {0}:', index)} ` }),
      canvas,
      h('span', { className: 'tile-mark', text: correct ? '✓' : '✗', attrs: { 'aria-hidden': 'true' } }),
      h('span', { className: 'tile-predicted' }, [h('span', { className: 'tile-class', text: s.className(predicted), attrs: { title: s.className(predicted) } }), h('span', { className: 'tile-confidence', text: ` ${s.percent(confidence, 0)}` })]),
      h('span', { className: 'tile-true', text: ` ${l10n.t('True: {0}', s.className(truth))}` }),
      h('span', { className: 'visually-hidden', text: `, ${correct ? l10n.t('correct') : l10n.t('wrong')}` }),
    ]);
    if (this.ctx.ui.selected === index) button.setAttribute('aria-current', 'true');
    return button;
  }

  /**
   * Image `index`'s tile picture: the one on the page already, else a drawn canvas of the last page that this
   * page no longer shows, redrawn (a canvas's 2D context is costly to create, and an epoch step sorted by loss
   * changes most tiles), else a new one drawn when its pixels arrive.
   */
  private tileCanvas(index: number): HTMLCanvasElement {
    const kept = this.canvases.get(index);
    if (kept) {
      this.canvases.delete(index);
      return kept;
    }
    const canvas = this.spareCanvases.pop() ?? grayCanvas(undefined, 0, 'pixel-image tile-image');
    this.ctx.images.drawInto(index, canvas);
    return canvas;
  }

  private showDetail(index: number, focus: boolean): void {
    const { s, images } = this.ctx;
    const p = this.predictions as Predictions;
    const predicted = p.predicted[index];
    const truth = p.labels[index];
    const probabilities = p.probabilities.subarray(index * NUM_CLASSES, (index + 1) * NUM_CLASSES);
    const correct = predicted === truth;
    this.ctx.ui.selected = index;
    this.ctx.saveUi();
    for (const tile of this.grid.querySelectorAll('.tile')) {
      if (tile.getAttribute('data-index') === String(index)) tile.setAttribute('aria-current', 'true');
      else tile.removeAttribute('aria-current');
    }
    const large = grayCanvas(undefined, 0, 'pixel-image detail-image');
    large.setAttribute('role', 'img');
    large.setAttribute('aria-label', l10n.t('Test image {0}', index));
    images.drawInto(index, large);
    images.request([index]);
    const close = h('button', { className: 'secondary', text: l10n.t('Close'), attrs: { type: 'button' }, on: { click: () => this.closeDetail() } });
    const pinned = this.ctx.pins.includes(index);
    const pin = h('button', {
      className: 'secondary detail-pin',
      text: pinned ? l10n.t('Unpin') : l10n.t('Pin'),
      attrs: { type: 'button', 'data-focus-key': 'detail-pin', title: l10n.t('Pin an image from its detail to follow its ten probabilities across the epochs.') },
      on: { click: () => this.ctx.post({ type: 'setPin', index, pinned: !pinned }) },
    });
    const heading = h('h3', { text: l10n.t('Test image {0}', index), attrs: { tabindex: -1 } });
    // The saved model's saliency (the finished run's model): asked for once per image, kept while this grid lives.
    const saliencySlot = h('div', { className: 'saliency-slot' });
    // A conv network's feature maps of the picture come with its saliency (the same model, the same answer).
    const featureMapsSlot = h('div', { className: 'feature-maps-slot' });
    const known = this.saliencies.get(index);
    if (known) {
      saliencySlot.append(saliencyView(s, known.saliency, known.error));
      featureMapsSlot.append(...featureMapsView(s, known.featureMaps));
    }
    else if (this.ctx.state.status === 'finished' && this.ctx.state.model) this.ctx.post({ type: 'requestSaliency', target: { kind: 'test', index } });
    replaceKeepingFocus(this.detail, [
      h('div', { className: 'detail-head' }, [heading, pin, close]),
      h('div', { className: 'detail-body' }, [
        h('div', { className: 'detail-picture' }, [
          large,
          h('p', { className: `detail-verdict ${correct ? 'good' : 'bad'}` }, [
            h('span', { className: 'tile-mark', text: correct ? '✓ ' : '✗ ', attrs: { 'aria-hidden': 'true' } }),
            l10n.t('Predicted: {0} with {1}', s.className(predicted), s.percent(probabilities[predicted])),
          ]),
          h('p', { text: l10n.t('True class: {0}', s.className(truth)) }),
        ]),
        saliencySlot,
        probabilityBars(s, probabilities, predicted, truth),
      ]),
      featureMapsSlot,
    ]);
    this.detail.classList.add('open');
    this.detail.onkeydown = (event) => {
      if (event.key === 'Escape') this.closeDetail();
    };
    if (focus) {
      heading.focus({ preventScroll: true });
      this.detail.scrollIntoView({ block: 'nearest' });
    }
  }

  /** The detail column before any image is selected. */
  private renderDetailHint(): void {
    this.detail.classList.remove('open');
    replaceChildren(this.detail, [h('p', { className: 'waiting', text: l10n.t('Select an image in the grid to see all ten probabilities here.') })]);
  }

  private closeDetail(): void {
    const index = this.ctx.ui.selected;
    this.ctx.ui.selected = undefined;
    this.ctx.saveUi();
    this.renderDetailHint();
    const tile = this.grid.querySelector<HTMLElement>(`.tile[data-index="${index}"]`);
    tile?.removeAttribute('aria-current');
    tile?.focus();
  }
}
