/** Step 5: final training vs test accuracy and the over-fitting indicator the host computed. */
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
      h('caption', { text: s.t('gapTableCaption') }),
      h('tbody', {}, [
        h('tr', {}, [h('th', { text: s.t('colEpoch'), attrs: { scope: 'row' } }), ...gapPoints.map((_, i) => h('td', { className: 'num', text: String(epochs[i] ?? i + 1) }))]),
        h('tr', {}, [
          h('th', { text: s.t('colGap'), attrs: { scope: 'row' } }),
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
      h('p', { className: 'big-number train', text: s.t('evalTrainAccuracy', s.percent(shown.accuracy)) }),
      h('p', { className: 'big-number test', text: s.t('evalTestAccuracy', s.percent(shown.testAccuracy)) }),
      gap !== undefined ? h('p', { className: 'gap', text: s.t('evalGap', s.signedPoints(gap)) }) : null,
    ]),
    ...(changes ? [facts([s.t('epochChanges', s.int(changes.learned), s.int(changes.forgotten))])] : []),
  ];
}

export function evaluateCell(ctx: ViewContext): HTMLElement {
  const { s, state } = ctx;
  const { section, output } = cellFrame(s, 'evaluate', 'cellEvaluateTitle', s.t('cellEvaluateExplain'), code.evaluateCode());
  const history = [...state.history].sort((a, b) => a.epoch - b.epoch);
  // The model's accuracy is that of the weights it holds: the best epoch's when they were restored.
  const outcome = state.outcome;
  const heldIndex = outcome?.weights === 'best' ? history.findIndex((m) => m.epoch === outcome.bestEpoch) : history.length - 1;
  const last = history[heldIndex];
  if (!last) {
    output.append(waiting(s, 'waitingForEpochs'));
    return section;
  }
  // The epoch the slider shows (the last one without a slider); its numbers are redrawn as the slider moves.
  const body = h('div', { className: 'epoch-body' });
  const draw = () => replaceChildren(body, epochNumbers(ctx, history, last));
  output.append(...[epochSlider(ctx, 'evaluate'), body].filter((e): e is HTMLElement => e !== null));
  ctx.epoch.watch(body, draw);
  draw();
  if (outcome !== undefined && outcome.end !== 'stopped') {
    output.append(h('p', { className: 'weights-note', text: outcome.weights === 'best' ? s.t('weightsBest', last.epoch) : s.t('weightsLast', last.epoch) }));
  }
  const analysis = state.overfitting;
  if (analysis) {
    let text: string;
    let tone: string;
    if (analysis.state === 'overfitting') {
      // The host decided whether test accuracy was flat or falling (testTrend); the word sits beside its number.
      text = s.t(analysis.testTrend === 'falling' ? 'overfitSinceFalling' : 'overfitSinceFlat', analysis.sinceEpoch ?? '?', s.signedPoints(analysis.trainDeltaPoints ?? NaN), s.signedPoints(analysis.testDeltaPoints ?? NaN));
      tone = 'warn';
    } else if (analysis.state === 'generalising') {
      text = s.t('overfitGeneralising');
      tone = 'good';
    } else {
      text = s.t('overfitNotEnough');
      tone = 'neutral';
    }
    const icon = tone === 'warn' ? '⚠' : tone === 'good' ? '✓' : 'ℹ';
    output.append(
      h('div', { className: `indicator indicator-${tone}`, attrs: { role: 'status', 'aria-label': s.t('overfitStateLabel') } }, [
        h('span', { className: 'indicator-icon', text: icon, attrs: { 'aria-hidden': 'true' } }),
        h('span', { text }),
      ]),
    );
    if (analysis.bestEpoch !== undefined && analysis.bestTestAccuracy !== undefined) {
      output.append(facts([s.t('overfitBest', analysis.bestEpoch, s.percent(analysis.bestTestAccuracy))]));
    }
    if (analysis.gapPoints.length > 0) output.append(gapTable(ctx, analysis.gapPoints));
  }
  return section;
}
