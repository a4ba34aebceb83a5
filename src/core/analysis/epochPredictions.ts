/**
 * The run's per-epoch predictions (see src/domain/epochPredictions.ts): quantizing one epoch's probabilities
 * in the worker, and the bounded store the host keeps, with the analysis of each held epoch (confusion,
 * learned / forgotten counts, most confused pairs) that the dashboard's epoch views show. tfjs-free.
 */
import { NUM_CLASSES } from '../../domain/classes';
import {
  MAX_HELD_EPOCHS,
  PROBABILITY_LEVELS,
  type EpochAnalysis,
  type EpochPredictions,
  type EpochSnapshot,
} from '../../domain/epochPredictions';
import { analyzePredictions } from './analysis';

/** How many confused pairs each epoch's analysis lists. */
export const CONFUSED_PAIRS = 8;

/** One epoch's snapshot from float probabilities (count × 10) and their argmax classes. */
export function quantizeEpoch(epoch: number, probabilities: Float32Array, predicted: Uint8Array, count: number): EpochSnapshot {
  const quantized = new Uint8Array(count * NUM_CLASSES);
  for (let i = 0; i < quantized.length; i++) {
    const p = probabilities[i];
    quantized[i] = Math.round(Math.min(1, Math.max(0, Number.isFinite(p) ? p : 0)) * PROBABILITY_LEVELS);
  }
  return { epoch, count, predicted: predicted.slice(0, count), probabilities: quantized };
}

/** The probability a quantized value stands for. */
export function dequantize(q: number): number {
  return q / PROBABILITY_LEVELS;
}

/** The analysis of one epoch's predictions, against the previous held epoch's (undefined for the first). */
export function analyzeEpoch(
  epoch: number,
  predicted: Uint8Array,
  labels: Uint8Array,
  count: number,
  previous: Uint8Array | undefined,
): EpochAnalysis {
  const { confusion, perClassAccuracy, accuracy } = analyzePredictions({ predicted, labels, count });
  let learned = 0;
  let forgotten = 0;
  let misclassified = 0;
  for (let i = 0; i < count; i++) {
    const right = predicted[i] === labels[i];
    if (!right) misclassified++;
    const wasRight = previous !== undefined && previous[i] === labels[i];
    if (right && !wasRight) learned++;
    if (!right && wasRight) forgotten++;
  }
  const pairs: EpochAnalysis['confusedPairs'] = [];
  confusion.forEach((row, trueClass) =>
    row.forEach((n, guess) => {
      if (guess !== trueClass && n > 0) pairs.push({ trueClass, predicted: guess, count: n });
    }),
  );
  pairs.sort((a, b) => b.count - a.count || a.trueClass - b.trueClass || a.predicted - b.predicted);
  return { epoch, confusion, perClassAccuracy, accuracy, learned, forgotten, misclassified, confusedPairs: pairs.slice(0, CONFUSED_PAIRS) };
}

/** Which held epoch to drop when one more must fit: the one whose neighbours are closest (never first or last). */
export function epochToDrop(epochs: readonly number[]): number {
  let best = 1;
  for (let k = 2; k < epochs.length - 1; k++) {
    if (epochs[k + 1] - epochs[k - 1] < epochs[best + 1] - epochs[best - 1]) best = k;
  }
  return best;
}

interface Held {
  epoch: number;
  predicted: Uint8Array;
  probabilities: Uint8Array;
}

/**
 * The held epochs of one run, at most `maxEpochs` (10,000 images × 11 bytes each). Adding an epoch
 * already held replaces it; past the bound, `epochToDrop` picks the one that goes. The analyses are
 * recomputed for the neighbours of a change, since "learned" compares with the previous held epoch.
 */
export class EpochPredictionStore {
  private held: Held[] = [];
  private analyses: EpochAnalysis[] = [];

  constructor(
    readonly labels: Uint8Array,
    readonly count: number,
    private readonly maxEpochs = MAX_HELD_EPOCHS,
  ) {
    if (maxEpochs < 2) throw new RangeError('an epoch store holds at least two epochs');
  }

  get size(): number {
    return this.held.length;
  }

  get epochs(): number[] {
    return this.held.map((h) => h.epoch);
  }

  /** Adds one epoch; false (and nothing changes) when its image count is not this run's. */
  add(snapshot: EpochSnapshot): boolean {
    if (snapshot.count !== this.count || snapshot.predicted.length < this.count || snapshot.probabilities.length < this.count * NUM_CLASSES) {
      return false;
    }
    const entry: Held = {
      epoch: snapshot.epoch,
      predicted: snapshot.predicted.subarray(0, this.count),
      probabilities: snapshot.probabilities.subarray(0, this.count * NUM_CLASSES),
    };
    const at = this.held.findIndex((h) => h.epoch >= snapshot.epoch);
    if (at >= 0 && this.held[at].epoch === snapshot.epoch) this.held[at] = entry;
    else if (at >= 0) this.held.splice(at, 0, entry);
    else this.held.push(entry);
    if (this.held.length > this.maxEpochs) this.held.splice(epochToDrop(this.epochs), 1);
    this.reanalyze();
    return true;
  }

  /** The analysis of a held epoch. */
  analysis(epoch: number): EpochAnalysis | undefined {
    return this.analyses.find((a) => a.epoch === epoch);
  }

  /** The newest epoch's analysis, e.g. to send with it as it arrives. */
  get latest(): EpochAnalysis | undefined {
    return this.analyses[this.analyses.length - 1];
  }

  /** Everything, concatenated for one message or one file. */
  toPayload(): EpochPredictions {
    const n = this.held.length;
    const predicted = new Uint8Array(n * this.count);
    const probabilities = new Uint8Array(n * this.count * NUM_CLASSES);
    this.held.forEach((h, k) => {
      predicted.set(h.predicted, k * this.count);
      probabilities.set(h.probabilities, k * this.count * NUM_CLASSES);
    });
    return { count: this.count, labels: this.labels, epochs: this.epochs, predicted, probabilities, analyses: this.analyses.slice() };
  }

  /** The store a payload describes (e.g. read back from disk); undefined when its sizes do not fit together. */
  static fromPayload(payload: Pick<EpochPredictions, 'count' | 'labels' | 'epochs' | 'predicted' | 'probabilities'>, maxEpochs = MAX_HELD_EPOCHS): EpochPredictionStore | undefined {
    const { count, labels, epochs, predicted, probabilities } = payload;
    if (!Number.isInteger(count) || count <= 0 || labels.length < count) return undefined;
    if (predicted.length !== epochs.length * count || probabilities.length !== epochs.length * count * NUM_CLASSES) return undefined;
    const store = new EpochPredictionStore(labels.slice(0, count), count, maxEpochs);
    epochs.forEach((epoch, k) =>
      store.add({
        epoch,
        count,
        predicted: predicted.slice(k * count, (k + 1) * count),
        probabilities: probabilities.slice(k * count * NUM_CLASSES, (k + 1) * count * NUM_CLASSES),
      }),
    );
    return store;
  }

  /** Memory the held epochs take, in bytes. */
  get bytes(): number {
    return this.held.length * this.count * (1 + NUM_CLASSES);
  }

  private reanalyze(): void {
    // Cheap (10 × 10 counts over `count` bytes per epoch), so redone whole: a dropped or replaced epoch changes
    // what its successor is compared with.
    this.analyses = this.held.map((h, k) =>
      analyzeEpoch(h.epoch, h.predicted, this.labels, this.count, k > 0 ? this.held[k - 1].predicted : undefined),
    );
  }
}
