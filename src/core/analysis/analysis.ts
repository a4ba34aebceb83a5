/**
 * Pure analysis of a run, computed by the host and sent to the dashboard (the webview never computes a
 * metric itself). No `vscode`, no tfjs: plain numbers in, plain numbers out, so unit tests and the CLI can
 * use it too.
 */
import { NUM_CLASSES } from '../../domain/classes';
import type { EpochMetrics, OverfittingAnalysis, PredictionAnalysis, Predictions } from '../../domain/metrics';

/**
 * Test accuracy counts as "flat" over a stretch when it never climbs more than this many percentage points
 * above where the stretch began. One point absorbs the epoch-to-epoch wobble of a 10,000-image test set
 * (about ±0.5 pt in the tutorial) while still catching a model whose test accuracy keeps improving.
 */
const FLAT_TOLERANCE_POINTS = 1.0;
/**
 * Training accuracy must rise by at least this many points over the stretch before we call it
 * over-fitting: otherwise both curves are simply flat (the model has converged).
 */
const MIN_TRAIN_RISE_POINTS = 1.0;
/** ...and the train-test gap must widen by at least this much over the stretch (the curves part ways). */
const MIN_GAP_WIDENING_POINTS = 0.5;
/**
 * Over an over-fitting stretch, test accuracy reads as "falling" (rather than "flat") when it ends more than
 * this many points below where the stretch began. A quarter point is 25 of the 10,000 test images: smaller
 * moves, up or down, are shown as "flat" with their signed number beside the word, so the two never disagree.
 */
const FALLING_THRESHOLD_POINTS = 0.25;
/** Float noise allowance when comparing point differences against the thresholds above. */
const EPSILON = 1e-9;
/** The stretch must cover at least this many epochs after its start, so one noisy epoch never flips the state. */
const MIN_STRETCH_EPOCHS = 2;

const toPoints = (fraction: number): number => fraction * 100;

/**
 * Reads the epoch history like a teacher would: is the model still learning things that carry over to
 * unseen images, or has it started memorising the training set?
 *
 * "Over-fitting since epoch k" means: k is the earliest epoch such that, from k to the last epoch,
 * - test accuracy stays within FLAT_TOLERANCE_POINTS of its value at k, or falls (it is "flat or falling"),
 * - training accuracy keeps rising, by at least MIN_TRAIN_RISE_POINTS, and the gap between the curves
 *   widens by at least MIN_GAP_WIDENING_POINTS,
 * - and at least MIN_STRETCH_EPOCHS epochs follow k.
 * The result says which of the two the test curve did (`testTrend`: 'falling' when it ended more than
 * FALLING_THRESHOLD_POINTS below its value at k, otherwise 'flat'), so the wording matches the signed change.
 * Taking the earliest such k names the point where test accuracy stopped improving while the training
 * accuracy carried on; for the tutorial's usual curve (train 0.82 -> 0.91, test 0.84 -> 0.88 with wobbles)
 * that lands around epoch 5-7, where the test curve levels off.
 */
export function analyzeOverfitting(history: EpochMetrics[]): OverfittingAnalysis {
  const epochs = [...history].sort((a, b) => a.epoch - b.epoch);
  const gapPoints = epochs.map((m) => toPoints(m.accuracy - m.testAccuracy));
  const result: OverfittingAnalysis = { state: 'notEnoughData', gapPoints };
  if (epochs.length === 0) return result;

  let best = epochs[0];
  for (const m of epochs) if (m.testAccuracy > best.testAccuracy) best = m;
  result.bestEpoch = best.epoch;
  result.bestTestAccuracy = best.testAccuracy;
  if (epochs.length < 2) return result;

  const last = epochs[epochs.length - 1];
  for (let k = 0; k + MIN_STRETCH_EPOCHS < epochs.length; k++) {
    const start = epochs[k];
    const later = epochs.slice(k + 1);
    const testPeakAfter = Math.max(...later.map((m) => m.testAccuracy));
    const testFlatOrFalling = toPoints(testPeakAfter - start.testAccuracy) <= FLAT_TOLERANCE_POINTS + EPSILON;
    const trainDelta = toPoints(last.accuracy - start.accuracy);
    const testDelta = toPoints(last.testAccuracy - start.testAccuracy);
    const trainKeepsRising =
      trainDelta >= MIN_TRAIN_RISE_POINTS - EPSILON && trainDelta - testDelta >= MIN_GAP_WIDENING_POINTS - EPSILON;
    if (testFlatOrFalling && trainKeepsRising) {
      const testTrend = testDelta < -FALLING_THRESHOLD_POINTS - EPSILON ? 'falling' : 'flat';
      return { ...result, state: 'overfitting', sinceEpoch: start.epoch, trainDeltaPoints: trainDelta, testDeltaPoints: testDelta, testTrend };
    }
  }
  return { ...result, state: 'generalising' };
}

/** Confusion matrix (rows: true class, columns: predicted class), per-class accuracy and overall accuracy. */
export function analyzePredictions(predictions: Pick<Predictions, 'predicted' | 'labels' | 'count'>): PredictionAnalysis {
  const confusion = Array.from({ length: NUM_CLASSES }, () => new Array<number>(NUM_CLASSES).fill(0));
  let correct = 0;
  for (let i = 0; i < predictions.count; i++) {
    const truth = predictions.labels[i];
    const guess = predictions.predicted[i];
    if (truth >= NUM_CLASSES || guess >= NUM_CLASSES) continue;
    confusion[truth][guess]++;
    if (truth === guess) correct++;
  }
  // A class with no test images has no accuracy; 0 keeps the array JSON-safe, and the dashboard shows "—"
  // for it because its confusion row sums to 0.
  const perClassAccuracy = confusion.map((row, cls) => {
    const total = row.reduce((sum, n) => sum + n, 0);
    return total === 0 ? 0 : row[cls] / total;
  });
  return { confusion, perClassAccuracy, accuracy: predictions.count === 0 ? 0 : correct / predictions.count };
}
