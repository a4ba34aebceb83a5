// The real training worker (dist/worker.js, built by `npm test`) on small subsets of the real data:
// event order, stop, the worker's own BUSY refusal, crashes and recovery, classify without a model.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import png from '@jimp/js-png';
import { TrainingClient } from '../../src/worker/client';
import { DEFAULT_HYPER_PARAMETERS, type HyperParameters } from '../../src/domain/hyperParameters';
import { type EpochInsight, type StartRequest, type WorkerToHost } from '../../src/protocol/worker';
import { type TrainingEvent } from '../../src/protocol/events';
import { isTerminalEvent } from '../../src/protocol/events';
import { disposing } from './disposing';

// TEST_WORKER_PATH lets the suite run against another build of the worker.
const workerPath = resolve(process.env.TEST_WORKER_PATH ?? 'dist/worker.js');
const scratch = mkdtempSync(join(tmpdir(), 'worker-test-'));

before(() => {
  assert.ok(existsSync(workerPath), `${workerPath} is missing: run "npm run build" (npm test builds it).`);
});
after(() => rmSync(scratch, { recursive: true, force: true }));

function request(params: Partial<HyperParameters>): StartRequest {
  return {
    params: { ...DEFAULT_HYPER_PARAMETERS, trainLimit: 2000, testLimit: 500, epochs: 1, ...params },
    cacheDir: join(scratch, 'cache'),
    locale: 'en',
    allowDownload: false,
  };
}

/** Starts a run and collects its events up to the terminal one; `onEvent` may act on the way (e.g. stop). */
function run(
  client: TrainingClient,
  req: StartRequest,
  onEvent: (event: TrainingEvent) => void = () => {},
): Promise<TrainingEvent[]> {
  return new Promise((resolveEvents) => {
    const events: TrainingEvent[] = [];
    let runId = -1;
    const sub = client.onEvent((id, event) => {
      if (id !== runId) return;
      events.push(event);
      onEvent(event);
      if (isTerminalEvent(event)) {
        sub.dispose();
        resolveEvents(events);
      }
    });
    runId = client.start(req);
  });
}

function collapse(types: string[]): string[] {
  return types.filter((type, i) => type !== types[i - 1]);
}

test('a small run posts backend, data, started, batches, epochs and finished in order, and the test images', async () => {
  await disposing(new TrainingClient({ workerPath }), async (client) => {
    const images: { count: number; length: number }[] = [];
    client.onTestImages((_id, pixels, count) => images.push({ count, length: pixels.length }));
    const events = await run(client, request({ epochs: 2 }));
    assert.deepEqual(collapse(events.map((e) => e.type)), [
      'backend', 'dataLoaded', 'started', 'batch', 'epoch', 'batch', 'epoch', 'finished',
    ]);
    const finished = events.at(-1);
    assert.ok(finished?.type === 'finished');
    assert.equal(finished.history.length, 2);
    assert.equal(finished.predictions.count, 500);
    assert.equal(finished.predictions.probabilities.length, 5000);
    assert.ok(finished.modelSaved === undefined, 'nothing is saved without saveDir');
    // Far above chance (0.1) after two epochs on 2,000 images.
    assert.ok(finished.history[1].testAccuracy > 0.6, `test accuracy ${finished.history[1].testAccuracy}`);
    assert.deepEqual(images, [{ count: 500, length: 500 * 784 }]);
    assert.equal(client.isRunning, false);
  });
});

test('stop takes effect within a batch or two and the worker reports stopped itself', async () => {
  // A long stop timeout: the stopped event must come from the worker, not from the client's fallback.
  await disposing(new TrainingClient({ workerPath, stopTimeoutMs: 120_000 }), async (client) => {
    let batchesAfterStop = -1;
    const events = await run(client, request({ trainLimit: 20000, epochs: 5 }), (event) => {
      if (event.type !== 'batch') return;
      if (batchesAfterStop < 0) {
        client.stop();
        batchesAfterStop = 0;
      } else {
        batchesAfterStop++;
      }
    });
    const last = events.at(-1);
    assert.ok(last?.type === 'stopped', `ended with ${last?.type}`);
    assert.equal(last.history.length, 0, 'no epoch completed');
    // Progress is posted at most every 100 ms and the loop yields after each post, so the stop is seen
    // at the next yield: at most one more progress event can already be on its way.
    assert.ok(batchesAfterStop <= 1, `${batchesAfterStop} progress events after stop`);
    // The same worker takes the next run.
    const again = await run(client, request({}));
    assert.equal(again.at(-1)?.type, 'finished');
  });
});

