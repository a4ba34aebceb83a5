/**
 * Optuna's median pruning rule (optuna.pruners.MedianPruner, a PercentilePruner at 50): after each epoch, a
 * trial is stopped when its best monitored value so far is worse than the median of the other trials'
 * values at that same epoch. It judges only once at least MIN_TRIALS_AT_EPOCH other trials have reached
 * that epoch (finished, pruned or still running: their value at the epoch is known); a value that is not
 * a number (a diverged loss) is pruned at once, as Optuna does.
 */
import { monitoredValue } from '../analysis/earlyStopping';
import type { MonitorChoice } from '../../domain/hyperParameters';
import type { EpochMetrics } from '../../domain/metrics';

/** How many other trials must have reached an epoch before a trial is judged at it. */
export const MIN_TRIALS_AT_EPOCH = 2;

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** True when `value` is worse than `reference` for `monitor` (a loss is better lower, an accuracy higher). */
export function isWorse(value: number, reference: number, monitor: MonitorChoice): boolean {
  return monitor === 'val_accuracy' ? value < reference : value > reference;
}

/** The best of the values for `monitor`; NaN when any is not a number (a diverged run stays diverged). */
function bestOf(values: readonly number[], monitor: MonitorChoice): number {
  if (values.some((value) => !Number.isFinite(value))) return Number.NaN;
  return monitor === 'val_accuracy' ? Math.max(...values) : Math.min(...values);
}

/**
 * Whether to stop a trial after 1-based `epoch`: `own` is its epochs so far (up to that epoch), `others` the
 * epochs of every other trial of the sweep that has not failed.
 */
export function shouldPrune(own: readonly EpochMetrics[], epoch: number, others: readonly (readonly EpochMetrics[])[], monitor: MonitorChoice): boolean {
  const mine = own.filter((m) => m.epoch <= epoch).map((m) => monitoredValue(m, monitor));
  if (mine.length === 0) return false;
  const best = bestOf(mine, monitor);
  if (Number.isNaN(best)) return true;
  const atEpoch = others.flatMap((history) => history.filter((m) => m.epoch === epoch).map((m) => monitoredValue(m, monitor))).filter(Number.isFinite);
  if (atEpoch.length < MIN_TRIALS_AT_EPOCH) return false;
  return isWorse(best, median(atEpoch), monitor);
}
