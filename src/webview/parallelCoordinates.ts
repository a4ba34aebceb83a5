/**
 * The Sweep view's parallel-coordinates chart (as TensorBoard's HParams and Optuna draw it): one vertical
 * axis per swept setting and one for the test accuracy, each trial a line across its settings to its
 * accuracy. SVG drawn with the theme's colours through classes (media/dashboard.css), so a theme switch
 * needs no redraw. The table beside it holds the same numbers for a screen reader.
 */
const SVG = 'http://www.w3.org/2000/svg';

export interface CoordinateAxis {
  label: string;
  /** Each line's value on this axis (undefined: the line stops before it). */
  values: (number | undefined)[];
  format(value: number): string;
}

export interface CoordinateLine {
  kind: 'best' | 'pruned' | 'other';
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

const WIDTH = 640;
const HEIGHT = 240;
const TOP = 34;
const BOTTOM = 24;
const SIDE = 60;

export function parallelCoordinates(axes: readonly CoordinateAxis[], lines: readonly CoordinateLine[], description: string): SVGSVGElement {
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'parallel-coordinates', role: 'img', 'aria-label': description });
  const step = axes.length > 1 ? (WIDTH - 2 * SIDE) / (axes.length - 1) : 0;
  const x = (a: number) => SIDE + a * step;
  const scales = axes.map((axis) => {
    const known = axis.values.filter((v): v is number => v !== undefined && Number.isFinite(v));
    const low = Math.min(...known);
    const high = Math.max(...known);
    return { low, high, y: (v: number) => (high === low ? (TOP + HEIGHT - BOTTOM) / 2 : HEIGHT - BOTTOM - ((v - low) / (high - low)) * (HEIGHT - BOTTOM - TOP)) };
  });
  axes.forEach((axis, a) => {
    const group = svg('g', { class: 'pc-axis' });
    group.append(svg('line', { x1: x(a), x2: x(a), y1: TOP, y2: HEIGHT - BOTTOM }));
    group.append(svg('text', { x: x(a), y: 14, 'text-anchor': 'middle' }, axis.label));
    const { low, high } = scales[a];
    if (Number.isFinite(low)) {
      group.append(svg('text', { x: x(a), y: HEIGHT - 6, 'text-anchor': 'middle' }, axis.format(low)));
      if (high !== low) group.append(svg('text', { x: x(a), y: TOP - 6, 'text-anchor': 'middle' }, axis.format(high)));
    }
    chart.append(group);
  });
  // The best line last, on top.
  const order = lines.map((_, i) => i).sort((i, j) => Number(lines[i].kind === 'best') - Number(lines[j].kind === 'best'));
  for (const i of order) {
    const points: string[] = [];
    axes.forEach((axis, a) => {
      const value = axis.values[i];
      if (value !== undefined && Number.isFinite(value)) points.push(`${x(a).toFixed(1)},${scales[a].y(value).toFixed(1)}`);
    });
    if (points.length > 1) chart.append(svg('polyline', { points: points.join(' '), class: `pc-line pc-${lines[i].kind}` }));
  }
  return chart;
}
