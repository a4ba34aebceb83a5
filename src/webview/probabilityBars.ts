/**
 * The ten class probabilities as horizontal bars inside a table (the tutorial's plot_value_array): one row
 * per class with its name, a bar and the percentage. The predicted and the true class are marked with
 * words and symbols as well as colour, and a screen reader reads it as the table it is.
 */
import * as l10n from '@vscode/l10n';
import { h } from './dom';
import type { Strings } from './strings';

export function probabilityBars(s: Strings, probabilities: ArrayLike<number>, predicted: number, trueClass?: number): HTMLTableElement {
  const rows = [];
  for (let cls = 0; cls < 10; cls++) {
    const p = probabilities[cls] ?? 0;
    const isPredicted = cls === predicted;
    const isTrue = trueClass === cls;
    const fill = h('span', { className: 'bar-fill' });
    fill.style.width = `${Math.max(0, Math.min(1, p)) * 100}%`;
    const marks = [isPredicted ? `▲ ${l10n.t('predicted')}` : '', isTrue ? `● ${l10n.t('true class')}` : ''].filter(Boolean).join(' · ');
    const kind = isPredicted && trueClass !== undefined && !isTrue ? 'bar-wrong' : isPredicted ? 'bar-predicted' : isTrue ? 'bar-true' : '';
    rows.push(
      h('tr', { className: kind }, [
        h('th', { attrs: { scope: 'row' } }, [h('span', { text: s.className(cls) }), marks ? h('span', { className: 'bar-mark', text: marks }) : null]),
        h('td', { className: 'bar-cell', attrs: { 'aria-hidden': 'true' } }, [h('span', { className: 'bar-track' }, [fill])]),
        h('td', { className: 'num', text: s.percent(p) }),
      ]),
    );
  }
  return h('table', { className: 'probability-bars' }, [
    h('caption', { text: l10n.t('Probability for each class') }),
    h('thead', { className: 'visually-hidden' }, [
      h('tr', {}, [h('th', { text: l10n.t('Class'), attrs: { scope: 'col' } }), h('td', {}), h('th', { text: l10n.t('Probability'), attrs: { scope: 'col' } })]),
    ]),
    h('tbody', {}, rows),
  ]);
}
