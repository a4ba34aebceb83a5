import assert from 'node:assert/strict';
import { TrainerError } from '../../src/core/errors';
import { test } from 'node:test';
import { selectBackend } from '../../src/training/backend';
import { loadFashionMnist, type FashionMnist } from '../../src/core/data/dataset';
import { runTutorial, type RunOptions } from '../../src/training/run';
import { predictAll } from '../../src/training/predictAll';
import { DEFAULT_HYPER_PARAMETERS, type HyperParameters } from '../../src/domain/hyperParameters';
import { type TrainingEvent } from '../../src/protocol/events';
import { type EpochInsight } from '../../src/protocol/worker';
import { singleHiddenLayer } from '../../src/domain/architecture';

// The real data, decoded once for every test here (the Debian package's files).
let cached: Promise<FashionMnist> | undefined;
const realData: typeof loadFashionMnist = () => (cached ??= loadFashionMnist({ allowDownload: false }));

function request(params: Partial<HyperParameters>): RunOptions['request'] {
  return {
    params: { ...DEFAULT_HYPER_PARAMETERS, backend: 'wasm', ...params },
    cacheDir: '/nonexistent-cache',
    locale: 'en',
    allowDownload: false,
  };
}

test('a short real run on a subset learns far beyond chance and emits every event in order', async () => {
  const events: TrainingEvent[] = [];
  const insights: EpochInsight[] = [];
  let testImages: { images: Uint8Array; count: number } | undefined;
  const result = await runTutorial({
    request: request({ epochs: 2, trainLimit: 6000, testLimit: 2000 }),
    onEvent: (e) => events.push(e),
    shouldStop: () => false,
    onTestImages: (images, count) => (testImages = { images, count }),
    onEpochInsight: (insight) => insights.push(insight),
    loadData: realData,
  });
  assert.equal(result.status, 'finished');
  const kinds = events.map((e) => e.type).filter((k, i, all) => k !== all[i - 1]);
  // Every epoch reports progress at least once (its first batch), whatever the throttle.
  assert.deepEqual(kinds, ['backend', 'dataLoaded', 'started', 'batch', 'epoch', 'batch', 'epoch', 'finished']);
  const firstBatches = events.filter((e) => e.type === 'batch' && e.progress.batch === 1);
  assert.deepEqual(firstBatches.map((e) => e.type === 'batch' && e.progress.epoch), [1, 2]);
  assert.equal(events.filter((e) => e.type === 'epoch').length, 2);
  const started = events.find((e) => e.type === 'started');
  assert.ok(started?.type === 'started' && started.trainCount === 6000 && started.batchesPerEpoch === 188);
  assert.equal(started.summary.totalParams, 101770);
  assert.equal(testImages?.count, 2000);
  assert.equal(testImages?.images.length, 2000 * 784);
  const finished = events.at(-1);
  assert.ok(finished?.type === 'finished');
  const last = finished.history[1];
  assert.ok(last.testAccuracy > 0.7, `test accuracy ${last.testAccuracy}`);
  assert.ok(last.accuracy > 0.7 && last.loss < 1 && last.samplesPerSecond > 0 && last.seconds > 0);
  const { predictions } = finished;
  assert.equal(predictions.count, 2000);
  assert.equal(predictions.probabilities.length, 20000);
  // The predictions come from the returned LayersModel: they agree with the last epoch's test accuracy.
  let hits = 0;
  for (let i = 0; i < predictions.count; i++) if (predictions.predicted[i] === predictions.labels[i]) hits++;
  assert.ok(Math.abs(hits / predictions.count - last.testAccuracy) < 1e-9);
  // One insight per epoch, from that epoch's weights: the last one is the final predictions, quantized.
  assert.deepEqual(insights.map((i) => i.predictions.epoch), [1, 2]);
  const [first, second] = insights.map((i) => i.predictions);
  assert.deepEqual(second.predicted, predictions.predicted);
  for (let i = 0; i < predictions.probabilities.length; i++) {
    assert.ok(Math.abs(second.probabilities[i] / 255 - predictions.probabilities[i]) <= 0.5 / 255 + 1e-6);
  }
  let firstHits = 0;
  for (let i = 0; i < first.count; i++) if (first.predicted[i] === insights[0].labels[i]) firstHits++;
  const firstEpoch = finished.history[0];
  assert.ok(Math.abs(firstHits / first.count - firstEpoch.testAccuracy) < 1e-9, 'epoch 1 predicts as it was evaluated');
  assert.deepEqual(insights[1].labels, predictions.labels);
  // The first layer as it was after the last epoch: 128 units of 784 weights, each unit's top images.
  const layer = insights[1].firstLayer;
  assert.ok(layer);
  assert.deepEqual([layer.units, layer.weights.length, layer.nextUnits, layer.next.length, layer.topK, layer.nextIsClasses], [128, 784 * 128, 10, 1280, 8, true]);
  const [kernel] = result.model?.layers[1].getWeights() ?? [];
  const w = kernel.dataSync();
  for (const i of [0, 999, 50_000, 784 * 128 - 1]) {
    const unit = i % 128;
    assert.ok(Math.abs((layer.weights[i] / 127) * layer.unitScale[unit] - w[i]) <= layer.unitScale[unit] / 254 + 1e-7, `weight ${i}`);
  }
  assert.ok(layer.topImages.every((index) => index < 2000));
  // Unit 0's first listed image is the test image that excites it most (its activation computed here).
  const [, bias] = result.model?.layers[1].getWeights() ?? [];
  const b0 = bias.dataSync()[0];
  const images = testImages?.images ?? new Uint8Array(0);
  let best = -Infinity;
  let bestIndex = -1;
  for (let n = 0; n < 2000; n++) {
    let a = b0;
    for (let p = 0; p < 784; p++) a += (images[n * 784 + p] / 255) * w[p * 128];
    if (a > best) [best, bestIndex] = [a, n];
  }
  assert.equal(layer.topImages[0], bestIndex);
  result.model?.dispose();
});

