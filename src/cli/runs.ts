/**
 * `npm run runs`: the run history in the terminal. `runs` lists it (id, date, layers, dropout, L2,
 * epochs run, best epoch, test accuracy); `runs -- show ID` prints one run; `runs -- compare ID ID...`
 * prints what the dashboard's compare view shows: the settings that differ, best and last metrics side by
 * side, the curves as per-epoch columns and the per-class accuracy differences. Reads only; never trains.
 */
import { defaultRunHistoryDir } from '../core/runs/historyLocation';
import { RunHistory } from '../core/runs/runHistory';
import { compareRuns } from '../core/runs/runComparison';
import { isSweepId, SweepStore } from '../core/runs/sweepStore';
import { t } from '../core/text/l10n';
import { formatDuration, localizedClassNames } from '../core/text/format';
import { dropoutList } from '../domain/hyperParameters';
import { convLayersOf, describeConvLayers, isConvolutional, type Architecture } from '../domain/architecture';
import type { EpochMetrics, RunEnd } from '../domain/metrics';
import type { RunHistoryRecord, RunSummary } from '../domain/runRecord';
import { UsageError } from './args';
import { formatTable } from './table';
import { EXIT, runsHelp, type CliContext } from './common';
import { sweepReportLines } from './sweepReport';
import { loadTrialRuns } from '../core/runs/sweepResults';

const percent = (value: number | undefined) => (value === undefined ? '-' : `${(value * 100).toFixed(1)}%`);
const fixed = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(4));

function endText(end: RunEnd): string {
  switch (end) {
    case 'completed': return t('all epochs');
    case 'earlyStopped': return t('stopped early');
    case 'stopped': return t('stopped by you');
    case 'failed': return t('failed');
  }
}

/** "64" for an MLP, "8:5,16:5 + 64" with conv blocks (filters:kernel) before the Dense layers. */
function layersText(architecture: Architecture): string {
  const widths = architecture.hiddenLayers.map((layer) => layer.units).join(',');
  return isConvolutional(architecture) ? `${describeConvLayers(convLayersOf(architecture))} + ${widths}` : widths;
}

/** `runs` with its sweeps: a trial the median rule stopped reads "pruned", not "stopped by you". */
function listLines(runs: RunSummary[], pruned: ReadonlySet<string>): string[] {
  // The sweep column only when a run is a trial of one, so a history without sweeps reads as before.
  const sweeps = runs.some((run) => run.sweepId !== undefined);
  const rows = runs.map((run) => [
    run.pinned ? `${run.id} *` : run.id,
    run.startedAt.replace('T', ' ').slice(0, 16),
    layersText(run.params.architecture),
    dropoutList(run.params.architecture).join(',') || '0',
    String(run.params.architecture.l2),
    `${run.epochsRun}/${run.params.epochs}`,
    run.bestEpoch === undefined ? '-' : String(run.bestEpoch),
    percent(run.testAccuracy),
    (pruned.has(run.id) ? t('pruned by the sweep') : endText(run.end)) + (run.hasModel ? '' : t(' (model not kept)')),
    ...(sweeps ? [run.sweepId ?? '-'] : []),
  ]);
  return formatTable(
    [t('Id'), t('Started (UTC)'), t('Layers'), t('Dropout'), t('L2'), t('Epochs'), t('Best'), t('Test acc.'), t('Ended'), ...(sweeps ? [t('Sweep')] : [])],
    rows,
    [false, false, false, false, true, true, true, true, false, false],
  );
}

function curveColumns(records: readonly RunHistoryRecord[]): string[] {
  const comparison = compareRuns(records);
  const withValidation = records.map((r) => r.history.some((m) => m.valLoss !== undefined));
  const headers = [t('Epoch')];
  const numeric = [true];
  records.forEach((_, i) => {
    const name = records.length > 1 ? `${i + 1}:` : '';
    headers.push(`${name}${t('acc')}`, `${name}${t('loss')}`);
    if (withValidation[i]) headers.push(`${name}val_acc`, `${name}val_loss`);
    headers.push(`${name}test_acc`, `${name}test_loss`);
    numeric.push(true, true, ...(withValidation[i] ? [true, true] : []), true, true);
  });
  const rows = comparison.curves.map(({ epoch, runs }) => {
    const cells = [String(epoch)];
    runs.forEach((m: EpochMetrics | undefined, i) => {
      const mark = m !== undefined && m.epoch === records[i].outcome.bestEpoch ? '*' : '';
      cells.push(percent(m?.accuracy), fixed(m?.loss));
      if (withValidation[i]) cells.push(percent(m?.valAccuracy) + (mark && records[i].outcome.monitoredOn === 'validation' ? mark : ''), fixed(m?.valLoss));
      cells.push(percent(m?.testAccuracy) + (mark && records[i].outcome.monitoredOn === 'test' ? mark : ''), fixed(m?.testLoss));
    });
    return cells;
  });
  return [...formatTable(headers, rows, numeric), t('* marks the best epoch (by {0}).', records.map((r) => r.outcome.monitor).filter((m, i, all) => all.indexOf(m) === i).join(', '))];
}

function metricsLines(records: readonly RunHistoryRecord[]): string[] {
  const comparison = compareRuns(records);
  const rows = comparison.metrics.map((m, i) => [
    `${i + 1}: ${m.id}`,
    endText(m.end),
    `${m.epochsRun}`,
    m.bestEpoch === undefined ? '-' : String(m.bestEpoch),
    percent(m.best?.valAccuracy ?? m.best?.testAccuracy),
    percent(m.best?.testAccuracy),
    percent(m.last?.testAccuracy),
    percent(m.last?.accuracy),
    m.last === undefined ? '-' : ((m.last.accuracy - m.last.testAccuracy) * 100).toFixed(1),
    m.weights === 'best' ? t('best') : t('last'),
    formatDuration(m.durationSeconds),
  ]);
  return formatTable(
    [t('Run'), t('Ended'), t('Epochs'), t('Best'), t('Best monitored acc.'), t('Best test acc.'), t('Last test acc.'), t('Last train acc.'), t('Gap (pts)'), t('Weights'), t('Time')],
    rows,
    [false, false, true, true, true, true, true, true, true, false, true],
  );
}

