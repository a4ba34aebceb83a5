/**
 * The dashboard's Sweep view on the host <-> webview channel: the settings it lets the user vary, what it
 * shows (the sweep being defined, run or done, one row per trial) and the intents it sends. The host owns
 * the state (host/sweepControl.ts); the webview draws it (webview/cells/sweepCell.ts).
 */
import type { MonitorChoice } from '../domain/hyperParameters';
import type { TrialState } from '../domain/sweep';

/** The settings the Sweep view offers alternatives for, in the order it shows them. */
export const SWEEP_VIEW_AXES = ['learningRate', 'hiddenUnits', 'dropout', 'l2', 'epochs', 'batchSize'] as const;
export type SweepViewAxis = (typeof SWEEP_VIEW_AXES)[number];

/** Most alternatives per setting and most trials at once the view sends (the host checks the grid itself). */
export const MAX_VIEW_ALTERNATIVES = 12;
export const MAX_VIEW_PARALLEL = 8;

export const SWEEP_VIEW_PHASES = ['defining', 'running', 'done'] as const;
export type SweepViewPhase = (typeof SWEEP_VIEW_PHASES)[number];

/** A trial's row: its alternatives (one per axis, in the axes' order) and what became of it so far. */
export interface SweepViewTrial {
  /** 1-based, in run order. */
  number: number;
  values: number[];
  /** `running` while its worker trains it. */
  state: TrialState | 'running';
  /** Epochs done, of `epochs`. */
  epoch: number;
  epochs: number;
  /** The monitored value at its best epoch so far. */
  monitored?: number;
  /** Test accuracy at that epoch. */
  testAccuracy?: number;
  runId?: string;
  error?: string;
}

export interface SweepView {
  phase: SweepViewPhase;
  /** Set once the sweep started. */
  id?: string;
  /** What each setting is now (the defaults of the form) and, once started, the sweep's axes. */
  current: Record<SweepViewAxis, number>;
  axes: { parameter: SweepViewAxis; values: number[] }[];
  prune: boolean;
  parallel: number;
  monitor: MonitorChoice;
  trials: SweepViewTrial[];
  /** The best trial's run (the first finished by the monitored value). */
  bestRunId?: string;
  /** Why the sweep could not start, in the user's words. */
  problems?: string[];
  /** The sweep was stopped before every trial had its answer. */
  interrupted?: boolean;
}

export type SweepIntent =
  | { type: 'startSweep'; axes: { parameter: SweepViewAxis; values: number[] }[]; prune: boolean; parallel: number }
  /** Open one trial's run (one id) or compare several (two or more) in the compare view. */
  | { type: 'openRuns'; ids: string[] };

/** The Sweep view's messages that carry nothing but their type: open the view, stop the sweep, close the view, re-run the best trial's settings. */
export const SWEEP_BARE_INTENTS = ['openSweep', 'stopSweep', 'closeSweep', 'rerunBestTrial'] as const;
