// Realistic fake dashboard states for the preview harness (scripts/preview/): tutorial-like
// metrics for 10 epochs, 10,000 plausible predictions with the usual confusions (shirts vs T-shirts,
// pullovers vs coats, sneakers vs sandals), real test images when the Debian dataset is installed, and a
// classification result. Deterministic: a seeded generator, so screenshots are comparable run to run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const DEBIAN_DATA_DIR = '/usr/share/datasets/fashion-mnist';

/** Reads an IDX file (gzip): images -> {count, pixels}, labels -> {count, labels}. */
function readIdx(file, headerBytes, limit) {
  const bytes = gunzipSync(readFileSync(file));
  const count = Math.min(bytes.readUInt32BE(4), limit);
  const itemSize = headerBytes === 16 ? 784 : 1;
  return { count, data: new Uint8Array(bytes.buffer, bytes.byteOffset + headerBytes, count * itemSize).slice() };
}

/** A rough garment silhouette per class, for when the real data is not installed. */
function syntheticImage(cls, random) {
  const img = new Uint8Array(784);
  const boxes = [
    [4, 24, 4, 24], [3, 25, 9, 19], [4, 24, 3, 25], [3, 25, 8, 20], [3, 25, 4, 24],
    [16, 24, 2, 26], [4, 24, 5, 23], [15, 24, 2, 26], [8, 24, 4, 24], [6, 24, 4, 24],
  ][cls];
  for (let y = boxes[0]; y < boxes[1]; y++) for (let x = boxes[2]; x < boxes[3]; x++) img[y * 28 + x] = 120 + Math.floor(random() * 120);
  return img;
}

// Where each class's mistakes usually go in this tutorial's model, and how often it is right.
const CLASS_ACCURACY = [0.84, 0.97, 0.8, 0.89, 0.8, 0.95, 0.64, 0.95, 0.97, 0.95];
const CONFUSIONS = [[6, 6, 2, 3], [3, 3, 0], [4, 4, 6, 6, 0], [0, 4, 6, 1], [2, 2, 6, 3], [7, 7, 9], [0, 0, 2, 4, 4], [5, 9, 9], [0, 2, 6, 5], [7, 7, 5]];

function fakePredictions(labels, count, random) {
  const probabilities = new Float32Array(count * 10);
  const predicted = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const truth = labels[i];
    const right = random() < CLASS_ACCURACY[truth];
    const options = CONFUSIONS[truth];
    const guess = right ? truth : options[Math.floor(random() * options.length)];
    const top = right ? 0.55 + 0.45 * Math.sqrt(random()) : 0.4 + 0.45 * random();
    const row = new Array(10).fill(0).map(() => random() * 0.02);
    row[guess] = top;
    if (!right) row[truth] = (1 - top) * (0.4 + 0.5 * random());
    const rest = 1 - row[guess] - (right ? 0 : row[truth]);
    const others = row.map((v, c) => (c === guess || (!right && c === truth) ? 0 : v));
    const sum = others.reduce((s, v) => s + v, 0) || 1;
    for (let c = 0; c < 10; c++) probabilities[i * 10 + c] = others[c] > 0 ? (others[c] / sum) * rest : row[c];
    predicted[i] = guess;
  }
  return { probabilities, predicted, labels: labels.slice(0, count), count, predictMs: 412 };
}

/**
 * Ten epochs of predictions ending in `final`: most images are right from epoch 1, the rest are learned along
 * the way, and a few are forgotten for an epoch or two; earlier epochs are less sure. Held in the host's own
 * store (src/core/analysis/epochPredictions.ts), so the analyses are the host's.
 */
