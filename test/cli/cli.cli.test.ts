// The terminal commands as a user runs them: `node dist/cli.js ...` (built by `npm test`), checked by exit
// code and output. Training goes through the real worker on a small subset of the real data.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertCliBuilt, cliRunner } from './cliProcess';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import png from '@jimp/js-png';

const scratch = mkdtempSync(join(tmpdir(), 'cli-test-'));
const { run: cli, start } = cliRunner({ XDG_CACHE_HOME: join(scratch, 'cache') });

before(assertCliBuilt);
after(() => rmSync(scratch, { recursive: true, force: true }));

function oneLine(text: string): string {
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${text}`);
  return lines[0];
}

test('usage errors exit with 2 and one line on stderr that names the problem and the way out', async () => {
  const cases: [string[], RegExp][] = [
    [['train', '--epochs', '0'], /--epochs/],
    [['train', '--learning-rate', 'fast'], /--learning-rate.*fast/],
    [['train', '--frobnicate'], /--frobnicate/],
    [['train', '--backend', 'gpu'], /gpu/],
    [['classify'], /image/],
    [['dance'], /dance/],
  ];
  for (const [args, pattern] of cases) {
    const result = await cli(args);
    assert.equal(result.code, 2, args.join(' '));
    const line = oneLine(result.stderr);
    assert.match(line, pattern);
    assert.match(line, /--help/, 'tells how to see the options');
    assert.equal(result.stdout, '', 'nothing on stdout');
  }
});

test('--help prints the options, the default model folder, and exits 0', async () => {
  const result = await cli(['train', '--help']);
  assert.equal(result.code, 0);
  for (const flag of ['--epochs', '--batch-size', '--learning-rate', '--backend', '--data-dir', '--save', '--no-download']) {
    assert.ok(result.stdout.includes(flag), flag);
  }
  assert.ok(result.stdout.includes(join(scratch, 'cache', 'fashion-mnist-trainer', 'model')), 'names the default model folder');
});

test('a missing --data-dir is a run failure: exit 1, one line naming the folder', async () => {
  const missing = join(scratch, 'no-such-folder');
  const result = await cli(['train', '--data-dir', missing, '--epochs', '1']);
  assert.equal(result.code, 1);
  assert.ok(oneLine(result.stderr).includes(missing));
});

test('classify with no model exits 1 and tells to run npm run train', async () => {
  const result = await cli(['classify', join(scratch, 'shirt.png')]);
  assert.equal(result.code, 1);
  assert.match(oneLine(result.stderr), /npm run train/);
});

test('a tiny run exits 0 and prints backend, data, summary, the epoch line, accuracy, gap and test image 0', async () => {
  const saveDir = join(scratch, 'model');
  const result = await cli(['train', '--epochs', '1', '--train-limit', '2000', '--test-limit', '500', '--save', saveDir]);
  assert.equal(result.code, 0, result.stderr);
  const out = result.stdout;
  assert.match(out, /^Backend: (wasm|cpu|tensorflow)\. /m);
  assert.match(out, /^Data: 2,000 training and 500 test images /m);
  assert.match(out, /^Total params: 101,770$/m);
  assert.match(
    out,
    /^Epoch 1\/1 - \d+\.\ds - loss: \d\.\d{4} - accuracy: \d\.\d{4} - test_loss: \d\.\d{4} - test_accuracy: \d\.\d{4} - [\d,]+ samples\/s$/m,
  );
  const accuracy = Number(/^Test accuracy: (\d\.\d{4})/m.exec(out)?.[1]);
  assert.ok(accuracy > 0.5, `test accuracy ${accuracy}`);
  assert.match(out, /^Over-fitting gap \(training minus test accuracy\): -?\d+\.\d points/m);
  assert.match(out, /^Test image 0, true label Ankle boot \(9\)/m);
  assert.match(out, /^Predicted .* \(\d\)/m);
  // Off a TTY there is no progress bar: no carriage returns or escape sequences in piped output.
  assert.ok(!out.includes('\r') && !out.includes('\u001b['), 'no progress bar when piped');
  // --save wrote a tfjs model there.
  const modelJson = JSON.parse(readFileSync(join(saveDir, 'model.json'), 'utf8')) as { modelTopology?: unknown };
  assert.ok(modelJson.modelTopology, 'model.json holds the topology');
});

test('classify with the model just saved prints the top three per image; a bad file exits 1 naming it', async () => {
  const modelDir = join(scratch, 'model');
  assert.ok(existsSync(join(modelDir, 'model.json')), 'the previous test saved a model');
  // Test image 0 of the real test set, scaled up four times, as a PNG.
  const idx = gunzipSync(readFileSync('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz'));
  const scale = 4;
  const size = 28 * scale;
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = idx[16 + Math.floor(y / scale) * 28 + Math.floor(x / scale)];
      rgba.set([v, v, v, 255], (y * size + x) * 4);
    }
  }
  const image = join(scratch, 'boot.png');
  writeFileSync(image, png().encode({ data: rgba, width: size, height: size }));
  const notImage = join(scratch, 'notes.png');
  writeFileSync(notImage, 'this is text, not a picture');

  const good = await cli(['classify', image, '--model', modelDir]);
  assert.equal(good.code, 0, good.stderr);
  const lines = good.stdout.trimEnd().split('\n');
  assert.ok(lines[0].includes('boot.png'), lines[0]);
  for (const rank of [1, 2, 3]) assert.match(lines[rank], new RegExp(`^ {2}${rank}\\. \\S.*\\d+\\.\\d%$`));
  const percents = lines.slice(1, 4).map((l) => Number(/(\d+\.\d)%$/.exec(l)?.[1]));
  assert.deepEqual([...percents].sort((a, b) => b - a), percents, 'best first');

  const mixed = await cli(['classify', image, notImage, '--model', modelDir]);
  assert.equal(mixed.code, 1);
  assert.ok(mixed.stdout.includes('boot.png') && mixed.stdout.includes('notes.png'), 'every file gets its block');
  assert.ok(oneLine(mixed.stderr).includes('notes.png'), 'the error names the bad file');
});

test('Ctrl+C during training stops the run gracefully: it says so and exits 130', async () => {
  const child = start(['train', '--epochs', '3', '--train-limit', '30000', '--test-limit', '500', '--no-save']);
  let stdout = '';
  let stderr = '';
  let interrupted = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    // Interrupt once training has begun, as a user pressing Ctrl+C would.
    if (!interrupted && stdout.includes('Training on')) {
      interrupted = true;
      child.kill('SIGINT');
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolveCode) => child.on('close', resolveCode));
  assert.ok(interrupted, 'training started');
  assert.equal(code, 130);
  assert.match(stderr, /Ctrl\+C again/);
  assert.match(stdout, /^Stopped after [0-3] of 3 epochs\.$/m);
  assert.ok(!stdout.includes('Test image 0'), 'a stopped run does not print the final step');
});
