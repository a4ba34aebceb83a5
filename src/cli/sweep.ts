/**
 * `npm run sweep`: many runs, the best found. Each trial trains in a worker of its own (TrainingClient +
 * dist/worker.js, nothing shared between them), at most `--parallel` at once, and is kept in the run
 * history with the sweep's id; the sweep's record (core/runs/sweepStore.ts) is written as each trial ends,
 * so `--resume ID` continues a sweep that was cut short without running its answered trials again.
 * Ctrl+C (or SIGTERM) stops every trial after its current batch and keeps them; a second Ctrl+C quits at once.
 */
import { performance } from 'node:perf_hooks';
import { defaultCacheDir } from '../core/data/dataLocation';
import { defaultRunHistoryDir } from '../core/runs/historyLocation';
import { DEFAULT_KEPT_MODELS, RunHistory } from '../core/runs/runHistory';
import { gridChoice, gridSize, sweepPoints } from '../core/runs/sweepGrid';
import { newSweepId, newSweepRecord, SweepStore } from '../core/runs/sweepStore';
import { SweepRun, type StartTrial, type SweepOutcome } from '../core/runs/sweepRun';
import { describeUserError, formatDuration } from '../core/text/format';
import { t } from '../core/text/l10n';
import { resolveUserPath } from '../core/userPath';
import type { EpochMetrics } from '../domain/metrics';
import type { SweepRecord } from '../domain/sweep';
import type { StartRequest } from '../protocol/worker';
import { trialWorkers } from '../worker/sweepTrials';
import { parseSweepArgs, type SweepOptions } from './sweepArgs';
import { sweepReportLines, trialLine } from './sweepReport';
import { loadTrialRuns } from '../core/runs/sweepResults';
import { cliNativeBackendFolders, EXIT, sweepHelp, workerPath, type CliContext } from './common';
import { errorMessage } from '../domain/errors';

export async function runSweep(argv: string[], context: CliContext): Promise<number> {
  const parsed = parseSweepArgs(argv);
  if (parsed.help) {
    context.stdout.write(sweepHelp().join('\n') + '\n');
    return EXIT.ok;
  }
  const options = parsed.options;
  const historyDir = defaultRunHistoryDir();
  const store = new SweepStore(historyDir);
  const history = new RunHistory(historyDir);
  let record: SweepRecord;
  const earlier = new Map<number, EpochMetrics[]>();
  if (options.resumeId !== undefined) {
    record = await store.load(options.resumeId);
    // The median rule counts the epochs of the trials already run.
    for (const trial of record.trials) {
      if (trial.runId === undefined || trial.state === 'failed') continue;
      const run = await history.load(trial.runId).catch(() => undefined);
      if (run !== undefined) earlier.set(trial.point, run.history);
    }
  } else {
    const definition = options.definition!;
    const started = new Date();
    record = newSweepRecord(newSweepId(started), started, definition, sweepPoints(definition).map((point) => ({ point, choice: gridChoice(definition.axes, point) })));
    await store.save(record);
  }
  return sweepInWorkers(record, options, context, { store, history, earlier });
}

interface SweepPlaces {
  store: SweepStore;
  history: RunHistory;
  earlier: Map<number, EpochMetrics[]>;
}

/** A line on what is about to run: how many trials, how many at once, pruning and budget. */
function openingLines(record: SweepRecord, parallel: number, toRun: number, budget: number | undefined): string[] {
  const { definition } = record;
  const lines = [
    t('Sweep {0}: {1} trials of a grid of {2}, {3} at a time.', record.id, record.trials.length, gridSize(definition.axes), parallel),
  ];
  if (toRun < record.trials.length) lines.push(t('Resuming: {0} trials have their answer; {1} to run.', record.trials.length - toRun, toRun));
  if (definition.prune) lines.push(t('Pruning: after each epoch, a trial worse than the median of the others at that epoch is stopped (once two have reached it).'));
  if (budget !== undefined) lines.push(t('Time budget: {0}; trials still running then are stopped and kept.', formatDuration(budget)));
  return lines;
}

