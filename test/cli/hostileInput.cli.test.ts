// The terminal commands against a careful but hostile user (issue 20): names that are escape sequences,
// folders beside the model that only look like leftovers, special files where data should be, records that
// lie, numbers in other bases, and signals other than Ctrl+C. Each case ends in a clean message or a kept run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import png from '@jimp/js-png';
import { assertCliBuilt, cliRunner } from './cliProcess';

const scratch = mkdtempSync(join(tmpdir(), 'cli-hostile-'));
const runsDir = join(scratch, 'runs');
const modelDir = join(scratch, 'model');
const { run, start, collect } = cliRunner({ INIT_CWD: '', XDG_CACHE_HOME: join(scratch, 'cache'), FASHION_MNIST_RUNS: runsDir });
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => run(args, env);
/** Each test is bounded, so a read that blocks (a FIFO) fails the test instead of hanging the suite; no timing is asserted. */
const HANG_GUARD = { timeout: 120_000 };

function testImagePng(index: number, scale = 2): Buffer {
  const idx = gunzipSync(readFileSync('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz'));
  const size = 28 * scale;
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = idx[16 + index * 784 + Math.floor(y / scale) * 28 + Math.floor(x / scale)];
      rgba.set([v, v, v, 255], (y * size + x) * 4);
    }
  }
  return png().encode({ data: rgba, width: size, height: size });
}

before(async () => {
  assertCliBuilt();
  const trained = await cli(['train', '--epochs', '1', '--train-limit', '1000', '--test-limit', '200', '--save', modelDir, '--no-history']);
  assert.equal(trained.code, 0, trained.stderr);
});
after(() => rmSync(scratch, { recursive: true, force: true }));

test('numbers are plain decimals, and a split that leaves nothing to train on is an option error (exit 2)', async () => {
  for (const args of [['--epochs', '0x10'], ['--epochs', '1e1000'], ['--batch-size', '0b100'], ['--train-limit', '1', '--validation-split', '0.5', '--batch-size', '1']]) {
    const result = await cli(['train', ...args]);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.equal(result.stderr.trimEnd().split('\n').length, 1);
  }
  const split = await cli(['train', '--train-limit', '1', '--validation-split', '0.5', '--batch-size', '1']);
  assert.match(split.stderr, /leaves none to train on/);
  assert.doesNotMatch(split.stderr, /at most 0/);
});

test('an image whose name is an escape sequence is named as text, never obeyed by the terminal', async () => {
  const folder = join(scratch, 'images');
  mkdirSync(folder, { recursive: true });
  const name = 'shirt\u001b]0;pwned\u0007\u001b[2J.png';
  writeFileSync(join(folder, name), testImagePng(1));
  const result = await cli(['classify', join(folder, name), '--model', modelDir]);
  assert.equal(result.code, 0, result.stderr);
  assert.ok(!result.stdout.includes('\u001b') && !result.stdout.includes('\u0007'), JSON.stringify(result.stdout));
  assert.ok(result.stdout.includes('shirt\\x1b]0;pwned\\x07\\x1b[2J.png'), result.stdout);
});

test('read-only commands delete nothing beside the path they are given, even a look-alike of a leftover', async () => {
  const d = join(scratch, 'd');
  mkdirSync(join(d, 'proj'), { recursive: true });
  mkdirSync(join(d, '.proj.old-2023'));
  writeFileSync(join(d, '.proj.old-2023', 'thesis.txt'), 'mine');
  mkdirSync(join(d, '.proj.tmp-1-deadbeef'));
  writeFileSync(join(d, '.proj.lock'), 'not a lock');
  const before = readdirSync(d).sort();
  const classify = await cli(['classify', join(scratch, 'any.png'), '--model', join(d, 'proj')]);
  assert.equal(classify.code, 1);
  const exported = await cli(['export-notebook', '--model', join(d, 'proj'), '--out', join(scratch, 'x.ipynb')]);
  assert.equal(exported.code, 1);
  assert.deepEqual(readdirSync(d).sort(), before);
  assert.equal(readFileSync(join(d, '.proj.old-2023', 'thesis.txt'), 'utf8'), 'mine');
});

