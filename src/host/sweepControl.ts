/**
 * The Sweep view's controller: turns the view's alternatives into a sweep (the same definition, grid and
 * rules as `npm run sweep`), runs it through the one scheduler (core/runs/sweepRun.ts) with a worker per
 * trial, and keeps the view's state (protocol/sweepView.ts) in the dashboard's state as trials start, train
 * and end. No `vscode` import: the trial starter, the sweep store and the settings are given, so a unit test
 * drives it with fake trials.
 */
import { bestMonitored } from '../core/runs/sweepResults';
import { isWorse } from '../core/runs/medianPruner';
import { gridChoice, gridSize, pointParameters, sweepPoints, sweepProblems } from '../core/runs/sweepGrid';
import { SweepRun, type StartTrial } from '../core/runs/sweepRun';
import { newSweepId, newSweepRecord } from '../core/runs/sweepStore';
import { t } from '../core/text/l10n';
import type { HyperParameters } from '../domain/hyperParameters';
import type { EpochMetrics } from '../domain/metrics';
import type { SweepAxis, SweepDefinition, SweepRecord, SweepTrial, SweepValue } from '../domain/sweep';
import type { SweepIntent, SweepView, SweepViewAxis, SweepViewTrial } from '../protocol/sweepView';

/** The most trials a sweep started from the view may have (a larger grid is a slip of the keyboard). */
export const MAX_VIEW_TRIALS = 64;

export interface SweepControlDependencies {
  /** The settings every trial shares (the current settings), or why they cannot be used. */
  baseParams(): HyperParameters;
  /** A starter of trials for this sweep (one worker per trial), and how to end them all at once. */
  trialStarter(record: SweepRecord): { startTrial: StartTrial; disposeAll(): void };
  /** Writes the sweep's record (SweepStore.save). */
  save(record: SweepRecord): Promise<void>;
  /** The view changed: the dashboard posts its state (`undefined`: the view is closed). */
  changed(view: SweepView | undefined): void;
  warn?(message: string): void;
}

type StartIntent = Extract<SweepIntent, { type: 'startSweep' }>;

export class SweepControl {
  private view: SweepView | undefined;
  private running: { run: SweepRun; disposeAll(): void } | undefined;
  private params = new Map<number, HyperParameters>();

  constructor(private readonly deps: SweepControlDependencies) {}