test('followed images get their ten probabilities in every epoch\'s insight, from that epoch\'s weights', async () => {
  const { tf } = await selectBackend('wasm', () => undefined);
  // Two pictures of the user's (any bytes will do): a bright square, and a faint gradient.
  const followImages = new Uint8Array(2 * 784);
  for (let p = 0; p < 784; p++) {
    const [row, column] = [Math.floor(p / 28), p % 28];
    followImages[p] = row > 6 && row < 22 && column > 6 && column < 22 ? 230 : 0;
    followImages[784 + p] = p % 256;
  }
  const insights: EpochInsight[] = [];
  const result = await runTutorial({
    request: { ...request({ epochs: 2, trainLimit: 600, testLimit: 100, batchSize: 64 }), followImages },
    onEvent: () => undefined,
    onEpochInsight: (insight) => insights.push(insight),
    shouldStop: () => false,
    loadData: realData,
  });
  assert.equal(result.status, 'finished');
  assert.deepEqual(insights.map((i) => i.followed?.length), [20, 20]);
  for (const insight of insights) {
    for (const k of [0, 1]) {
      const sum = Array.from(insight.followed!.subarray(k * 10, k * 10 + 10)).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-4, `image ${k} sums to ${sum}`);
    }
  }
  assert.notDeepEqual(insights[0].followed, insights[1].followed, 'each epoch its own weights');
  const final = predictAll(tf, result.model!, { images: followImages, labels: new Uint8Array(2), count: 2 });
  for (let i = 0; i < 20; i++) assert.ok(Math.abs(final.probabilities[i] - insights[1].followed![i]) < 1e-6, 'the last epoch is the final model');
  result.model?.dispose();
});

test('tensors do not pile up across runs (epochs and predictions included)', async () => {
  const { tf } = await selectBackend('wasm', () => undefined);
  const counts: number[] = [];
  for (let i = 0; i < 2; i++) {
    const result = await runTutorial({
      request: request({ epochs: i + 1, trainLimit: 600, testLimit: 300, batchSize: 64 }),
      onEvent: () => undefined,
      onEpochInsight: () => undefined,
      shouldStop: () => false,
      loadData: realData,
    });
    assert.equal(result.status, 'finished');
    result.model?.dispose();
    counts.push(tf.memory().numTensors);
  }
  assert.equal(counts[0], counts[1], `tensors after runs: ${counts.join(', ')}`);
});

test('stop takes effect at the next batch', async () => {
  const events: TrainingEvent[] = [];
  let checks = 0;
  const result = await runTutorial({
    request: request({ epochs: 3, trainLimit: 3200, testLimit: 100, batchSize: 32 }),
    onEvent: (e) => events.push(e),
    // Stop asked once 5 batches have run: the 6th check must end the run.
    shouldStop: () => ++checks > 5,
    loadData: realData,
  });
  const batchesSeen = checks - 1;
  assert.equal(result.status, 'stopped');
  assert.equal(batchesSeen, 5);
  assert.equal(events.at(-1)?.type, 'stopped');
  assert.ok(!events.some((e) => e.type === 'epoch' || e.type === 'finished'));
  result.model?.dispose();
});

test('afterEpoch is awaited between epochs (not after the last): a stop it brings ends the run before the next epoch', async () => {
  const asked: number[] = [];
  const events: TrainingEvent[] = [];
  let stop = false;
  const result = await runTutorial({
    request: request({ epochs: 3, trainLimit: 320, testLimit: 100, batchSize: 32 }),
    onEvent: (e) => events.push(e),
    shouldStop: () => stop,
    // The verdict comes late (after other work ran): the run must not have trained on meanwhile.
    afterEpoch: async (epoch) => {
      asked.push(epoch);
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (epoch === 2) stop = true;
    },
    loadData: realData,
  });
  assert.deepEqual(asked, [1, 2]);
  assert.equal(result.status, 'stopped');
  assert.equal(result.history.length, 2);
  const last = events.at(-1);
  assert.ok(last?.type === 'stopped');
  assert.equal(last.history.length, 2);
  result.model?.dispose();

  const heard: number[] = [];
  const all = await runTutorial({
    request: request({ epochs: 2, trainLimit: 320, testLimit: 100, batchSize: 32 }),
    onEvent: () => {},
    shouldStop: () => false,
    afterEpoch: async (epoch) => void heard.push(epoch),
    loadData: realData,
  });
  assert.equal(all.status, 'finished');
  assert.deepEqual(heard, [1], 'no verdict is asked after the last epoch');
  all.model?.dispose();
});