test('a pipe, a device or a lying size where a file should be fails at once with a sentence naming it', HANG_GUARD, async () => {
  // A model whose weights are a FIFO, then a link to /dev/zero, then a 2 GB sparse file.
  const copy = (name: string) => {
    const dir = join(scratch, name);
    mkdirSync(dir, { recursive: true });
    for (const file of ['model.json', 'run.json', 'saved-by.json']) writeFileSync(join(dir, file), readFileSync(join(modelDir, file)));
    return dir;
  };
  const fifo = copy('fifo-model');
  execFileSync('mkfifo', [join(fifo, 'weights.bin')]);
  const zero = copy('zero-model');
  symlinkSync('/dev/zero', join(zero, 'weights.bin'));
  const sparse = copy('sparse-model');
  execFileSync('truncate', ['-s', '2G', join(sparse, 'weights.bin')]);
  const image = join(scratch, 'boot.png');
  writeFileSync(image, testImagePng(0));
  for (const [dir, pattern] of [[fifo, /weights\.bin is not a regular file/], [zero, /weights\.bin is not a regular file/], [sparse, /hold \d+ bytes, more than|describes \d+ bytes/]] as const) {
    const result = await cli(['classify', image, '--model', dir]);
    assert.equal(result.code, 1, `${dir}: ${result.stdout}${result.stderr}`);
    assert.match(result.stderr, pattern);
  }
  // A FIFO as the image, and as a run's record.
  const fifoImage = join(scratch, 'pipe.png');
  execFileSync('mkfifo', [fifoImage]);
  const piped = await cli(['classify', fifoImage, '--model', modelDir]);
  assert.match(piped.stderr, /pipe\.png is a named pipe, not a regular file/);
  mkdirSync(join(runsDir, '20200101-000000-0001'), { recursive: true });
  execFileSync('mkfifo', [join(runsDir, '20200101-000000-0001', 'run.json')]);
  const listed = await cli(['runs']);
  assert.match(listed.stdout, /20200101-000000-0001 {2}.*run\.json is a named pipe/);
  rmSync(join(runsDir, '20200101-000000-0001'), { recursive: true });
});

test('a GIF whose frame is larger than its picture is refused at once; the decoder prints nothing on stdout', async () => {
  // 35 bytes: a 1 x 1 picture holding one 65535 x 65535 frame.
  const gif = Buffer.from([
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
    0x2c, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
  ]);
  const file = join(scratch, 'frame.gif');
  writeFileSync(file, gif);
  const result = await cli(['classify', file, '--model', modelDir]);
  assert.equal(result.code, 1, result.stdout);
  assert.match(result.stderr, /frame of 65535 x 65535 pixels, larger than the picture \(1 x 1\)/);
  assert.doesNotMatch(result.stdout, /Warning|%/);
});

test('a record that lies (epoch 1e9, accuracy 42) is listed as damaged with why; show and compare say so, never crash', async () => {
  const id = '20200101-000000-0002';
  mkdirSync(join(runsDir, id), { recursive: true });
  const record = {
    format: 'fashion-mnist-trainer/run', version: 1, id, startedAt: '2020-01-01T00:00:00Z', durationSeconds: 1,
    params: { epochs: 3, batchSize: 32, learningRate: 0.001 }, backend: 'wasm', tfjsVersion: '4.22.0', dataChecksum: 'x',
    trainCount: 10, validationCount: 0, testCount: 10,
    history: [{ epoch: 1e9, loss: 1, accuracy: 42, testLoss: 1, testAccuracy: 0.5, seconds: 1 }],
    outcome: { end: 'completed', epochsRun: 1, weights: 'last' },
  };
  writeFileSync(join(runsDir, id, 'run.json'), JSON.stringify(record));
  const listed = await cli(['runs']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, new RegExp(`${id} {2}.*damaged: history item 1 epoch is 1000000000`));
  for (const args of [['runs', 'show', id], ['runs', 'compare', id, id]]) {
    const result = await cli(args);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /damaged: history item 1/);
    assert.doesNotMatch(result.stderr, /Unexpected error|NaN|4200/);
  }
});

test('a relative FASHION_MNIST_RUNS is taken from the folder the command runs in, and said', async () => {
  const here = join(scratch, 'here');
  mkdirSync(here, { recursive: true });
  // Under npm the command runs in the project folder and npm names the user's folder in INIT_CWD.
  const result = await cli(['runs'], { INIT_CWD: here, FASHION_MNIST_RUNS: 'my-runs' });
  assert.equal(result.code, 0, result.stderr);
  assert.ok(result.stdout.includes(join(here, 'my-runs')), result.stdout);
});

for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  test(`${signal} during training stops it as Ctrl+C does, and the run is kept`, HANG_GUARD, async () => {
    const history = join(scratch, `runs-${signal}`);
    let sent = false;
    const child = start(['train', '--epochs', '3', '--train-limit', '30000', '--test-limit', '500', '--no-save'], { FASHION_MNIST_RUNS: history });
    const result = await collect(child, {
      onStdout: (text) => {
        // After the first epoch, so there is a run to keep (a run stopped before any epoch has nothing to keep).
        if (!sent && /^Epoch 1\/3 /m.test(text)) {
          sent = true;
          child.kill(signal);
        }
      },
    });
    assert.ok(sent, 'training started');
    assert.equal(result.code, code, result.stderr);
    const ids = readdirSync(history);
    assert.equal(ids.length, 1, 'the stopped run is kept in the history');
    const kept = JSON.parse(readFileSync(join(history, ids[0], 'run.json'), 'utf8')) as { outcome: { end: string } };
    assert.equal(kept.outcome.end, 'stopped');
  });
}
