/**
 * Running a sweep: its trials in order, at most `parallel` at a time, each started through `startTrial`
 * (the CLI and the extension give each its own worker), stopped by the median rule (medianPruner.ts) when
 * the sweep prunes, by the time budget, or by the user. Every trial that ends is written to the sweep's
 * record at once, so a sweep cut short keeps what it learned; resuming runs only the trials that have no
 * answer yet (not finished and not pruned). No tfjs, no worker: the trial starter is given.
 */
import { shouldPrune } from './medianPruner';
import { pointParameters } from './sweepGrid';
import type { HyperParameters } from '../../domain/hyperParameters';
import type { EpochMetrics } from '../../domain/metrics';
import { SETTLED_TRIAL_STATES, type SweepRecord, type SweepTrial } from '../../domain/sweep';
import { errorMessage } from '../../domain/errors';

/** How a trial's run ended, as its starter reports it. */
export interface TrialEnd {
  /** `finished`: all its epochs or its own early stopping; `stopped`: asked to stop; `failed`: an error. */
  end: 'finished' | 'stopped' | 'failed';
  history: readonly EpochMetrics[];
  /** Its run in the run history, when it was kept there. */
  runId?: string;
  /** Why it failed, localized. */
  error?: string;
}

export interface TrialListener {
  epoch(metrics: EpochMetrics): void;
  /** Called once, last. */
  end(result: TrialEnd): void;
}

export interface RunningTrial {
  /** Ends the trial's run soon (within a batch); its listener's `end` says `stopped`. */
  stop(): void;
}

/** Starts one trial's run with `params`; throws only when it could not start at all (the trial then failed). */
export type StartTrial = (params: HyperParameters, trial: Readonly<SweepTrial>, listener: TrialListener) => RunningTrial;

export interface SweepEvents {
  trialStarted?(trial: Readonly<SweepTrial>, params: HyperParameters): void;
  trialEpoch?(trial: Readonly<SweepTrial>, metrics: EpochMetrics): void;
  /** After the trial's state is set (and its record write is queued). */
  trialEnded?(trial: Readonly<SweepTrial>, history: readonly EpochMetrics[]): void;
  /** The sweep's record could not be written (the trials go on; their runs are kept on their own). */
  saveFailed?(error: unknown): void;
}

export interface SweepRunOptions {
  /** The sweep; its trials' states and run ids are updated in place as they end. */
  record: SweepRecord;
  /** Trials at once (at least 1). */
  parallel: number;
  startTrial: StartTrial;
  /** Writes the record (SweepStore.save); called after every trial that ends. */
  save(record: SweepRecord): Promise<void>;
  /** The epochs of trials run before (a resumed sweep), by grid point: the median rule counts them. */
  earlier?: ReadonlyMap<number, readonly EpochMetrics[]>;
  events?: SweepEvents;
  /** Overrides the definition's time budget (a resumed sweep may be given another). */
  timeBudgetSeconds?: number;
}

/** Why a sweep ended before all its trials had an answer. */
export type SweepInterruption = 'user' | 'budget';

export interface SweepOutcome {
  record: SweepRecord;
  /** Set when trials were stopped or not started. */
  interruptedBy?: SweepInterruption;
}

interface Running {
  trial: SweepTrial;
  handle?: RunningTrial;
  pruneRequested: boolean;
}

/** One run of a sweep (a fresh start or a resumption). */
export class SweepRun {
  private readonly queue: SweepTrial[];
  private readonly running = new Map<number, Running>();
  /** Each trial's epochs so far, by grid point; failed trials are left out (the median rule ignores them). */
  private readonly histories = new Map<number, EpochMetrics[]>();
  private interruptedBy: SweepInterruption | undefined;
  private saving: Promise<void> = Promise.resolve();
  private budgetTimer: NodeJS.Timeout | undefined;
  private resolveDone: ((outcome: SweepOutcome) => void) | undefined;
  private started = false;
  /** A trial was stopped (not pruned) in this run: the sweep has trials to resume. */
  private cut = false;

  constructor(private readonly options: SweepRunOptions) {
    this.queue = options.record.trials.filter((trial) => !SETTLED_TRIAL_STATES.includes(trial.state));
    for (const [point, history] of options.earlier ?? []) this.histories.set(point, [...history]);
  }

