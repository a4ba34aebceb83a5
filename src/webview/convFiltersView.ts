/**
 * A conv network's first layer, inside "What the first layer learned": the first Conv2D's K × K filters, each
 * drawn on the same diverging scale as a Dense layer's weights (blue positive, orange negative, the background
 * for 0; each filter on its own scale), redrawn after every epoch. Selecting a filter shows it large with its
 * legend, its bias and its weights as numbers. Every number is the worker's.
 */
import * as l10n from '@vscode/l10n';
import type { ConvFiltersSnapshot } from '../domain/convInsight';
import { h, table } from './dom';
import { divergingCanvas, legend, type Scale } from './divergingScale';
import { rovingFocus } from './rovingFocus';
import type { Strings } from './strings';

/** Filter `f`'s K × K weights as a picture, on its own scale. */
function filterCanvas(filters: ConvFiltersSnapshot, f: number, scale: Scale, className: string): HTMLCanvasElement {
  const k = filters.kernelSize;
  const max = filters.scale[f];
  return divergingCanvas(k, className, scale, (tap) => (max > 0 ? filters.weights[f * k * k + tap] / max : 0));
}

/** The view's explanation, filter grid and the selected filter's detail. */
export function convFiltersContent(s: Strings, filters: ConvFiltersSnapshot, selected: number, scale: Scale, select: (f: number) => void): HTMLElement[] {
  const k = filters.kernelSize;
  const buttons = Array.from({ length: filters.filters }, (_, f) =>
    h('button', {
      className: 'unit conv-filter',
      attrs: { type: 'button', 'aria-label': l10n.t('Filter {0}', f + 1), 'aria-pressed': f === selected ? 'true' : 'false', 'data-focus-key': `filter-${f}` },
      on: { click: () => select(f) },
    }, [filterCanvas(filters, f, scale, 'unit-image')]),
  );
  const grid = h('div', { className: 'unit-grid', attrs: { role: 'group', 'aria-label': l10n.t('Filters of the first Conv2D layer') } }, buttons);
  rovingFocus(grid, buttons, () => Math.max(1, Math.round(grid.clientWidth / 46) || 16), selected);
  return [
    h('p', { className: 'conv-filters-caption', text: l10n.t('{0} filters, {1} × {1}, of the first Conv2D layer', s.int(filters.filters), k) }),
    h('p', { className: 'cell-explain', text: l10n.t('Each picture is one convolution filter (kernel): the {0} × {0} weights it slides over the image to make its feature map. Blue where a bright pixel raises the filter’s output, orange where it lowers it; each filter on its own scale. Weights after epoch {1}; select a filter to see it large.', k, s.int(filters.epoch)) }),
    h('div', { className: 'first-layer-body' }, [grid, filterDetail(s, filters, selected, scale)]),
  ];
}

function filterDetail(s: Strings, filters: ConvFiltersSnapshot, f: number, scale: Scale): HTMLElement {
  const k = filters.kernelSize;
  const max = s.fixed(filters.scale[f], 3);
  const big = filterCanvas(filters, f, scale, 'unit-large');
  big.setAttribute('role', 'img');
  big.setAttribute('aria-label', l10n.t('Filter {0}, {1} × {1}: orange −{2}, background 0, blue +{2}', f + 1, k, max));
  const signed = (w: number) => `${w >= 0 ? '+' : '−'}${s.fixed(Math.abs(w), 3)}`;
  const rows = Array.from({ length: k }, (_, y) => [s.int(y + 1), ...Array.from({ length: k }, (_, x) => signed(filters.weights[(f * k + y) * k + x]))]);
  return h('div', { className: 'unit-detail' }, [
    h('h4', { text: l10n.t('Filter {0}', f + 1) }),
    h('div', { className: 'unit-picture' }, [
      big,
      h('div', { className: 'weight-legend' }, [
        legend(scale),
        h('div', { className: 'weight-legend-labels', attrs: { 'aria-hidden': 'true' } }, [h('span', { text: `−${max}` }), h('span', { text: '0' }), h('span', { text: `+${max}` })]),
      ]),
    ]),
    h('p', { text: l10n.t('Bias: {0}', signed(filters.bias[f])) }),
    table(l10n.t('Weights of filter {0} (rows top to bottom, columns left to right)', f + 1), [l10n.t('Row'), ...Array.from({ length: k }, (_, x) => s.int(x + 1))], rows, 'data-table conv-filter-weights', Array.from({ length: k }, (_, x) => x + 1)),
  ]);
}