test('a run started with epochVerdict waits after each epoch: a stop stops it there, a continue trains on, silence times out', async () => {
  // Tiny epochs (milliseconds): without the wait, a stop sent on the epoch event would arrive too late.
  const tiny = (timeoutMs: number) => ({ ...request({ trainLimit: 320, testLimit: 100, epochs: 3 }), epochVerdict: { timeoutMs } });
  await disposing(new TrainingClient({ workerPath, stopTimeoutMs: 120_000 }), async (client) => {
    // The verdict comes later than the next epoch would take: the run waits for it.
    const stopped = await run(client, tiny(120_000), (event) => {
      if (event.type === 'epoch') setTimeout(() => client.stop(), 300);
    });
    const last = stopped.at(-1);
    assert.ok(last?.type === 'stopped', `ended with ${last?.type}`);
    assert.equal(last.history.length, 1, 'stopped right after the epoch that was judged');

    const epochs: number[] = [];
    let trainedWhileWaiting = 0;
    let waiting = false;
    const carried = await run(client, tiny(120_000), (event) => {
      if (event.type === 'batch' && waiting) trainedWhileWaiting++;
      if (event.type !== 'epoch') return;
      epochs.push(event.metrics.epoch);
      waiting = true;
      setTimeout(() => {
        waiting = false;
        client.continueAfterEpoch(event.metrics.epoch);
      }, 200);
    });
    assert.equal(carried.at(-1)?.type, 'finished');
    assert.deepEqual(epochs, [1, 2, 3]);
    assert.equal(trainedWhileWaiting, 0, 'no batch was trained before the verdict came');

    // No reply at all: the bounded wait lets the run go on.
    const silent = await run(client, tiny(50));
    const end = silent.at(-1);
    assert.ok(end?.type === 'finished');
    assert.equal(end.history.length, 3);
  });
});

test('the worker itself refuses a second start with BUSY while a run is going', async () => {
  const worker = new Worker(workerPath);
  try {
    const messages: WorkerToHost[] = [];
    const rejected = new Promise<WorkerToHost>((resolveMessage) => {
      worker.on('message', (message: WorkerToHost) => {
        messages.push(message);
        if (message.type === 'rejected') resolveMessage(message);
      });
    });
    worker.postMessage({ type: 'start', runId: 1, request: request({ trainLimit: 20000, epochs: 5 }) });
    worker.postMessage({ type: 'start', runId: 2, request: request({}) });
    const refusal = await rejected;
    assert.ok(refusal.type === 'rejected');
    assert.equal(refusal.runId, 2);
    assert.equal(refusal.error.code, 'BUSY');
    assert.ok(refusal.error.message.length > 0 && refusal.error.action);
    const stopped = new Promise<void>((resolveStop) => {
      worker.on('message', (m: WorkerToHost) => {
        if (m.type === 'event' && m.runId === 1 && m.event.type === 'stopped') resolveStop();
      });
    });
    worker.postMessage({ type: 'stop', runId: 1 });
    await stopped;
    assert.ok(!messages.some((m) => m.type === 'event' && m.runId === 2), 'run 2 never ran');
  } finally {
    await worker.terminate();
  }
});

