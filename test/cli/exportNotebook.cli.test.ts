// `export-notebook` as a user runs it: `node dist/cli.js export-notebook ...` (built by `npm test`), checked by
// exit code, output and the file it writes, which nbformat and Python's ast must accept.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertCliBuilt, cliRunner } from './cliProcess';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateWithPython } from '../unit/notebookPython';

const scratch = mkdtempSync(join(tmpdir(), 'cli-notebook-'));
const { runSync: cli } = cliRunner({ XDG_CACHE_HOME: join(scratch, 'cache') });
before(assertCliBuilt);
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A model folder as `npm run train` leaves it, as far as the export reads it: the run record. */
function modelFolder(): string {
  const dir = join(scratch, 'model');
  mkdirSync(dir, { recursive: true });
  const record = {
    date: '2026-12-01T08:00:00.000Z',
    params: { epochs: 3, batchSize: 64, learningRate: 0.002, hiddenUnits: 96, seed: 5, backend: 'auto', trainLimit: 6000 },
    backend: 'wasm',
    trainAccuracy: 0.87,
    testAccuracy: 0.84,
    dataChecksum: 'abc',
    trainCount: 6000,
    testCount: 10000,
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(record));
  return dir;
}

test('export-notebook writes a valid notebook of the saved model\'s run, with its settings in the code', () => {
  const out = join(scratch, 'run.ipynb');
  const result = cli(['export-notebook', '--model', modelFolder(), '--out', out]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /Notebook written to .*run\.ipynb\./);
  const text = readFileSync(out, 'utf8');
  validateWithPython(text);
  const code = (JSON.parse(text) as { cells: { cell_type: string; source: string[] }[] }).cells
    .filter((c) => c.cell_type === 'code')
    .map((c) => c.source.join(''))
    .join('\n');
  for (const part of ['Dense(96, activation=\'relu\')', 'Adam(learning_rate=0.002)', 'epochs=3,', 'batch_size=64,', 'train_images[:6000]', 'set_random_seed(5)']) {
    assert.ok(code.includes(part), part);
  }
});

test('export-notebook replaces its own notebook, refuses someone else\'s file unless --force, and says so in Chinese too', () => {
  const model = modelFolder();
  const out = join(scratch, 'again.ipynb');
  assert.equal(cli(['export-notebook', '--model', model, '--out', out]).status, 0);
  assert.equal(cli(['export-notebook', '--model', model, '--out', out]).status, 0, 'its own file is replaced');
  const theirs = join(scratch, 'theirs.ipynb');
  writeFileSync(theirs, '{"cells": []}');
  const refused = cli(['export-notebook', '--model', model, '--out', theirs]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /already exists and was not written by Fashion-MNIST Trainer.*--force/);
  assert.equal(readFileSync(theirs, 'utf8'), '{"cells": []}');
  const chinese = cli(['export-notebook', '--model', model, '--out', theirs], { LANG: 'zh_CN.UTF-8' });
  assert.equal(chinese.status, 1);
  assert.match(chinese.stderr, /不是 Fashion-MNIST Trainer 写入的/);
  assert.equal(cli(['export-notebook', '--model', model, '--out', theirs, '--force']).status, 0);
  validateWithPython(readFileSync(theirs, 'utf8'));
});

test('export-notebook: no --out, a wrong extension, --run with --model, an empty history, an unknown run, and a folder with no record', () => {
  for (const [args, pattern] of [
    [['export-notebook'], /--out FILE\.ipynb/],
    [['export-notebook', '--out', 'run.json'], /\.ipynb/],
    [['export-notebook', '--run', '3', '--model', 'm', '--out', 'a.ipynb'], /--model and --run cannot be used together/],
  ] as [string[], RegExp][]) {
    const result = cli(args);
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, pattern);
  }
  const noHistory = cli(['export-notebook', '--out', join(scratch, 'latest.ipynb')]);
  assert.equal(noHistory.status, 1);
  assert.match(noHistory.stderr, /holds no run yet[\s\S]*npm run train/);
  const unknown = cli(['export-notebook', '--run', '20990101-000000-abcd', '--out', join(scratch, 'unknown.ipynb')]);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /no run 20990101-000000-abcd/i);
  const empty = join(scratch, 'empty');
  mkdirSync(empty, { recursive: true });
  const missing = cli(['export-notebook', '--model', empty, '--out', join(scratch, 'x.ipynb')]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /No run record \(run\.json\) was found/);
});
