/**
 * What the compare view and `npm run runs -- compare` show for two or more runs, as plain data: the
 * settings that differ (and only those), best and last metrics side by side, per-epoch curves, and the
 * per-class test accuracy with its difference from the first run (the baseline).
 */
import { dropoutList } from '../../domain/hyperParameters';
import { convLayersOf, describeConvLayers, isConvolutional } from '../../domain/architecture';
import type { RunHistoryRecord } from '../../domain/runRecord';
import type { MetricsRow, RunComparison, SettingRow } from '../../domain/runComparison';

export type { MetricsRow, RunComparison, SettingRow };
import { heldMetrics } from './runRecordFile';
import { t } from '../text/l10n';

/** The settings of a run as comparable text in the UI's language, keyed as the settings are (plus a few facts of where it ran). */
export function settingValues(record: RunHistoryRecord): Record<string, string> {
  const p = record.params;
  const values: Record<string, string> = {
    convLayers: describeConvLayers(convLayersOf(p.architecture)) || t('none'),
    hiddenLayers: p.architecture.hiddenLayers.map((layer) => layer.units).join(', '),
    dropout: dropoutList(p.architecture).join(', ') || '0',
    l2: String(p.architecture.l2),
    epochs: String(p.epochs),
    batchSize: String(p.batchSize),
    learningRate: String(p.learningRate),
    seed: String(p.seed),
    validationSplit: String(p.validationSplit),
    earlyStopping: p.earlyStopping ? t('patience {0}, min_delta {1}, {2}', p.patience, p.minDelta, p.monitor) : t('off'),
    restoreBestWeights: p.restoreBestWeights ? t('yes') : t('no'),
    trainImages: String(record.trainCount),
    testImages: String(record.testCount),
    backend: record.backend,
    tfjs: record.tfjsVersion,
    data: record.dataChecksum.slice(0, 12),
  };
  return values;
}

export function compareRuns(records: readonly RunHistoryRecord[]): RunComparison {
  const values = records.map(settingValues);
  const keys = Object.keys(values[0] ?? {});
  const differences = keys
    .map((key) => ({ key, values: values.map((v) => v[key]) }))
    .filter((row) => new Set(row.values).size > 1);
  const metrics = records.map((record): MetricsRow => {
    const bestEpoch = record.outcome.bestEpoch;
    const row: MetricsRow = {
      id: record.id,
      end: record.outcome.end,
      epochsRun: record.outcome.epochsRun,
      weights: record.outcome.weights,
      durationSeconds: record.durationSeconds,
    };
    if (bestEpoch !== undefined) {
      row.bestEpoch = bestEpoch;
      row.best = record.history.find((m) => m.epoch === bestEpoch);
    }
    row.last = record.history[record.history.length - 1];
    row.held = heldMetrics(record);
    return row;
  });
  const longest = Math.max(0, ...records.map((r) => Math.max(0, ...r.history.map((m) => m.epoch))));
  const curves = Array.from({ length: longest }, (_, i) => ({
    epoch: i + 1,
    runs: records.map((r) => r.history.find((m) => m.epoch === i + 1)),
  }));
  const baseline = records[0]?.perClassAccuracy;
  const perClass = Array.from({ length: 10 }, (_, c) => {
    const accuracy = records.map((r) => r.perClassAccuracy?.[c]);
    const difference = accuracy.map((a) => (a === undefined || baseline === undefined ? undefined : a - baseline[c]));
    return { accuracy, difference };
  });
  const labels = records.map((r) => {
    const a = r.params.architecture;
    const dropout = dropoutList(a).join('/') || '0';
    const conv = isConvolutional(a) ? ` · ${t('conv {0}', describeConvLayers(convLayersOf(a)))}` : '';
    return `${r.startedAt.slice(5, 16).replace('T', ' ')}${conv} · ${a.hiddenLayers.map((l) => l.units).join('-')} · ${t('dropout {0}', dropout)} · L2 ${a.l2}`;
  });
  const monitoredOn = records.map((r) => r.outcome.monitoredOn);
  return { ids: records.map((r) => r.id), labels, monitoredOn, differences, metrics, curves, perClass };
}