for (const mode of ['exit', 'throw'] as const) {
  test(`a worker that dies (${mode}) ends the run with WORKER_CRASHED, and the client then trains again`, async () => {
    // Test-only hook read by the worker: die when run 1 starts; run 2 goes to a fresh worker.
    await disposing(new TrainingClient({ workerPath, env: { ...process.env, FASHION_MNIST_TEST_CRASH: `${mode}:1` } }), async (client) => {
      const crashed = await run(client, request({}));
      const last = crashed.at(-1);
      assert.ok(last?.type === 'error', `ended with ${last?.type}`);
      assert.equal(last.error.code, 'WORKER_CRASHED');
      assert.ok(last.error.action, 'says what to do');
      assert.equal(client.isRunning, false);
      const again = await run(client, request({}));
      assert.equal(again.at(-1)?.type, 'finished');
    });
  });
}

test('bad parameters end the run with an error event, not a crash', async () => {
  await disposing(new TrainingClient({ workerPath }), async (client) => {
    const events = await run(client, request({ epochs: 0 }));
    const last = events.at(-1);
    assert.ok(last?.type === 'error');
    assert.equal(last.error.code, 'INVALID_PARAMS');
    const again = await run(client, request({}));
    assert.equal(again.at(-1)?.type, 'finished');
  });
});

test('classify without a saved model answers NO_MODEL for every file and says how to get one', async () => {
  await disposing(new TrainingClient({ workerPath }), async (client) => {
    const files = [join(scratch, 'a.png'), join(scratch, 'b.png')];
    const results = await client.classify(files, join(scratch, 'no-model'), 'en');
    assert.equal(results.length, 2);
    for (const [i, result] of results.entries()) {
      assert.equal(result.file, files[i]);
      assert.ok(!result.ok && result.error.code === 'NO_MODEL' && result.error.action);
    }
  });
});

test('classify uses the saved model, and a model saved again in the same folder replaces the cached one', async () => {
  await disposing(new TrainingClient({ workerPath }), async (client) => {
    const modelDir = join(scratch, 'model');
    const idx = gunzipSync(readFileSync('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz'));
    const rgba = Buffer.alloc(28 * 28 * 4);
    for (let i = 0; i < 784; i++) rgba.set([idx[16 + i], idx[16 + i], idx[16 + i], 255], i * 4);
    const image = join(scratch, 'image0.png');
    writeFileSync(image, png().encode({ data: rgba, width: 28, height: 28 }));

    const first = await run(client, { ...request({ seed: 1 }), saveDir: modelDir });
    const firstEnd = first.at(-1);
    assert.ok(firstEnd?.type === 'finished' && firstEnd.modelSaved?.directory === modelDir);
    const [a] = await client.classify([image], modelDir, 'en');
    const [aAgain] = await client.classify([image], modelDir, 'en');
    assert.ok(a.ok && aAgain.ok, JSON.stringify(a.ok ? '' : a.error));
    assert.deepEqual(aAgain.probabilities, a.probabilities, 'the same model gives the same answer');

    // Another seed trains other weights; the cache must notice the new model.json.
    await run(client, { ...request({ seed: 2, epochs: 2 }), saveDir: modelDir });
    const [b] = await client.classify([image], modelDir, 'en');
    assert.ok(b.ok);
    assert.notDeepEqual(b.probabilities, a.probabilities, 'the new model answers, not the cached old one');

    // Requests that overlap (the dashboard and a right-click at once) all get answers from a live model.
    await run(client, { ...request({ seed: 3 }), saveDir: modelDir });
    const overlapping = await Promise.all([1, 2, 3].map(() => client.classify([image], modelDir, 'en')));
    for (const [result] of overlapping) assert.ok(result.ok, JSON.stringify(result.ok ? '' : result.error));
  });
});

