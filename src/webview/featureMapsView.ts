/**
 * A picture's feature maps under a conv network's saved model, as CNN Explainer shows them: after each conv
 * block's Conv2D + relu, one small picture per filter (the background where the filter found nothing, the
 * theme's blue where it responded most; each map on its own scale). Selecting a map shows it large with its
 * scale. Every number is the worker's; an MLP has none and this shows nothing.
 */
import * as l10n from '@vscode/l10n';
import type { FeatureMapBlock, FeatureMaps } from '../domain/convInsight';
import { h } from './dom';
import { divergingCanvas, themeScale, type Scale } from './divergingScale';
import { rovingFocus } from './rovingFocus';
import type { Strings } from './strings';

/** Map `f` of a block as a picture: 0 the background, its largest activation the scale's blue. */
function mapCanvas(block: FeatureMapBlock, f: number, scale: Scale, className: string): HTMLCanvasElement {
  const area = block.side * block.side;
  return divergingCanvas(block.side, className, scale, (p) => block.values[f * area + p] / 255);
}

/** The maps of every conv block with the selected one large; an empty list when there are none (an MLP). */
export function featureMapsView(s: Strings, maps: FeatureMaps | undefined): HTMLElement[] {
  if (!maps || maps.blocks.length === 0) return [];
  const section = h('section', { className: 'feature-maps' });
  const scale = themeScale();
  const selected = { block: 0, filter: 0 };
  const label = (b: number, f: number) => l10n.t('Block {0}, filter {1}: largest activation {2}', b + 1, f + 1, s.fixed(maps.blocks[b].scale[f], 3));
  const render = (focusKey?: string) => {
    const blocks = maps.blocks.map((block, b) => {
      const buttons = Array.from({ length: block.filters }, (_, f) =>
        h('button', {
          className: 'unit feature-map',
          attrs: { type: 'button', 'aria-label': label(b, f), 'aria-pressed': b === selected.block && f === selected.filter ? 'true' : 'false', 'data-focus-key': `map-${b}-${f}` },
          on: { click: () => { selected.block = b; selected.filter = f; render(`map-${b}-${f}`); } },
        }, [mapCanvas(block, f, scale, 'feature-map-image')]),
      );
      const grid = h('div', { className: 'feature-map-grid', attrs: { role: 'group', 'aria-label': l10n.t('Feature maps of conv block {0}', b + 1) } }, buttons);
      rovingFocus(grid, buttons, () => Math.max(1, Math.round(grid.clientWidth / 38) || 8), b === selected.block ? selected.filter : 0);
      return h('div', { className: 'feature-map-block' }, [
        h('p', { className: 'feature-map-block-title', text: l10n.t('Conv block {0}: {1} feature maps, {2} × {2}', b + 1, s.int(block.filters), block.side) }),
        grid,
      ]);
    });
    const block = maps.blocks[selected.block];
    const big = mapCanvas(block, selected.filter, scale, 'unit-large');
    big.setAttribute('role', 'img');
    big.setAttribute('aria-label', label(selected.block, selected.filter));
    section.replaceChildren(
      h('h4', { text: l10n.t('Feature maps') }),
      h('p', { className: 'hint', text: l10n.t('What each filter of each conv block found in this picture under the saved model: its output after Conv2D and relu, before pooling. Blue where the filter responds, the background where it does not; each map on its own scale. Select a map to see it large.') }),
      h('div', { className: 'feature-maps-body' }, [
        h('div', { className: 'feature-map-blocks' }, blocks),
        h('figure', { className: 'feature-map-detail' }, [big, h('figcaption', { text: label(selected.block, selected.filter) })]),
      ]),
    );
    if (focusKey) section.querySelector<HTMLElement>(`[data-focus-key="${focusKey}"]`)?.focus();
  };
  render();
  return [section];
}