async function sweepInWorkers(record: SweepRecord, options: SweepOptions, context: CliContext, places: SweepPlaces): Promise<number> {
  const out = (line: string) => context.stdout.write(line + '\n');
  const budget = options.timeBudgetSeconds ?? record.definition.timeBudgetSeconds;
  const toRun = record.trials.filter((trial) => trial.state !== 'finished' && trial.state !== 'pruned').length;
  const parallel = Math.max(1, Math.min(options.parallel, toRun));
  for (const line of openingLines(record, parallel, toRun, budget)) out(line);

  const startedAt = new Map<number, number>();
  let trialSeconds = 0;
  const request = (params: StartRequest['params']): StartRequest => {
    const start: StartRequest = {
      params,
      cacheDir: defaultCacheDir(),
      locale: context.locale,
      allowDownload: options.allowDownload,
      nativeBackendFolders: cliNativeBackendFolders(),
      runHistory: { dir: places.history.root, keepModels: DEFAULT_KEPT_MODELS, sweepId: record.id },
    };
    if (options.dataDir !== undefined) start.dataDir = resolveUserPath(options.dataDir);
    return start;
  };
  // One worker per trial: nothing is shared between trials but the run history on disk.
  const workers = trialWorkers({
    workerPath: workerPath(),
    request,
    prune: record.definition.prune,
    historyFailed: (error) => context.stderr.write(t('Warning: {0}', describeUserError(error)) + '\n'),
  });
  const startTrial: StartTrial = (params, trial, listener) => {
    startedAt.set(trial.point, performance.now());
    return workers.startTrial(params, trial, listener);
  };

  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const sweep = new SweepRun({
    record,
    parallel,
    startTrial,
    save: (r) => places.store.save(r),
    earlier: places.earlier,
    ...(options.timeBudgetSeconds !== undefined ? { timeBudgetSeconds: options.timeBudgetSeconds } : {}),
    events: {
      trialEnded: (trial, history) => {
        const seconds = (performance.now() - (startedAt.get(trial.point) ?? performance.now())) / 1000;
        trialSeconds += seconds;
        out(trialLine(record, trial, history, seconds));
      },
      saveFailed: (error) => context.stderr.write(t('Warning: {0}', errorMessage(error)) + '\n'),
    },
  });

  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts === 1) {
      context.stderr.write(t('Stopping every trial after its current batch… Press Ctrl+C again to quit at once.') + '\n');
      sweep.stop();
    } else {
      // At once: the workers go, their trials end as stopped (without their runs), and the record is written.
      workers.disposeAll();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let outcome: SweepOutcome;
  try {
    outcome = await sweep.run();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const wallSeconds = (performance.now() - wallBefore) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  out('');
  for (const line of sweepReportLines(outcome.record, await loadTrialRuns(outcome.record, places.history))) out(line);
  out('');
  out(t('CPU time {0} s, wall time {1} s ({2}x the wall time); the trials took {3} s in all, the sweep {4} of that.',
    cpuSeconds.toFixed(1), wallSeconds.toFixed(1), (cpuSeconds / Math.max(wallSeconds, 1e-9)).toFixed(2), trialSeconds.toFixed(1),
    trialSeconds > 0 ? `${(wallSeconds / trialSeconds).toFixed(2)}x` : '-'));
  if (outcome.interruptedBy !== undefined) {
    out(outcome.interruptedBy === 'budget' ? t('The time budget ran out.') : t('The sweep was stopped.'));
    out(t('Resume it with: npm run sweep -- --resume {0}', outcome.record.id));
  }
  out(t('The sweep is kept in the run history: npm run runs -- show {0}', outcome.record.id));
  if (outcome.interruptedBy === 'user') return EXIT.interrupted;
  return outcome.record.trials.some((trial) => trial.state === 'failed') ? EXIT.failed : EXIT.ok;
}
