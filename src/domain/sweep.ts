/**
 * A hyper-parameter sweep: one base run's settings, alternatives for some of them (the grid is their
 * product), how the trials are chosen and cut short, and what became of each trial. The settings and
 * their bounds are the run's own (hyperParameters.ts); a trial is a normal run in the run history that
 * carries the sweep's id.
 */
import type { HyperParameters, ParameterName } from './hyperParameters';

/**
 * The parameters a sweep may vary: what the network is and how it learns. Not the monitored metric (every
 * trial is judged by the same one), the test images (every trial is tested on the same ones), the backend or
 * the training images' limit (how to run, not what to learn), nor on/off switches.
 */
export const SWEEPABLE_PARAMETERS = [
  'epochs', 'batchSize', 'learningRate', 'hiddenLayers', 'hiddenUnits', 'dropout', 'l2', 'seed', 'validationSplit', 'patience', 'minDelta',
] as const satisfies readonly ParameterName[];
export type SweepableParameter = (typeof SWEEPABLE_PARAMETERS)[number];

/** One alternative: a number, or a list of numbers (hidden layer widths, dropout rates). */
export type SweepValue = number | readonly number[];

/** One swept parameter and its alternatives, in the order the user gave them. */
export interface SweepAxis {
  parameter: SweepableParameter;
  values: readonly SweepValue[];
}

/** What a sweep is asked to do. Everything a later `--resume` needs is here. */
export interface SweepDefinition {
  /** The settings every trial shares; an axis replaces its parameter. */
  base: HyperParameters;
  /** The grid is the product of the axes' alternatives, the first axis varying slowest. */
  axes: readonly SweepAxis[];
  /** Run a seeded random sample of this many grid points instead of the whole grid. */
  trials?: number;
  /** The seed of that sample. */
  sampleSeed: number;
  /** Optuna's median rule: stop a trial whose epoch is worse than the median of the others at that epoch. */
  prune: boolean;
  /** No trial runs past this many seconds from the sweep's start (or its resumption). */
  timeBudgetSeconds?: number;
}

/**
 * What became of a trial. `pending`: not run yet (or to be run again: an interrupted sweep resumes its
 * pending, stopped and failed trials). `finished`: all its epochs, or stopped by its own early stopping.
 * `stopped`: by the user or the time budget. `pruned`: by the median rule. `failed`: it ended in an error.
 */
export const TRIAL_STATES = ['pending', 'finished', 'stopped', 'pruned', 'failed'] as const;
export type TrialState = (typeof TRIAL_STATES)[number];

/** The trial states a resumed sweep does not run again: they have their answer. */
export const SETTLED_TRIAL_STATES: readonly TrialState[] = ['finished', 'pruned'];

export interface SweepTrial {
  /** The grid point (its index in the grid, in the grid's order). */
  point: number;
  /** Each axis's alternative, by index into the axis's values. */
  choice: readonly number[];
  state: TrialState;
  /** The trial's run in the run history (its latest, when it was run again), which holds its epochs and metrics. */
  runId?: string;
  /** Why it failed, in the user's words. */
  error?: string;
}

export const SWEEP_RECORD_FORMAT = 'fashion-mnist-trainer/sweep';
export const SWEEP_RECORD_VERSION = 1;

/** A sweep in the run history: its definition and its trials, in the order they are run. */
export interface SweepRecord {
  format: typeof SWEEP_RECORD_FORMAT;
  version: number;
  /** `sweep-` and a run-like stamp: sorts by start time, never mistaken for a run id. */
  id: string;
  startedAt: string;
  definition: SweepDefinition;
  trials: SweepTrial[];
}
