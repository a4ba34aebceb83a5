/**
 * How a sweep reads in the terminal: a line per trial as it ends, and the results table sorted by the
 * monitored metric (the best trial first), with the best trial named and the exact `npm run train` command
 * that repeats it. `npm run sweep` prints it at the end and `npm run runs -- show SWEEP_ID` prints it later;
 * both read each trial's numbers from its run in the run history.
 */
import { bestMonitored, bestTrial, monitorName, rankTrials, trialResults } from '../core/runs/sweepResults';
import { gridSize, pointParameters } from '../core/runs/sweepGrid';
import { t } from '../core/text/l10n';
import { formatDuration } from '../core/text/format';
import { DEFAULT_HYPER_PARAMETERS as DEFAULTS, dropoutList, HYPER_PARAMETER_SCHEMA as SCHEMA, type HyperParameters } from '../domain/hyperParameters';
import type { EpochMetrics } from '../domain/metrics';
import type { RunHistoryRecord } from '../domain/runRecord';
import type { SweepDefinition, SweepRecord, SweepTrial, TrialState } from '../domain/sweep';
import { alternativeText, axisFlag, choiceFlags } from './sweepArgs';
import { formatTable } from './table';

export function trialStateText(state: TrialState): string {
  switch (state) {
    case 'pending': return t('not run');
    case 'finished': return t('finished');
    case 'stopped': return t('stopped');
    case 'pruned': return t('pruned');
    case 'failed': return t('failed');
  }
}

/** The train flags that give `params` (those that differ from the defaults), as [flag, value] (a switch has none), in the order of `npm run train --help`. */
export function trainFlagPairs(params: HyperParameters): [string, string?][] {
  const pairs: [string, string?][] = [];
  const add = (flag: string, value: unknown, same: boolean) => {
    if (!same) pairs.push([flag, String(value)]);
  };
  add(SCHEMA.epochs.flag, params.epochs, params.epochs === DEFAULTS.epochs);
  add(SCHEMA.batchSize.flag, params.batchSize, params.batchSize === DEFAULTS.batchSize);
  add(SCHEMA.learningRate.flag, params.learningRate, params.learningRate === DEFAULTS.learningRate);
  const widths = params.architecture.hiddenLayers.map((layer) => layer.units).join(',');
  add(SCHEMA.hiddenLayers.flag, widths, widths === SCHEMA.hiddenLayers.default.join(','));
  const rates = dropoutList(params.architecture);
  add(SCHEMA.dropout.flag, rates.join(','), rates.length === 0);
  add(SCHEMA.l2.flag, params.architecture.l2, params.architecture.l2 === SCHEMA.l2.default);
  add(SCHEMA.validationSplit.flag, params.validationSplit, params.validationSplit === DEFAULTS.validationSplit);
  add(SCHEMA.patience.flag, params.patience, !params.earlyStopping);
  add(SCHEMA.monitor.flag, params.monitor, params.monitor === DEFAULTS.monitor);
  add(SCHEMA.minDelta.flag, params.minDelta, params.minDelta === DEFAULTS.minDelta);
  if (params.restoreBestWeights) pairs.push([SCHEMA.restoreBestWeights.flag]);
  add(SCHEMA.backend.flag, params.backend, params.backend === DEFAULTS.backend);
  add(SCHEMA.seed.flag, params.seed, params.seed === DEFAULTS.seed);
  add(SCHEMA.trainLimit.flag, params.trainLimit, params.trainLimit === undefined);
  add(SCHEMA.testLimit.flag, params.testLimit, params.testLimit === undefined);
  return pairs;
}

/** The train flags that give `params`, as words. */
export function trainFlags(params: HyperParameters): string[] {
  return trainFlagPairs(params).flat().filter((word): word is string => word !== undefined);
}

