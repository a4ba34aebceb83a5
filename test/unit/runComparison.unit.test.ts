import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns } from '../../src/core/runs/runComparison';
import { configureLocale } from '../../src/core/text/l10n';
import { findL10nDir } from '../../src/core/text/l10nDir';
import { DEFAULT_HYPER_PARAMETERS } from '../../src/domain/hyperParameters';
import { RUN_HISTORY_FORMAT, RUN_HISTORY_VERSION, type RunHistoryRecord } from '../../src/domain/runRecord';

function run(id: string, dropout: number, epochs: number[], perClass: number[]): RunHistoryRecord {
  return {
    format: RUN_HISTORY_FORMAT, version: RUN_HISTORY_VERSION, id, startedAt: '2026-12-01T08:00:00Z', durationSeconds: 10,
    params: { ...DEFAULT_HYPER_PARAMETERS, architecture: { hiddenLayers: [{ units: 128, dropout }], l2: 0 } },
    backend: 'wasm', tfjsVersion: '4.22.0', dataChecksum: 'f'.repeat(64), trainCount: 600, validationCount: 0, testCount: 100,
    history: epochs.map((testAccuracy, i) => ({ epoch: i + 1, loss: 0.5, accuracy: 0.9, testLoss: 1 - testAccuracy, testAccuracy, seconds: 1, samplesPerSecond: 1 })),
    outcome: { end: 'completed', epochsRun: epochs.length, monitor: 'val_loss', monitoredOn: 'test', bestEpoch: 2, weights: 'last' },
    perClassAccuracy: perClass,
  };
}

test('only the settings that differ are listed; metrics, curves and per-class differences line up by run', () => {
  const a = run('a', 0, [0.80, 0.85, 0.84], Array(10).fill(0.8));
  const b = run('b', 0.2, [0.81, 0.86], [0.9, ...Array(9).fill(0.8)]);
  const comparison = compareRuns([a, b]);
  assert.deepEqual(comparison.differences, [{ key: 'dropout', values: ['0', '0.2'] }]);
  assert.equal(comparison.metrics[0].best?.testAccuracy, 0.85);
  assert.equal(comparison.metrics[0].last?.testAccuracy, 0.84);
  assert.equal(comparison.metrics[1].last?.epoch, 2);
  assert.equal(comparison.curves.length, 3);
  assert.equal(comparison.curves[2].runs[1], undefined, 'run b did not train a third epoch');
  assert.ok(Math.abs((comparison.perClass[0].difference[1] ?? 0) - 0.1) < 1e-12);
  assert.equal(comparison.perClass[0].difference[0], 0, 'the first run is the baseline');
  assert.deepEqual(compareRuns([a, a]).differences, [], 'identical runs differ in nothing');
});

test('the values and labels the compare view shows are in the UI\'s language', () => {
  const a = run('a', 0, [0.8], Array(10).fill(0.8));
  const b = { ...run('b', 0.2, [0.8], Array(10).fill(0.8)) };
  b.params = { ...b.params, earlyStopping: true, patience: 2, restoreBestWeights: true };
  const english = compareRuns([a, b]);
  assert.deepEqual(english.differences.find((d) => d.key === 'earlyStopping')?.values, ['off', 'patience 2, min_delta 0, val_loss']);
  assert.deepEqual(english.differences.find((d) => d.key === 'restoreBestWeights')?.values, ['no', 'yes']);
  const l10nDir = findL10nDir(__dirname);
  assert.ok(l10nDir);
  configureLocale('zh-cn', l10nDir);
  try {
    const chinese = compareRuns([a, b]);
    assert.deepEqual(chinese.differences.find((d) => d.key === 'earlyStopping')?.values, ['关闭', '耐心 2 轮，min_delta 0，val_loss']);
    assert.deepEqual(chinese.differences.find((d) => d.key === 'restoreBestWeights')?.values, ['否', '是']);
    assert.match(chinese.labels[1], /Dropout 0\.2/);
  } finally {
    configureLocale('en', l10nDir);
  }
});