  get current(): SweepView | undefined {
    return this.view;
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Opens the view (or keeps the one open): a new sweep to define from the current settings. */
  open(): void {
    if (this.view !== undefined && this.view.phase !== 'done') return this.deps.changed(this.view);
    const base = this.deps.baseParams();
    this.view = { phase: 'defining', current: currentValues(base), axes: [], prune: false, parallel: 2, monitor: base.monitor, trials: [] };
    this.deps.changed(this.view);
  }

  close(): void {
    if (this.running !== undefined) return;
    this.view = undefined;
    this.deps.changed(undefined);
  }

  /** Starts the sweep the view asks for; a grid that cannot run stays in the view with the sentences saying why. */
  start(intent: StartIntent): void {
    if (this.running !== undefined) return;
    const base = this.deps.baseParams();
    const definition: SweepDefinition = { base, axes: intent.axes.map((axis) => sweepAxis(axis.parameter, axis.values, intent.axes, base)), sampleSeed: base.seed, prune: intent.prune };
    const view: SweepView = { phase: 'defining', current: currentValues(base), axes: intent.axes, prune: intent.prune, parallel: intent.parallel, monitor: base.monitor, trials: [] };
    this.view = view;
    const problems = gridProblems(definition);
    if (problems.length > 0) {
      view.problems = problems;
      this.deps.changed(view);
      return;
    }
    const started = new Date();
    const record = newSweepRecord(newSweepId(started), started, definition, sweepPoints(definition).map((point) => ({ point, choice: gridChoice(definition.axes, point) })));
    view.id = record.id;
    view.phase = 'running';
    view.trials = record.trials.map((trial, i) => {
      const params = pointParameters(base, definition.axes, trial.choice).params;
      this.params.set(trial.point, params);
      return { number: i + 1, values: intent.axes.map((axis, a) => axis.values[trial.choice[a]]), state: 'pending', epoch: 0, epochs: params.epochs };
    });
    const rows = new Map(record.trials.map((trial, i) => [trial.point, view.trials[i]]));
    const histories = new Map<number, EpochMetrics[]>();
    const starter = this.deps.trialStarter(record);
    const run = new SweepRun({
      record,
      parallel: intent.parallel,
      startTrial: starter.startTrial,
      save: (r) => this.deps.save(r),
      events: {
        trialStarted: (trial) => this.update(rows.get(trial.point), (row) => (row.state = 'running')),
        trialEpoch: (trial, metrics) => {
          const history = [...(histories.get(trial.point) ?? []), metrics];
          histories.set(trial.point, history);
          this.update(rows.get(trial.point), (row) => {
            row.epoch = metrics.epoch;
            this.scoreRow(row, trial, history);
          });
        },
        trialEnded: (trial, history) => this.update(rows.get(trial.point), (row) => endRow(row, trial, () => this.scoreRow(row, trial, history))),
        saveFailed: (error) => this.deps.warn?.(t('The sweep\'s record could not be written: {0}', error instanceof Error ? error.message : String(error))),
      },
    });
    this.running = { run, disposeAll: starter.disposeAll };
    this.deps.changed(view);
    void run.run().then((outcome) => {
      this.running = undefined;
      if (this.view !== view) return;
      view.phase = 'done';
      if (outcome.interruptedBy !== undefined) view.interrupted = true;
      const best = bestRow(view);
      if (best?.runId !== undefined) view.bestRunId = best.runId;
      this.deps.changed(view);
    });
  }

  /** Stops every trial after its current batch (they are kept as stopped). */
  stop(): void {
    this.running?.run.stop();
  }

  /** The settings of the best trial (undefined before a sweep has one). */
  bestParams(): HyperParameters | undefined {
    const view = this.view;
    const best = view === undefined ? undefined : bestRow(view);
    return best === undefined ? undefined : this.params.get(this.pointOf(best));
  }

  dispose(): void {
    this.running?.run.stop();
    this.running?.disposeAll();
  }

  private pointOf(row: SweepViewTrial): number {
    return [...this.params.keys()][row.number - 1];
  }

  private scoreRow(row: SweepViewTrial, trial: Readonly<SweepTrial>, history: readonly EpochMetrics[]): void {
    const params = this.params.get(trial.point);
    const best = params === undefined ? undefined : bestMonitored(history, params);
    if (best === undefined || !Number.isFinite(best.value)) return;
    row.monitored = best.value;
    row.testAccuracy = best.metrics.testAccuracy;
  }

  private update(row: SweepViewTrial | undefined, change: (row: SweepViewTrial) => void): void {
    if (row === undefined || this.view === undefined) return;
    change(row);
    this.deps.changed(this.view);
  }
}

function endRow(row: SweepViewTrial, trial: Readonly<SweepTrial>, score: () => void): void {
  row.state = trial.state;
  if (trial.runId !== undefined) row.runId = trial.runId;
  if (trial.error !== undefined) row.error = trial.error;
  score();
}

/** The best row: the first finished one by the monitored value, else any with a value. */
function bestRow(view: SweepView): SweepViewTrial | undefined {
  const scored = view.trials.filter((row) => row.monitored !== undefined);
  const finished = scored.filter((row) => row.state === 'finished');
  const pick = (rows: SweepViewTrial[]) => rows.reduce<SweepViewTrial | undefined>((best, row) => (best === undefined || isWorse(best.monitored!, row.monitored!, view.monitor) ? row : best), undefined);
  return pick(finished) ?? pick(scored);
}

/** What each of the view's settings is in `params` (the form's starting values). */
function currentValues(params: HyperParameters): Record<SweepViewAxis, number> {
  const layers = params.architecture.hiddenLayers;
  return {
    learningRate: params.learningRate,
    hiddenUnits: layers[0]?.units ?? 128,
    dropout: layers[0]?.dropout ?? 0,
    l2: params.architecture.l2,
    epochs: params.epochs,
    batchSize: params.batchSize,
  };
}

/**
 * The sweep's axis for one of the view's settings. A dropout rate is given to every hidden layer of the
 * trial's network: one layer when the view varies the width, the settings' layers otherwise.
 */
function sweepAxis(parameter: SweepViewAxis, values: readonly number[], axes: StartIntent['axes'], base: HyperParameters): SweepAxis {
  if (parameter !== 'dropout') return { parameter, values };
  const layers = axes.some((axis) => axis.parameter === 'hiddenUnits') ? 1 : Math.max(1, base.architecture.hiddenLayers.length);
  return { parameter, values: values.map((rate): SweepValue => Array.from({ length: layers }, () => rate)) };
}

/** Why the grid cannot run: too many trials, or a grid point that breaks a run's rules (the first few said). */
function gridProblems(definition: SweepDefinition): string[] {
  const size = gridSize(definition.axes);
  if (size > MAX_VIEW_TRIALS) return [t('The grid has {0} trials; the Sweep view runs at most {1}. Give fewer alternatives (or use npm run sweep with --trials).', size, MAX_VIEW_TRIALS)];
  return sweepProblems(definition).slice(0, 3).flatMap((point) => point.problems.map((problem) => t('Trial {0}: {1}', point.point + 1, problem)));
}