function fakeEpochPredictions({ EpochPredictionStore, quantizeEpoch }, final, random, epochs = 10) {
  const store = new EpochPredictionStore(final.labels, final.count);
  const { count, labels } = final;
  const learnedAt = new Uint8Array(count);
  for (let i = 0; i < count; i++) learnedAt[i] = random() < 0.93 ? 1 : 2 + Math.floor(random() * (epochs - 1));
  for (let e = 1; e <= epochs; e++) {
    const probabilities = new Float32Array(count * 10);
    const predicted = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const row = final.probabilities.subarray(i * 10, (i + 1) * 10);
      const truth = labels[i];
      const finalGuess = final.predicted[i];
      let guess = finalGuess;
      if (e < epochs) {
        const right = finalGuess === truth ? e >= learnedAt[i] && random() > 0.015 : random() < 0.12;
        const options = CONFUSIONS[truth];
        guess = right ? truth : finalGuess !== truth ? finalGuess : options[Math.floor(random() * options.length)];
      }
      // Less sure early on: the top probability moves toward uniform by up to 40% at epoch 1.
      const sureness = e === epochs ? 1 : 0.6 + (0.4 * (e - 1)) / (epochs - 1);
      const top = e === epochs ? row[finalGuess] : Math.max(0.3, row[finalGuess] * sureness);
      let rest = 0;
      for (let c = 0; c < 10; c++) if (c !== finalGuess) rest += row[c];
      for (let c = 0; c < 10; c++) {
        const base = c === finalGuess ? 0 : rest > 0 ? (row[c] / rest) * (1 - top) : (1 - top) / 9;
        probabilities[i * 10 + c] = e === epochs ? row[c] : base;
      }
      if (e < epochs) {
        // The guessed class gets the top probability (swapped with the final guess's share).
        const swap = probabilities[i * 10 + guess];
        probabilities[i * 10 + guess] = top;
        if (guess !== finalGuess) probabilities[i * 10 + finalGuess] = swap;
      }
      predicted[i] = guess;
    }
    store.add(quantizeEpoch(e, probabilities, predicted, count));
  }
  return store.toPayload();
}

/**
 * A plausible first layer after epoch 10: unit u likes class u % 10 and dislikes class (3u + 1) % 10 (its
 * weights are the difference of their mean images, with noise), pushes toward the first and away from the
 * second, and is most excited by images of the first.
 */
function fakeFirstLayer(images, labels, random, units = 128) {
  const meanOf = (cls) => {
    const mean = new Float32Array(784);
    let n = 0;
    for (let i = 0; i < labels.length && n < 60; i++) {
      if (labels[i] !== cls) continue;
      for (let p = 0; p < 784; p++) mean[p] += images[i * 784 + p] / 255;
      n++;
    }
    return mean.map((v) => v / Math.max(1, n));
  };
  const means = Array.from({ length: 10 }, (_, c) => meanOf(c));
  const weights = new Int8Array(784 * units);
  const unitScale = new Float32Array(units);
  const next = new Float32Array(units * 10);
  const topK = 8;
  const topImages = new Uint16Array(units * topK);
  for (let u = 0; u < units; u++) {
    const like = u % 10;
    const dislike = (3 * u + 1) % 10 === like ? (like + 5) % 10 : (3 * u + 1) % 10;
    const raw = means[like].map((v, p) => (v - means[dislike][p]) * 0.12 + (random() - 0.5) * 0.03);
    unitScale[u] = raw.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    for (let p = 0; p < 784; p++) weights[p * units + u] = Math.round((raw[p] / unitScale[u]) * 127);
    for (let c = 0; c < 10; c++) next[u * 10 + c] = c === like ? 0.3 + random() * 0.2 : c === dislike ? -0.25 - random() * 0.2 : (random() - 0.5) * 0.2;
    let k = 0;
    for (let i = 0; i < labels.length && k < topK; i++) if (labels[i] === like && random() < 0.5) topImages[u * topK + k++] = i;
  }
  return { epoch: 10, units, weights, unitScale, next, nextUnits: 10, nextIsClasses: true, topImages, topK };
}

export const TUTORIAL_HISTORY = [
  [0.4981, 0.8253, 0.4412, 0.8423, 7.9],
  [0.3738, 0.8651, 0.4064, 0.8551, 7.1],
  [0.3364, 0.8772, 0.3837, 0.8619, 7.0],
  [0.3121, 0.8859, 0.3615, 0.8702, 7.2],
  [0.2939, 0.8918, 0.3671, 0.8684, 7.0],
  [0.2787, 0.8975, 0.3473, 0.8751, 7.1],
  [0.2668, 0.9012, 0.3538, 0.8733, 7.0],
  [0.2552, 0.9058, 0.3346, 0.8802, 6.9],
  [0.2451, 0.9094, 0.3486, 0.8761, 7.0],
  [0.2378, 0.9121, 0.3385, 0.8823, 7.1],
].map(([loss, accuracy, testLoss, testAccuracy, seconds], i) => ({
  epoch: i + 1, loss, accuracy, testLoss, testAccuracy, seconds, samplesPerSecond: Math.round(60000 / seconds),
}));

