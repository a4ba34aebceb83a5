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
  test: string;
  xTitle: string;
}

type Metric = 'accuracy' | 'loss';

export class EpochChart {
  private readonly chart: Chart<'line', number[], string>;

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
          legend: { labels: { usePointStyle: true, boxWidth: 8, boxHeight: 8 } },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${format(Number(item.raw))}` } },
        },
      },
    });
    this.applyTheme();
  }

  /** Plots the epochs so far on an axis that already spans the whole run, so the chart does not rescale. */
  setHistory(history: EpochMetrics[], totalEpochs: number): void {
    const byEpoch = new Map(history.map((m) => [m.epoch, m]));
    const last = Math.max(totalEpochs, ...history.map((m) => m.epoch), 1);
    const epochs = Array.from({ length: last }, (_, i) => i + 1);
    const value = (epoch: number, train: boolean): number => {
      const m = byEpoch.get(epoch);
      if (!m) return Number.NaN; // a gap Chart.js leaves undrawn
      return this.metric === 'accuracy' ? (train ? m.accuracy : m.testAccuracy) : train ? m.loss : m.testLoss;
    };
    this.chart.data.labels = epochs.map(String);
    this.chart.data.datasets[0].data = epochs.map((e) => value(e, true));
    this.chart.data.datasets[1].data = epochs.map((e) => value(e, false));
    this.chart.update('none');
  }

  /** Re-reads the theme colours (after VS Code switches theme) and redraws. */
  applyTheme(): void {
    const colors = chartColors();
    const [train, test] = this.chart.data.datasets;
    train.borderColor = train.backgroundColor = colors.train;
    test.borderColor = test.backgroundColor = colors.test;
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
    this.chart.update('none');
  }

  destroy(): void {
    this.chart.destroy();
  }
}