test('bad parameters and failed loads end in an error event, never a throw', async () => {
  const events: TrainingEvent[] = [];
  const result = await runTutorial({
    request: request({ epochs: 0 }),
    onEvent: (e) => events.push(e),
    shouldStop: () => false,
    loadData: realData,
  });
  assert.equal(result.status, 'error');
  const error = events.at(-1);
  assert.ok(error?.type === 'error' && error.error.code === 'INVALID_PARAMS');

  const tooLarge: TrainingEvent[] = [];
  await runTutorial({
    request: request({ batchSize: 50, trainLimit: 20 }),
    onEvent: (e) => tooLarge.push(e),
    shouldStop: () => false,
    loadData: realData,
  });
  const last = tooLarge.at(-1);
  assert.ok(last?.type === 'error' && /batch size \(50\)/.test(last.error.message));

  const failing: TrainingEvent[] = [];
  await runTutorial({
    request: request({}),
    onEvent: (e) => failing.push(e),
    shouldStop: () => false,
    loadData: async () => {
      throw new Error('disk on fire');
    },
  });
  const failed = failing.at(-1);
  assert.ok(failed?.type === 'error' && failed.error.code === 'INTERNAL' && /disk on fire/.test(failed.error.message));
});

test('a save target that cannot take the model, and a batch × width that cannot fit, end the run before the data loads', async () => {
  let loads = 0;
  const countingLoad: typeof realData = async (options) => {
    loads++;
    return realData(options);
  };
  const refused: TrainingEvent[] = [];
  const result = await runTutorial({
    request: request({}),
    onEvent: (e) => refused.push(e),
    shouldStop: () => false,
    loadData: countingLoad,
    checkSaveTarget: async () => {
      throw new TrainerError('MODEL_SAVE', 'the target is a file', '/x', 'choose another');
    },
  });
  assert.equal(result.status, 'error');
  assert.ok(refused.at(-1)?.type === 'error' && /target is a file/.test((refused.at(-1) as { error: { message: string } }).error.message));
  const tooBig: TrainingEvent[] = [];
  await runTutorial({ request: request({ batchSize: 60_000, architecture: singleHiddenLayer(4096) }), onEvent: (e) => tooBig.push(e), shouldStop: () => false, loadData: countingLoad });
  const last = tooBig.at(-1);
  // Beyond the schema's batch bound, the parameter check refuses it (what fits is the bound it names).
  assert.ok(last?.type === 'error' && last.error.code === 'INVALID_PARAMS', JSON.stringify(last));
  assert.match(last.error.message, /8192|8,192/);
  assert.equal(loads, 0, 'the data was never loaded');
});

test('a stop while the data loads cancels the load and ends as stopped, not as an error', async () => {
  const events: TrainingEvent[] = [];
  const abort = new AbortController();
  let stop = false;
  const result = await runTutorial({
    request: request({}),
    onEvent: (e) => events.push(e),
    shouldStop: () => stop,
    signal: abort.signal,
    // A download that only ends when its signal is aborted, as the real one does.
    loadData: (options) =>
      new Promise((_resolve, reject) => {
        options.signal?.addEventListener('abort', () => reject(options.signal?.reason));
        setTimeout(() => {
          stop = true;
          abort.abort(new Error('stopped by the user'));
        }, 20);
      }),
  });
  assert.equal(result.status, 'stopped');
  assert.deepEqual(
    events.map((e) => e.type),
    ['backend', 'stopped'],
  );
});

test('warnings from the data loader reach the user as notice events', async () => {
  const events: TrainingEvent[] = [];
  await runTutorial({
    request: request({ epochs: 1, trainLimit: 320, testLimit: 50 }),
    onEvent: (e) => events.push(e),
    shouldStop: () => false,
    loadData: async (options) => {
      options.onWarning?.('The cached file train-labels-idx1-ubyte was damaged and was deleted.');
      return realData(options);
    },
  });
  const notice = events.find((e) => e.type === 'notice');
  assert.ok(notice?.type === 'notice' && /damaged/.test(notice.message));
  assert.equal(events.at(-1)?.type, 'finished');
});

test('a model that cannot be saved still finishes the run, with the save error beside the results', async () => {
  const events: TrainingEvent[] = [];
  const result = await runTutorial({
    request: request({ epochs: 1, trainLimit: 640, testLimit: 100 }),
    onEvent: (e) => events.push(e),
    shouldStop: () => false,
    loadData: realData,
    saveModel: async () => {
      throw new Error('disk full');
    },
  });
  assert.equal(result.status, 'finished');
  const finished = events.at(-1);
  assert.ok(finished?.type === 'finished');
  assert.equal(finished.predictions.count, 100);
  assert.equal(finished.modelSaved, undefined);
  assert.match(finished.saveError?.message ?? '', /disk full/);
  result.model?.dispose();
});
