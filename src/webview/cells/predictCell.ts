/**
 * Step 6: the clickable grid of test images with their predictions, paged 100 at a time through the whole
 * test set, with filters, and the detail of one image (large, true vs predicted, all 10 probabilities).
 */
import { NUM_CLASSES } from '../../domain/classes';
import type { Predictions } from '../../domain/metrics';
import * as code from '../codeSnippets';
import { h, replaceChildren, replaceKeepingFocus } from '../dom';
import { grayCanvas } from '../pixels';
import { filterPredictions, gridCountText, pageOf, PAGE_SIZE, sameFilter, type GridFilter } from '../predictionFilter';
import { probabilityBars } from '../probabilityBars';
import { columnsOnFirstRow, rovingFocus } from '../rovingFocus';
import type { DashboardStringKey } from '../../protocol/dashboardStringKeys';
import { cellFrame, waiting, type ViewContext } from '../viewContext';

type SimpleKind = 'all' | 'misclassified' | 'trueClass' | 'predictedClass';
const KINDS: { kind: SimpleKind; label: DashboardStringKey }[] = [
  { kind: 'all', label: 'filterAll' },
  { kind: 'misclassified', label: 'filterMisclassified' },
  { kind: 'trueClass', label: 'filterTrueClass' },
  { kind: 'predictedClass', label: 'filterPredictedClass' },
];

export class PredictCell {
  readonly section: HTMLElement;
  private readonly predictions?: Predictions;
  private readonly filterBar: HTMLElement;
  private readonly pager: HTMLElement;
  private readonly grid: HTMLUListElement;
  private readonly detail: HTMLElement;
  private filtered: number[] = [];

  constructor(private readonly ctx: ViewContext) {
    const { s, state } = ctx;
    const frame = cellFrame(s, 'predict', 'cellPredictTitle', s.t('cellPredictExplain'), code.predictCode());
    this.section = frame.section;
    this.predictions = state.predictions;
    this.filterBar = h('div', { className: 'filter-bar' });
    this.pager = h('div', { className: 'pager' });
    this.grid = h('ul', { className: 'prediction-grid', attrs: { 'aria-label': s.t('gridAria') } });
    // Not a live region: opening a detail moves focus to its heading, which is announced; a live region
    // would read the whole probability table aloud on every selection.
    this.detail = h('section', { className: 'detail', attrs: { 'aria-label': s.t('probCaption') } });
    if (!this.predictions || this.predictions.count === 0) {
      frame.output.append(waiting(s, 'waitingForPredictions'));
      return;
    }
    frame.output.append(this.filterBar, this.pager, h('div', { className: 'predict-layout' }, [this.grid, this.detail]));
    this.renderDetailHint();
    this.applyFilter(ctx.ui.filter, ctx.ui.page, false);
    // applyFilter has already dropped a saved selection that the saved filter no longer shows.
    if (ctx.ui.selected !== undefined) this.showDetail(ctx.ui.selected, false);
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
    this.filtered = filterPredictions(this.predictions, filter);
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
    const kindSelect = h('select', { attrs: { id: 'grid-filter', 'data-focus-key': 'grid-filter' } },
      KINDS.map((k) => h('option', { text: s.t(k.label), attrs: { value: k.kind, selected: filter.kind === k.kind } })));
    if (filter.kind === 'cell') {
      kindSelect.append(h('option', { text: s.t('filterCell', s.className(filter.trueClass), s.className(filter.predicted)), attrs: { value: 'cell', selected: true } }));
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
      h('label', { text: s.t('filterLabel'), attrs: { for: 'grid-filter' } }),
      kindSelect,
      h('label', { text: s.t('filterClassLabel'), attrs: { for: 'grid-class' } }),
      classSelect,
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
    const prev = h('button', { className: 'secondary', text: `‹ ${s.t('pagePrev')}`, attrs: { type: 'button', disabled: current.page === 0, 'data-focus-key': 'page-prev' }, on: { click: () => this.showPage(current.page - 1, false) } });
    const next = h('button', { className: 'secondary', text: `${s.t('pageNext')} ›`, attrs: { type: 'button', disabled: current.page >= current.pageCount - 1, 'data-focus-key': 'page-next' }, on: { click: () => this.showPage(current.page + 1, false) } });
    replaceKeepingFocus(this.pager, [
      h('span', { className: 'grid-count', text: gridCountText(s, current), attrs: { role: 'status' } }),
      prev,
      h('span', { className: 'page-of', text: s.t('pageOf', s.int(current.page + 1), s.int(current.pageCount)) }),
      next,
    ], () => [prev, next].find((b) => !b.disabled));

    const tiles = current.indices.map((index) => this.tile(index));
    replaceChildren(this.grid, tiles.map((tile) => h('li', {}, [tile])));
    // Only prune when this grid is on the page: while a new state is being built, nothing is attached yet.
    if (this.grid.isConnected) images.forgetDetached();
    images.request(current.indices);
    rovingFocus(this.grid, tiles, () => columnsOnFirstRow(tiles));
    if (focusGrid) tiles[0]?.focus();
  }

  private tile(index: number): HTMLButtonElement {
    const { s, images } = this.ctx;
    const p = this.predictions as Predictions;
    const predicted = p.predicted[index];
    const truth = p.labels[index];
    const confidence = p.probabilities[index * NUM_CLASSES + predicted];
    const correct = predicted === truth;
    const canvas = grayCanvas(undefined, 0, 'pixel-image tile-image');
    images.drawInto(index, canvas);
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
      h('span', { className: 'visually-hidden', text: `${s.t('tilePrefix', index)} ` }),
      canvas,
      h('span', { className: 'tile-mark', text: correct ? '✓' : '✗', attrs: { 'aria-hidden': 'true' } }),
      h('span', { className: 'tile-predicted' }, [h('span', { className: 'tile-class', text: s.className(predicted), attrs: { title: s.className(predicted) } }), h('span', { className: 'tile-confidence', text: ` ${s.percent(confidence, 0)}` })]),
      h('span', { className: 'tile-true', text: ` ${s.t('tileTrue', s.className(truth))}` }),
      h('span', { className: 'visually-hidden', text: `, ${s.t(correct ? 'tileCorrect' : 'tileWrong')}` }),
    ]);
    if (this.ctx.ui.selected === index) button.setAttribute('aria-current', 'true');
    return button;
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
    large.setAttribute('aria-label', s.t('detailTitle', index));
    images.drawInto(index, large);
    images.request([index]);
    const close = h('button', { className: 'secondary', text: s.t('detailClose'), attrs: { type: 'button' }, on: { click: () => this.closeDetail() } });
    const heading = h('h3', { text: s.t('detailTitle', index), attrs: { tabindex: -1 } });
    replaceChildren(this.detail, [
      h('div', { className: 'detail-head' }, [heading, close]),
      h('div', { className: 'detail-body' }, [
        h('div', { className: 'detail-picture' }, [
          large,
          h('p', { className: `detail-verdict ${correct ? 'good' : 'bad'}` }, [
            h('span', { className: 'tile-mark', text: correct ? '✓ ' : '✗ ', attrs: { 'aria-hidden': 'true' } }),
            s.t('detailPredicted', s.className(predicted), s.percent(probabilities[predicted])),
          ]),
          h('p', { text: s.t('detailTrue', s.className(truth)) }),
        ]),
        probabilityBars(s, probabilities, predicted, truth),
      ]),
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
    replaceChildren(this.detail, [h('p', { className: 'waiting', text: this.ctx.s.t('detailHint') })]);
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
