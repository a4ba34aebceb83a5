/** Step 7: the 10x10 confusion matrix; selecting a cell filters the prediction grid to exactly those images. */
import * as l10n from '@vscode/l10n';
import { NUM_CLASSES } from '../../domain/classes';
import * as code from '../codeSnippets';
import type { EpochAnalysis } from '../../domain/epochPredictions';
import type { PredictionAnalysis } from '../../domain/metrics';
import { h, replaceKeepingFocus } from '../dom';
import { epochSlider } from '../epochSlider';
import type { GridFilter } from '../predictionFilter';
import { rovingFocus } from '../rovingFocus';
import { cellFrame, facts, waiting, type ViewContext } from '../viewContext';

export function confusionCell(ctx: ViewContext, showInGrid: (filter: GridFilter) => void): HTMLElement {
  const { state } = ctx;
  const { section, output } = cellFrame('confusion', l10n.t('Where the model gets confused'), l10n.t('Rows are the true class, columns the predicted class, and the diagonal holds the correct predictions. Select a cell to show exactly those images in the grid.'), code.confusionCode());
  // The host's analysis of the epoch the slider shows; a run kept without per-epoch predictions has only the final one.
  const analysisNow = (): PredictionAnalysis | EpochAnalysis | undefined => ctx.epochs.at(ctx.epoch.current ?? 0)?.analysis ?? state.predictionAnalysis;
  if (!analysisNow()) {
    output.append(waiting(l10n.t('This step fills in when training finishes.')));
    return section;
  }
  const body = h('div', { className: 'epoch-body' });
  const draw = () => {
    const analysis = analysisNow();
    if (analysis) replaceKeepingFocus(body, matrixView(ctx, analysis, showInGrid));
  };
  // The PNG is the run's final matrix (the host draws it from its state), whichever epoch the slider shows.
  const save = h('button', {
    className: 'secondary small',
    text: l10n.t('Save SVG…'),
    attrs: { type: 'button', 'aria-label': l10n.t('Save SVG… of the confusion matrix (the run\'s final one)'), 'data-focus-key': 'save-confusion-svg' },
    on: { click: () => ctx.post({ type: 'exportChart', chart: 'confusion' }) },
  });
  output.append(...[epochSlider(ctx, 'confusion'), body, h('div', { className: 'cell-actions' }, [save])].filter((e): e is HTMLElement => e !== null));
  ctx.epoch.watch(body, draw);
  draw();
  return section;
}

/** The host's list of the largest off-diagonal cells; each one filters the grid to its images. */
function confusedPairs(ctx: ViewContext, analysis: EpochAnalysis, showInGrid: (filter: GridFilter) => void): HTMLElement {
  const { s } = ctx;
  const titleId = 'confused-pairs-title';
  const pairs = analysis.confusedPairs;
  return h('section', { className: 'confused-pairs', attrs: { 'aria-labelledby': titleId } }, [
    h('h3', { text: l10n.t('Most confused pairs'), attrs: { id: titleId } }),
    pairs.length === 0
      ? h('p', { className: 'waiting', text: l10n.t('No confusions: every test image is classified right.') })
      : h('ol', {}, pairs.map((pair) => h('li', {}, [
          h('button', {
            className: 'secondary confused-pair',
            text: l10n.t('{0} taken for {1}: {2}', s.className(pair.trueClass), s.className(pair.predicted), s.int(pair.count)),
            attrs: {
              type: 'button',
              'data-focus-key': `pair-${pair.trueClass}-${pair.predicted}`,
              // The visible words are the name; what pressing does is the description.
              title: l10n.t('Show the {2} images of {0} predicted as {1} in the grid', s.className(pair.trueClass), s.className(pair.predicted), s.int(pair.count)),
            },
            on: { click: () => showInGrid({ kind: 'cell', trueClass: pair.trueClass, predicted: pair.predicted }) },
          }),
        ]))),
  ]);
}

/** The matrix (and, for an epoch's analysis, its most confused pairs). */
function matrixView(ctx: ViewContext, analysis: PredictionAnalysis | EpochAnalysis, showInGrid: (filter: GridFilter) => void): HTMLElement[] {
  const { s } = ctx;
  const maxOffDiagonal = Math.max(1, ...analysis.confusion.flatMap((row, t) => row.filter((_, p) => p !== t)));
  const maxDiagonal = Math.max(1, ...analysis.confusion.map((row, t) => row[t]));
  const buttons: HTMLButtonElement[] = [];
  const rows = analysis.confusion.map((row, truth) => {
    const total = row.reduce((sum, n) => sum + n, 0);
    const cells = row.map((count, predicted) => {
      const diagonal = truth === predicted;
      const button = h('button', {
        className: `confusion-cell ${diagonal ? 'diagonal' : 'off-diagonal'}${count === 0 ? ' empty' : ''}`,
        text: s.int(count),
        attrs: {
          type: 'button',
          'data-focus-key': `confusion-${truth}-${predicted}`,
          'aria-label': count === 1 ? l10n.t('1 image of {0} predicted as {1}', s.className(truth), s.className(predicted)) : l10n.t('{0} images of {1} predicted as {2}', s.int(count), s.className(truth), s.className(predicted)),
        },
        on: { click: () => showInGrid({ kind: 'cell', trueClass: truth, predicted }) },
      });
      // Shade by count through a CSS custom property (CSSOM, allowed by the CSP); the number is always shown.
      button.style.setProperty('--heat', String(count / (diagonal ? maxDiagonal : maxOffDiagonal)));
      buttons.push(button);
      return h('td', {}, [button]);
    });
    return h('tr', {}, [
      h('th', { attrs: { scope: 'row' } }, [h('span', { className: 'class-index', text: `${truth} ` }), s.className(truth)]),
      ...cells,
      h('td', { className: 'num per-class', text: total === 0 ? l10n.t('n/a') : s.percent(analysis.perClassAccuracy[truth]) }),
    ]);
  });
  const matrix = h('table', { className: 'confusion-matrix' }, [
    h('caption', { text: l10n.t('Confusion matrix: true class (rows) by predicted class (columns)') }),
    h('colgroup', {}, [
      h('col', { className: 'row-head-col' }),
      ...Array.from({ length: NUM_CLASSES }, () => h('col', { className: 'class-col' })),
      h('col', { className: 'accuracy-col' }),
    ]),
    h('thead', {}, [
      h('tr', {}, [
        h('th', { className: 'axis-corner', attrs: { scope: 'col' } }, [h('span', { text: `${l10n.t('True class')} ↓` }), h('span', { text: `${l10n.t('Predicted class')} →` })]),
        ...Array.from({ length: NUM_CLASSES }, (_, c) => h('th', { className: 'predicted-head', attrs: { scope: 'col', title: s.className(c) } }, [h('span', { className: 'class-index', text: `${c} ` }), s.className(c)])),
        h('th', { text: l10n.t('Accuracy'), attrs: { scope: 'col' } }),
      ]),
    ]),
    h('tbody', {}, rows),
  ]);
  rovingFocus(matrix, buttons, () => NUM_CLASSES);
  return [
    facts([h('strong', { text: l10n.t('Overall test accuracy: {0}', s.percent(analysis.accuracy)) })]),
    h('div', { className: 'table-scroll' }, [matrix]),
    ...('confusedPairs' in analysis ? [confusedPairs(ctx, analysis, showInGrid)] : []),
  ];
}