test('the worker looks for tfjs-node in the folders of the request: auto falls back with the reason, node fails with it', async () => {
  const folder = join(scratch, 'broken-native');
  const packageDir = join(folder, 'node_modules', '@tensorflow', 'tfjs-node');
  mkdirSync(packageDir, { recursive: true });
  writeFileSync(join(packageDir, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', main: 'index.js' }));
  writeFileSync(join(packageDir, 'index.js'), "throw new Error('libtensorflow.so.2: cannot open shared object file');");
  await disposing(new TrainingClient({ workerPath }), async (client) => {
    const auto = await run(client, { ...request({}), nativeBackendFolders: [folder] }, (event) => {
      if (event.type === 'backend') client.stop();
    });
    const backend = auto.find((e): e is Extract<TrainingEvent, { type: 'backend' }> => e.type === 'backend');
    assert.equal(backend?.backend.name, 'wasm');
    assert.equal(backend?.backend.nativeProblem, 'failed');
    assert.ok(backend?.backend.reason.includes(folder), backend?.backend.reason);
    assert.match(backend?.backend.reason ?? '', /libtensorflow\.so\.2/);

    const node = await run(client, { ...request({ backend: 'node' }), nativeBackendFolders: [join(scratch, 'nothing-here'), folder] });
    const last = node.at(-1);
    assert.ok(last?.type === 'error');
    assert.equal(last.error.code, 'BACKEND_UNAVAILABLE');
    assert.equal(last.error.file, folder);
    assert.match(last.error.message, /libtensorflow\.so\.2/);
  });
});

test('a conv run\'s epoch insight carries its first Conv2D filters, and its saliency answer the picture\'s feature maps after each conv block', async () => {
  const client = new TrainingClient({ workerPath });
  try {
    const modelDir = join(scratch, 'conv-saliency-model');
    let pixels: Uint8Array | undefined;
    client.onTestImages((_id, images) => (pixels = images.slice(3 * 784, 4 * 784)));
    const insights: EpochInsight[] = [];
    client.onEpochInsight((_id, insight) => insights.push(insight));
    const architecture = { convLayers: [{ filters: 4, kernelSize: 5 }, { filters: 6, kernelSize: 3 }], hiddenLayers: [{ units: 16, dropout: 0 }], l2: 0 };
    const events = await run(client, { ...request({ seed: 4, architecture, trainLimit: 500, testLimit: 100 }), saveDir: modelDir, insight: true });
    assert.equal(events.at(-1)?.type, 'finished');
    const filters = insights.at(-1)?.convFilters;
    assert.ok(filters, 'the filters came through the worker');
    assert.equal(insights.at(-1)?.firstLayer, undefined);
    assert.deepEqual([filters.epoch, filters.kernelSize, filters.filters, filters.weights.length, filters.scale.length], [1, 5, 4, 100, 4]);
    assert.ok(filters.weights.some((w) => w !== 0) && filters.scale.every((s) => s > 0));
    assert.ok(pixels);
    const answer = await client.saliency(pixels, modelDir);
    assert.equal(answer.saliency.values.length, 784);
    const blocks = answer.featureMaps?.blocks ?? [];
    assert.deepEqual(blocks.map((b) => [b.side, b.filters, b.values.length, b.scale.length]), [[28, 4, 4 * 784, 4], [14, 6, 6 * 196, 6]]);
  } finally {
    client.dispose();
  }
});

test('a saliency map of a test image of the latest run needs only its index: the worker holds the pixels', async () => {
  const client = new TrainingClient({ workerPath });
  try {
    const modelDir = join(scratch, 'saliency-model');
    let pixels: Uint8Array | undefined;
    client.onTestImages((_id, images) => (pixels = images.slice(7 * 784, 8 * 784)));
    const events = await run(client, { ...request({ seed: 4 }), saveDir: modelDir });
    const loaded = events.find((e) => e.type === 'dataLoaded');
    const checksum = loaded?.type === 'dataLoaded' ? loaded.data.checksum : undefined;
    assert.ok(checksum && pixels, 'the run reported its data checksum and sent its test images');
    const byIndex = await client.saliency({ testIndex: 7, dataChecksum: checksum }, modelDir);
    const byPixels = await client.saliency(pixels, modelDir);
    assert.deepEqual(byIndex, byPixels, 'the same image, the same map');
    assert.equal(byIndex.featureMaps, undefined, 'an MLP has no feature maps');
    await assert.rejects(client.saliency({ testIndex: 7, dataChecksum: 'other data' }, modelDir), 'not the data the worker holds');
    await assert.rejects(client.saliency({ testIndex: 500, dataChecksum: checksum }, modelDir), 'beyond the run\u2019s 500 test images');
  } finally {
    client.dispose();
  }
});
