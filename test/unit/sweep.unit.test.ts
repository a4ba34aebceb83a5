// Sweeps in core: the grid as the product of the alternatives in the order given, a seeded sample of it,
// each grid point as a run's settings checked by a run's rules, Optuna's median pruning rule, the sweep
// record in the run history (written, read back, damaged ones refused), and the trial scheduler:
// parallel slots, pruning, the time budget, a stop, and a resumption that does not rerun answered trials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gridChoice, gridSize, pointParameters, pointProblems, sweepPoints, sweepProblems } from '../../src/core/runs/sweepGrid';
import { median, MIN_TRIALS_AT_EPOCH, shouldPrune } from '../../src/core/runs/medianPruner';
import { isSweepId, newSweepId, newSweepRecord, parseSweepRecord, SweepStore } from '../../src/core/runs/sweepStore';
import { SweepRun, type StartTrial, type TrialListener } from '../../src/core/runs/sweepRun';
import { RunHistory, SWEEP_FOLDER } from '../../src/core/runs/runHistory';
import { DEFAULT_HYPER_PARAMETERS, type HyperParameters } from '../../src/domain/hyperParameters';
import type { EpochMetrics } from '../../src/domain/metrics';
import type { SweepAxis, SweepDefinition, SweepRecord } from '../../src/domain/sweep';

const layersAndRate: SweepAxis[] = [
  { parameter: 'hiddenLayers', values: [[32], [64]] },
  { parameter: 'learningRate', values: [0.001, 0.003] },
];

function definition(axes: SweepAxis[], extra: Partial<SweepDefinition> = {}): SweepDefinition {
  return { base: { ...DEFAULT_HYPER_PARAMETERS, epochs: 3 }, axes, sampleSeed: 42, prune: false, ...extra };
}

function epoch(n: number, testLoss: number): EpochMetrics {
  return { epoch: n, loss: testLoss, accuracy: 0.8, testLoss, testAccuracy: 1 - testLoss, seconds: 1, samplesPerSecond: 100 };
}

test('the grid is the product of the alternatives, the first flag varying slowest (itertools.product order)', () => {
  assert.equal(gridSize(layersAndRate), 4);
  assert.deepEqual([0, 1, 2, 3].map((p) => gridChoice(layersAndRate, p)), [[0, 0], [0, 1], [1, 0], [1, 1]]);
  const params = [0, 1, 2, 3].map((p) => pointParameters(DEFAULT_HYPER_PARAMETERS, layersAndRate, gridChoice(layersAndRate, p)).params);
  assert.deepEqual(params.map((p) => [p.architecture.hiddenLayers[0].units, p.learningRate]), [[32, 0.001], [32, 0.003], [64, 0.001], [64, 0.003]]);
  assert.deepEqual(sweepPoints(definition(layersAndRate)), [0, 1, 2, 3]);
  assert.equal(gridSize([]), 1, 'no axes: the base run alone');
});

test('--trials N draws N distinct grid points with the seed, the same every time, run in grid order', () => {
  const axes: SweepAxis[] = [{ parameter: 'learningRate', values: [0.001, 0.002, 0.003, 0.004, 0.005] }, { parameter: 'seed', values: [1, 2, 3, 4] }];
  const sample = sweepPoints(definition(axes, { trials: 6 }));
  assert.equal(sample.length, 6);
  assert.equal(new Set(sample).size, 6, 'no point twice');
  assert.deepEqual(sample, [...sample].sort((a, b) => a - b), 'grid order');
  assert.ok(sample.every((p) => p >= 0 && p < 20));
  assert.deepEqual(sweepPoints(definition(axes, { trials: 6 })), sample, 'same seed, same sample');
  const others = [1, 2, 3, 4, 5].map((seed) => sweepPoints(definition(axes, { trials: 6, sampleSeed: seed })).join());
  assert.ok(others.some((o) => o !== sample.join()), 'another seed draws another sample');
  assert.deepEqual(sweepPoints(definition(axes, { trials: 50 })), Array.from({ length: 20 }, (_, i) => i), 'more trials than points: the grid');
});

