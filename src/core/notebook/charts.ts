/**
 * The pictures an export carries, as SVG: accuracy and loss per epoch (training solid with discs, validation
 * dashed with squares, so colour is never the only cue) and the confusion matrix (counts written in every
 * cell, shade by count). The reader's fonts draw the text, so it is crisp at any size and Chinese labels
 * read as well as English ones. Deterministic: the same run and labels give the same bytes. Every label is
 * escaped (svg.ts): whatever a translation or a run holds, it stays text.
 */
import { NUM_CLASSES } from '../../domain/classes';
import type { NotebookEpoch } from './notebookRun';
import { element, svgDocument, text, textWidth } from './svg';

const INK = '#222222';
const GRID = '#e1e1e1';
const TRAIN = '#1f77b4';
const VALIDATION = '#d65e00';
const FONT_SIZE = 14;

export type ChartMetric = 'accuracy' | 'loss';

/** The words on the charts, in the notebook's language (notebookStrings.ts fills them). */
export interface ChartStrings {
  epoch: string;
  accuracy: string;
  loss: string;
  training: string;
  /** The second series when a split of the training images is held out... */
  validation: string;
  /** ...and when the test set validates each epoch. */
  test: string;
  accuracyTitle: string;
  lossTitle: string;
  confusionTitle: string;
  predicted: string;
  truth: string;
}

/** Pixel sizes of the charts (also the notebook's "<Figure size …>" text). */
export const EPOCH_CHART_SIZE = { width: 640, height: 420 } as const;
export const CONFUSION_CHART_SIZE = { width: 630, height: 614 } as const;

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
  // As many decimals as the step needs (0.025 -> 3), so no two ticks read alike.
  let decimals = 0;
  while (decimals < 6 && Math.abs(step * 10 ** decimals - Math.round(step * 10 ** decimals)) > 1e-6) decimals++;
  return value.toFixed(decimals);
}

type Shape = 'circle' | 'square';

function marker(x: number, y: number, shape: Shape, color: string): string {
  return shape === 'circle' ? element('circle', { cx: x, cy: y, r: 4.5, fill: color }) : element('rect', { x: x - 4, y: y - 4, width: 8, height: 8, fill: color });
}

/** One metric per epoch, training and validation (or test, `validatesOnTest`), labelled in `s`'s language. */
export function epochChartSvg(history: NotebookEpoch[], metric: ChartMetric, validatesOnTest: boolean, s: ChartStrings): string {
  const { width, height } = EPOCH_CHART_SIZE;
  const plot = { left: 84, top: 52, right: width - 24, bottom: height - 62 };
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
  const body: string[] = [];

  const yAxis = ticks.map((tick) => {
    const y = yAt(tick);
    return [
      element('line', { x1: plot.left, y1: y, x2: plot.right, y2: y, stroke: GRID }),
      element('line', { x1: plot.left - 5, y1: y, x2: plot.left, y2: y, stroke: INK }),
      text(tickLabel(tick, ticks), { x: plot.left - 9, y, 'text-anchor': 'end', 'dominant-baseline': 'central' }),
    ].join('');
  });
  body.push(element('g', { class: 'y-axis', 'font-size': FONT_SIZE - 1, fill: INK }, ...yAxis));
  const every = Math.max(1, Math.ceil((lastEpoch - firstEpoch + 1) / 10));
  const xAxis = epochs
    .filter((e) => (e - firstEpoch) % every === 0)
    .map((epoch) => element('line', { x1: xAt(epoch), y1: plot.bottom, x2: xAt(epoch), y2: plot.bottom + 5, stroke: INK }) + text(String(epoch), { x: xAt(epoch), y: plot.bottom + 20, 'text-anchor': 'middle' }));
  body.push(element('g', { class: 'x-axis', 'font-size': FONT_SIZE - 1, fill: INK }, ...xAxis));
  body.push(element('path', { d: `M${plot.left} ${plot.top}V${plot.bottom}H${plot.right}`, fill: 'none', stroke: INK }));
  body.push(text(s.epoch, { class: 'x-title', x: (plot.left + plot.right) / 2, y: height - 20, 'text-anchor': 'middle', 'font-size': FONT_SIZE, fill: INK }));
  const yMiddle = (plot.top + plot.bottom) / 2;
  const yTitle = metric === 'accuracy' ? s.accuracy : s.loss;
  body.push(text(yTitle, { class: 'y-title', x: 22, y: yMiddle, transform: `rotate(-90 22 ${yMiddle})`, 'text-anchor': 'middle', 'font-size': FONT_SIZE, fill: INK }));

  const series: { name: string; values: number[]; color: string; shape: Shape; dash?: string }[] = [
    { name: s.training, values: train, color: TRAIN, shape: 'circle' },
    { name: validatesOnTest ? s.test : s.validation, values: validation, color: VALIDATION, shape: 'square', dash: '9 6' },
  ];
  let legendX = plot.left + 8;
  for (const { name, values: points, color, shape, dash } of series) {
    // A line breaks where a value is missing (NaN), as matplotlib draws it.
    const path = points
      .map((value, i) => (Number.isFinite(value) ? `${i > 0 && Number.isFinite(points[i - 1]) ? 'L' : 'M'}${xAt(epochs[i]).toFixed(2)} ${yAt(value).toFixed(2)}` : ''))
      .join('');
    const markers = points.flatMap((value, i) => (Number.isFinite(value) ? [marker(xAt(epochs[i]), yAt(value), shape, color)] : []));
    const legend = [
      element('line', { x1: legendX, y1: 24, x2: legendX + 34, y2: 24, stroke: color, 'stroke-width': 3, 'stroke-dasharray': dash ? '7 4' : undefined }),
      marker(legendX + 17, 24, shape, color),
      text(name, { x: legendX + 44, y: 24, 'dominant-baseline': 'central', 'font-size': FONT_SIZE, fill: INK }),
    ];
    legendX += 44 + textWidth(name, FONT_SIZE) + 36;
    body.push(
      element(
        'g',
        { class: 'series', 'data-series': shape === 'circle' ? 'training' : 'validation' },
        ...(path ? [element('path', { d: path, fill: 'none', stroke: color, 'stroke-width': 3, 'stroke-linejoin': 'round', 'stroke-dasharray': dash })] : []),
        ...markers,
        ...legend,
      ),
    );
  }
  return svgDocument(width, height, metric === 'accuracy' ? s.accuracyTitle : s.lossTitle, body);
}

