/**
 * The compare view: runs from the run history side by side, above the notebook. Their curves overlaid
 * (one colour per run; training solid, validation or test dashed), a table of only the settings that
 * differ, best and last metrics side by side, and per-class test accuracy with its difference from the
 * first run. Every number comes from the host (src/core/runs/runComparison.ts).
 */
import type { RunComparison } from '../../domain/runComparison';
import type { DashboardStringKey } from '../../protocol/dashboardStringKeys';
import { CompareChart } from '../compareCharts';
import { h, table } from '../dom';
import { chartColors } from '../theme';
import type { ViewContext } from '../viewContext';

const SETTING_LABELS: Record<string, DashboardStringKey> = {
  hiddenLayers: 'paramLayers',
  dropout: 'paramDropout',
  l2: 'paramL2',
  epochs: 'paramEpochs',
  batchSize: 'paramBatchSize',
  learningRate: 'paramLearningRate',
  validationSplit: 'paramValidationSplit',
  earlyStopping: 'paramEarlyStopping',
  restoreBestWeights: 'paramRestoreBest',
  trainImages: 'compareTrainImages',
  testImages: 'compareTestImages',
  seed: 'compareSeed',
  backend: 'compareBackendUsed',
  data: 'compareData',
};

export class CompareCell {
  readonly section: HTMLElement;
  private readonly charts: CompareChart[] = [];
  /** Each run's colour beside its name: the colour its curves are drawn in. */
  private readonly swatches: HTMLElement[];

  constructor(ctx: ViewContext, comparison: RunComparison) {
    const { s } = ctx;
    const runHeaders = comparison.labels.map((label, i) => `${i + 1}: ${label}`);
    // One run (Open Run in the Runs view): its own numbers, nothing to tell apart.
    const one = comparison.ids.length === 1;
    this.swatches = comparison.ids.map(() => h('span', { className: 'run-swatch', attrs: { 'aria-hidden': 'true' } }));
    this.paintSwatches();
    const chartBoxes = (['accuracy', 'loss'] as const).map((metric) => {
      const canvas = h('canvas', { attrs: { role: 'img', 'aria-label': s.t('compareChartAria') } });
      const box = h('figure', { className: 'chart-box' }, [
        h('figcaption', { text: s.t(metric === 'accuracy' ? 'compareAccuracyTitle' : 'compareLossTitle') }),
        h('div', { className: 'chart-canvas' }, [canvas]),
      ]);
      return { metric, canvas, box };
    });
    const percent = (value: number | undefined) => (value === undefined ? s.t('notAvailable') : s.percent(value));
    const ended = (end: RunComparison['metrics'][number]['end']) =>
      s.t(end === 'earlyStopped' ? 'compareEndedEarly' : end === 'stopped' ? 'compareEndedStopped' : end === 'failed' ? 'compareEndedFailed' : 'compareEndedAll');
    const metricRows: [DashboardStringKey, (m: RunComparison['metrics'][number]) => string][] = [
      ['compareRowEnded', (m) => ended(m.end)],
      ['compareRowEpochs', (m) => String(m.epochsRun)],
      ['compareRowBestEpoch', (m) => (m.bestEpoch === undefined ? s.t('notAvailable') : String(m.bestEpoch))],
      ['compareRowBestHeldOut', (m) => percent(m.best?.valAccuracy ?? m.best?.testAccuracy)],
      ['compareRowBestTest', (m) => percent(m.best?.testAccuracy)],
      ['compareRowLastTest', (m) => percent(m.last?.testAccuracy)],
      ['compareRowLastTrain', (m) => percent(m.last?.accuracy)],
      ['compareRowGap', (m) => (m.last === undefined ? s.t('notAvailable') : s.signedPoints((m.last.accuracy - m.last.testAccuracy) * 100))],
      ['compareRowWeights', (m) => s.t(m.weights === 'best' ? 'compareWeightsBest' : 'compareWeightsLast')],
    ];
    const closeButton = h('button', {
      className: 'secondary',
      text: s.t(one ? 'detailClose' : 'compareClose'),
      attrs: { type: 'button', 'data-focus-key': 'compare-close' },
      on: { click: () => ctx.post({ type: 'closeComparison' }) },
    });
    const differences = one
      ? null
      : comparison.differences.length === 0
      ? h('p', { text: s.t('compareSameSettings') })
      : table(s.t('compareSettingsCaption'), [s.t('compareSetting'), ...runHeaders], comparison.differences.map((row) => [SETTING_LABELS[row.key] ? s.t(SETTING_LABELS[row.key]) : row.key, ...row.values]), 'data-table compare-table');
    const signed = (d: number | undefined) => (d === undefined ? s.t('notAvailable') : s.signedPoints(d * 100));
    const perClass = table(
      s.t(one ? 'compareOnePerClassCaption' : 'comparePerClassCaption'),
      [s.t('colClass'), ...comparison.ids.map((_, i) => `${i + 1}`), ...comparison.ids.slice(1).map((_, i) => s.t('compareDifference', i + 2))],
      comparison.perClass.map((row, c) => [s.className(c), ...row.accuracy.map(percent), ...row.difference.slice(1).map(signed)]),
      'data-table compare-table',
      Array.from({ length: comparison.ids.length * 2 }, (_, i) => i + 1),
    );
    this.section = h('section', { className: 'cell cell-compare', attrs: { id: 'cell-compare', tabindex: -1, 'aria-labelledby': 'cell-compare-title' } }, [
      h('header', { className: 'cell-header' }, [h('h2', { className: 'cell-title', text: one ? s.t('compareOneTitle', comparison.ids[0]) : s.t('compareTitle', comparison.ids.length), attrs: { id: 'cell-compare-title' } }), closeButton]),
      h('p', { className: 'cell-explain', text: s.t(one ? 'compareOneExplain' : 'compareExplain') }),
      h('div', { className: 'cell-output' }, [
        h('ol', { className: 'compare-runs' }, comparison.labels.map((label, i) => h('li', {}, [this.swatches[i], `${label} (${comparison.ids[i]})`]))),
        h('div', { className: 'charts' }, chartBoxes.map((c) => c.box)),
        differences,
        table(s.t(one ? 'compareOneMetricsCaption' : 'compareMetricsCaption'), [s.t('compareMetric'), ...runHeaders], metricRows.map(([key, value]) => [s.t(key), ...comparison.metrics.map(value)]), 'data-table compare-table'),
        perClass,
      ]),
    ]);
    queueMicrotask(() => {
      for (const { metric, canvas } of chartBoxes) {
        const format = metric === 'accuracy' ? (v: number) => s.percent(v, 0) : (v: number) => s.fixed(v, 2);
        this.charts.push(
          new CompareChart(canvas, comparison, metric, {
            train: (run) => s.t('compareSeriesTrain', run),
            heldOut: (run, on) => s.t(on === 'validation' ? 'compareSeriesValidation' : 'compareSeriesTest', run),
            xTitle: s.t('colEpoch'),
          }, format),
        );
      }
    });
  }

  applyTheme(): void {
    for (const chart of this.charts) chart.applyTheme();
    this.paintSwatches();
  }

  private paintSwatches(): void {
    const { series } = chartColors();
    this.swatches.forEach((swatch, i) => {
      swatch.style.backgroundColor = series[i % series.length];
    });
  }

  destroy(): void {
    for (const chart of this.charts) chart.destroy();
    this.charts.length = 0;
  }
}
