// A sweep as a notebook: nbformat validates it and ast parses every code cell (in English and Chinese);
// the grid is Keras code, the alternatives in the sweep's order and a loop over the configurations (with
// the median rule as a callback when the sweep pruned, and the sample it drew); the loop's output is the
// sweep's own results table, best first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSweepNotebook } from '../../src/core/notebook/sweepNotebook';
import { serializeNotebook, type Notebook } from '../../src/core/notebook/notebook';
import { notebookStrings } from '../../src/core/notebook/notebookStrings';
import { sweepNotebookStrings } from '../../src/core/notebook/sweepNotebookStrings';
import { pythonRepr } from '../../src/core/notebook/sweepCode';
import { gridChoice, pointParameters, sweepPoints } from '../../src/core/runs/sweepGrid';
import { newSweepRecord } from '../../src/core/runs/sweepStore';
import { configureLocale } from '../../src/core/text/l10n';
import { findL10nDir } from '../../src/core/text/l10nDir';
import { DEFAULT_HYPER_PARAMETERS } from '../../src/domain/hyperParameters';
import type { EpochMetrics } from '../../src/domain/metrics';
import { RUN_HISTORY_FORMAT, RUN_HISTORY_VERSION, type RunHistoryRecord } from '../../src/domain/runRecord';
import type { SweepDefinition, SweepRecord } from '../../src/domain/sweep';
import { validateWithPython } from './notebookPython';

function epoch(n: number, testLoss: number): EpochMetrics {
  return { epoch: n, loss: testLoss, accuracy: 0.8, testLoss, testAccuracy: 1 - testLoss / 3, seconds: 1, samplesPerSecond: 100 };
}

/** The sweep with a diverging rate: 2 widths × 2 rates, the last pruned after one epoch. */
function sweep(extra: Partial<SweepDefinition> = {}): { record: SweepRecord; runs: Map<string, RunHistoryRecord> } {
  const definition: SweepDefinition = {
    base: { ...DEFAULT_HYPER_PARAMETERS, epochs: 3, trainLimit: 2000 },
    axes: [{ parameter: 'hiddenLayers', values: [[32], [64, 32]] }, { parameter: 'learningRate', values: [0.00001, 0.3] }],
    sampleSeed: 42,
    prune: true,
    ...extra,
  };
  const record = newSweepRecord('sweep-20261206-121500-abcd', new Date('2026-12-06T12:15:00Z'), definition,
    sweepPoints(definition).map((point) => ({ point, choice: gridChoice(definition.axes, point) })));
  const losses = [[0.6, 0.5, 0.45], [2.3, 2.3, 2.3], [0.5, 0.4, 0.35], [2.4]];
  const runs = new Map<string, RunHistoryRecord>();
  record.trials.forEach((trial, i) => {
    const id = `20261206-12150${i}-abcd`;
    trial.runId = id;
    trial.state = i === 3 ? 'pruned' : 'finished';
    const history = losses[trial.point].map((loss, e) => epoch(e + 1, loss));
    runs.set(id, {
      format: RUN_HISTORY_FORMAT, version: RUN_HISTORY_VERSION, id, startedAt: record.startedAt, durationSeconds: 3,
      params: pointParameters(definition.base, definition.axes, trial.choice).params, backend: 'wasm', tfjsVersion: '4.22.0', dataChecksum: 'x',
      trainCount: 2000, validationCount: 0, testCount: 10000, history,
      outcome: { end: i === 3 ? 'stopped' : 'completed', epochsRun: history.length, monitor: 'val_loss', monitoredOn: 'test', weights: 'last' },
      sweepId: record.id,
    });
  });
  return { record, runs };
}

function build(record: SweepRecord, runs: Map<string, RunHistoryRecord>): Notebook {
  return buildSweepNotebook(record, runs, sweepNotebookStrings(), notebookStrings(), '0.1.0');
}

const code = (nb: Notebook) => nb.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join(''));
const output = (nb: Notebook) => nb.cells.flatMap((c) => c.outputs ?? []).map((o) => ('text' in o ? o.text.join('') : '')).join('\n');

test('nbformat validates a sweep\'s notebook and ast parses every code cell, in English and in Chinese', () => {
  const { record, runs } = sweep();
  const english = validateWithPython(serializeNotebook(build(record, runs)));
  assert.equal(english.nbformat, 4);
  assert.equal(english.code, 5);
  try {
    configureLocale('zh-cn', findL10nDir()!);
    const nb = build(record, runs);
    validateWithPython(serializeNotebook(nb));
    assert.match(nb.cells[0].source.join(''), /超参数/);
  } finally {
    configureLocale('en', findL10nDir()!);
  }
});

test('the grid is Keras code: the shared settings, the alternatives in order, their product, a loop with the median rule', () => {
  const { record, runs } = sweep();
  const [, , , grid, loop] = code(build(record, runs));
  assert.match(grid, /grid = \{\n {4}'hidden_layers': \[\[32\], \[64, 32\]\],\n {4}'learning_rate': \[0\.00001, 0\.3\],\n\}/);
  assert.match(grid, /configurations = \[dict\(zip\(grid, values\)\) for values in itertools\.product\(\*grid\.values\(\)\)\]/);
  assert.match(grid, /'epochs': 3,/);
  assert.doesNotMatch(grid, /configurations\[i\]/, 'the whole grid ran');
  assert.match(loop, /class MedianPruning\(keras\.callbacks\.Callback\)/);
  assert.match(loop, /for number, configuration in enumerate\(configurations, start=1\):/);
  assert.match(loop, /history\.history\['val_loss'\]/);
  const unpruned = code(build(sweep({ prune: false }).record, runs))[4];
  assert.doesNotMatch(unpruned, /MedianPruning/);
});

test('a sampled sweep\'s notebook runs the sample it drew', () => {
  const { record, runs } = sweep({ trials: 2, sampleSeed: 3 });
  const points = record.trials.map((trial) => trial.point);
  assert.equal(points.length, 2);
  const grid = code(build(record, runs))[3];
  assert.match(grid, new RegExp(`configurations = \\[configurations\\[i\\] for i in \\[${points.join(', ')}\\]\\]`));
});

test('the loop\'s output is the sweep\'s results: a line per trial as Python prints it, then the ranking, best first', () => {
  const { record, runs } = sweep();
  const text = output(build(record, runs));
  assert.match(text, /^Trial 1\/4 \[finished\] \{'hidden_layers': \[32\], 'learning_rate': 1e-05\}: val_loss 0\.4500 at epoch 3$/m);
  assert.match(text, /^Trial 4\/4 \[pruned\] \{'hidden_layers': \[64, 32\], 'learning_rate': 0\.3\}: val_loss 2\.4000 at epoch 1$/m);
  const ranking = text.slice(text.indexOf('Ranked by val_loss:'));
  assert.deepEqual([...ranking.matchAll(/^\d\. trial (\d)/gm)].map((m) => m[1]), ['3', '1', '2', '4']);
  assert.match(ranking, /^Best: \{'hidden_layers': \[64, 32\], 'learning_rate': 1e-05\}$/m);
});

test('numbers print as Python\'s repr does', () => {
  assert.equal(pythonRepr(0.001), '0.001');
  assert.equal(pythonRepr(0.0001), '0.0001');
  assert.equal(pythonRepr(0.00001), '1e-05');
  assert.equal(pythonRepr(2.5e-7), '2.5e-07');
  assert.equal(pythonRepr(128), '128');
});
