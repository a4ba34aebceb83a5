/**
 * The compare view's charts: one metric per epoch for several runs on one chart, as TensorFlow's
 * "Overfit and underfit" tutorial plots them: one colour per run, training solid, validation (or test,
 * without a validation split) dashed.
 */
import { Chart } from 'chart.js';
import type { RunComparison } from '../domain/runComparison';
import { chartColors } from './theme';

export interface CompareLabels {
  train: (run: string) => string;
  heldOut: (run: string, on: 'validation' | 'test') => string;
  xTitle: string;
}

export class CompareChart {
  private readonly chart: Chart<'line', number[], string>;

  constructor(canvas: HTMLCanvasElement, comparison: RunComparison, metric: 'accuracy' | 'loss', labels: CompareLabels, format: (value: number) => string) {
    const colors = chartColors();
    const pick = (m: RunComparison['curves'][number]['runs'][number], held: boolean, on: 'validation' | 'test'): number => {
      // An epoch a run did not reach: undefined here, null once the state has been through JSON.
      if (m == null) return Number.NaN;
      if (!held) return metric === 'accuracy' ? m.accuracy : m.loss;
      if (on === 'validation') return (metric === 'accuracy' ? m.valAccuracy : m.valLoss) ?? Number.NaN;
      return metric === 'accuracy' ? m.testAccuracy : m.testLoss;
    };
    const datasets = comparison.ids.flatMap((_, run) => {
      const color = colors.series[run % colors.series.length];
      const on = comparison.monitoredOn[run];
      const name = `${run + 1}`;
      return [
        { label: labels.train(name), data: comparison.curves.map((c) => pick(c.runs[run], false, on)), borderColor: color, backgroundColor: color, borderWidth: 2, pointStyle: 'circle' as const },
        { label: labels.heldOut(name, on), data: comparison.curves.map((c) => pick(c.runs[run], true, on)), borderColor: color, backgroundColor: color, borderWidth: 2, borderDash: [6, 4], pointStyle: 'rect' as const },
      ];
    });
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { labels: comparison.curves.map((c) => String(c.epoch)), datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { title: { display: true, text: labels.xTitle, color: colors.text }, grid: { color: colors.grid }, ticks: { color: colors.text } },
          y: { ticks: { callback: (value) => format(Number(value)), color: colors.text }, grid: { color: colors.grid } },
        },
        plugins: {
          legend: { labels: { usePointStyle: true, boxWidth: 8, boxHeight: 8, color: colors.text } },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${format(Number(item.raw))}` } },
        },
      },
    });
  }

  /** VS Code switched the colour theme: the runs' colours, the axes and the legend in the new theme's. */
  applyTheme(): void {
    const colors = chartColors();
    this.chart.data.datasets.forEach((dataset, i) => {
      const color = colors.series[Math.floor(i / 2) % colors.series.length];
      dataset.borderColor = dataset.backgroundColor = color;
    });
    const { scales, plugins } = this.chart.options;
    for (const scale of [scales?.x, scales?.y]) {
      if (!scale) continue;
      scale.grid = { ...(scale.grid ?? {}), color: colors.grid };
      scale.ticks = { ...(scale.ticks ?? {}), color: colors.text };
      if ('title' in scale && scale.title) scale.title.color = colors.text;
    }
    if (plugins?.legend?.labels) plugins.legend.labels.color = colors.text;
    // A full update: with 'none' Chart.js keeps the points' colours of the old theme.
    this.chart.update();
  }

  destroy(): void {
    this.chart.destroy();
  }
}
