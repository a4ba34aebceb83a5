// The Sweep view's controller (host/sweepControl.ts) with fake trials: the view's alternatives become the
// sweep's grid, the rows follow the trials (running, epochs, pruned), the best trial is named, a grid that
// cannot run stays in the view with the reason, and stop ends the running trials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SweepControl } from '../../src/host/sweepControl';
import { DashboardStore } from '../../src/host/session/dashboardStore';
import type { StartTrial } from '../../src/core/runs/sweepRun';
import { DEFAULT_HYPER_PARAMETERS, type HyperParameters } from '../../src/domain/hyperParameters';
import type { EpochMetrics } from '../../src/domain/metrics';
import type { SweepRecord } from '../../src/domain/sweep';
import type { SweepView } from '../../src/protocol/sweepView';

const base: HyperParameters = { ...DEFAULT_HYPER_PARAMETERS, epochs: 3, monitor: 'val_loss' };

function metrics(epoch: number, loss: number): EpochMetrics {
  return { epoch, loss, accuracy: 1 - loss / 3, testLoss: loss, testAccuracy: 1 - loss / 3, seconds: 0.01, samplesPerSecond: 1 };
}

/** Trials whose test loss per epoch is `losses(params)`; one epoch every few milliseconds. */
function fakeStarter(losses: (params: HyperParameters) => number[], started: HyperParameters[]) {
  const start: StartTrial = (params, trial, listener) => {
    started.push(params);
    const values = losses(params);
    const history: EpochMetrics[] = [];
    let stopped = false;
    const step = () => {
      if (stopped) return listener.end({ end: 'stopped', history, runId: `run-${trial.point}` });
      if (history.length === Math.min(values.length, params.epochs)) return listener.end({ end: 'finished', history, runId: `run-${trial.point}` });
      const m = metrics(history.length + 1, values[history.length]);
      history.push(m);
      listener.epoch(m);
      setTimeout(step, 3);
    };
    setTimeout(step, 3);
    return { stop: () => (stopped = true) };
  };
  return start;
}

function control(losses: (params: HyperParameters) => number[]) {
  const views: (SweepView | undefined)[] = [];
  const saved: SweepRecord[] = [];
  const started: HyperParameters[] = [];
  let disposed = 0;
  let finished: () => void = () => {};
  const done = new Promise<void>((resolve) => (finished = resolve));
  const sweeps = new SweepControl({
    baseParams: () => base,
    trialStarter: () => ({ startTrial: fakeStarter(losses, started), disposeAll: () => void disposed++ }),
    save: async (record) => void saved.push(structuredClone(record)),
    changed: (view) => {
      views.push(view === undefined ? undefined : structuredClone(view));
      if (view?.phase === 'done') finished();
    },
  });
  return { sweeps, views, saved, started, done, disposed: () => disposed };
}

test('open shows a sweep to define, its form filled from the current settings', () => {
  const { sweeps, views } = control(() => [0.5]);
  sweeps.open();
  assert.equal(views.at(-1)?.phase, 'defining');
  assert.deepEqual(views.at(-1)?.current, { learningRate: base.learningRate, hiddenUnits: 128, dropout: 0, l2: 0, epochs: 3, batchSize: base.batchSize });
  sweeps.close();
  assert.equal(views.at(-1), undefined);
});

test('a pruned sweep from the view: rows follow the trials, the diverging one is pruned, the best is named', async () => {
  const { sweeps, views, saved, started, done } = control((p) => (p.learningRate === 0.9 ? [2.3, 2.3, 2.3] : p.learningRate === 0.003 ? [0.5, 0.4, 0.35] : [0.6, 0.5, 0.45]));
  sweeps.open();
  sweeps.start({ type: 'startSweep', axes: [{ parameter: 'learningRate', values: [0.001, 0.003, 0.9] }, { parameter: 'dropout', values: [0.2] }], prune: true, parallel: 1 });
  const running = views.at(-1)!;
  assert.equal(running.phase, 'running');
  assert.match(running.id ?? '', /^sweep-/);
  assert.deepEqual(running.trials.map((row) => row.values), [[0.001, 0.2], [0.003, 0.2], [0.9, 0.2]]);
  assert.ok(sweeps.isRunning);
  await done;
  const view = sweeps.current!;
  assert.equal(view.phase, 'done');
  assert.deepEqual(view.trials.map((row) => row.state), ['finished', 'finished', 'pruned']);
  assert.deepEqual(view.trials.map((row) => row.epoch), [3, 3, 1]);
  assert.equal(view.trials[1].monitored, 0.35);
  assert.equal(view.bestRunId, 'run-1');
  assert.equal(sweeps.bestParams()?.learningRate, 0.003);
  // The dropout rate went to the settings' one hidden layer of every trial.
  assert.deepEqual(started.map((p) => p.architecture.hiddenLayers.map((l) => l.dropout)), [[0.2], [0.2], [0.2]]);
  // Some view on the way showed a trial running with one epoch done.
  assert.ok(views.some((v) => v?.trials.some((row) => row.state === 'running' && row.epoch === 1)));
  assert.deepEqual(saved.at(-1)?.trials.map((trial) => trial.state), ['finished', 'finished', 'pruned']);
});

test('a grid that breaks a run\'s rules, or is too large, stays in the view with the reason; nothing starts', () => {
  const { sweeps, views, started } = control(() => [0.5]);
  sweeps.start({ type: 'startSweep', axes: [{ parameter: 'batchSize', values: [0, 32] }], prune: false, parallel: 2 });
  assert.equal(views.at(-1)?.phase, 'defining');
  assert.equal(views.at(-1)?.problems?.length, 1);
  assert.match(views.at(-1)!.problems![0], /^Trial 1: .*batch/i);
  const many = Array.from({ length: 9 }, (_, i) => 0.001 * (i + 1));
  sweeps.start({ type: 'startSweep', axes: [{ parameter: 'learningRate', values: many }, { parameter: 'hiddenUnits', values: many.map((_, i) => 16 + i) }], prune: false, parallel: 2 });
  assert.match(views.at(-1)!.problems![0], /81 trials/);
  assert.equal(started.length, 0);
  assert.equal(sweeps.isRunning, false);
});

test('stop ends the running trials as stopped and the sweep as interrupted; the view cannot be closed while it runs', async () => {
  const { sweeps, done } = control(() => Array.from({ length: 50 }, () => 0.5));
  sweeps.start({ type: 'startSweep', axes: [{ parameter: 'epochs', values: [50, 40] }], prune: false, parallel: 2 });
  sweeps.close();
  assert.ok(sweeps.current, 'still open while it runs');
  setTimeout(() => sweeps.stop(), 10);
  await done;
  assert.deepEqual(sweeps.current?.trials.map((row) => row.state), ['stopped', 'stopped']);
  assert.equal(sweeps.current?.interrupted, true);
});

test('the dashboard store shows the Sweep view in its state, and a kept run\'s snapshot carries none of it', () => {
  const store = new DashboardStore(base, () => {});
  const updates: string[] = [];
  store.onDidUpdate((update) => updates.push(update.kind));
  const { sweeps } = control(() => [0.5]);
  const view = (sweeps.open(), sweeps.current!);
  store.setSweep(view);
  assert.equal(store.current.sweep?.phase, 'defining');
  assert.deepEqual(updates, ['state']);
  assert.equal(store.snapshot().state.sweep, undefined);
  assert.ok(store.current.sweep, 'the shown state keeps it');
  store.setSweep(undefined);
  assert.equal(store.current.sweep, undefined);
  store.dispose();
});
