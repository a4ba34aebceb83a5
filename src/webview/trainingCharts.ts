/**
 * The live training charts (accuracy and loss per epoch, training vs test), drawn by Chart.js. Only the
 * components used are registered, to keep the bundle small. The charts are created once and updated in
 * place as epochs arrive; animation is off so a live update costs one redraw.
 * Chart.js needs no eval and writes canvas styles through the CSSOM, so it runs under the panel's CSP.
 */
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { EpochMetrics } from '../domain/metrics';
import { chartColors } from './theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

export interface SeriesLabels {
  train: string;
  validation: string;
  test: string;
  /** The best epoch's mark, in the tooltip. */
  best: string;
  xTitle: string;
}

type Metric = 'accuracy' | 'loss';

export class EpochChart {
  private readonly chart: Chart<'line', number[], string>;
  private bestEpoch: number | undefined;

  constructor(
    canvas: HTMLCanvasElement,
    private readonly metric: Metric,
    labels: SeriesLabels,
    format: (value: number) => string,
  ) {
    const colors = chartColors();
    this.chart = new Chart(canvas, {
      type: 'line',
      data: {
        labels: [],
        datasets: [
          // Training: solid line, round points. Test: dashed line, square points. Never colour alone.
          { label: labels.train, data: [], borderColor: colors.train, backgroundColor: colors.train, pointStyle: 'circle', borderWidth: 2 },
          { label: labels.test, data: [], borderColor: colors.test, backgroundColor: colors.test, pointStyle: 'rect', borderDash: [6, 4], borderWidth: 2 },
          // Validation (only with a validation split): dashed too, triangles, its own colour.
          { label: labels.validation, data: [], borderColor: colors.validation, backgroundColor: colors.validation, pointStyle: 'triangle', borderDash: [2, 3], borderWidth: 2, hidden: true },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { title: { display: true, text: labels.xTitle } },
          y: {
            ticks: { callback: (value) => format(Number(value)) },
            // A sensible empty range before the first epoch; the data widens it when needed.
            ...(metric === 'accuracy' ? { suggestedMin: 0.8, suggestedMax: 1 } : { suggestedMin: 0, suggestedMax: 0.5 }),
          },
        },
        plugins: {
          // A series with no data (validation, without a validation split) is left out, not shown struck through.
          legend: { labels: { usePointStyle: true, boxWidth: 8, boxHeight: 8, filter: (item, data) => data.datasets[item.datasetIndex ?? 0].data.some((v) => Number.isFinite(v)) } },
          tooltip: {
            callbacks: {
              label: (item) => `${item.dataset.label ?? ''}: ${format(Number(item.raw))}`,
              footer: (items) => (items.length > 0 && Number(items[0].label) === this.bestEpoch ? `★ ${labels.best}` : ''),
            },
          },
        },
      },
    });
    this.applyTheme();
  }

  /** Plots the epochs so far on an axis that already spans the whole run, so the chart does not rescale. */
  setHistory(history: EpochMetrics[], totalEpochs: number, bestEpoch?: number): void {
    const byEpoch = new Map(history.map((m) => [m.epoch, m]));
    const last = Math.max(totalEpochs, ...history.map((m) => m.epoch), 1);
    const epochs = Array.from({ length: last }, (_, i) => i + 1);
    const accuracy = this.metric === 'accuracy';
    // A gap (NaN) is left undrawn by Chart.js.
    const series = (pick: (m: EpochMetrics) => number | undefined) => epochs.map((e) => {
      const m = byEpoch.get(e);
      return m === undefined ? Number.NaN : (pick(m) ?? Number.NaN);
    });
    this.bestEpoch = bestEpoch;
    const [train, test, validation] = this.chart.data.datasets;
    this.chart.data.labels = epochs.map(String);
    train.data = series((m) => (accuracy ? m.accuracy : m.loss));
    test.data = series((m) => (accuracy ? m.testAccuracy : m.testLoss));
    validation.data = series((m) => (accuracy ? m.valAccuracy : m.valLoss));
    validation.hidden = history.every((m) => m.valLoss === undefined);
    // The best epoch: a larger point on the held-out curve it was judged by (validation, else test).
    const judged = validation.hidden ? test : validation;
    for (const dataset of [test, validation]) {
      dataset.pointRadius = epochs.map((e) => (dataset === judged && e === bestEpoch ? 7 : 3));
    }
    this.chart.update('none');
  }

  /** Re-reads the theme colours (after VS Code switches theme) and redraws. */
  applyTheme(): void {
    const colors = chartColors();
    const [train, test, validation] = this.chart.data.datasets;
    train.borderColor = train.backgroundColor = colors.train;
    test.borderColor = test.backgroundColor = colors.test;
    validation.borderColor = validation.backgroundColor = colors.validation;
    const options = this.chart.options;
    for (const scale of [options.scales?.x, options.scales?.y]) {
      if (!scale) continue;
      scale.grid = { ...(scale.grid ?? {}), color: colors.grid };
      scale.ticks = { ...(scale.ticks ?? {}), color: colors.text };
      if ('title' in scale && scale.title) scale.title.color = colors.text;
    }
    if (options.plugins?.legend?.labels) options.plugins.legend.labels.color = colors.text;
    Chart.defaults.font.family = colors.font;
    Chart.defaults.color = colors.text;
    // A full update: with 'none' Chart.js keeps the points' colours of the old theme.
    this.chart.update();
  }

  destroy(): void {
    this.chart.destroy();
  }
}
