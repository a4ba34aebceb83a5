/**
 * Keras's EarlyStopping callback (keras.callbacks.EarlyStopping, Keras 3), as a plain state machine the
 * training loop feeds after every epoch. Its rules, as Keras documents and implements them:
 * - `monitor` 'val_loss' is minimised and 'val_accuracy' maximised (Keras's mode 'auto');
 * - an epoch improves when it beats the best so far by more than `min_delta`
 *   (loss: value < best - min_delta; accuracy: value > best + min_delta); the first epoch beats ±∞;
 * - every epoch adds one to the wait, an improvement resets it to 0; once the wait reaches `patience`
 *   (and it is not the first epoch) training stops after that epoch;
 * - with `restore_best_weights` the model ends with the weights of the best epoch, whether training
 *   stopped early or ran all its epochs (Keras 3 restores in on_train_end); the first epoch's weights
 *   stand in when no epoch improved.
 * The same tracker names the best epoch when early stopping is off (patience never runs out).
 */
import type { MonitorChoice } from '../../domain/hyperParameters';
import type { EpochMetrics } from '../../domain/metrics';

export interface EpochVerdict {
  /** This epoch is the new best: keep its weights if they are to be restored. */
  improved: boolean;
  /** Training ends after this epoch. */
  stop: boolean;
}

export class EarlyStopping {
  private readonly maximise: boolean;
  private best: number;
  private wait = 0;
  /** 1-based epoch of the best value (or of the first epoch, before anything improved). */
  bestEpoch: number | undefined;
  bestValue: number | undefined;
  /** 1-based epoch after which training stopped early. */
  stoppedEpoch: number | undefined;

  /** `patience` undefined: never stop, only track the best epoch. */
  constructor(
    readonly monitor: MonitorChoice,
    private readonly patience: number | undefined,
    private readonly minDelta = 0,
  ) {
    this.maximise = monitor === 'val_accuracy';
    this.best = this.maximise ? -Infinity : Infinity;
  }

  /** Keras's _is_improvement: better than the reference by more than min_delta. */
  private isImprovement(value: number, reference: number): boolean {
    return this.maximise ? value - this.minDelta > reference : value + this.minDelta < reference;
  }

  /** Feed the monitored value at the end of 1-based `epoch`. */
  onEpochEnd(epoch: number, value: number): EpochVerdict {
    // Keras keeps the first epoch's weights before anything else, so there is always a best to restore.
    const first = this.bestEpoch === undefined;
    if (first) this.bestEpoch = epoch;
    this.wait += 1;
    if (this.isImprovement(value, this.best)) {
      this.best = value;
      this.bestEpoch = epoch;
      this.bestValue = value;
      this.wait = 0;
      return { improved: true, stop: false };
    }
    const stop = this.patience !== undefined && this.wait >= this.patience && epoch > 1;
    if (stop) this.stoppedEpoch = epoch;
    return { improved: first, stop };
  }
}

/**
 * The best epoch of a history as the run judges it: the monitored metric on the validation images when
 * there are any, else on the test set (the same rule the training loop follows).
 */
export function bestEpochOf(history: readonly EpochMetrics[], monitor: MonitorChoice, minDelta = 0): number | undefined {
  const tracker = new EarlyStopping(monitor, undefined, minDelta);
  for (const m of [...history].sort((a, b) => a.epoch - b.epoch)) tracker.onEpochEnd(m.epoch, monitoredValue(m, monitor));
  return tracker.bestEpoch;
}

/** The value `monitor` names in an epoch's metrics: validation when measured, else test. */
export function monitoredValue(m: EpochMetrics, monitor: MonitorChoice): number {
  if (monitor === 'val_accuracy') return m.valAccuracy ?? m.testAccuracy;
  return m.valLoss ?? m.testLoss;
}
