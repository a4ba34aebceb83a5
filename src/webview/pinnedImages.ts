/**
 * The pinned test images above the prediction grid: each one's picture and a small chart of its ten
 * probabilities across the held epochs (the worker's per-epoch numbers, from the epoch store), the true class
 * drawn strong, the others faint, and a marker at the epoch the slider shows. The pins themselves live on the
 * host (`setPin` intents, `pins` messages), so they survive a reload.
 */
import * as l10n from '@vscode/l10n';
import { NUM_CLASSES } from '../domain/classes';
import { h, replaceKeepingFocus } from './dom';
import { grayCanvas } from './pixels';
import type { ViewContext } from './viewContext';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 180;
const HEIGHT = 64;
const PAD = 4;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  return element;
}

/** The chart of one image's probabilities (rows: held epochs, columns: classes), marking epoch `shown`. */
export function probabilityChart(epochs: number[], probabilities: number[][], truth: number, shown: number | undefined): SVGSVGElement {
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'pin-chart', 'aria-hidden': 'true', focusable: 'false' });
  const first = epochs[0];
  const last = epochs[epochs.length - 1];
  const x = (epoch: number) => PAD + (last === first ? (WIDTH - 2 * PAD) / 2 : ((epoch - first) / (last - first)) * (WIDTH - 2 * PAD));
  const y = (p: number) => HEIGHT - PAD - p * (HEIGHT - 2 * PAD);
  chart.append(svg('line', { x1: PAD, x2: WIDTH - PAD, y1: y(0.5), y2: y(0.5), class: 'pin-grid' }));
  if (shown !== undefined) chart.append(svg('line', { x1: x(shown), x2: x(shown), y1: PAD, y2: HEIGHT - PAD, class: 'pin-shown' }));
  // The true class last, so it is drawn on top.
  const order = [...Array.from({ length: NUM_CLASSES }, (_, c) => c).filter((c) => c !== truth), truth];
  for (const c of order) {
    const points = epochs.map((epoch, k) => `${x(epoch).toFixed(1)},${y(probabilities[k][c]).toFixed(1)}`).join(' ');
    chart.append(svg('polyline', { points, class: c === truth ? 'pin-line-true' : 'pin-line-other' }));
  }
  return chart;
}

/** The pinned row, redrawn when the pins change or the slider moves; undefined when nothing is pinned. */
export function pinnedImages(ctx: ViewContext, pins: number[], show: (index: number) => void): HTMLElement | undefined {
  const { s, epochs, images } = ctx;
  const labels = ctx.state.predictions?.labels ?? epochs.at(ctx.epoch.current ?? 0)?.labels;
  const held = pins.filter((index) => labels !== undefined && index < labels.length);
  if (held.length === 0) return undefined;
  const shown = ctx.epoch.current;
  const items = held.map((index) => {
    const truth = labels?.[index] ?? 0;
    const history = epochs.history(index);
    const canvas = grayCanvas(undefined, 0, 'pixel-image pin-image');
    images.drawInto(index, canvas);
    let summary = l10n.t('This run kept no per-epoch predictions.');
    let chart: Element | null = null;
    if (history.epochs.length > 0) {
      const firstP = history.probabilities[0][truth];
      const lastP = history.probabilities[history.probabilities.length - 1][truth];
      summary = l10n.t('Test image {0}: the probability of its true class, {1}, went from {2} after epoch {3} to {4} after epoch {5}.', index, s.className(truth), s.percent(firstP), s.int(history.epochs[0]), s.percent(lastP), s.int(history.epochs[history.epochs.length - 1]));
      chart = probabilityChart(history.epochs, history.probabilities, truth, shown);
    }
    return h('li', { className: 'pin' }, [
      h('button', { className: 'pin-show', attrs: { type: 'button', 'data-focus-key': `pin-show-${index}`, 'aria-label': l10n.t('Show test image {0}', index) }, on: { click: () => show(index) } }, [canvas]),
      h('figure', { className: 'pin-figure' }, [
        chart,
        h('figcaption', { text: summary }),
      ]),
      h('button', { className: 'secondary pin-remove', text: l10n.t('Unpin'), attrs: { type: 'button', 'data-focus-key': `pin-remove-${index}`, 'aria-label': l10n.t('Unpin test image {0}', index) }, on: { click: () => ctx.post({ type: 'setPin', index, pinned: false }) } }),
    ]);
  });
  images.request(held);
  return h('section', { className: 'pinned', attrs: { 'aria-labelledby': 'pinned-title' } }, [
    h('h3', { text: l10n.t('Pinned images'), attrs: { id: 'pinned-title' } }),
    h('p', { className: 'hint pin-legend' }, [
      h('span', { className: 'pin-key pin-key-true', attrs: { 'aria-hidden': 'true' } }),
      ` ${l10n.t('true class')}  `,
      h('span', { className: 'pin-key pin-key-other', attrs: { 'aria-hidden': 'true' } }),
      ` ${l10n.t('other classes')}`,
    ]),
    h('ul', { className: 'pin-list' }, items),
  ]);
}

/** Keeps `container` showing the pinned row (or nothing), keeping focus on a rebuilt button. */
export function renderPinned(container: HTMLElement, ctx: ViewContext, pins: number[], show: (index: number) => void): void {
  const row = pinnedImages(ctx, pins, show);
  replaceKeepingFocus(container, row ? [row] : []);
}
