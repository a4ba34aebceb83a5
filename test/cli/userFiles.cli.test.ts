// What the tool promises about the user's files, tried through the built CLI as a user would: bad save
// targets cost seconds and change nothing, paths mean what was typed (INIT_CWD, ~), models that would give
// a wrong answer are refused or fixed with the reason shown, and closing the output pipe ends quietly.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertCliBuilt, cliRunner } from './cliProcess';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import png from '@jimp/js-png';

const scratch = mkdtempSync(join(tmpdir(), 'cli-files-'));
const home = join(scratch, 'home');
mkdirSync(home);

before(assertCliBuilt);
after(() => rmSync(scratch, { recursive: true, force: true }));

const { run: cli } = cliRunner({ HOME: home, XDG_CACHE_HOME: join(scratch, 'cache'), INIT_CWD: '' });

/** Every file under `dir` with its bytes, to prove nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    out[path] = entry.isFile() ? readFileSync(path, 'base64') : entry.isSymbolicLink() ? 'link' : 'dir';
  }
  return out;
}

const TINY = ['--epochs', '1', '--train-limit', '1000', '--test-limit', '200'];

test('--save with an empty path is a usage error; nothing is touched', async () => {
  for (const args of [['--save', ''], ['--save=']]) {
    const result = await cli(['train', ...args, ...TINY]);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, /--save needs a path; an empty one would mean the current folder/);
  }
});

test('a save target that is the user\'s folder, a file, under a file, or under /proc is refused before any work, and left as it was', async () => {
  const project = join(scratch, 'project');
  mkdirSync(join(project, 'src'), { recursive: true });
  writeFileSync(join(project, 'package.json'), '{"name": "mine"}');
  writeFileSync(join(project, 'src', 'index.ts'), 'export {};');
  const notes = join(scratch, 'notes.txt');
  writeFileSync(notes, 'my notes');
  const before = { ...snapshot(project), notes: readFileSync(notes, 'utf8') };
  const cases: [string, RegExp][] = [
    [project, /holds files this tool did not write \((package\.json, src|src, package\.json)\); nothing there was changed/],
    [notes, /is a file, not a folder; it was left as it is/],
    [join(notes, 'model'), /cannot be created, because .*notes\.txt is a file/],
    ['/proc/self/fm-model', /\/proc, a folder of the operating system/],
  ];
  for (const [target, pattern] of cases) {
    const result = await cli(['train', '--save', target, ...TINY]);
    assert.equal(result.code, 1, target);
    assert.match(result.stderr, pattern);
    assert.doesNotMatch(result.stdout, /Backend:|Epoch/, 'refused before the backend, the data and the training');
    assert.ok(result.ms < 20_000, `${target}: took ${result.ms} ms`);
  }
  assert.deepEqual({ ...snapshot(project), notes: readFileSync(notes, 'utf8') }, before);
});

test('a batch size × width beyond what trains in memory is refused before the data loads, saying what fits', async () => {
  // The schema's bounds (batch size up to 8,192, at most 20 million weights) keep every accepted network inside
  // the kernels' 4 GB; what lies beyond them is a usage error naming the bound (the memory estimate itself is
  // checked in test/unit/memoryBudget.unit.test.ts).
  const batch = await cli(['train', '--batch-size', '60000', '--hidden-units', '4096', '--backend', 'wasm', '--no-save', '--epochs', '1']);
  assert.equal(batch.code, 2);
  assert.match(batch.stderr, /--batch-size must be a whole number from 1 to 8192; got "60000"/);
  assert.doesNotMatch(batch.stdout, /^Data:/m);
  const wide = await cli(['train', '--layers', '4096,4096,4096', '--backend', 'wasm', '--no-save', '--epochs', '1']);
  assert.equal(wide.code, 2);
  assert.match(wide.stderr, /more than the 20,000,000 that fit in memory for training; use fewer or narrower hidden layers/);
  assert.doesNotMatch(wide.stdout, /^Data:/m);
});

test('--data-dir=~/fm means the home folder, and a data folder that is a file says so', async () => {
  const missing = await cli(['train', '--data-dir=~/fm', ...TINY, '--no-save']);
  assert.equal(missing.code, 1);
  assert.ok(missing.stderr.includes(`~/fm (${join(home, 'fm')}) does not exist`), missing.stderr);
  assert.equal(existsSync(join(process.cwd(), '~')), false, 'no folder named ~ was made');
  writeFileSync(join(home, 'fm.zip'), 'zip');
  const file = await cli(['train', '--data-dir', '~/fm.zip', ...TINY, '--no-save']);
  assert.equal(file.code, 1);
  assert.match(file.stderr, /is a file, not a folder/);
});

test('a data file with a damaged gzip header says so, and one that unpacks past its size is stopped there', async () => {
  const debian = '/usr/share/datasets/fashion-mnist';
  const names = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
  const folderWith = (name: string, broken: string, bytes: Buffer) => {
    const dir = join(scratch, name);
    mkdirSync(dir);
    for (const file of names) if (file !== broken) symlinkSync(join(debian, `${file}.gz`), join(dir, `${file}.gz`));
    writeFileSync(join(dir, `${broken}.gz`), bytes);
    return dir;
  };
  const header = gzipSync(Buffer.alloc(1000));
  header[1] = 0x8c;
  const damaged = await cli(['train', '--data-dir', folderWith('data-header', 't10k-labels-idx1-ubyte', header), ...TINY, '--no-save']);
  assert.equal(damaged.code, 1);
  assert.match(damaged.stderr, /t10k-labels-idx1-ubyte\.gz is not a valid gzip file: its header is damaged/);
  assert.doesNotMatch(damaged.stderr, /magic number/);
  // 32 MB of zeros in 32 KB: a size on disk the labels file could have, but far more than it unpacks to.
  const bomb = await cli(['train', '--data-dir', folderWith('data-bomb', 'train-labels-idx1-ubyte', gzipSync(Buffer.alloc(32 << 20), { level: 9 })), ...TINY, '--no-save']);
  assert.equal(bomb.code, 1);
  assert.match(bomb.stderr, /train-labels-idx1-ubyte\.gz unpacks to more than 60008 bytes/);
});

test('saving through a symbolic link, with ~ and from the folder npm was run in; then classify from there, deleting nothing', async () => {
  const real = join(scratch, 'real-models');
  mkdirSync(real);
  symlinkSync(real, join(home, 'models'));
  const trained = await cli(['train', '--save', '~/models', ...TINY]);
  assert.equal(trained.code, 0, trained.stderr);
  assert.ok(lstatSync(join(home, 'models')).isSymbolicLink(), 'the link is still a link');
  assert.ok(existsSync(join(real, 'model.json')), 'the model went where the link points');
  assert.match(trained.stdout, new RegExp(`npm run classify -- IMAGE\\.\\.\\. --model ${real.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), 'the hint names --model');

  // A picture in a subfolder the user runs `npm run classify` from (npm sets INIT_CWD; the process runs elsewhere).
  const here = join(scratch, 'pictures');
  mkdirSync(here);
  const idx = gunzipSync(readFileSync('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz'));
  const size = 112;
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const v = idx[16 + Math.floor(y / 4) * 28 + Math.floor(x / 4)];
    rgba.set([v, v, v, 255], (y * size + x) * 4);
  }
  writeFileSync(join(here, 'boot.png'), png().encode({ data: rgba, width: size, height: size }));
  // Named like leftovers of an interrupted save beside the model: classify only reads (the next save removes
  // those it can prove are its own, test/unit/saveRules.unit.test.ts).
  mkdirSync(join(scratch, '.real-models.tmp-1-dead'));
  mkdirSync(join(scratch, '.real-models.old-1-beef'));
  writeFileSync(join(scratch, '.real-models.old-1-beef', 'model.json'), '{}');

  const classified = await cli(['classify', 'boot.png', '--model', '~/models/model.json'], { INIT_CWD: here });
  assert.equal(classified.code, 0, classified.stderr);
  assert.match(classified.stdout, /^boot\.png:/m, 'named as typed');
  assert.deepEqual(readdirSync(scratch).filter((name) => name.startsWith('.real-models')).sort(), ['.real-models.old-1-beef', '.real-models.tmp-1-dead'], 'a read-only command deletes nothing');

  const folder = await cli(['classify', here, '--model', real]);
  assert.equal(folder.code, 1);
  assert.match(folder.stderr, /is a folder, not an image file/);

  // The model edited to output logits (as the current tutorial builds it) gets a softmax, with the reason shown;
  // one edited to relu is refused by name. Neither prints a probability over 100%.
  for (const [activation, code, pattern] of [
    ['linear', 0, /Warning: the model outputs logits/],
    ['relu', 1, /output layer uses the relu activation/],
  ] as const) {
    const edited = join(scratch, `model-${activation}`);
    cpSync(real, edited, { recursive: true });
    const jsonPath = join(edited, 'model.json');
    writeFileSync(jsonPath, readFileSync(jsonPath, 'utf8').replace('"activation":"softmax"', `"activation":"${activation}"`));
    const result = await cli(['classify', join(here, 'boot.png'), '--model', edited]);
    assert.equal(result.code, code, result.stderr);
    assert.match(result.stdout + result.stderr, pattern);
    for (const percent of (result.stdout.match(/\d+\.\d%/g) ?? []).map((p) => Number.parseFloat(p))) assert.ok(percent <= 100);
  }
});

test('a reader that closes the pipe (npm run train | head) ends the command quietly, without a stack trace', async () => {
  const result = await cli(['train', ...TINY, '--no-save'], {}, { closeStdout: true });
  assert.equal(result.code, 0, result.stderr);
  assert.doesNotMatch(result.stderr, /EPIPE|Error|at /);
});
