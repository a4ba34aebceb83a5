// `npm run sweep` as a user runs it: bad command lines refused with a sentence (exit 2); a small pruned
// sweep on a subset of the real data marks the diverging trial pruned and names the best trial with its
// re-run command; `runs` shows the trials' sweep id and `runs show SWEEP_ID` the sweep; a sweep stopped with
// Ctrl+C keeps its trials and resumes without running the finished one again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertCliBuilt, cliRunner } from './cliProcess';
import { validateWithPython } from '../unit/notebookPython';

const scratch = mkdtempSync(join(tmpdir(), 'cli-sweep-'));
const runsDir = join(scratch, 'cache', 'fashion-mnist-trainer', 'runs');
/** Small trials: a few hundred images, two epochs. */
const TINY = ['--epochs', '2', '--train-limit', '600', '--test-limit', '200', '--backend', 'wasm'];

before(assertCliBuilt);
after(() => rmSync(scratch, { recursive: true, force: true }));

const { run: cli, start, collect } = cliRunner({ XDG_CACHE_HOME: join(scratch, 'cache'), FASHION_MNIST_RUNS: '' });

test('bad sweeps exit 2 with one sentence saying why, before any trial starts', async () => {
  const cases: [string[], RegExp][] = [
    [['--parallel', '0', '--seed', '1', '--seed', '2'], /--parallel must be a whole number from 1 to 64; got "0"/],
    [['--epochs', '2'], /Nothing to sweep: give a training flag more than once/],
    [['--restore-best', '--restore-best', '--seed', '1', '--seed', '2'], /--restore-best takes no value, so it has no alternatives/],
    [['--monitor', 'val_loss', '--monitor', 'val_accuracy', '--seed', '1'], /--monitor cannot have alternatives: every trial of a sweep is judged by the same metric/],
    [['--learning-rate', '0.001', '--learning-rate', '2'], /--learning-rate must be a number greater than 0 and at most 1; got "2"/],
    [['--batch-size', '32', '--batch-size', '800', '--train-limit', '600'], /The trial --batch-size 800 cannot run: The batch size \(800\) is larger than the number of training images \(600\)/],
    [['--time-budget', 'soon', '--seed', '1', '--seed', '2'], /--time-budget must be a time such as 90s/],
    [['--no-save', '--seed', '1', '--seed', '2'], /--no-save cannot be used in a sweep/],
  ];
  for (const [args, pattern] of cases) {
    const result = await cli(['sweep', ...args]);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0], pattern);
    assert.equal(result.stdout, '');
  }
  assert.ok(!existsSync(join(runsDir, 'sweeps')), 'no sweep record was written');
});

let prunedSweepId = '';

test('a pruned sweep stops the diverging trial after its first epoch, marks it pruned and names the best trial', async () => {
  const result = await cli(['sweep', ...TINY, '--learning-rate', '0.001', '--learning-rate', '0.003', '--learning-rate', '0.9', '--prune', '--parallel', '1']);
  assert.equal(result.code, 0, result.stderr);
  const out = result.stdout;
  prunedSweepId = /^Sweep (sweep-\S+): 3 trials of a grid of 3, 1 at a time\.$/m.exec(out)?.[1] ?? '';
  assert.ok(prunedSweepId, out);
  assert.match(out, /^Trial 1\/3 \[finished\] --learning-rate 0\.001: test_loss \d\.\d{4} at epoch \d, test accuracy \d+\.\d%; 2 of 2 epochs, /m);
  assert.match(out, /^Trial 2\/3 \[finished\] --learning-rate 0\.003: /m);
  assert.match(out, /^Trial 3\/3 \[pruned\] --learning-rate 0\.9: .*; 1 of 2 epochs, /m);
  // The table, best first; the diverging trial last; the best named with the exact command.
  const table = out.slice(out.indexOf('--learning-rate  State'));
  const order = [...table.matchAll(/^(\d)\s+(0\.\d+)\s+(finished|pruned)/gm)].map((m) => [m[1], m[3]]);
  assert.equal(order.length, 3, table);
  assert.deepEqual(order[2], ['3', 'pruned']);
  const best = /^Best: trial (\d) \(--learning-rate (0\.00\d)\), test_loss \d\.\d{4} at epoch \d\.$/m.exec(out);
  assert.ok(best, out);
  assert.equal(best[1], order[0][0], 'the best trial heads the table');
  assert.match(out, new RegExp(`^Re-run it on its own: npm run train -- --epochs 2 --learning-rate ${best[2]} --backend wasm --train-limit 600 --test-limit 200$`, 'm'));
  assert.match(out, /^CPU time \d+\.\d s, wall time \d+\.\d s \(\d+\.\d\dx the wall time\); the trials took \d+\.\d s in all/m);
  // Every trial is a run in the history with the sweep's id; the record says which was pruned.
  const record = JSON.parse(readFileSync(join(runsDir, 'sweeps', `${prunedSweepId}.json`), 'utf8'));
  assert.deepEqual(record.trials.map((trial: { state: string }) => trial.state), ['finished', 'finished', 'pruned']);
  for (const trial of record.trials) {
    const run = JSON.parse(readFileSync(join(runsDir, trial.runId, 'run.json'), 'utf8'));
    assert.equal(run.sweepId, prunedSweepId);
  }
});