const PARAMS = {
  epochs: 10, batchSize: 32, learningRate: 0.001, architecture: { hiddenLayers: [{ units: 128, dropout: 0 }], l2: 0 }, seed: 42, backend: 'auto',
  validationSplit: 0, earlyStopping: false, patience: 3, minDelta: 0, monitor: 'val_loss', restoreBestWeights: false,
};
// As the worker reports it where tfjs-node is not set up (the model cell then offers the setup command).
const BACKEND = {
  requested: 'auto',
  name: 'wasm',
  reason: 'tfjs-node is not used (it was not found in /home/user/.cache/fashion-mnist-trainer/native-backend, /home/user/.vscode/extensions/fashion-mnist-trainer-0.1.0); using the WebAssembly backend (wasm).',
  nativeProblem: 'notFound',
};
const SUMMARY = {
  layers: [
    { name: 'flatten', className: 'Flatten', outputShape: [null, 784], params: 0 },
    { name: 'dense', className: 'Dense', outputShape: [null, 128], params: 100480 },
    { name: 'dense_1', className: 'Dense', outputShape: [null, 10], params: 1290 },
  ],
  totalParams: 101770,
  trainableParams: 101770,
  optimizer: 'adam (learning rate 0.001)',
  loss: 'sparseCategoricalCrossentropy',
  metrics: ['accuracy'],
};

/** A deeper network with dropout and L2, a 10% validation split, early stopping (patience 2) and the best weights kept. */
const REGULARIZED_PARAMS = {
  ...PARAMS,
  epochs: 20,
  architecture: { hiddenLayers: [{ units: 256, dropout: 0.2 }, { units: 128, dropout: 0.2 }], l2: 0.0001 },
  validationSplit: 0.1,
  earlyStopping: true,
  patience: 2,
  restoreBestWeights: true,
};
const REGULARIZED_SUMMARY = {
  ...SUMMARY,
  layers: [
    { name: 'flatten', className: 'Flatten', outputShape: [null, 784], params: 0 },
    { name: 'dense', className: 'Dense', outputShape: [null, 256], params: 200960 },
    { name: 'dropout', className: 'Dropout', outputShape: [null, 256], params: 0 },
    { name: 'dense_1', className: 'Dense', outputShape: [null, 128], params: 32896 },
    { name: 'dropout_1', className: 'Dropout', outputShape: [null, 128], params: 0 },
    { name: 'dense_2', className: 'Dense', outputShape: [null, 10], params: 1290 },
  ],
  totalParams: 235146,
  trainableParams: 235146,
};
// [loss, accuracy, valLoss, valAccuracy, testLoss, testAccuracy, seconds]: validation loss is lowest at epoch 5.
const REGULARIZED_HISTORY = [
  [0.6012, 0.7861, 0.4390, 0.8410, 0.4601, 0.8352, 9.1],
  [0.4310, 0.8442, 0.3911, 0.8573, 0.4102, 0.8511, 8.8],
  [0.3961, 0.8561, 0.3702, 0.8650, 0.3929, 0.8589, 8.9],
  [0.3755, 0.8634, 0.3598, 0.8698, 0.3815, 0.8630, 8.7],
  [0.3610, 0.8688, 0.3476, 0.8741, 0.3702, 0.8672, 8.8],
  [0.3498, 0.8721, 0.3512, 0.8731, 0.3733, 0.8660, 8.9],
  [0.3411, 0.8760, 0.3530, 0.8722, 0.3760, 0.8651, 8.8],
].map(([loss, accuracy, valLoss, valAccuracy, testLoss, testAccuracy, seconds], i) => ({
  epoch: i + 1, loss, accuracy, valLoss, valAccuracy, testLoss, testAccuracy, seconds, samplesPerSecond: Math.round(54000 / seconds),
}));

