/**
 * The run's per-epoch predictions in the webview: received once (whole after `ready`, then one epoch at a
 * time during a run) and sliced here for whichever epoch the slider shows, so nothing is re-sent per move.
 * Numbers it hands out are the worker's (quantized probabilities) and the host's (each epoch's analysis).
 */
import { NUM_CLASSES } from '../domain/classes';
import { PROBABILITY_LEVELS, type EpochAnalysis, type EpochPredictions } from '../domain/epochPredictions';

/** One held epoch, as views into the store's arrays. */
export interface EpochView {
  epoch: number;
  count: number;
  labels: Uint8Array;
  predicted: Uint8Array;
  /** count × 10, quantized: p = q / PROBABILITY_LEVELS. */
  probabilities: Uint8Array;
  analysis: EpochAnalysis;
  /** The previous held epoch's predicted classes (undefined at the first), for "learned" and "forgotten". */
  previous?: Uint8Array;
}

interface Held {
  epoch: number;
  predicted: Uint8Array;
  probabilities: Uint8Array;
  analysis: EpochAnalysis;
}

export class EpochStore {
  private held: Held[] = [];
  private labels: Uint8Array = new Uint8Array(0);
  private count = 0;
  private readonly listeners = new Set<() => void>();

  /** Called after every change (a new epoch, a new run). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Replaces everything (`data` undefined: a run with no epochs yet), or appends the epochs in `data`. */
  receive(replace: boolean, data: EpochPredictions | undefined): void {
    if (replace || !data || data.count !== this.count) {
      this.held = [];
      this.count = data?.count ?? 0;
      this.labels = data?.labels ?? new Uint8Array(0);
    }
    if (data) {
      data.epochs.forEach((epoch, k) => {
        const analysis = data.analyses[k];
        if (!analysis) return;
        const entry: Held = {
          epoch,
          predicted: data.predicted.subarray(k * data.count, (k + 1) * data.count),
          probabilities: data.probabilities.subarray(k * data.count * NUM_CLASSES, (k + 1) * data.count * NUM_CLASSES),
          analysis,
        };
        this.held = [...this.held.filter((h) => h.epoch !== epoch), entry].sort((a, b) => a.epoch - b.epoch);
      });
    }
    for (const listener of [...this.listeners]) listener();
  }

  get epochs(): number[] {
    return this.held.map((h) => h.epoch);
  }

  get isEmpty(): boolean {
    return this.held.length === 0;
  }

  get imageCount(): number {
    return this.count;
  }

  /** The held epoch `epoch`, or the nearest held one before it (the first if none is before). */
  at(epoch: number): EpochView | undefined {
    if (this.held.length === 0) return undefined;
    let k = 0;
    while (k + 1 < this.held.length && this.held[k + 1].epoch <= epoch) k++;
    const h = this.held[k];
    return {
      epoch: h.epoch,
      count: this.count,
      labels: this.labels,
      predicted: h.predicted,
      probabilities: h.probabilities,
      analysis: h.analysis,
      previous: k > 0 ? this.held[k - 1].predicted : undefined,
    };
  }

  /** Image `index`'s ten probabilities at every held epoch (for a pinned image's chart). */
  history(index: number): { epochs: number[]; probabilities: number[][] } {
    if (index < 0 || index >= this.count) return { epochs: [], probabilities: [] };
    return {
      epochs: this.epochs,
      probabilities: this.held.map((h) => Array.from(h.probabilities.subarray(index * NUM_CLASSES, (index + 1) * NUM_CLASSES), (q) => q / PROBABILITY_LEVELS)),
    };
  }
}
