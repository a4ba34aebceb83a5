/** Run records for the tests: a saved model's run.json, and a run of the history as the worker writes it. */
import { DEFAULT_HYPER_PARAMETERS } from '../../src/domain/hyperParameters';
import type { EpochMetrics } from '../../src/domain/metrics';
import { RUN_HISTORY_FORMAT, RUN_HISTORY_VERSION, type RunHistoryRecord, type RunRecord } from '../../src/domain/runRecord';

/** The run.json of a saved tutorial model, as the model-folder tests write it beside model.json. */
export const SAVED_RUN_RECORD: RunRecord = {
  date: '2026-11-27T18:00:00Z',
  params: DEFAULT_HYPER_PARAMETERS,
  backend: 'wasm',
  trainAccuracy: 0.91,
  testAccuracy: 0.88,
  dataChecksum: 'abc',
  trainCount: 60000,
  testCount: 10000,
};

/** One epoch's metrics, its loss falling with n. */
export function epoch(n: number, testAccuracy: number): EpochMetrics {
  return { epoch: n, loss: 0.5 / n, accuracy: 0.8 + n / 100, testLoss: 0.4, testAccuracy, seconds: 1, samplesPerSecond: 1000 };
}

/** A run of the history (three epochs of a 128-unit MLP, best at epoch 2), as the worker writes its run.json. */
export function historyRecord(id: string, startedAt = '2026-12-01T08:00:00.000Z', dropout = 0): RunHistoryRecord {
  return {
    format: RUN_HISTORY_FORMAT,
    version: RUN_HISTORY_VERSION,
    id,
    startedAt,
    durationSeconds: 12,
    params: { ...DEFAULT_HYPER_PARAMETERS, architecture: { hiddenLayers: [{ units: 128, dropout }], l2: 0 } },
    backend: 'wasm',
    tfjsVersion: '4.22.0',
    dataChecksum: 'abc',
    trainCount: 600,
    validationCount: 0,
    testCount: 100,
    history: [epoch(1, 0.81), epoch(2, 0.85), epoch(3, 0.84)],
    outcome: { end: 'completed', epochsRun: 3, monitor: 'val_loss', monitoredOn: 'test', bestEpoch: 2, weights: 'best' },
    confusion: Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => (i === j ? 9 : 0))),
    perClassAccuracy: Array(10).fill(0.9),
  };
}