/** The tutorial's run against the regularized one, as src/core/runs/runComparison.ts lays them out. */
function comparisonFixture(tutorial, regularized) {
  const longest = Math.max(tutorial.length, regularized.length);
  const perRunClass = [
    [0.84, 0.97, 0.80, 0.89, 0.82, 0.96, 0.66, 0.95, 0.97, 0.95],
    [0.85, 0.97, 0.79, 0.88, 0.80, 0.95, 0.62, 0.94, 0.96, 0.95],
  ];
  const pick = (h, bestEpoch, weights) => ({ best: h[bestEpoch - 1], last: h[h.length - 1], held: weights === 'best' ? h[bestEpoch - 1] : h[h.length - 1] });
  return {
    ids: ['20261201-081500-3fa1', '20261201-083000-9c2e'],
    labels: ['12-01 08:15 · 128 · dropout 0 · L2 0', '12-01 08:30 · 256-128 · dropout 0.2 · L2 0.0001'],
    monitoredOn: ['test', 'validation'],
    differences: [
      { key: 'hiddenLayers', values: ['128', '256, 128'] },
      { key: 'dropout', values: ['0', '0.2'] },
      { key: 'l2', values: ['0', '0.0001'] },
      { key: 'epochs', values: ['10', '20'] },
      { key: 'validationSplit', values: ['0', '0.1'] },
      { key: 'earlyStopping', values: ['off', 'patience 2, min_delta 0, val_loss'] },
      { key: 'restoreBestWeights', values: ['false', 'true'] },
      { key: 'trainImages', values: ['60000', '54000'] },
    ],
    metrics: [
      { id: '20261201-081500-3fa1', end: 'completed', epochsRun: 10, bestEpoch: 10, weights: 'last', durationSeconds: 71, ...pick(tutorial, 10, 'last') },
      { id: '20261201-083000-9c2e', end: 'earlyStopped', epochsRun: 7, bestEpoch: 5, weights: 'best', durationSeconds: 62, ...pick(regularized, 5, 'best') },
    ],
    curves: Array.from({ length: longest }, (_, i) => ({ epoch: i + 1, runs: [tutorial[i], regularized[i]] })),
    perClass: Array.from({ length: 10 }, (_, c) => ({
      accuracy: [perRunClass[0][c], perRunClass[1][c]],
      difference: [0, perRunClass[1][c] - perRunClass[0][c]],
    })),
  };
}

/** One run opened from the Runs view (Open Run): the comparison of that run alone. */
function singleRunFixture(comparison) {
  return {
    ...comparison,
    ids: comparison.ids.slice(0, 1),
    labels: comparison.labels.slice(0, 1),
    monitoredOn: comparison.monitoredOn.slice(0, 1),
    differences: [],
    metrics: comparison.metrics.slice(0, 1),
    curves: comparison.curves.filter((c) => c.runs[0] !== undefined).map((c) => ({ epoch: c.epoch, runs: c.runs.slice(0, 1) })),
    perClass: comparison.perClass.map((row) => ({ accuracy: row.accuracy.slice(0, 1), difference: row.difference.slice(0, 1) })),
  };
}

/** A light-background RGBA thumbnail made from a test image, as a phone photo of a garment would look. */
function photoThumbnail(image) {
  const scale = 4;
  const size = 28 * scale;
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = image[Math.floor(y / scale) * 28 + Math.floor(x / scale)];
      const o = (y * size + x) * 4;
      rgba[o] = 245 - v * 0.8;
      rgba[o + 1] = 240 - v * 0.7;
      rgba[o + 2] = 230 - v * 0.5;
      rgba[o + 3] = 255;
    }
  }
  return { width: size, height: size, rgba };
}

/**
 * @param {{ analysis: { analyzeOverfitting: Function, analyzePredictions: Function }, epochPredictions: object, createRng: (seed: number) => () => number, dataDir?: string }} options
 */
