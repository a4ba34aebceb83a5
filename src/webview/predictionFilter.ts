/**
 * Which test images the prediction grid shows, and which page of them. Pure view logic (no DOM), so it is
 * unit-tested directly. The grid never holds all 10,000 images: it asks the host for one page of pixels.
 */
import * as l10n from '@vscode/l10n';
import { NUM_CLASSES } from '../domain/classes';
import type { Predictions } from '../domain/metrics';
import type { Strings } from './strings';

export type GridFilter =
  | { kind: 'all' }
  | { kind: 'misclassified' }
  | { kind: 'trueClass'; cls: number }
  | { kind: 'predictedClass'; cls: number }
  /** One confusion-matrix cell: images of class `trueClass` that the model called `predicted`. */
  | { kind: 'cell'; trueClass: number; predicted: number }
  /** Right at the epoch shown and wrong at the epoch before (at the first epoch: right). */
  | { kind: 'learned' }
  /** Wrong at the epoch shown and right at the epoch before. */
  | { kind: 'forgotten' };

export const PAGE_SIZE = 100;

type Labelled = Pick<Predictions, 'predicted' | 'labels' | 'count'>;

function matches(filter: GridFilter, truth: number, guess: number, before: number | undefined): boolean {
  switch (filter.kind) {
    case 'all':
      return true;
    case 'misclassified':
      return truth !== guess;
    case 'trueClass':
      return truth === filter.cls;
    case 'predictedClass':
      return guess === filter.cls;
    case 'cell':
      return truth === filter.trueClass && guess === filter.predicted;
    case 'learned':
      return truth === guess && before !== truth;
    case 'forgotten':
      return truth !== guess && before === truth;
  }
}

/**
 * Indices of the test images that pass the filter, in test-set order. `previous` is the predicted classes at
 * the epoch before the one shown (for learned / forgotten; undefined at the first epoch).
 */
export function filterPredictions(predictions: Labelled, filter: GridFilter, previous?: ArrayLike<number>): number[] {
  const indices: number[] = [];
  const count = Math.min(predictions.count, predictions.labels.length, predictions.predicted.length);
  for (let i = 0; i < count; i++) {
    if (matches(filter, predictions.labels[i], predictions.predicted[i], previous?.[i])) indices.push(i);
  }
  return indices;
}

export interface Page {
  /** 0-based page number after clamping into range. */
  page: number;
  pageCount: number;
  indices: number[];
  /** 1-based position of the first and last shown image within the filtered list (0 when empty). */
  first: number;
  last: number;
  total: number;
}

export function pageOf(indices: number[], page: number, pageSize = PAGE_SIZE): Page {
  const pageCount = Math.max(1, Math.ceil(indices.length / pageSize));
  const clamped = Math.min(Math.max(0, Math.floor(Number.isFinite(page) ? page : 0)), pageCount - 1);
  const slice = indices.slice(clamped * pageSize, (clamped + 1) * pageSize);
  return {
    page: clamped,
    pageCount,
    indices: slice,
    first: slice.length === 0 ? 0 : clamped * pageSize + 1,
    last: clamped * pageSize + slice.length,
    total: indices.length,
  };
}

/**
 * The count above the grid: "Showing 1–100 of 1,000 images", but "Showing image 101 of 101" when the page
 * holds a single image (a separate string, so neither English nor a translation reads "1–1 of 1 images").
 */
export function gridCountText(s: Strings, page: Page): string {
  if (page.total === 0) return l10n.t('No test image matches this filter.');
  if (page.first === page.last) return l10n.t('Showing image {0} of {1}', s.int(page.first), s.int(page.total));
  return l10n.t('Showing {0}–{1} of {2} images', s.int(page.first), s.int(page.last), s.int(page.total));
}

/** Accepts a filter restored from saved UI state only when it is well-formed; otherwise shows all. */
export function sanitizeFilter(value: unknown): GridFilter {
  if (typeof value !== 'object' || value === null) return { kind: 'all' };
  const v = value as Record<string, unknown>;
  const isClass = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0 && (n as number) < NUM_CLASSES;
  switch (v.kind) {
    case 'misclassified':
    case 'learned':
    case 'forgotten':
      return { kind: v.kind };
    case 'trueClass':
    case 'predictedClass':
      return isClass(v.cls) ? { kind: v.kind, cls: v.cls } : { kind: 'all' };
    case 'cell':
      return isClass(v.trueClass) && isClass(v.predicted) ? { kind: 'cell', trueClass: v.trueClass, predicted: v.predicted } : { kind: 'all' };
    default:
      return { kind: 'all' };
  }
}

export function sameFilter(a: GridFilter, b: GridFilter): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