test('a grid point puts hidden layers, dropout and L2 together after all axes, and a patience turns early stopping on', () => {
  const axes: SweepAxis[] = [
    { parameter: 'dropout', values: [[0.2], [0.1, 0.3]] },
    { parameter: 'hiddenLayers', values: [[256, 128]] },
    { parameter: 'l2', values: [0.001] },
    { parameter: 'patience', values: [2] },
  ];
  const { params, dropoutMismatch } = pointParameters(DEFAULT_HYPER_PARAMETERS, axes, [1, 0, 0, 0]);
  assert.equal(dropoutMismatch, undefined);
  assert.deepEqual(params.architecture, { hiddenLayers: [{ units: 256, dropout: 0.1 }, { units: 128, dropout: 0.3 }], l2: 0.001 });
  assert.equal(params.earlyStopping, true);
  assert.equal(params.patience, 2);
  assert.deepEqual(DEFAULT_HYPER_PARAMETERS.architecture.hiddenLayers.map((l) => l.units), [128], 'the base is not changed');
  const hidden: SweepAxis[] = [{ parameter: 'hiddenUnits', values: [16] }];
  assert.deepEqual(pointParameters(DEFAULT_HYPER_PARAMETERS, hidden, [0]).params.architecture.hiddenLayers, [{ units: 16, dropout: 0 }]);
});

test('a sweep over a conv network keeps its conv blocks in every trial (the axes vary the Dense layers and training)', () => {
  const convLayers = [{ filters: 8, kernelSize: 5 }, { filters: 16, kernelSize: 5 }];
  const base: HyperParameters = { ...DEFAULT_HYPER_PARAMETERS, architecture: { convLayers, hiddenLayers: [{ units: 64, dropout: 0 }], l2: 0 } };
  const axes: SweepAxis[] = [{ parameter: 'hiddenUnits', values: [32, 128] }, { parameter: 'learningRate', values: [0.001] }];
  for (const point of [0, 1]) {
    const { params } = pointParameters(base, axes, gridChoice(axes, point));
    assert.deepEqual(params.architecture.convLayers, convLayers, `trial ${point}`);
    assert.deepEqual(params.architecture.hiddenLayers, [{ units: point === 0 ? 32 : 128, dropout: 0 }]);
  }
});

test('a grid point is held to a run\'s rules: a dropout list that does not fit the layers, a batch larger than the images', () => {
  const base: HyperParameters = { ...DEFAULT_HYPER_PARAMETERS, trainLimit: 100 };
  const axes: SweepAxis[] = [{ parameter: 'dropout', values: [[0.1, 0.2, 0.3]] }, { parameter: 'batchSize', values: [32, 500] }];
  assert.match(pointProblems(base, axes, [0, 0]).join(' '), /3 dropout rates were given for 1 hidden layers/);
  assert.match(pointProblems(base, axes, [0, 1]).join(' '), /batch size \(500\) is larger than the number of training images \(100\)/);
  const fine: SweepAxis[] = [{ parameter: 'batchSize', values: [32, 500] }];
  const problems = sweepProblems({ base, axes: fine, sampleSeed: 1, prune: false });
  assert.deepEqual(problems.map((p) => [p.point, p.choice]), [[1, [1]]], 'only the point with batch 500');
});