function perClassLines(records: readonly RunHistoryRecord[]): string[] {
  const comparison = compareRuns(records);
  const names = localizedClassNames();
  const headers = [t('Class'), ...records.map((_, i) => `${i + 1}`), ...records.slice(1).map((_, i) => `${i + 2}-1`)];
  const rows = comparison.perClass.map((row, c) => [
    names[c],
    ...row.accuracy.map(percent),
    ...row.difference.slice(1).map((d) => (d === undefined ? '-' : `${d >= 0 ? '+' : ''}${(d * 100).toFixed(1)}`)),
  ]);
  return formatTable(headers, rows, headers.map((_, i) => i > 0));
}

function settingsLines(record: RunHistoryRecord): string[] {
  const p = record.params;
  return [
    t('Run {0}, started {1}, took {2}; ended: {3}.', record.id, record.startedAt, formatDuration(record.durationSeconds), endText(record.outcome.end)),
    isConvolutional(p.architecture)
      ? t('Network: conv blocks {0} (filters:kernel, each with 2 x 2 max pooling), hidden layers {1}, dropout {2}, L2 {3}.',
        describeConvLayers(convLayersOf(p.architecture)), p.architecture.hiddenLayers.map((l) => l.units).join(', '), dropoutList(p.architecture).join(', ') || '0', p.architecture.l2)
      : t('Network: hidden layers {0}, dropout {1}, L2 {2}.', p.architecture.hiddenLayers.map((l) => l.units).join(', '), dropoutList(p.architecture).join(', ') || '0', p.architecture.l2),
    t('Training: {0} epochs, batch size {1}, learning rate {2}, seed {3}, validation split {4}, early stopping {5}, restore best weights {6}.',
      p.epochs, p.batchSize, p.learningRate, p.seed, p.validationSplit, p.earlyStopping ? t('patience {0}, min_delta {1}, {2}', p.patience, p.minDelta, p.monitor) : t('off'), String(p.restoreBestWeights)),
    t('Data: {0} training, {1} validation, {2} test images; checksum {3}. Backend {4}, tfjs {5}.', record.trainCount, record.validationCount, record.testCount, record.dataChecksum.slice(0, 16), record.backend, record.tfjsVersion),
  ];
}

async function loadAll(history: RunHistory, ids: string[]): Promise<RunHistoryRecord[]> {
  return Promise.all(ids.map((id) => history.load(id)));
}

export async function runRuns(argv: string[], context: CliContext, history = new RunHistory(defaultRunHistoryDir())): Promise<number> {
  const [sub, ...ids] = argv;
  const out = (lines: string[]) => context.stdout.write(lines.join('\n') + '\n');
  switch (sub) {
    case undefined:
    case 'list': {
      const { runs, damaged, warnings } = await history.list();
      for (const warning of warnings) context.stderr.write(t('Warning: {0}', warning) + '\n');
      // A damaged run is listed with why, never dropped silently (its folder stays until the user removes it).
      const damagedLines = damaged.length === 0 ? [] : ['', t('Damaged ({0}; not shown above):', damaged.length), ...damaged.map((entry) => `  ${entry.name}  ${entry.reason}`)];
      if (runs.length === 0) {
        out([t('No runs in the run history {0} yet. Train one with: npm run train', history.root), ...damagedLines]);
        return EXIT.ok;
      }
      const { sweeps } = await new SweepStore(history.root).list();
      const pruned = new Set(sweeps.flatMap((sweep) => sweep.trials.filter((trial) => trial.state === 'pruned').flatMap((trial) => trial.runId ?? [])));
      out([t('Run history: {0} ({1} runs; * = pinned)', history.root, runs.length), ...listLines(runs, pruned), ...damagedLines]);
      return EXIT.ok;
    }
    case 'show': {
      if (ids.length !== 1) throw new UsageError(t('runs show needs exactly one run id.'));
      if (isSweepId(ids[0])) {
        const sweep = await new SweepStore(history.root).load(ids[0]);
        out(sweepReportLines(sweep, await loadTrialRuns(sweep, history)));
        return EXIT.ok;
      }
      const [record] = await loadAll(history, ids);
      out([...settingsLines(record), '', ...metricsLines([record]), '', ...curveColumns([record]), '', ...(record.perClassAccuracy ? perClassLines([record]) : [])]);
      return EXIT.ok;
    }
    case 'compare': {
      if (ids.length < 2) throw new UsageError(t('runs compare needs two or more run ids.'));
      const records = await loadAll(history, ids);
      const comparison = compareRuns(records);
      const differing = comparison.differences.length === 0
        ? [t('The runs have the same settings.')]
        : formatTable([t('Setting'), ...records.map((_, i) => `${i + 1}: ${records[i].id}`)], comparison.differences.map((row) => [row.key, ...row.values]), []);
      out([t('Settings that differ:'), ...differing, '', ...metricsLines(records), '', ...curveColumns(records), '', t('Per-class test accuracy (last columns: difference from run 1, in points):'), ...perClassLines(records)]);
      return EXIT.ok;
    }
    case '--help':
    case '-h':
      out(runsHelp());
      return EXIT.ok;
    default:
      throw new UsageError(t('Unknown runs command "{0}"; use list, show ID or compare ID ID....', sub));
  }
}