test('npm run runs shows each trial\'s sweep id and the pruned one as pruned; runs show SWEEP_ID shows the sweep', async () => {
  const list = await cli(['runs']);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /Ended\s+Sweep$/m);
  const rows = list.stdout.split('\n').filter((line) => line.endsWith(prunedSweepId));
  assert.equal(rows.length, 3, list.stdout);
  assert.equal(rows.filter((row) => row.includes('pruned by the sweep')).length, 1);
  const show = await cli(['runs', 'show', prunedSweepId]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, new RegExp(`^Sweep ${prunedSweepId}, started .*: 3 trials of a grid of 3; 2 finished, 1 pruned\\.$`, 'm'));
  assert.match(show.stdout, /^Shared settings: --epochs 2 --backend wasm --train-limit 600 --test-limit 200$/m);
  assert.match(show.stdout, /^Re-run it on its own: npm run train -- /m);
  const missing = await cli(['runs', 'show', 'sweep-20000101-000000-0000']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /There is no sweep sweep-20000101-000000-0000/);
});

test('export-notebook --sweep writes the sweep as a valid notebook: the grid as Keras code and its results', async () => {
  const out = join(scratch, 'sweep.ipynb');
  const result = await cli(['export-notebook', '--sweep', prunedSweepId, '--out', out]);
  assert.equal(result.code, 0, result.stderr);
  const text = readFileSync(out, 'utf8');
  assert.equal(validateWithPython(text).nbformat, 4);
  const cells = (JSON.parse(text) as { cells: { source: string[]; outputs?: { text?: string[] }[] }[] }).cells;
  const all = cells.map((cell) => cell.source.join('') + (cell.outputs ?? []).map((o) => (o.text ?? []).join('')).join('')).join('\n');
  assert.match(all, /'learning_rate': \[0\.001, 0\.003, 0\.9\]/);
  assert.match(all, /^Trial 3\/3 \[pruned\] \{'learning_rate': 0\.9\}: val_loss \d\.\d{4} at epoch 1$/m);
  const both = await cli(['export-notebook', '--sweep', prunedSweepId, '--run', 'x', '--out', out]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--run and --sweep cannot be used together/);
});

test('Ctrl+C stops the running trial and keeps it; --resume runs only the trials without an answer', async () => {
  const child = start(['sweep', ...TINY, '--seed', '1', '--seed', '2', '--seed', '3', '--parallel', '1']);
  let signalled = false;
  const first = await collect(child, { onStdout: (stdout) => {
    // Once the first trial has finished, the second is running: interrupt it.
    if (!signalled && /^Trial 1\/3 \[finished\]/m.test(stdout)) {
      signalled = true;
      child.kill('SIGINT');
    }
  } });
  assert.equal(first.code, 130, first.stdout + first.stderr);
  assert.match(first.stderr, /Stopping every trial after its current batch/);
  assert.match(first.stdout, /^Trial 2\/3 \[stopped\] --seed 2: /m);
  assert.doesNotMatch(first.stdout, /^Trial 3\/3/m, 'the third never started');
  const id = /^Resume it with: npm run sweep -- --resume (sweep-\S+)$/m.exec(first.stdout)?.[1];
  assert.ok(id, first.stdout);
  const stopped = JSON.parse(readFileSync(join(runsDir, 'sweeps', `${id}.json`), 'utf8'));
  assert.deepEqual(stopped.trials.map((trial: { state: string }) => trial.state), ['finished', 'stopped', 'pending']);

  const resumed = await cli(['sweep', '--resume', id, '--parallel', '1']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /^Resuming: 1 trials have their answer; 2 to run\.$/m);
  assert.doesNotMatch(resumed.stdout, /^Trial 1\/3/m, 'the finished trial is not run again');
  assert.match(resumed.stdout, /^Trial 2\/3 \[finished\] --seed 2: /m);
  assert.match(resumed.stdout, /^Trial 3\/3 \[finished\] --seed 3: /m);
  const done = JSON.parse(readFileSync(join(runsDir, 'sweeps', `${id}.json`), 'utf8'));
  assert.deepEqual(done.trials.map((trial: { state: string }) => trial.state), ['finished', 'finished', 'finished']);
  assert.equal(done.trials[0].runId, stopped.trials[0].runId, 'trial 1 keeps its run');
  // The resume of a sweep with nothing left runs nothing; a resume that changes the sweep is refused.
  const again = await cli(['sweep', '--resume', id]);
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stdout, /^Trial /m);
  const changed = await cli(['sweep', '--resume', id, '--epochs', '5']);
  assert.equal(changed.code, 2);
  assert.match(changed.stderr, /--resume continues a sweep as it was defined, so --epochs cannot be given with it/);
  assert.ok(readdirSync(runsDir).includes('sweeps'));
});
