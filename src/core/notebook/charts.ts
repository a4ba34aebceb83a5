/**
 * The pictures an export carries, as PNG bytes: accuracy and loss per epoch (training solid with discs,
 * validation dashed with squares, so colour is never the only cue) and the confusion matrix (counts written
 * in every cell, shade by count). Deterministic: the same run gives the same bytes. Labels use the words of
 * the notebook's matplotlib code, which draws the same figures when the notebook is re-run.
 */
import { NUM_CLASSES } from '../../domain/classes';
import type { NotebookEpoch } from './notebookRun';
import { Raster, type Rgb } from './raster';

const INK: Rgb = [34, 34, 34];
const GRID: Rgb = [225, 225, 225];
const TRAIN: Rgb = [31, 119, 180];
const VALIDATION: Rgb = [214, 94, 0];

export type ChartMetric = 'accuracy' | 'loss';

/** Round tick values covering [min, max] with about `count` steps. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max - min < 1e-9) {
    const pad = Math.abs(max) > 0 ? Math.abs(max) * 0.05 : 0.5;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let value = first; value <= max + step * 0.999; value += step) ticks.push(Number(value.toFixed(10)));
  return ticks;
}

function tickLabel(value: number, ticks: number[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
  const decimals = Math.min(4, Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));
  return value.toFixed(decimals);
}

/** One metric per epoch, training and validation, with the legend labels `seriesNames` (e.g. train / test). */
export function epochChartPng(history: NotebookEpoch[], metric: ChartMetric, seriesNames: [string, string]): Buffer {
  const width = 640;
  const height = 420;
  const plot = { left: 92, top: 52, right: width - 24, bottom: height - 62 };
  const raster = new Raster(width, height);
  const train = history.map((m) => (metric === 'accuracy' ? m.accuracy : m.loss));
  const validation = history.map((m) => (metric === 'accuracy' ? m.valAccuracy : m.valLoss));
  const values = [...train, ...validation].filter(Number.isFinite);
  const ticks = niceTicks(Math.min(...values, Infinity), Math.max(...values, -Infinity));
  const low = ticks[0];
  const high = ticks[ticks.length - 1];
  const epochs = history.map((m) => m.epoch);
  const lastEpoch = Math.max(1, ...epochs);
  const firstEpoch = Math.min(lastEpoch, ...epochs);
  const xAt = (epoch: number) =>
    lastEpoch === firstEpoch ? (plot.left + plot.right) / 2 : plot.left + 16 + ((epoch - firstEpoch) / (lastEpoch - firstEpoch)) * (plot.right - plot.left - 32);
  const yAt = (value: number) => plot.bottom - ((value - low) / (high - low || 1)) * (plot.bottom - plot.top);

  for (const tick of ticks) {
    const y = Math.round(yAt(tick));
    raster.fillRect(plot.left, y, plot.right - plot.left, 1, GRID);
    raster.fillRect(plot.left - 5, y, 5, 1, INK);
    raster.text(plot.left - 9, y - Raster.textHeight(2) / 2, tickLabel(tick, ticks), INK, 2, 'right');
  }
  const every = Math.max(1, Math.ceil((lastEpoch - firstEpoch + 1) / 10));
  for (const epoch of epochs.filter((e) => (e - firstEpoch) % every === 0)) {
    const x = Math.round(xAt(epoch));
    raster.fillRect(x, plot.bottom, 1, 5, INK);
    raster.text(x, plot.bottom + 10, String(epoch), INK, 2, 'center');
  }
  raster.fillRect(plot.left, plot.top, 1, plot.bottom - plot.top + 1, INK);
  raster.fillRect(plot.left, plot.bottom, plot.right - plot.left, 1, INK);
  raster.text((plot.left + plot.right) / 2, height - 26, 'epoch', INK, 2, 'center');
  raster.text(14, (plot.top + plot.bottom) / 2, metric, INK, 2, 'center', true);

  const series: { values: number[]; color: Rgb; shape: 'circle' | 'square'; dash?: [number, number] }[] = [
    { values: train, color: TRAIN, shape: 'circle' },
    { values: validation, color: VALIDATION, shape: 'square', dash: [9, 6] },
  ];
  for (const { values: points, color, shape, dash } of series) {
    for (let i = 1; i < points.length; i++) {
      if (!Number.isFinite(points[i - 1]) || !Number.isFinite(points[i])) continue;
      raster.line(xAt(epochs[i - 1]), yAt(points[i - 1]), xAt(epochs[i]), yAt(points[i]), color, 3, dash);
    }
    points.forEach((value, i) => {
      if (Number.isFinite(value)) raster.marker(xAt(epochs[i]), yAt(value), shape, 8, color);
    });
  }

  // Legend above the plot: a short line with its marker, then the name.
  let x = plot.left + 8;
  series.forEach(({ color, shape, dash }, i) => {
    const y = 24;
    raster.line(x, y, x + 34, y, color, 3, dash ? [7, 4] : undefined);
    raster.marker(x + 17, y, shape, 8, color);
    raster.text(x + 44, y - Raster.textHeight(2) / 2, seriesNames[i], INK, 2);
    x += 44 + Raster.textWidth(seriesNames[i], 2) + 36;
  });
  return raster.toPng();
}

/** Blend from white to a dark blue by `fraction` (0..1). */
function shade(fraction: number): Rgb {
  const f = Math.max(0, Math.min(1, fraction));
  const dark: Rgb = [8, 48, 107];
  return [0, 1, 2].map((c) => Math.round(247 + (dark[c] - 247) * f)) as unknown as Rgb;
}

/** The 10 x 10 confusion matrix: rows are true classes, columns predicted, each cell's count written in it. */
export function confusionMatrixPng(confusion: number[][]): Buffer {
  const cell = 52;
  const left = 86;
  const top = 64;
  const size = cell * NUM_CLASSES;
  const raster = new Raster(left + size + 24, top + size + 30);
  const max = Math.max(1, ...confusion.flat());
  for (let truth = 0; truth < NUM_CLASSES; truth++) {
    for (let predicted = 0; predicted < NUM_CLASSES; predicted++) {
      const count = confusion[truth]?.[predicted] ?? 0;
      const fraction = count / max;
      const x = left + predicted * cell;
      const y = top + truth * cell;
      raster.fillRect(x, y, cell, cell, shade(fraction));
      const label = String(count);
      const scale = Raster.textWidth(label, 2) <= cell - 6 ? 2 : 1;
      raster.text(x + cell / 2, y + (cell - Raster.textHeight(scale)) / 2, label, fraction > 0.5 ? [255, 255, 255] : INK, scale, 'center');
    }
  }
  raster.strokeRect(left - 1, top - 1, size + 2, size + 2, INK);
  for (let c = 0; c < NUM_CLASSES; c++) {
    raster.text(left + c * cell + cell / 2, top - 22, String(c), INK, 2, 'center');
    raster.text(left - 12, top + c * cell + (cell - Raster.textHeight(2)) / 2, String(c), INK, 2, 'right');
  }
  raster.text(left + size / 2, 12, 'predicted', INK, 2, 'center');
  raster.text(18, top + size / 2, 'true', INK, 2, 'center', true);
  return raster.toPng();
}
