/** The figures a bench run measures and compares, and their statistics (no printing here: benchReport.ts prints). */
import { median } from '../../core/analysis/median';
import type { EpochMetrics } from '../../domain/metrics';

/** How `threads: 'auto'` ran a run: its timed choices, and the share of the steps after the first one that ran on two threads. */
export interface ThreadUse {
  choices: number;
  twoThreadShare: number;
}

/**
 * The share of the steps from the first choice to the run's end (`steps`) that each choice gave two threads
 * (a choice holds until the next; the trials between are counted with the choice before them).
 */
export function threadUse(decisions: readonly { afterStep: number; threads: 1 | 2 }[], steps: number): ThreadUse | undefined {
  if (decisions.length === 0 || steps <= decisions[0].afterStep) return undefined;
  let two = 0;
  decisions.forEach((decision, index) => {
    const end = index + 1 < decisions.length ? decisions[index + 1].afterStep : steps;
    if (decision.threads === 2) two += end - decision.afterStep;
  });
  return { choices: decisions.length, twoThreadShare: two / (steps - decisions[0].afterStep) };
}

/** What one training run of ours measured (tfjsMeasurement.ts). */
export interface RunFigures {
  backend: string;
  history: EpochMetrics[];
  /** CPU seconds of this process per epoch (training and test evaluation): steadier than wall time on a busy machine. */
  cpuSeconds: number[];
  predictMs: number[];
  /** How the predictions ran (the forward kernels and their threads, or tfjs). */
  predictPath: string;
  /** How auto threads ran the training steps (the kernels with threads 'auto' only). */
  threads?: ThreadUse;
}

/** Seconds per epoch, wall and CPU: how two runs are compared. */
export interface EpochTimes {
  wall: number;
  cpu: number;
}

export { median };

/** The medians of a run's seconds per epoch. */
export function epochTimes(figures: RunFigures): EpochTimes {
  return { wall: median(figures.history.map((m) => m.seconds)), cpu: median(figures.cpuSeconds) };
}
