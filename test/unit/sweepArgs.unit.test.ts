// The sweep's command line: alternatives become axes in the order given, read by the train flag parser;
// the sweep options; what a resumption may change; time budgets as people write them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSweepArgs, choiceFlags } from '../../src/cli/sweepArgs';
import { trainCommand } from '../../src/cli/sweepReport';
import { pointParameters } from '../../src/core/runs/sweepGrid';
import { parseDuration } from '../../src/domain/duration';

function options(argv: string[], cores = 2) {
  const parsed = parseSweepArgs(argv, cores);
  assert.equal(parsed.help, false);
  return (parsed as Exclude<typeof parsed, { help: true }>).options;
}

test('a flag given more than once is an axis, in the order given; a flag given once is shared by every trial', () => {
  const o = options(['--layers', '32', '--epochs', '5', '--layers=64', '--learning-rate', '0.001', '--learning-rate', '0.003', '--dropout', '0.2']);
  const d = o.definition!;
  assert.deepEqual(d.axes, [
    { parameter: 'hiddenLayers', values: [[32], [64]] },
    { parameter: 'learningRate', values: [0.001, 0.003] },
  ]);
  assert.equal(d.base.epochs, 5);
  assert.equal(d.base.architecture.hiddenLayers[0].dropout, 0.2);
  assert.equal(d.prune, false);
  assert.equal(d.trials, undefined);
  assert.equal(o.parallel, 2, 'default: the cores');
  assert.equal(choiceFlags(d.axes, [1, 0]), '--layers 64 --learning-rate 0.001');
  const trial = pointParameters(d.base, d.axes, [1, 0]).params;
  assert.equal(trainCommand(trial), 'npm run train -- --epochs 5 --layers 64 --dropout 0.2');
});

test('sweep options: --parallel, --trials (drawn with the first --seed), --prune, --time-budget, --data-dir, --no-download', () => {
  const o = options(['--seed', '7', '--seed', '8', '--parallel', '3', '--trials', '1', '--prune', '--time-budget', '1h30m', '--data-dir', 'd', '--no-download']);
  assert.equal(o.parallel, 3);
  assert.equal(o.definition!.trials, 1);
  assert.equal(o.definition!.sampleSeed, 7);
  assert.equal(o.definition!.prune, true);
  assert.equal(o.definition!.timeBudgetSeconds, 5400);
  assert.equal(o.dataDir, 'd');
  assert.equal(o.allowDownload, false);
  assert.deepEqual(parseSweepArgs(['--help']), { help: true });
});

test('--resume takes only how to run (parallel, budget, data), not what', () => {
  const o = options(['--resume', 'sweep-20261206-121500-abcd', '--parallel', '1', '--time-budget', '90s']);
  assert.equal(o.resumeId, 'sweep-20261206-121500-abcd');
  assert.equal(o.definition, undefined);
  assert.equal(o.timeBudgetSeconds, 90);
  assert.throws(() => parseSweepArgs(['--resume', 'sweep-20261206-121500-abcd', '--prune']), /--prune cannot be given with it/);
});

test('bad sweeps are usage errors that say why', () => {
  const cases: [string[], RegExp][] = [
    [['--parallel', '0', '--seed', '1', '--seed', '2'], /--parallel must be a whole number from 1 to 64/],
    [['--trials', '0', '--seed', '1', '--seed', '2'], /--trials must be a whole number from 1/],
    [['--seed', '1'], /Nothing to sweep/],
    [['--no-download', '--no-download', '--seed', '1', '--seed', '2'], /--no-download takes no value, so it has no alternatives/],
    [['--backend', 'wasm', '--backend', 'cpu', '--seed', '1'], /--backend cannot have alternatives: it says how to run/],
    [['--test-limit', '100', '--test-limit', '200', '--seed', '1'], /every trial of a sweep is tested on the same images/],
    [['--layers', '32', '--hidden-units', '64', '--seed', '1', '--seed', '2'], /cannot be used together/],
    [['--seed', '1', '--seed', '1'], /--seed lists 1 twice/],
    [['--epochs', '0', '--seed', '1', '--seed', '2'], /^--epochs must be/],
    [['--seed', '1', '--seed', '2', 'extra'], /Unexpected argument "extra"/],
    [['--prune=yes', '--seed', '1', '--seed', '2'], /--prune takes no value/],
  ];
  for (const [argv, pattern] of cases) assert.throws(() => parseSweepArgs(argv, 2), (error: Error) => error.name === 'UsageError' && pattern.test(error.message), argv.join(' '));
});

test('a dropout list given once may be meant for the swept layers; one that fits no trial names the trial', () => {
  const o = options(['--layers', '32,64', '--layers', '128,64', '--dropout', '0.1,0.2']);
  assert.deepEqual(o.definition!.axes.map((a) => a.parameter), ['hiddenLayers']);
  assert.throws(() => parseSweepArgs(['--layers', '32', '--layers', '64', '--dropout', '0.1,0.2']), /The trial --layers 32 cannot run: --dropout: 2 dropout rates were given for 1 hidden layers/);
});

test('time budgets as people write them', () => {
  assert.equal(parseDuration('10m'), 600);
  assert.equal(parseDuration('90s'), 90);
  assert.equal(parseDuration('1h30m'), 5400);
  assert.equal(parseDuration('2.5h'), 9000);
  assert.equal(parseDuration('45'), 45);
  for (const bad of ['', 'soon', '0', '0m', '10x', 'm10', '-5m']) assert.equal(parseDuration(bad), undefined, bad);
});
