/** Two or more runs side by side: the facts the compare view and `npm run runs -- compare` show. */
import type { EpochMetrics } from './metrics';
import type { RunHistoryRecord } from './runRecord';

/** One setting's value in each run, as text (numbers as written in settings, lists comma-separated). */
export interface SettingRow {
  /** The setting's key (fashionMnist.<key>) or, for facts of the run, its own name. */
  key: string;
  values: string[];
}

export interface MetricsRow {
  id: string;
  end: RunHistoryRecord['outcome']['end'];
  epochsRun: number;
  bestEpoch?: number;
  best?: EpochMetrics;
  last?: EpochMetrics;
  /** The epoch whose weights the model holds. */
  held?: EpochMetrics;
  weights: 'best' | 'last';
  durationSeconds: number;
}

export interface RunComparison {
  /** Per run: how the view names it (date, layers, dropout, L2). */
  labels: string[];
  /** Per run: what its curves were measured on besides training. */
  monitoredOn: ('validation' | 'test')[];
  ids: string[];
  /** Only the settings whose values are not all equal. */
  differences: SettingRow[];
  metrics: MetricsRow[];
  /** epochs[i] = 1-based epoch; per run its metrics for that epoch (undefined where it did not run). */
  curves: { epoch: number; runs: (EpochMetrics | undefined)[] }[];
  /** Per class: each run's test accuracy and its difference from the first run's (undefined where not measured). */
  perClass: { accuracy: (number | undefined)[]; difference: (number | undefined)[] }[];
}

