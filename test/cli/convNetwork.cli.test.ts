// A conv network from the terminal: `train --conv` (bad specs exit 2 with the reason), the run kept in the
// history with its conv blocks (runs list, show, compare), its model classifying (classify --run), saved
// in the tfjs layers format, and exported as a notebook with Keras Conv2D and MaxPooling2D.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { validateWithPython } from '../unit/notebookPython';
import { assertCliBuilt, cliRunner } from './cliProcess';

const scratch = mkdtempSync(join(tmpdir(), 'cli-conv-'));
const image = resolve('test/fixtures/images/dark-112-00.png');

before(assertCliBuilt);
after(() => rmSync(scratch, { recursive: true, force: true }));

const { run: cli } = cliRunner({ XDG_CACHE_HOME: join(scratch, 'cache'), FASHION_MNIST_RUNS: '' });

test('bad conv specs exit 2 with a sentence saying why, before any training', async () => {
  for (const [spec, reason] of [
    ['0:5', /Conv block 1 has 0 filters/],
    ['8:5,16:5,8:5,8:5', /Conv block 4's 5 x 5 kernel is larger than the 3 x 3 picture it sees at that depth/],
    ['4:1,4:1,4:1,4:1,4:1', /5 conv blocks are too many for a 28 x 28 picture/],
    ['8x5', /--conv takes conv blocks as FILTERS:KERNEL/],
  ] as const) {
    const result = await cli(['train', '--conv', spec, '--no-save']);
    assert.equal(result.code, 2, `${spec}: ${result.stderr}`);
    assert.match(result.stderr, reason);
    assert.equal(result.stderr.trim().split('\n').length, 1, 'one line');
  }
});

const ids: string[] = [];

test('a conv run and an MLP run train, print the Keras summary and are kept with their layers', async () => {
  const saveDir = join(scratch, 'conv-model');
  const conv = await cli(['train', '--conv', '4:3,8:3', '--layers', '16', '--epochs', '1', '--train-limit', '600', '--test-limit', '200', '--save', saveDir]);
  assert.equal(conv.code, 0, conv.stderr);
  assert.match(conv.stdout, /conv2d \(Conv2D\)\s+\(None, 28, 28, 4\)\s+40/);
  assert.match(conv.stdout, /max_pooling2d_1 \(MaxPooling2D\)\s+\(None, 7, 7, 8\)\s+0/);
  assert.match(conv.stdout, /Total params: 6,794/);
  assert.match(conv.stdout, /Test accuracy: 0\.\d{4}/);
  const json = JSON.parse(readFileSync(join(saveDir, 'model.json'), 'utf8'));
  assert.deepEqual(json.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name).slice(0, 3), ['Reshape', 'Conv2D', 'MaxPooling2D']);
  const mlp = await cli(['train', '--layers', '16', '--epochs', '1', '--train-limit', '600', '--test-limit', '200', '--no-save']);
  assert.equal(mlp.code, 0, mlp.stderr);
  for (const result of [conv, mlp]) {
    const id = /Run kept in the run history as (\S+) /.exec(result.stdout)?.[1];
    assert.ok(id, result.stdout);
    ids.push(id);
  }
});

test('runs list, show and compare name the conv blocks', async () => {
  const list = await cli(['runs']);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, new RegExp(`^${ids[0]}\\s.*\\s4:3,8:3 \\+ 16\\s`, 'm'));
  const show = await cli(['runs', 'show', ids[0]]);
  assert.match(show.stdout, /Network: conv blocks 4:3,8:3 \(filters:kernel, each with 2 x 2 max pooling\), hidden layers 16/);
  const compare = await cli(['runs', 'compare', ids[0], ids[1]]);
  assert.equal(compare.code, 0, compare.stderr);
  assert.match(compare.stdout, /^convLayers\s+4:3,8:3\s+none$/m);
});

test('the kept conv model classifies (classify --run) and exports a notebook with Conv2D and MaxPooling2D', async () => {
  const classified = await cli(['classify', '--run', ids[0], image]);
  assert.equal(classified.code, 0, classified.stderr);
  assert.match(classified.stdout, /dark-112-00\.png:\n {2}1\. .+ \d+\.\d%\n {2}2\. /);
  const out = join(scratch, 'conv.ipynb');
  const exported = await cli(['export-notebook', '--run', ids[0], '--out', out]);
  assert.equal(exported.code, 0, exported.stderr);
  const text = readFileSync(out, 'utf8');
  assert.match(text, /keras\.layers\.Reshape\(\(28, 28, 1\)\)/);
  assert.match(text, /keras\.layers\.Conv2D\(4, \(3, 3\), padding='same', activation='relu'\)/);
  assert.match(text, /keras\.layers\.MaxPooling2D\(\(2, 2\)\)/);
  validateWithPython(text);
});
