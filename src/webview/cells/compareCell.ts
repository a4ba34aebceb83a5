/**
 * The compare view: runs from the run history side by side, above the notebook. Their curves overlaid
 * (one colour per run; training solid, validation or test dashed), a table of only the settings that
 * differ, best and last metrics side by side, and per-class test accuracy with its difference from the
 * first run. Every number comes from the host (src/core/runs/runComparison.ts).
 */
import * as l10n from '@vscode/l10n';
import type { RunComparison } from '../../domain/runComparison';
import { CompareChart } from '../compareCharts';
import { h, table } from '../dom';
import { chartColors } from '../theme';
import type { ViewContext } from '../viewContext';
import type { Label } from '../strings';

const SETTING_LABELS: Record<string, Label> = {
  hiddenLayers: () => l10n.t('Hidden layers'),
  dropout: () => l10n.t('Dropout'),
  l2: () => l10n.t('L2'),
  epochs: () => l10n.t('Epochs'),
  batchSize: () => l10n.t('Batch size'),
  learningRate: () => l10n.t('Learning rate'),
  validationSplit: () => l10n.t('Validation split'),
  earlyStopping: () => l10n.t('Stop early'),
  restoreBestWeights: () => l10n.t('Keep the best epoch’s weights'),
  trainImages: () => l10n.t('Training images'),
  testImages: () => l10n.t('Test images'),
  seed: () => l10n.t('Seed'),
  backend: () => l10n.t('Backend that ran'),
  data: () => l10n.t('Data checksum'),
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
      const canvas = h('canvas', { attrs: { role: 'img', 'aria-label': l10n.t('Line chart of each run’s training and held-out curves per epoch. The tables below hold the numbers.') } });
      const box = h('figure', { className: 'chart-box' }, [
        h('figcaption', { text: metric === 'accuracy' ? l10n.t('Accuracy per epoch, all runs') : l10n.t('Loss per epoch, all runs') }),
        h('div', { className: 'chart-canvas' }, [canvas]),
      ]);
      return { metric, canvas, box };
    });
    const percent = (value: number | undefined) => (value === undefined ? l10n.t('n/a') : s.percent(value));
    const ended = (end: RunComparison['metrics'][number]['end']) =>
      end === 'earlyStopped' ? l10n.t('stopped early') : end === 'stopped' ? l10n.t('stopped by you') : end === 'failed' ? l10n.t('failed') : l10n.t('all epochs');
    const metricRows: [string, (m: RunComparison['metrics'][number]) => string][] = [
      [l10n.t('Ended'), (m) => ended(m.end)],
      [l10n.t('Epochs trained'), (m) => String(m.epochsRun)],
      [l10n.t('Best epoch'), (m) => (m.bestEpoch === undefined ? l10n.t('n/a') : String(m.bestEpoch))],
      [l10n.t('Best epoch: monitored accuracy'), (m) => percent(m.best?.valAccuracy ?? m.best?.testAccuracy)],
      [l10n.t('Best epoch: test accuracy'), (m) => percent(m.best?.testAccuracy)],
      [l10n.t('Last epoch: test accuracy'), (m) => percent(m.last?.testAccuracy)],
      [l10n.t('Last epoch: training accuracy'), (m) => percent(m.last?.accuracy)],
      [l10n.t('Last epoch: gap (points)'), (m) => (m.last === undefined ? l10n.t('n/a') : s.signedPoints((m.last.accuracy - m.last.testAccuracy) * 100))],
      [l10n.t('Model holds'), (m) => m.weights === 'best' ? l10n.t('best epoch’s weights') : l10n.t('last epoch’s weights')],
    ];
    const closeButton = h('button', {
      className: 'secondary',
      text: one ? l10n.t('Close') : l10n.t('Close comparison'),
      attrs: { type: 'button', 'data-focus-key': 'compare-close' },
      on: { click: () => ctx.post({ type: 'closeComparison' }) },
    });
    const differences = one
      ? null
      : comparison.differences.length === 0
      ? h('p', { text: l10n.t('The runs have the same settings.') })
      : table(l10n.t('Settings that differ'), [l10n.t('Setting'), ...runHeaders], comparison.differences.map((row) => [SETTING_LABELS[row.key]?.() ?? row.key, ...row.values]), 'data-table compare-table');
    const signed = (d: number | undefined) => (d === undefined ? l10n.t('n/a') : s.signedPoints(d * 100));
    const perClass = table(
      one ? l10n.t('Test accuracy per class') : l10n.t('Test accuracy per class, and the difference from run 1 (points)'),
      [l10n.t('Class'), ...comparison.ids.map((_, i) => `${i + 1}`), ...comparison.ids.slice(1).map((_, i) => l10n.t('{0} − 1', i + 2))],
      comparison.perClass.map((row, c) => [s.className(c), ...row.accuracy.map(percent), ...row.difference.slice(1).map(signed)]),
      'data-table compare-table',
      Array.from({ length: comparison.ids.length * 2 }, (_, i) => i + 1),
    );
    this.section = h('section', { className: 'cell cell-compare', attrs: { id: 'cell-compare', tabindex: -1, 'aria-labelledby': 'cell-compare-title' } }, [
      h('header', { className: 'cell-header' }, [h('h2', { className: 'cell-title', text: one ? l10n.t('Run {0}', comparison.ids[0]) : l10n.t('Compare {0} runs', comparison.ids.length), attrs: { id: 'cell-compare-title' } }), closeButton]),
      h('p', { className: 'cell-explain', text: one ? l10n.t('A run from the run history: its curves (training solid, validation or test dashed), best and last epochs and test accuracy per class. To compare runs, select two or more in the Runs view and choose Compare Runs.') : l10n.t('Runs from the run history side by side: one colour per run, training solid and validation (or test) dashed, as the TensorFlow tutorial “Overfit and underfit” plots them. The first run is the baseline for the differences.') }),
      h('div', { className: 'cell-output' }, [
        h('ol', { className: 'compare-runs' }, comparison.labels.map((label, i) => h('li', {}, [this.swatches[i], `${label} (${comparison.ids[i]})`]))),
        h('div', { className: 'charts' }, chartBoxes.map((c) => c.box)),
        differences,
        table(one ? l10n.t('Best and last epoch') : l10n.t('Best and last epoch, side by side'), [l10n.t('Measure'), ...runHeaders], metricRows.map(([label, value]) => [label, ...comparison.metrics.map(value)]), 'data-table compare-table'),
        perClass,
      ]),
    ]);
    queueMicrotask(() => {
      for (const { metric, canvas } of chartBoxes) {
        const format = metric === 'accuracy' ? (v: number) => s.percent(v, 0) : (v: number) => s.fixed(v, 2);
        this.charts.push(
          new CompareChart(canvas, comparison, metric, {
            train: (run) => l10n.t('Run {0} training', run),
            heldOut: (run, on) => on === 'validation' ? l10n.t('Run {0} validation', run) : l10n.t('Run {0} test', run),
            xTitle: l10n.t('Epoch'),
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
