// The CLI's flag parsing and the text it prints, as pure functions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseClassifyArgs, parseTrainArgs, UsageError } from '../../src/cli/args';
import {
  displayWidth,
  formatDuration,
  formatEpochLine,
  formatImagePrediction,
  formatProgressBar,
  formatSummary,
  gapPoints,
  topClasses,
} from '../../src/core/text/format';
import { formatResult } from '../../src/cli/classify';
import { DEFAULT_HYPER_PARAMETERS } from '../../src/domain/hyperParameters';
import { type ModelSummary } from '../../src/domain/modelSummary';

function options(argv: string[]) {
  const parsed = parseTrainArgs(argv);
  assert.equal(parsed.help, false);
  if (parsed.help) throw new Error('unreachable');
  return parsed.options;
}

test('train flags set the hyper-parameters, in both --flag value and --flag=value forms', () => {
  const o = options([
    '--epochs', '3', '--batch-size=64', '--learning-rate', '0.01', '--hidden-units', '256', '--backend=cpu',
    '--seed', '7', '--train-limit', '2000', '--test-limit=500', '--data-dir', '/tmp/d', '--save', 'out', '--no-download',
  ]);
  assert.deepEqual(o.params, {
    ...DEFAULT_HYPER_PARAMETERS,
    epochs: 3,
    batchSize: 64,
    learningRate: 0.01,
    architecture: { hiddenLayers: [{ units: 256, dropout: 0 }], l2: 0 },
    backend: 'cpu',
    seed: 7,
    trainLimit: 2000,
    testLimit: 500,
  });
  assert.equal(o.dataDir, '/tmp/d');
  assert.equal(o.saveDir, 'out');
  assert.equal(o.allowDownload, false);
  assert.equal(o.noSave, false);
});

test('model variant and regularization flags: layers, dropout (one rate or a list), L2, validation, early stopping', () => {
  const o = options([
    '--layers', '512,256', '--dropout', '0.2', '--l2', '1e-4', '--validation-split=0.1',
    '--early-stopping', '2', '--min-delta', '0.001', '--monitor', 'val_accuracy', '--restore-best',
  ]);
  assert.deepEqual(o.params, {
    ...DEFAULT_HYPER_PARAMETERS,
    architecture: { hiddenLayers: [{ units: 512, dropout: 0.2 }, { units: 256, dropout: 0.2 }], l2: 0.0001 },
    validationSplit: 0.1,
    earlyStopping: true,
    patience: 2,
    minDelta: 0.001,
    monitor: 'val_accuracy',
    restoreBestWeights: true,
  });
  const perLayer = options(['--layers', '64,32,16', '--dropout', '0.5,0,0.1']);
  assert.deepEqual(perLayer.params.architecture.hiddenLayers.map((l) => l.dropout), [0.5, 0, 0.1]);
  assert.deepEqual(options(['--hidden-units', '64']).params.architecture, { hiddenLayers: [{ units: 64, dropout: 0 }], l2: 0 });
});

test('no flags give the tutorial defaults, download allowed and the model saved', () => {
  const o = options([]);
  assert.deepEqual(o.params, DEFAULT_HYPER_PARAMETERS);
  assert.equal(o.allowDownload, true);
  assert.equal(o.noSave, false);
  assert.equal(o.saveDir, undefined);
});

test('--help wins wherever it is', () => {
  assert.deepEqual(parseTrainArgs(['--epochs', '2', '--help']), { help: true });
  assert.deepEqual(parseClassifyArgs(['-h']), { help: true });
});