export function buildFixtures({ analysis, epochPredictions, createRng, dataDir = DEBIAN_DATA_DIR }) {
  // The trainer's own seeded generator (src/training/seededRandom.ts), passed in by the harness.
  const random = createRng(42);
  const file = (name) => join(dataDir, name);
  const real = ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'].every((n) => existsSync(file(n)));
  let testImages, testLabels, sampleImages, sampleLabels;
  if (real) {
    testImages = readIdx(file('t10k-images-idx3-ubyte.gz'), 16, 10000).data;
    testLabels = readIdx(file('t10k-labels-idx1-ubyte.gz'), 8, 10000).data;
    sampleImages = readIdx(file('train-images-idx3-ubyte.gz'), 16, 25).data;
    sampleLabels = readIdx(file('train-labels-idx1-ubyte.gz'), 8, 25).data;
  } else {
    testLabels = Uint8Array.from({ length: 10000 }, (_, i) => i % 10);
    testImages = new Uint8Array(10000 * 784);
    for (let i = 0; i < 10000; i++) testImages.set(syntheticImage(testLabels[i], random), i * 784);
    sampleLabels = Uint8Array.from({ length: 25 }, (_, i) => (i * 7) % 10);
    sampleImages = new Uint8Array(25 * 784);
    for (let i = 0; i < 25; i++) sampleImages.set(syntheticImage(sampleLabels[i], random), i * 784);
  }
  const data = {
    trainCount: 60000,
    testCount: 10000,
    sourceKind: real ? 'debian' : 'cache',
    directory: real ? dataDir : '~/.cache/fashion-mnist',
    sampleImages,
    sampleLabels,
    rawRange: [0, 255],
    scaledRange: [0, 1],
    decodeMs: 612,
  };
  const predictions = fakePredictions(testLabels, 10000, random);
  const epochPayload = fakeEpochPredictions(epochPredictions, predictions, random);
  const history = TUTORIAL_HISTORY;
  const overfittingByEpoch = history.map((_, i) => analysis.analyzeOverfitting(history.slice(0, i + 1)));
  const classifications = [
    {
      ok: true,
      file: '/home/user/photos/ankle-boot.jpg',
      probabilities: [0.001, 0.0, 0.002, 0.001, 0.003, 0.031, 0.002, 0.089, 0.004, 0.867],
      predicted: 9,
      input: testImages.slice(0, 784),
      thumbnail: photoThumbnail(testImages.slice(0, 784)),
      inverted: true,
      // A logits model (the current tutorial's Dense(10)): the softmax applied, with the reason shown.
      warnings: ['softmaxApplied'],
    },
    {
      ok: true,
      file: '/home/user/photos/shirt-on-chair.png',
      probabilities: [0.31, 0.01, 0.17, 0.02, 0.06, 0.0, 0.38, 0.0, 0.05, 0.0],
      predicted: 6,
      input: testImages.slice(4 * 784, 5 * 784),
      thumbnail: photoThumbnail(testImages.slice(4 * 784, 5 * 784)),
      inverted: true,
      warnings: ['lowConfidence', 'unlikeDataset'],
    },
    { ok: false, file: '/home/user/notes.txt.png', error: { code: 'IMAGE_INVALID', message: 'notes.txt.png is not an image that can be decoded.', file: '/home/user/notes.txt.png', action: 'Choose a PNG, JPEG, GIF, BMP or WebP file.' } },
  ];

  const base = { params: PARAMS, backend: BACKEND, history: [] };
  const states = {
    idle: { ...base, status: 'idle' },
    loading: { ...base, status: 'loading', download: { file: 'train-images-idx3-ubyte.gz', receivedBytes: 11_534_336, totalBytes: 26_421_880 } },
    midrun: {
      ...base,
      status: 'training',
      data,
      summary: SUMMARY,
      batchesPerEpoch: 1875,
      history: history.slice(0, 3),
      overfitting: overfittingByEpoch[2],
      progress: { epoch: 4, epochs: 10, batch: 600, batchesPerEpoch: 1875, loss: 0.318, accuracy: 0.884, etaSeconds: 47, samplesPerSecond: 8400 },
    },
    finished: {
      ...base,
      status: 'finished',
      data,
      summary: SUMMARY,
      batchesPerEpoch: 1875,
      history,
      overfitting: overfittingByEpoch[9],
      predictions,
      predictionAnalysis: analysis.analyzePredictions(predictions),
      model: { directory: '~/.config/Code/User/globalStorage/fashion-mnist-trainer/model', record: { date: '2026-11-27T18:00:00Z', params: PARAMS, backend: 'wasm', trainAccuracy: 0.9121, testAccuracy: 0.8823, dataChecksum: 'abc', trainCount: 60000, testCount: 10000 } },
      classifications,
      // The ankle boot followed across the run's ten epochs (its "Ankle boot" probability rising), the shirt pinned
      // after the run (waiting for the next one).
      followedFiles: [
        {
          file: '/home/user/photos/ankle-boot.jpg',
          epochs: history.map((m) => m.epoch),
          probabilities: history.map((m, i) => {
            const boot = 0.35 + (0.52 * i) / (history.length - 1);
            const rest = 1 - boot - 0.06;
            return [0.01, 0, 0.02, 0.01, 0.02, rest * 0.45, 0, rest * 0.55, 0, boot];
          }),
        },
        { file: '/home/user/photos/shirt-on-chair.png', epochs: [], probabilities: [] },
      ],
    },
    regularized: {
      ...base,
      params: REGULARIZED_PARAMS,
      status: 'finished',
      data,
      summary: REGULARIZED_SUMMARY,
      batchesPerEpoch: 1688,
      validationCount: 6000,
      history: REGULARIZED_HISTORY,
      bestEpoch: 5,
      outcome: { end: 'earlyStopped', epochsRun: 7, monitor: 'val_loss', monitoredOn: 'validation', bestEpoch: 5, weights: 'best', patience: 2 },
      overfitting: analysis.analyzeOverfitting(REGULARIZED_HISTORY),
      predictions,
      predictionAnalysis: analysis.analyzePredictions(predictions),
    },
    compare: {
      ...base,
      status: 'finished',
      data,
      summary: SUMMARY,
      history,
      overfitting: overfittingByEpoch[9],
      predictions,
      predictionAnalysis: analysis.analyzePredictions(predictions),
      comparison: comparisonFixture(history, REGULARIZED_HISTORY),
    },
    stopped: { ...base, status: 'stopped', data, summary: SUMMARY, history: history.slice(0, 4), overfitting: overfittingByEpoch[3] },
    error: {
      ...base,
      status: 'error',
      error: { code: 'DATA_MISSING', message: 'The Fashion-MNIST files were not found.', file: '/data/fashion-mnist/train-images-idx3-ubyte.gz', action: 'Set fashionMnist.dataDirectory to the folder that holds the four .gz files, or allow the one-time download.' },
    },
  };
  // A past run opened from the Runs view: the finished run, shown with the note and the way back.
  states.pastRun = { ...states.finished, shownRun: { id: '20261201-081500-3f2a' } };
  // One run opened in the compare view (a run from the terminal has no dashboard of its own to show).
  states.compareOne = { ...states.compare, comparison: singleRunFixture(states.compare.comparison) };
  Object.assign(states, sweepFixtures(states.finished));
  const firstLayer = fakeFirstLayer(testImages, testLabels, random);
  return { states, testImages, overfittingByEpoch, history, realData: real, epochPredictions: epochPayload, firstLayer };
}