/** The settings every trial shares: the base's flags but those a swept parameter sets (`--layers` for `--hidden-units`). */
function sharedFlags(definition: SweepDefinition): string[] {
  const swept = new Set(definition.axes.map((axis) => (axis.parameter === 'hiddenUnits' ? SCHEMA.hiddenLayers.flag : axisFlag(axis.parameter))));
  return trainFlagPairs(definition.base).filter(([flag]) => !swept.has(flag)).flat().filter((word): word is string => word !== undefined);
}

/** The command that trains a trial's settings again, whole, as a run of its own. */
export function trainCommand(params: HyperParameters): string {
  return ['npm run train --', ...trainFlags(params)].join(' ');
}

/** One line for a trial that has just ended: its number, state, settings and result. */
export function trialLine(record: SweepRecord, trial: SweepTrial, history: readonly EpochMetrics[], seconds: number): string {
  const { definition } = record;
  const number = record.trials.indexOf(trial) + 1;
  const params = pointParameters(definition.base, definition.axes, trial.choice).params;
  const best = bestMonitored(history, params);
  const result = best === undefined
    ? t('no epoch ended')
    : t('{0} {1} at epoch {2}, test accuracy {3}', monitorName(definition), best.value.toFixed(4), best.epoch, percent(history.find((m) => m.epoch === best.epoch)?.testAccuracy));
  const state = `[${trialStateText(trial.state)}]`;
  const tail = trial.error !== undefined ? trial.error : t('{0} of {1} epochs, {2}', history.length, params.epochs, formatDuration(seconds));
  return t('Trial {0}/{1} {2} {3}: {4}; {5}.', number, record.trials.length, state, choiceFlags(definition.axes, trial.choice), result, tail);
}

const percent = (value: number | undefined) => (value === undefined ? '-' : `${(value * 100).toFixed(1)}%`);

/** The sweep's header, results table, best trial and its re-run command. */
export function sweepReportLines(record: SweepRecord, runs: ReadonlyMap<string, RunHistoryRecord>): string[] {
  const { definition } = record;
  const rows = rankTrials(trialResults(record, runs), definition);
  const counts = new Map<TrialState, number>();
  for (const trial of record.trials) counts.set(trial.state, (counts.get(trial.state) ?? 0) + 1);
  const header = [
    t('Sweep {0}, started {1}: {2} trials of a grid of {3}; {4}.', record.id, record.startedAt, record.trials.length, gridSize(definition.axes),
      [...counts].map(([state, count]) => `${count} ${trialStateText(state)}`).join(', ')),
    t('Shared settings: {0}', sharedFlags(definition).join(' ') || t('the defaults')),
  ];
  const table = formatTable(
    ['#', ...definition.axes.map((axis) => axisFlag(axis.parameter)), t('State'), t('Epochs'), t('Best'), monitorName(definition), t('Test acc.'), t('Time'), t('Run')],
    rows.map((row) => [
      String(row.number),
      ...definition.axes.map((axis, a) => alternativeText(axis.values[row.trial.choice[a]])),
      trialStateText(row.trial.state),
      row.run === undefined ? '-' : `${row.run.outcome.epochsRun}/${row.params.epochs}`,
      row.best === undefined ? '-' : String(row.best.epoch),
      row.best === undefined ? '-' : row.best.value.toFixed(4),
      percent(row.best?.metrics.testAccuracy),
      row.run === undefined ? '-' : formatDuration(row.run.durationSeconds),
      row.trial.runId ?? '-',
    ]),
    ['#', ...definition.axes.map(() => ''), '', 'n', 'n', 'n', 'n', 'n', ''].map((kind) => kind !== ''),
  );
  const best = bestTrial(rows);
  const verdict = best?.best === undefined
    ? [t('No trial has ended an epoch yet, so there is no best trial.')]
    : [
      t('Best: trial {0} ({1}), {2} {3} at epoch {4}.', best.number, choiceFlags(definition.axes, best.trial.choice), monitorName(definition), best.best.value.toFixed(4), best.best.epoch),
      t('Re-run it on its own: {0}', trainCommand(best.params)),
    ];
  return [...header, '', ...table, '', ...verdict];
}
