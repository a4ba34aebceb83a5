/**
 * A sweep's results, read from its trials' runs in the run history (the one home of their epochs and
 * metrics): each trial's best epoch by the monitored metric, the trials ranked by it, and the best trial.
 * The terminal's table, `runs show SWEEP_ID` and the sweep's notebook all rank this way.
 */
import { bestEpochOf, monitoredValue } from '../analysis/earlyStopping';
import { isWorse } from './medianPruner';
import { pointParameters } from './sweepGrid';
import type { RunHistory } from './runHistory';
import type { HyperParameters } from '../../domain/hyperParameters';
import type { EpochMetrics } from '../../domain/metrics';
import type { RunHistoryRecord } from '../../domain/runRecord';
import type { SweepDefinition, SweepRecord, SweepTrial } from '../../domain/sweep';

/** The monitored value of a run's best epoch (by its own monitor and min_delta), and that epoch. */
export function bestMonitored(history: readonly EpochMetrics[], params: HyperParameters): { epoch: number; value: number; metrics: EpochMetrics } | undefined {
  const epoch = bestEpochOf(history, params.monitor, params.minDelta);
  const metrics = history.find((m) => m.epoch === epoch);
  return epoch === undefined || metrics === undefined ? undefined : { epoch, value: monitoredValue(metrics, params.monitor), metrics };
}

/** The monitored metric as Keras names it in the history: `val_loss`, or `test_loss` when no trial holds images out. */
export function monitorName(definition: SweepDefinition): string {
  const validated = definition.base.validationSplit > 0 || definition.axes.some((axis) => axis.parameter === 'validationSplit');
  const monitor = definition.base.monitor;
  if (validated) return monitor;
  return monitor === 'val_loss' ? 'test_loss' : 'test_accuracy';
}

export interface TrialResult {
  /** 1-based, in run order. */
  number: number;
  trial: SweepTrial;
  params: HyperParameters;
  /** Its run, when it has one in the history. */
  run?: RunHistoryRecord;
  /** Its best epoch and the monitored value there, when that value is a number. */
  best?: { epoch: number; value: number; metrics: EpochMetrics };
}

/** Every trial with its settings and run, in run order. */
export function trialResults(record: SweepRecord, runs: ReadonlyMap<string, RunHistoryRecord>): TrialResult[] {
  const { definition } = record;
  return record.trials.map((trial, i) => {
    const params = pointParameters(definition.base, definition.axes, trial.choice).params;
    const result: TrialResult = { number: i + 1, trial, params };
    const run = trial.runId === undefined ? undefined : runs.get(trial.runId);
    if (run !== undefined) {
      result.run = run;
      const best = bestMonitored(run.history, params);
      if (best !== undefined && Number.isFinite(best.value)) result.best = best;
    }
    return result;
  });
}

/** The trials best first by the monitored value; those without one (not run, failed, diverged) last, in run order. */
export function rankTrials(results: readonly TrialResult[], definition: SweepDefinition): TrialResult[] {
  const monitor = definition.base.monitor;
  return [...results].sort((a, b) => {
    if (a.best === undefined || b.best === undefined) return Number(a.best === undefined) - Number(b.best === undefined) || a.number - b.number;
    if (isWorse(a.best.value, b.best.value, monitor)) return 1;
    if (isWorse(b.best.value, a.best.value, monitor)) return -1;
    return a.number - b.number;
  });
}

/** The best trial of a ranking: the first that finished, else the first with a value at all. */
export function bestTrial(ranked: readonly TrialResult[]): TrialResult | undefined {
  return ranked.find((result) => result.best !== undefined && result.trial.state === 'finished') ?? ranked.find((result) => result.best !== undefined);
}

/** The runs of the sweep's trials, by id; a run that is no longer in the history is left out. */
export async function loadTrialRuns(record: SweepRecord, history: RunHistory): Promise<Map<string, RunHistoryRecord>> {
  const runs = new Map<string, RunHistoryRecord>();
  for (const trial of record.trials) {
    if (trial.runId === undefined) continue;
    const run = await history.load(trial.runId).catch(() => undefined);
    if (run !== undefined) runs.set(trial.runId, run);
  }
  return runs;
}