test('every kind of bad train input is a UsageError naming the flag or the value', () => {
  const cases: [string[], RegExp][] = [
    [['--epochs', '0'], /--epochs.*1.*1000.*0/],
    [['--epochs', '2.5'], /--epochs.*whole number.*2\.5/],
    [['--epochs', 'ten'], /--epochs.*ten/],
    [['--epochs'], /--epochs needs a value/],
    [['--epochs', '--seed', '1'], /--epochs needs a value/],
    [['--batch-size', '-4'], /--batch-size/],
    [['--learning-rate', '0'], /--learning-rate.*greater than 0/],
    [['--learning-rate', 'NaN'], /--learning-rate/],
    [['--backend', 'gpu'], /auto, node, wasm, cpu.*gpu/],
    [['--frobnicate'], /Unknown option "--frobnicate"/],
    [['stray'], /Unexpected argument "stray"/],
    [['--no-download=yes'], /--no-download takes no value/],
    [['--save', 'x', '--no-save'], /--save and --no-save/],
    [['--train-limit', '100', '--batch-size', '200'], /--batch-size \(200\).*\(100\)/],
    // Numbers are plain decimals: no hexadecimal, binary, octal, separators, infinities or padding.
    [['--epochs', '0x10'], /--epochs.*0x10/],
    [['--epochs', '0b11'], /--epochs.*0b11/],
    [['--epochs=1_0'], /--epochs.*1_0/],
    [['--learning-rate', 'Infinity'], /--learning-rate.*Infinity/],
    [['--batch-size', ' 32'], /--batch-size/],
    [['--layers', '0x80,64'], /--layers.*0x80/],
    // A validation split that leaves nothing to train on is an option error with a sentence that says so.
    [['--train-limit', '1', '--validation-split', '0.5', '--batch-size', '1'], /validation split of 0\.5 of the 1 training images used leaves none to train on/],
    [['--train-limit', '60001'], /--train-limit/],
    [['--layers', '512,,256'], /--layers must be 1 to 8 whole numbers.*512,,256/],
    [['--layers', '0'], /--layers/],
    [['--layers', '128', '--hidden-units', '64'], /--layers and --hidden-units cannot be used together/],
    [['--layers', '64,32,16', '--dropout', '0.1,0.2'], /--dropout: 2 dropout rates.*3 hidden layers/],
    [['--dropout', '1'], /--dropout must be/],
    [['--l2', '-1'], /--l2/],
    [['--validation-split', '0.9'], /--validation-split.*0 to 0.5/],
    [['--early-stopping', '-1'], /--early-stopping/],
    [['--monitor', 'loss'], /val_loss, val_accuracy.*loss/],
    [['--restore-best=yes'], /--restore-best takes no value/],
    [['--layers', '4096,4096,4096'], /weights.*fewer or narrower/],
  ];
  for (const [argv, pattern] of cases) {
    assert.throws(
      () => parseTrainArgs(argv),
      (error: unknown) => error instanceof UsageError && pattern.test(error.message) && error.action !== undefined,
      argv.join(' '),
    );
  }
});

test('classify takes image paths and --model; no image is a usage error', () => {
  const parsed = parseClassifyArgs(['a.png', '--model', 'm', 'b.jpg']);
  assert.deepEqual(parsed, { help: false, options: { images: ['a.png', 'b.jpg'], modelDir: 'm' } });
  assert.throws(() => parseClassifyArgs(['--model', 'm']), UsageError);
  assert.throws(() => parseClassifyArgs(['a.png', '--epochs', '3']), /Unknown option "--epochs"/);
});

test('the epoch line has the Keras shape with four decimals and grouped samples/s', () => {
  const line = formatEpochLine(
    { epoch: 3, loss: 0.33614, accuracy: 0.87754, testLoss: 0.36, testAccuracy: 0.87, seconds: 5.14, samplesPerSecond: 11800.4 },
    10,
  );
  assert.equal(
    line,
    'Epoch 3/10 - 5.1s - loss: 0.3361 - accuracy: 0.8775 - test_loss: 0.3600 - test_accuracy: 0.8700 - 11,800 samples/s',
  );
});