/** Blend from white to a dark blue by `fraction` (0..1). */
function shade(fraction: number): string {
  const f = Math.max(0, Math.min(1, fraction));
  const channels = [8, 48, 107].map((dark) => Math.round(247 + (dark - 247) * f));
  return `#${channels.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** The 10 x 10 confusion matrix: rows are true classes, columns predicted, each cell's count written in it. */
export function confusionMatrixSvg(confusion: number[][], s: ChartStrings): string {
  const { width, height } = CONFUSION_CHART_SIZE;
  const cell = 52;
  const left = 86;
  const top = 64;
  const size = cell * NUM_CLASSES;
  const max = Math.max(1, ...confusion.flat());
  const cells: string[] = [];
  for (let truth = 0; truth < NUM_CLASSES; truth++) {
    for (let predicted = 0; predicted < NUM_CLASSES; predicted++) {
      const count = confusion[truth]?.[predicted] ?? 0;
      const x = left + predicted * cell;
      const y = top + truth * cell;
      cells.push(
        element('rect', { x, y, width: cell, height: cell, fill: shade(count / max) }),
        text(String(count), { x: x + cell / 2, y: y + cell / 2, fill: count / max > 0.5 ? '#ffffff' : INK, 'font-size': String(count).length > 4 ? FONT_SIZE - 3 : FONT_SIZE }),
      );
    }
  }
  const labels: string[] = [];
  for (let c = 0; c < NUM_CLASSES; c++) {
    labels.push(text(String(c), { x: left + c * cell + cell / 2, y: top - 14 }));
    labels.push(text(String(c), { x: left - 16, y: top + c * cell + cell / 2 }));
  }
  const middle = top + size / 2;
  return svgDocument(width, height, s.confusionTitle, [
    element('g', { class: 'cells', 'text-anchor': 'middle', 'dominant-baseline': 'central' }, ...cells),
    element('rect', { x: left - 0.5, y: top - 0.5, width: size + 1, height: size + 1, fill: 'none', stroke: INK }),
    element('g', { class: 'class-labels', 'text-anchor': 'middle', 'dominant-baseline': 'central', 'font-size': FONT_SIZE, fill: INK }, ...labels),
    text(s.predicted, { class: 'x-title', x: left + size / 2, y: 22, 'text-anchor': 'middle', 'font-size': FONT_SIZE, fill: INK }),
    text(s.truth, { class: 'y-title', x: 26, y: middle, transform: `rotate(-90 26 ${middle})`, 'text-anchor': 'middle', 'font-size': FONT_SIZE, fill: INK }),
  ]);
}
