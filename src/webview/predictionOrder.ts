/**
 * The prediction grid's sort orders, for error analysis: by loss (the cross-entropy of the true class, most
 * wrong first, as fastai's "top losses"), by confidence (the top probability, most sure first) and by
 * uncertainty (the margin between the two most probable classes, closest first). Pure and DOM-free; they
 * only order images the webview already holds, and show no number of their own.
 */
import { NUM_CLASSES } from '../domain/classes';

export type GridSort = 'index' | 'loss' | 'confidence' | 'uncertain';

export const GRID_SORTS: readonly GridSort[] = ['index', 'loss', 'confidence', 'uncertain'];

/** What ordering needs: row-major probabilities (floats, or quantized levels: only the order matters) and labels. */
export interface Scored {
  probabilities: ArrayLike<number>;
  labels: ArrayLike<number>;
}

/** The key an image sorts by, ascending: smaller comes first. */
function sortKey(sort: GridSort, scored: Scored, index: number): number {
  const row = index * NUM_CLASSES;
  const p = scored.probabilities;
  switch (sort) {
    case 'index':
      return index;
    case 'loss':
      // -log p(true) is largest where p(true) is smallest: ascending p(true) is descending loss.
      return p[row + scored.labels[index]];
    case 'confidence': {
      let top = 0;
      for (let c = 0; c < NUM_CLASSES; c++) top = Math.max(top, p[row + c]);
      return -top;
    }
    case 'uncertain': {
      let first = -Infinity;
      let second = -Infinity;
      for (let c = 0; c < NUM_CLASSES; c++) {
        const v = p[row + c];
        if (v > first) {
          second = first;
          first = v;
        } else if (v > second) {
          second = v;
        }
      }
      return first - second;
    }
  }
}

/** `indices` in the order `sort` asks for; ties keep test-set order. A new array. */
export function sortIndices(indices: readonly number[], scored: Scored, sort: GridSort): number[] {
  if (sort === 'index') return indices.slice();
  // Keys by position, then a typed sort of positions: ~10x faster than a comparator reading a Map for 10,000.
  const keys = new Float64Array(indices.length);
  indices.forEach((index, k) => (keys[k] = sortKey(sort, scored, index)));
  const order = Uint32Array.from(indices.keys());
  order.sort((a, b) => keys[a] - keys[b] || indices[a] - indices[b]);
  return Array.from(order, (k) => indices[k]);
}

export function sanitizeSort(value: unknown): GridSort {
  return GRID_SORTS.includes(value as GridSort) ? (value as GridSort) : 'index';
}