test('the progress bar fills with the batch count and fits the terminal width', () => {
  const progress = { epoch: 1, epochs: 10, batch: 938, batchesPerEpoch: 1875, loss: 0.5, accuracy: 0.8, etaSeconds: 75, samplesPerSecond: 1 };
  const line = formatProgressBar(progress, 120);
  assert.match(line, /^Epoch 1\/10 {2}938\/1875 \[={15}>\.{14}\] ETA 1m 15s - loss: 0\.5000 - accuracy: 0\.8000$/);
  const narrow = formatProgressBar(progress, 50);
  assert.ok(displayWidth(narrow) < 50, narrow);
  const full = formatProgressBar({ ...progress, batch: 1875 }, 120);
  assert.match(full, /\[={30}\]/);
});

test('durations read as seconds, minutes or hours', () => {
  assert.equal(formatDuration(9.4), '9s');
  assert.equal(formatDuration(75), '1m 15s');
  assert.equal(formatDuration(3725), '1h 02m');
});

test('the summary table lists each layer with its shape and params, and the totals', () => {
  const summary: ModelSummary = {
    layers: [
      { name: 'flatten', className: 'Flatten', outputShape: [null, 784], params: 0 },
      { name: 'dense', className: 'Dense', outputShape: [null, 128], params: 100480 },
      { name: 'dense_1', className: 'Dense', outputShape: [null, 10], params: 1290 },
    ],
    totalParams: 101770,
    trainableParams: 101770,
    optimizer: 'Adam',
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  };
  const lines = formatSummary(summary);
  const dense = lines.find((l) => l.includes('dense (Dense)'));
  assert.ok(dense);
  assert.match(dense, /dense \(Dense\)\s+\(None, 128\)\s+100,480$/);
  assert.ok(lines.includes('Total params: 101,770'));
  assert.ok(lines.includes('Non-trainable params: 0'));
  // Columns line up: the shapes start at the same column on every row.
  const rows = lines.filter((l) => l.includes('(None'));
  assert.equal(new Set(rows.map((r) => r.indexOf('(None'))).size, 1);
});

test('wide characters count double, so Chinese columns line up', () => {
  assert.equal(displayWidth('abc'), 3);
  assert.equal(displayWidth('层（类型）'), 10);
});

test('the over-fitting gap is training minus test accuracy in points', () => {
  const gap = gapPoints({ epoch: 10, loss: 0, accuracy: 0.91, testAccuracy: 0.88, testLoss: 0, seconds: 1, samplesPerSecond: 1 });
  assert.ok(Math.abs(gap - 3) < 1e-9);
});

test('test image 0: ten probabilities with names, the argmax marked, and right or wrong against the label', () => {
  const probs = [0, 0, 0, 0, 0, 0.02, 0, 0.08, 0, 0.9];
  const right = formatImagePrediction(0, probs, 9);
  assert.equal(right.length, 12);
  assert.match(right[0], /Ankle boot \(9\)/);
  assert.match(right[10], /Ankle boot\s+0\.9000 #{27} <$/);
  assert.match(right[11], /correct/);
  const wrong = formatImagePrediction(0, probs, 7);
  assert.match(wrong[11], /Predicted Ankle boot \(9\), but the true label is Sneaker \(7\): wrong/);
});

test('top classes are sorted by probability; classify output shows three with percentages and warnings', () => {
  const probabilities = [0.05, 0, 0.6, 0, 0.3, 0, 0.05, 0, 0, 0];
  assert.deepEqual(topClasses(probabilities, 3).map(([c]) => c), [2, 4, 0]);
  const lines = formatResult({
    ok: true,
    file: '/x/shirt.png',
    probabilities,
    predicted: 2,
    input: new Uint8Array(784),
    thumbnail: { width: 1, height: 1, rgba: new Uint8Array(4) },
    inverted: true,
    warnings: ['unlikeDataset'],
  });
  assert.match(lines[0], /shirt\.png \(inverted/);
  assert.match(lines[1], /1\. Pullover\s+60\.0%$/);
  assert.match(lines[2], /2\. Coat\s+30\.0%$/);
  assert.equal(lines.length, 5);
  assert.match(lines[4], /unlike/);
});