/**
 * The Sweep view (protocol/sweepView.ts) over the finished run: a sweep to define, one running (two trials
 * training, one pruned, the rest waiting) and one done (the best named, one pruned), learning rate × hidden units.
 */
function sweepFixtures(finished) {
  const current = { learningRate: 0.001, hiddenUnits: 128, dropout: 0, l2: 0, epochs: 5, batchSize: 32 };
  const axes = [
    { parameter: 'learningRate', values: [0.001, 0.003, 0.3] },
    { parameter: 'hiddenUnits', values: [64, 128] },
  ];
  const grid = axes[0].values.flatMap((rate) => axes[1].values.map((units) => [rate, units]));
  const done = [
    ['finished', 5, 0.3712, 0.8671], ['finished', 5, 0.3465, 0.8782], ['finished', 5, 0.3398, 0.8807],
    ['finished', 5, 0.3251, 0.8853], ['pruned', 1, 2.3026, 0.1], ['pruned', 1, 2.3026, 0.1],
  ];
  const row = (values, i, [state, epoch, monitored, testAccuracy]) => ({
    number: i + 1, values, state, epoch, epochs: 5, monitored, testAccuracy, runId: `20261206-1300${10 + i}-a1b${i}`,
  });
  const definition = { current, axes, prune: true, parallel: 2, monitor: 'val_loss' };
  const running = grid.map((values, i) => {
    if (i < 2) return row(values, i, done[i]);
    if (i === 4) return row(values, i, done[4]);
    if (i === 2 || i === 3) return { number: i + 1, values, state: 'running', epoch: i === 2 ? 3 : 1, epochs: 5, ...(i === 2 ? { monitored: 0.3601, testAccuracy: 0.8702 } : {}) };
    return { number: i + 1, values, state: 'pending', epoch: 0, epochs: 5 };
  });
  const id = 'sweep-20261206-130000-5e1f';
  return {
    sweepEmpty: { ...finished, sweep: { phase: 'defining', current, axes: [], prune: false, parallel: 2, monitor: 'val_loss', trials: [] } },
    sweepRunning: { ...finished, sweep: { ...definition, phase: 'running', id, trials: running } },
    sweepDone: { ...finished, sweep: { ...definition, phase: 'done', id, trials: grid.map((values, i) => row(values, i, done[i])), bestRunId: '20261206-130013-a1b3' } },
  };
}
