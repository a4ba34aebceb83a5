// The run history from the terminal: two short runs with different dropout are kept, listed, shown,
// compared, and a kept run's model classifies; a damaged record is a warning, an unknown id an error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertCliBuilt, cliRunner } from './cliProcess';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import png from '@jimp/js-png';
import { validateWithPython } from '../unit/notebookPython';

const scratch = mkdtempSync(join(tmpdir(), 'cli-runs-'));
const runsDir = join(scratch, 'cache', 'fashion-mnist-trainer', 'runs');

before(assertCliBuilt);
after(() => rmSync(scratch, { recursive: true, force: true }));

const { run: cli } = cliRunner({ XDG_CACHE_HOME: join(scratch, 'cache'), FASHION_MNIST_RUNS: '' });

const ids: string[] = [];

test('two short runs with different dropout are each kept in the per-user history', async () => {
  for (const dropout of ['0', '0.3']) {
    const result = await cli(['train', '--epochs', '2', '--train-limit', '1200', '--test-limit', '300', '--backend', 'wasm', '--dropout', dropout, '--no-save']);
    assert.equal(result.code, 0, result.stderr);
    const id = /Run kept in the run history as (\S+) /.exec(result.stdout)?.[1];
    assert.ok(id, result.stdout);
    ids.push(id);
  }
  assert.deepEqual(readdirSync(runsDir).sort(), [...ids].sort());
});

test('npm run runs lists them newest first with layers, dropout, L2, epochs, best epoch and test accuracy', async () => {
  const result = await cli(['runs']);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.split('\n');
  const header = lines.find((l) => l.startsWith('Id'));
  assert.ok(header && /Layers.*Dropout.*L2.*Epochs.*Best.*Test acc\./.test(header), result.stdout);
  const rows = lines.filter((l) => ids.some((id) => l.startsWith(id)));
  assert.equal(rows.length, 2);
  assert.ok(rows[0].startsWith(ids[1]), 'newest first');
  assert.match(rows[0], /\s128\s+0\.3\s+0\s+2\/2\s+\d\s+\d+\.\d%/);
  assert.match(rows[1], /\s128\s+0\s+0\s+2\/2\s+\d\s+\d+\.\d%/);
});

test('runs show prints the settings, every epoch and the per-class accuracy', async () => {
  const result = await cli(['runs', 'show', ids[1]]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /dropout 0\.3/);
  assert.match(result.stdout, /tfjs \d+\.\d+/);
  assert.match(result.stdout, /^\s+1\s+\d+\.\d%/m);
  assert.match(result.stdout, /^\s+2\s+\d+\.\d%/m);
  assert.match(result.stdout, /Ankle boot/);
});

test('runs compare lists only the settings that differ, best and last side by side, curves per epoch', async () => {
  const result = await cli(['runs', 'compare', ids[0], ids[1]]);
  assert.equal(result.code, 0, result.stderr);
  const settings = result.stdout.slice(result.stdout.indexOf('Settings that differ:'), result.stdout.indexOf('\n\n'));
  assert.match(settings, /^dropout\s+0\s+0\.3$/m);
  assert.doesNotMatch(settings, /hiddenLayers|learningRate|batchSize/, 'equal settings are not listed');
  assert.match(result.stdout, /Best test acc\..*Last test acc\./);
  assert.match(result.stdout, /1:test_acc.*2:test_acc/);
  assert.match(result.stdout, /difference from run 1/);
});

test('export-notebook --run ID (and the latest run by default) writes that run: its dropout, every epoch, its matrix', async () => {
  const out = join(scratch, 'run.ipynb');
  const result = await cli(['export-notebook', '--run', ids[1], '--out', out]);
  assert.equal(result.code, 0, result.stderr);
  validateWithPython(readFileSync(out, 'utf8'));
  const notebook = JSON.parse(readFileSync(out, 'utf8')) as { cells: { cell_type: string; source: string[]; outputs?: { output_type: string; text?: string[] }[] }[] };
  const code = notebook.cells.filter((c) => c.cell_type === 'code');
  const source = code.map((c) => c.source.join('')).join('\n');
  assert.match(source, /keras\.layers\.Dropout\(0\.3\)/);
  assert.match(source, /epochs=2,/);
  const log = code.flatMap((c) => c.outputs ?? []).map((o) => (o.text ?? []).join('')).find((text) => text.startsWith('Epoch 1/2'));
  assert.ok(log && /Epoch 2\/2/.test(log), 'the run\'s own epoch log');
  const latest = await cli(['export-notebook', '--out', join(scratch, 'latest.ipynb')]);
  assert.equal(latest.code, 0, latest.stderr);
  assert.match(latest.stdout, new RegExp(`latest run, ${ids[1]}`));
});

test('classify --run ID uses that run’s kept model', async () => {
  const idx = gunzipSync(readFileSync('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz'));
  const rgba = Buffer.alloc(28 * 28 * 4);
  for (let i = 0; i < 784; i++) rgba.set([idx[16 + i], idx[16 + i], idx[16 + i], 255], i * 4);
  const image = join(scratch, 'boot.png');
  writeFileSync(image, png().encode({ data: rgba, width: 28, height: 28 }));
  const result = await cli(['classify', '--run', ids[0], image]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /1\. .+%/);
  const unknown = await cli(['classify', '--run', '20990101-000000-abcd', image]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no run 20990101-000000-abcd.*npm run runs/s);
});

test('a damaged record is listed as damaged with the reason; bad runs commands are usage errors', async () => {
  const broken = join(runsDir, '20200101-000000-0000');
  mkdirSync(broken);
  writeFileSync(join(broken, 'run.json'), '{ not json');
  const listed = await cli(['runs']);
  assert.equal(listed.code, 0);
  assert.match(listed.stdout, /^Damaged \(1; not shown above\):\n {2}20200101-000000-0000 {2}.*20200101-000000-0000\/run\.json is damaged/m);
  assert.equal((await cli(['runs', 'compare', ids[0]])).code, 2);
  assert.equal((await cli(['runs', 'frobnicate'])).code, 2);
  const missing = await cli(['runs', 'show', 'nope']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no run nope/);
});