test('median: the middle value, or the mean of the two middle ones', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('median rule: a trial worse than the median of the others at that epoch is pruned, once two others reached it', () => {
  assert.equal(MIN_TRIALS_AT_EPOCH, 2);
  const others = [[epoch(1, 0.5), epoch(2, 0.4)], [epoch(1, 0.6)]];
  // val_loss (on the test set without a split): lower is better; the median at epoch 1 is 0.55.
  assert.equal(shouldPrune([epoch(1, 0.9)], 1, others, 'val_loss'), true);
  assert.equal(shouldPrune([epoch(1, 0.55)], 1, others, 'val_loss'), false, 'equal to the median is not worse');
  assert.equal(shouldPrune([epoch(1, 0.3)], 1, others, 'val_loss'), false);
  // Only one other trial reached epoch 2: no verdict yet.
  assert.equal(shouldPrune([epoch(1, 0.9), epoch(2, 0.9)], 2, others, 'val_loss'), false);
  assert.equal(shouldPrune([epoch(1, 0.9)], 1, [others[0]], 'val_loss'), false, 'one other trial is not enough');
  // val_accuracy: higher is better (testAccuracy = 1 - testLoss here); median accuracy 0.45.
  assert.equal(shouldPrune([epoch(1, 0.9)], 1, others, 'val_accuracy'), true);
  assert.equal(shouldPrune([epoch(1, 0.2)], 1, others, 'val_accuracy'), false);
  // Optuna judges the trial by its best value so far, not its latest.
  const others3 = [[epoch(1, 0.5), epoch(2, 0.45)], [epoch(1, 0.5), epoch(2, 0.45)]];
  assert.equal(shouldPrune([epoch(1, 0.3), epoch(2, 0.9)], 2, others3, 'val_loss'), false);
  // A diverged value (NaN) is pruned at once; a diverged other trial does not count towards the median.
  assert.equal(shouldPrune([epoch(1, Number.NaN)], 1, [], 'val_loss'), true);
  assert.equal(shouldPrune([epoch(1, 0.9)], 1, [[epoch(1, 0.5)], [epoch(1, Number.NaN)]], 'val_loss'), false);
});

test('sweep records are kept in the run history beside the runs, read back whole, and never listed as runs', async () => {
  const root = mkdtempSync(join(tmpdir(), 'sweeps-'));
  const store = new SweepStore(root);
  const id = newSweepId(new Date('2026-12-06T12:15:00Z'));
  assert.ok(isSweepId(id), id);
  assert.match(id, /^sweep-20261206-121500-[0-9a-f]{4}$/);
  const def = definition(layersAndRate, { prune: true, timeBudgetSeconds: 600 });
  const record = newSweepRecord(id, new Date('2026-12-06T12:15:00Z'), def, sweepPoints(def).map((point) => ({ point, choice: gridChoice(def.axes, point) })));
  record.trials[0] = { ...record.trials[0], state: 'finished', runId: '20261206-121501-abcd' };
  record.trials[1] = { ...record.trials[1], state: 'pruned', runId: '20261206-121502-abcd' };
  await store.save(record);
  assert.deepEqual(readdirSync(join(root, SWEEP_FOLDER)), [`${id}.json`]);
  assert.deepEqual(await store.load(id), record);
  assert.deepEqual((await store.list()).sweeps.map((s) => s.id), [id]);
  const history = await new RunHistory(root).list();
  assert.deepEqual(history, { runs: [], damaged: [], warnings: [] }, 'the sweeps folder is not a run');
  await assert.rejects(store.load('sweep-20261206-121500-0000'), /There is no sweep/);
  await assert.rejects(store.load('../etc'), /not a sweep id/);
});

test('a damaged or foreign sweep record is refused: an axis outside the sweepable parameters or its bounds, a trial off the grid', () => {
  const def = definition(layersAndRate);
  const good = newSweepRecord('sweep-20261206-121500-abcd', new Date(0), def, [{ point: 0, choice: [0, 0] }]);
  assert.ok('record' in parseSweepRecord(JSON.stringify(good)));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a damaged record is any shape
  type Loose = Record<string, any>;
  const bad = (change: (r: Loose) => void) => {
    const copy = structuredClone(good) as unknown as Loose;
    change(copy);
    return parseSweepRecord(JSON.stringify(copy));
  };
  assert.deepEqual(parseSweepRecord('{'), { problem: 'json' });
  assert.deepEqual(bad((r) => (r.format = 'other')), { problem: 'foreign' });
  assert.deepEqual(bad((r) => (r.version = 99)), { problem: 'version' });
  assert.deepEqual(bad((r) => (r.definition.axes[0].parameter = 'monitor')), { problem: 'fields' });
  assert.deepEqual(bad((r) => (r.definition.axes[1].values = [5])), { problem: 'fields' }, 'learning rate above 1');
  assert.deepEqual(bad((r) => (r.trials[0].choice = [2, 0])), { problem: 'fields' });
  assert.deepEqual(bad((r) => (r.trials[0].state = 'running')), { problem: 'fields' });
  assert.deepEqual(bad((r) => (r.id = '../x')), { problem: 'fields' });
});

/** A fake trial starter: each trial reports the epochs the test scripts for it, one per tick, unless stopped. */
function fakeTrials(losses: (params: HyperParameters) => number[], log: string[]) {
  let running = 0;
  let most = 0;
  const start: StartTrial = (params, trial, listener: TrialListener) => {
    running++;
    most = Math.max(most, running);
    log.push(`start ${trial.point}`);
    const values = losses(params);
    const history: EpochMetrics[] = [];
    let stopped = false;
    const finish = (end: 'finished' | 'stopped') => {
      running--;
      listener.end({ end, history, runId: `run-${trial.point}` });
    };
    const step = () => {
      if (stopped) return finish('stopped');
      if (history.length === values.length) return finish('finished');
      const m = epoch(history.length + 1, values[history.length]);
      history.push(m);
      listener.epoch(m);
      setTimeout(step, 5);
    };
    setTimeout(step, 5);
    return { stop: () => (stopped = true) };
  };
  return { start, most: () => most };
}

function sweepRecord(def: SweepDefinition): SweepRecord {
  return newSweepRecord('sweep-20261206-121500-abcd', new Date(0), def, sweepPoints(def).map((point) => ({ point, choice: gridChoice(def.axes, point) })));
}

test('trials run in grid order, at most `parallel` at a time, and every ended trial is saved', async () => {
  const def = definition(layersAndRate);
  const log: string[] = [];
  const fake = fakeTrials(() => [0.5, 0.4, 0.3], log);
  const saved: SweepRecord[] = [];
  const outcome = await new SweepRun({ record: sweepRecord(def), parallel: 2, startTrial: fake.start, save: async (r) => void saved.push(r) }).run();
  assert.equal(fake.most(), 2);
  assert.deepEqual(log, ['start 0', 'start 1', 'start 2', 'start 3']);
  assert.deepEqual(outcome.record.trials.map((t) => t.state), ['finished', 'finished', 'finished', 'finished']);
  assert.deepEqual(outcome.record.trials.map((t) => t.runId), ['run-0', 'run-1', 'run-2', 'run-3']);
  assert.equal(outcome.interruptedBy, undefined);
  assert.equal(saved.length, 4);
  assert.equal(saved[0].trials.filter((t) => t.state === 'finished').length, 1, 'each save is the record as it was then');
});

test('with pruning, a diverging trial is stopped after its first epoch and marked pruned; the others finish', async () => {
  const def = definition([{ parameter: 'learningRate', values: [0.001, 0.003, 0.3] }], { prune: true });
  const log: string[] = [];
  const fake = fakeTrials((p) => (p.learningRate === 0.3 ? [2.3, 2.3, 2.3] : [0.5, 0.45, 0.4]), log);
  const ends: { point: number; epochs: number }[] = [];
  const outcome = await new SweepRun({
    record: sweepRecord(def), parallel: 2, startTrial: fake.start, save: async () => {},
    events: { trialEnded: (trial, history) => ends.push({ point: trial.point, epochs: history.length }) },
  }).run();
  assert.deepEqual(outcome.record.trials.map((t) => t.state), ['finished', 'finished', 'pruned']);
  assert.deepEqual(ends.find((e) => e.point === 2), { point: 2, epochs: 1 }, 'stopped after its first epoch');
  assert.equal(outcome.interruptedBy, undefined, 'pruning is not an interruption');
});

test('the time budget stops the running trials (kept as stopped) and starts no more', async () => {
  const def = definition(layersAndRate, { timeBudgetSeconds: 0.02 });
  const log: string[] = [];
  const fake = fakeTrials(() => Array.from({ length: 100 }, () => 0.5), log);
  const outcome = await new SweepRun({ record: sweepRecord(def), parallel: 2, startTrial: fake.start, save: async () => {} }).run();
  assert.equal(outcome.interruptedBy, 'budget');
  assert.deepEqual(outcome.record.trials.map((t) => t.state), ['stopped', 'stopped', 'pending', 'pending']);
  assert.deepEqual(log, ['start 0', 'start 1']);
});

test('a stop ends every running trial as stopped; a resumed sweep reruns only those without an answer', async () => {
  const def = definition(layersAndRate, { prune: true });
  const record = sweepRecord(def);
  const log: string[] = [];
  const fake = fakeTrials(() => [0.5, 0.4, 0.3], log);
  const first = new SweepRun({
    record, parallel: 1, startTrial: fake.start, save: async () => {},
    events: { trialEnded: (trial) => { if (trial.point === 1) setTimeout(() => first.stop(), 7); } },
  });
  let outcome = await first.run();
  assert.equal(outcome.interruptedBy, 'user');
  assert.deepEqual(record.trials.map((t) => t.state), ['finished', 'finished', 'stopped', 'pending']);
  // Kept across processes: through the store.
  const root = mkdtempSync(join(tmpdir(), 'sweeps-'));
  const store = new SweepStore(root);
  await store.save(record);
  const loaded = await store.load(record.id);
  log.length = 0;
  const earlier = new Map([[0, [epoch(1, 0.5), epoch(2, 0.4), epoch(3, 0.3)]], [1, [epoch(1, 0.5), epoch(2, 0.4), epoch(3, 0.3)]]]);
  outcome = await new SweepRun({ record: loaded, parallel: 2, startTrial: fake.start, save: (r) => store.save(r), earlier }).run();
  assert.equal(outcome.interruptedBy, undefined);
  assert.deepEqual(log, ['start 2', 'start 3'], 'finished trials are not run again');
  assert.deepEqual((await store.load(record.id)).trials.map((t) => t.state), ['finished', 'finished', 'finished', 'finished']);
  // Nothing left to run: a third resumption ends at once.
  log.length = 0;
  outcome = await new SweepRun({ record: await store.load(record.id), parallel: 2, startTrial: fake.start, save: async () => {} }).run();
  assert.deepEqual(log, []);
  assert.equal(outcome.interruptedBy, undefined);
});

test('a trial that cannot start, or ends in an error, is failed and the sweep goes on', async () => {
  const def = definition([{ parameter: 'seed', values: [1, 2, 3] }]);
  const log: string[] = [];
  const fake = fakeTrials(() => [0.5], log);
  const outcome = await new SweepRun({
    record: sweepRecord(def), parallel: 1, save: async () => {},
    startTrial: (params, trial, listener) => {
      if (params.seed === 2) throw new Error('no worker');
      if (params.seed === 3) {
        setTimeout(() => listener.end({ end: 'failed', history: [], error: 'out of memory' }), 1);
        return { stop: () => {} };
      }
      return fake.start(params, trial, listener);
    },
  }).run();
  assert.deepEqual(outcome.record.trials.map((t) => [t.state, t.error]), [['finished', undefined], ['failed', 'no worker'], ['failed', 'out of memory']]);
});

test('a record that cannot be written is reported and the sweep goes on', async () => {
  const root = mkdtempSync(join(tmpdir(), 'sweeps-'));
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, SWEEP_FOLDER), 'a file where the folder should be');
  const store = new SweepStore(root);
  const failures: unknown[] = [];
  const fake = fakeTrials(() => [0.5], []);
  const outcome = await new SweepRun({
    record: sweepRecord(definition([{ parameter: 'seed', values: [1, 2] }])), parallel: 2, startTrial: fake.start,
    save: (r) => store.save(r), events: { saveFailed: (e) => failures.push(e) },
  }).run();
  assert.deepEqual(outcome.record.trials.map((t) => t.state), ['finished', 'finished']);
  assert.equal(failures.length, 2);
  assert.match(String(failures[0]), /sweep could not be written/);
});
