/** The figures a bench run measures and compares, and their statistics (no printing here: benchReport.ts prints). */
import { median } from '../../core/analysis/median';
import type { EpochMetrics } from '../../domain/metrics';

/** What one training run of ours measured (tfjsMeasurement.ts). */
export interface RunFigures {
  backend: string;
  history: EpochMetrics[];
  /** CPU seconds of this process per epoch (training and test evaluation): steadier than wall time on a busy machine. */
  cpuSeconds: number[];
  predictMs: number[];
  /** How the predictions ran (the forward kernels and their threads, or tfjs). */
  predictPath: string;
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
