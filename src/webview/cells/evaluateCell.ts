/** Step 5: final training vs test accuracy and the over-fitting indicator the host computed. */
import * as l10n from '@vscode/l10n';
import * as code from '../codeSnippets';
import type { EpochMetrics } from '../../domain/metrics';
import { h, replaceChildren } from '../dom';
import { epochSlider } from '../epochSlider';
import { cellFrame, facts, waiting, type ViewContext } from '../viewContext';

/** The gap per epoch as a compact two-row table (epochs across), the gap's own "chart" in numbers. */
function gapTable(ctx: ViewContext, gapPoints: number[]): HTMLElement {
  const { s, state } = ctx;
  const epochs = [...state.history].sort((a, b) => a.epoch - b.epoch).map((m) => m.epoch);
  const since = state.overfitting?.sinceEpoch;
  return h('div', { className: 'table-scroll' }, [
    h('table', { className: 'data-table gap-table' }, [
      h('caption', { text: l10n.t('Gap between training and test accuracy per epoch, in points') }),
      h('tbody', {}, [
        h('tr', {}, [h('th', { text: l10n.t('Epoch'), attrs: { scope: 'row' } }), ...gapPoints.map((_, i) => h('td', { className: 'num', text: String(epochs[i] ?? i + 1) }))]),
        h('tr', {}, [
          h('th', { text: l10n.t('Gap (points)'), attrs: { scope: 'row' } }),
          ...gapPoints.map((gap, i) => h('td', { className: `num${since !== undefined && (epochs[i] ?? i + 1) >= since ? ' overfit-epoch' : ''}`, text: s.signedPoints(gap) })),
        ]),
      ]),
    ]),
  ]);
}

/** Training and test accuracy of the epoch the slider shows, its gap, and what changed since the epoch before. */
function epochNumbers(ctx: ViewContext, history: EpochMetrics[], last: EpochMetrics): HTMLElement[] {
  const { s, state } = ctx;
  const shown = history.find((m) => m.epoch === ctx.epoch.current) ?? last;
  // The gap is the host's (overfitting.gapPoints); the webview only shows numbers it was sent.
  const gaps = state.overfitting?.gapPoints ?? [];
  const gap = gaps.length === history.length ? gaps[history.indexOf(shown)] : undefined;
  const view = ctx.epochs.at(shown.epoch);
  const changes = view && view.epoch === shown.epoch && view.previous ? view.analysis : undefined;
  return [
    h('div', { className: 'accuracy-pair' }, [
      h('p', { className: 'big-number train', text: l10n.t('Training accuracy: {0}', s.percent(shown.accuracy)) }),
      h('p', { className: 'big-number test', text: l10n.t('Test accuracy: {0}', s.percent(shown.testAccuracy)) }),
      gap !== undefined ? h('p', { className: 'gap', text: l10n.t('Gap (training − test): {0} points', s.signedPoints(gap)) }) : null,
    ]),
    ...(changes ? [facts([l10n.t('Since the previous epoch: {0} images learned, {1} forgotten.', s.int(changes.learned), s.int(changes.forgotten))])] : []),
  ];
}

export function evaluateCell(ctx: ViewContext): HTMLElement {
  const { s, state } = ctx;
  const { section, output } = cellFrame('evaluate', l10n.t('Evaluate accuracy'), l10n.t('model.evaluate measures accuracy on the test images, which the network never trained on. When test accuracy stops improving while training accuracy keeps rising, the model is over-fitting: it memorises the training images instead of learning what carries over to new ones.'), code.evaluateCode());
  const history = [...state.history].sort((a, b) => a.epoch - b.epoch);
  // The model's accuracy is that of the weights it holds: the best epoch's when they were restored.
  const outcome = state.outcome;
  const heldIndex = outcome?.weights === 'best' ? history.findIndex((m) => m.epoch === outcome.bestEpoch) : history.length - 1;
  const last = history[heldIndex];
  if (!last) {
    output.append(waiting(l10n.t('This step fills in after the first epoch.')));
    return section;
  }
  // The epoch the slider shows (the last one without a slider); its numbers are redrawn as the slider moves.
  const body = h('div', { className: 'epoch-body' });
  const draw = () => replaceChildren(body, epochNumbers(ctx, history, last));
  output.append(...[epochSlider(ctx, 'evaluate'), body].filter((e): e is HTMLElement => e !== null));
  ctx.epoch.watch(body, draw);
  draw();
  if (outcome !== undefined && outcome.end !== 'stopped') {
    output.append(h('p', { className: 'weights-note', text: outcome.weights === 'best' ? l10n.t('The model holds the weights of the best epoch ({0}).', last.epoch) : l10n.t('The model holds the weights of the last epoch ({0}).', last.epoch) }));
  }
  const analysis = state.overfitting;
  if (analysis) {
    let text: string;
    let tone: string;
    if (analysis.state === 'overfitting') {
      // The host decided whether test accuracy was flat or falling (testTrend); the word sits beside its number.
      text = (analysis.testTrend === 'falling' ? l10n.t('Over-fitting since epoch {0}: training accuracy still rising ({1} pts), test accuracy falling ({2} pts).', analysis.sinceEpoch ?? '?', s.signedPoints(analysis.trainDeltaPoints ?? NaN), s.signedPoints(analysis.testDeltaPoints ?? NaN)) : l10n.t('Over-fitting since epoch {0}: training accuracy still rising ({1} pts), test accuracy flat ({2} pts).', analysis.sinceEpoch ?? '?', s.signedPoints(analysis.trainDeltaPoints ?? NaN), s.signedPoints(analysis.testDeltaPoints ?? NaN)));
      tone = 'warn';
    } else if (analysis.state === 'generalising') {
      text = l10n.t('Generalising: test accuracy is still improving along with training accuracy.');
      tone = 'good';
    } else {
      text = l10n.t('Not enough epochs yet to tell: it takes at least two.');
      tone = 'neutral';
    }
    const icon = tone === 'warn' ? '⚠' : tone === 'good' ? '✓' : 'ℹ';
    output.append(
      h('div', { className: `indicator indicator-${tone}`, attrs: { role: 'status', 'aria-label': l10n.t('Over-fitting indicator') } }, [
        h('span', { className: 'indicator-icon', text: icon, attrs: { 'aria-hidden': 'true' } }),
        h('span', { text }),
      ]),
    );
    if (analysis.bestEpoch !== undefined && analysis.bestTestAccuracy !== undefined) {
      output.append(facts([l10n.t('Test accuracy peaked at epoch {0}: {1}.', analysis.bestEpoch, s.percent(analysis.bestTestAccuracy))]));
    }
    if (analysis.gapPoints.length > 0) output.append(gapTable(ctx, analysis.gapPoints));
  }
  return section;
}