  /** Runs the trials that have no answer yet; resolves when every one has ended or the sweep was interrupted. */
  run(): Promise<SweepOutcome> {
    if (this.started) throw new Error('A sweep run is started once.');
    this.started = true;
    const done = new Promise<SweepOutcome>((resolve) => (this.resolveDone = resolve));
    const budget = this.options.timeBudgetSeconds ?? this.options.record.definition.timeBudgetSeconds;
    if (budget !== undefined) this.budgetTimer = setTimeout(() => this.interrupt('budget'), budget * 1000);
    this.fill();
    return done;
  }

  /** Stops every running trial (kept as `stopped`) and starts no more. */
  stop(): void {
    this.interrupt('user');
  }

  get isInterrupted(): boolean {
    return this.interruptedBy !== undefined;
  }

  private interrupt(reason: SweepInterruption): void {
    if (this.interruptedBy !== undefined) return;
    this.interruptedBy = reason;
    for (const running of this.running.values()) running.handle?.stop();
    this.finishIfDone();
  }

  /** Starts trials until `parallel` are running or none is left. */
  private fill(): void {
    while (this.interruptedBy === undefined && this.running.size < this.options.parallel && this.queue.length > 0) {
      this.startOne(this.queue.shift()!);
    }
    this.finishIfDone();
  }

  private startOne(trial: SweepTrial): void {
    const { definition } = this.options.record;
    const { params } = pointParameters(definition.base, definition.axes, trial.choice);
    const running: Running = { trial, pruneRequested: false };
    const history: EpochMetrics[] = [];
    this.running.set(trial.point, running);
    this.histories.set(trial.point, history);
    let ended = false;
    const listener: TrialListener = {
      epoch: (metrics) => {
        if (ended) return;
        history.push(metrics);
        this.options.events?.trialEpoch?.(trial, metrics);
        if (definition.prune && !running.pruneRequested && this.pruneVerdict(trial.point, metrics.epoch)) {
          running.pruneRequested = true;
          running.handle?.stop();
        }
      },
      end: (result) => {
        if (ended) return;
        ended = true;
        this.ended(running, result);
      },
    };
    this.options.events?.trialStarted?.(trial, params);
    try {
      running.handle = this.options.startTrial(params, trial, listener);
      if (this.interruptedBy !== undefined || running.pruneRequested) running.handle.stop();
    } catch (error) {
      listener.end({ end: 'failed', history: [], error: errorMessage(error) });
    }
  }

  private pruneVerdict(point: number, epoch: number): boolean {
    const own = this.histories.get(point) ?? [];
    const others = [...this.histories].filter(([other]) => other !== point).map(([, history]) => history);
    return shouldPrune(own, epoch, others, this.options.record.definition.base.monitor);
  }

  private ended(running: Running, result: TrialEnd): void {
    const { trial } = running;
    this.running.delete(trial.point);
    trial.state =
      result.end === 'failed' ? 'failed'
      : result.end === 'finished' ? 'finished'
      : running.pruneRequested ? 'pruned'
      : 'stopped';
    if (trial.state === 'stopped') this.cut = true;
    if (result.runId !== undefined) trial.runId = result.runId;
    else delete trial.runId;
    if (result.error !== undefined) trial.error = result.error;
    else delete trial.error;
    if (trial.state === 'failed') this.histories.delete(trial.point);
    else this.histories.set(trial.point, [...result.history]);
    this.queueSave();
    this.options.events?.trialEnded?.(trial, result.history);
    this.fill();
  }

  private queueSave(): void {
    const snapshot = structuredClone(this.options.record);
    this.saving = this.saving.then(
      () => this.options.save(snapshot).catch((error: unknown) => this.options.events?.saveFailed?.(error)),
    );
  }

  private finishIfDone(): void {
    if (this.running.size > 0 || (this.queue.length > 0 && this.interruptedBy === undefined) || this.resolveDone === undefined) return;
    const resolve = this.resolveDone;
    this.resolveDone = undefined;
    clearTimeout(this.budgetTimer);
    const outcome: SweepOutcome = { record: this.options.record };
    // Interrupted only when something was cut: a budget that ran out as the last trial ended cut nothing.
    if (this.interruptedBy !== undefined && (this.queue.length > 0 || this.cut)) {
      outcome.interruptedBy = this.interruptedBy;
    }
    void this.saving.then(() => resolve(outcome));
  }
}
