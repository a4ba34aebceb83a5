import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrainerError } from '../../src/core/errors';
import { RunSnapshotStore } from '../../src/core/runs/runSnapshot';
import { RunHistory } from '../../src/core/runs/runHistory';
import { PinStore } from '../../src/host/pinStore';
import { TrainingSession, type DashboardUpdate, type SessionClient } from '../../src/host/session/trainingSession';
import { DEFAULT_HYPER_PARAMETERS } from '../../src/domain/hyperParameters';
import { PIXELS } from '../../src/domain/classes';
import { type ClassificationResult } from '../../src/domain/classification';
import { type EpochMetrics } from '../../src/domain/metrics';
import { type EpochInsight, type SaliencyInput, type StartRequest } from '../../src/protocol/worker';
import type { HostToWebview } from '../../src/protocol/webview';
import type { DataInfo } from '../../src/domain/data';
import { DEFAULT_DEBIAN_DIR } from '../../src/core/data/dataLocation';
import { publishedDataChecksum, readTestImages } from '../../src/core/data/publishedTestImages';
import { requires } from '../requirements';
import { type TrainingEvent } from '../../src/protocol/events';
import { isTerminalEvent } from '../../src/protocol/events';
import type { RunOutcome } from '../../src/domain/metrics';

const OUTCOME: RunOutcome = { end: 'completed', epochsRun: 1, monitor: 'val_loss', monitoredOn: 'test', bestEpoch: 1, weights: 'last' };

/** A stand-in for the worker client: records what the session asks and lets the test play the worker. */
class FakeClient implements SessionClient {
  isRunning = false;
  started: StartRequest[] = [];
  stops = 0;
  classified: { files: string[]; modelDir: string }[] = [];
  private nextRunId = 1;
  private eventListener: ((runId: number, event: TrainingEvent) => void) | undefined;
  private imagesListener: ((runId: number, images: Uint8Array, count: number) => void) | undefined;
  private insightListener: ((runId: number, insight: EpochInsight) => void) | undefined;

  start(request: StartRequest): number {
    if (this.isRunning) throw new TrainerError('BUSY', 'A training run is already in progress.');
    this.isRunning = true;
    this.started.push(request);
    return this.nextRunId++;
  }
  stop(): void {
    this.stops++;
  }
  /** Classify answers as if every file were a picture (else as if none were). */
  picturesOk = false;
  async classify(files: string[], modelDir: string): Promise<ClassificationResult[]> {
    this.classified.push({ files, modelDir });
    if (this.picturesOk) {
      return files.map((file, i) => ({
        ok: true, file, probabilities: Array.from({ length: 10 }, (_, c) => (c === 6 ? 1 : 0)), predicted: 6,
        input: new Uint8Array(784).fill(i + 1), thumbnail: { width: 1, height: 1, rgba: new Uint8Array(4) }, inverted: false, warnings: [],
      }));
    }
    return files.map((file) => ({ ok: false, file, error: { code: 'IMAGE_INVALID', message: `${file} is not an image.` } }));
  }
  onEvent(listener: (runId: number, event: TrainingEvent) => void) {
    this.eventListener = listener;
    return { dispose: () => (this.eventListener = undefined) };
  }
  onTestImages(listener: (runId: number, images: Uint8Array, count: number) => void) {
    this.imagesListener = listener;
    return { dispose: () => (this.imagesListener = undefined) };
  }
  async saliency(..._args: unknown[]): Promise<never> {
    throw new Error('not used in these tests');
  }
  onEpochInsight(listener: (runId: number, insight: EpochInsight) => void) {
    this.insightListener = listener;
    return { dispose: () => (this.insightListener = undefined) };
  }
  /** Epoch `epoch`'s predictions for 5 images labelled 0..4: the first `right` of them predicted right. */
  insight(runId: number, epoch: number, right: number, followed?: Float32Array): void {
    const labels = Uint8Array.from([0, 1, 2, 3, 4]);
    const predicted = labels.map((label, i) => (i < right ? label : (label + 1) % 10));
    const probabilities = new Uint8Array(50);
    predicted.forEach((c, i) => (probabilities[i * 10 + c] = 255));
    this.insightListener?.(runId, { predictions: { epoch, count: 5, predicted, probabilities }, labels, ...(followed ? { followed } : {}) });
  }
  emit(runId: number, event: TrainingEvent): void {
    if (isTerminalEvent(event)) this.isRunning = false;
    this.eventListener?.(runId, event);
  }
  images(runId: number, count: number): void {
    // Image i is filled with the byte i, so a slice shows which image it came from.
    const images = new Uint8Array(count * PIXELS);
    for (let i = 0; i < count; i++) images.fill(i, i * PIXELS, (i + 1) * PIXELS);
    this.imagesListener?.(runId, images, count);
  }
}

const params = { ...DEFAULT_HYPER_PARAMETERS, epochs: 2, trainLimit: 300, testLimit: 5 };
const epoch = (n: number): EpochMetrics => ({ epoch: n, loss: 0.5, accuracy: 0.8, testLoss: 0.6, testAccuracy: 0.78, seconds: 1, samplesPerSecond: 300 });
const predictions = {
  probabilities: new Float32Array(50),
  predicted: new Uint8Array(5),
  labels: new Uint8Array(5),
  count: 5,
  predictMs: 1,
};

function setup(options: { lastRun?: RunSnapshotStore } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'fmt-session-'));
  const client = new FakeClient();
  const warnings: string[] = [];
  const session = new TrainingSession(client, {
    folders: { cacheDir: join(root, 'data'), modelDir: join(root, 'models', 'latest') },
    params: DEFAULT_HYPER_PARAMETERS,
    lastRun: options.lastRun,
    warn: (message) => warnings.push(message),
  });
  const updates: DashboardUpdate[] = [];
  session.store.onDidUpdate((update) => updates.push(update));
  const cleanup = () => {
    session.dispose();
    rmSync(root, { recursive: true, force: true });
  };
  return { root, client, session, updates, warnings, cleanup };
}

test('start sends the settings, the storage folders and the locale to the worker, and resets the state', () => {
  const { client, session, updates, root, cleanup } = setup();
  try {
    const runId = session.run.start({ params, dataDir: '/data/fm', allowDownload: false, locale: 'zh-cn' });
    assert.equal(runId, 1);
    assert.deepEqual(client.started[0], {
      params,
      cacheDir: join(root, 'data'),
      saveDir: join(root, 'models', 'latest'),
      locale: 'zh-cn',
      allowDownload: false,
      insight: true,
      dataDir: '/data/fm',
    });
    assert.equal(session.store.current.status, 'loading');
    // The whole state, and the (now empty) per-epoch predictions, so the panel forgets the last run's.
    assert.deepEqual(updates, [{ kind: 'state' }, { kind: 'message', message: { type: 'epochPredictions', replace: true, data: undefined } }]);
  } finally {
    cleanup();
  }
});

test('a second start while a run goes is refused and leaves the running state alone', () => {
  const { client, session, cleanup } = setup();
  try {
    session.run.start({ params, allowDownload: true, locale: 'en' });
    client.emit(1, { type: 'epoch', metrics: epoch(1) });
    assert.throws(() => session.run.start({ params: { ...params, epochs: 9 }, allowDownload: true, locale: 'en' }), (e: unknown) => e instanceof TrainerError && e.code === 'BUSY');
    assert.equal(client.started.length, 1);
    assert.equal(session.store.current.params.epochs, 2);
    assert.equal(session.store.current.history.length, 1);
  } finally {
    cleanup();
  }
});

test('events fold into the state; epochs post an epoch message, phase changes the whole state; other runs are ignored', () => {
  const { client, session, updates, cleanup } = setup();
  const seen: string[] = [];
  session.run.onDidTrainingEvent((event) => seen.push(event.type));
  try {
    session.run.start({ params, allowDownload: true, locale: 'en' });
    updates.length = 0;
    client.emit(1, { type: 'backend', backend: { requested: 'auto', name: 'cpu', reason: 'test' } });
    client.emit(7, { type: 'epoch', metrics: epoch(5) }); // not this session's run
    client.emit(1, { type: 'epoch', metrics: epoch(1) });
    client.emit(1, { type: 'finished', history: [epoch(1), epoch(2)], predictions, outcome: OUTCOME });
    assert.deepEqual(seen, ['backend', 'epoch', 'finished']);
    assert.deepEqual(
      updates.map((u) => (u.kind === 'state' ? 'state' : u.message.type)),
      ['state', 'epoch', 'state'],
    );
    const epochMessage = updates[1];
    assert.ok(epochMessage.kind === 'message' && epochMessage.message.type === 'epoch');
    assert.equal(epochMessage.message.metrics.epoch, 1);
    assert.equal(session.store.current.status, 'finished');
    assert.deepEqual(session.store.current.history.map((m) => m.epoch), [1, 2]);
    assert.equal(session.store.current.predictionAnalysis?.accuracy, 1);
  } finally {
    cleanup();
  }
});

test('batch progress reaches the panel at most about ten times a second, and the latest one is sent', async () => {
  const { client, session, updates, cleanup } = setup();
  try {
    session.run.start({ params, allowDownload: true, locale: 'en' });
    updates.length = 0;
    for (let batch = 1; batch <= 50; batch++) {
      client.emit(1, { type: 'batch', progress: { epoch: 1, epochs: 2, batch, batchesPerEpoch: 50, loss: 1, accuracy: 0.5, etaSeconds: 3, samplesPerSecond: 100 } });
    }
    const progressBatches = () => updates.flatMap((u) => (u.kind === 'message' && u.message.type === 'progress' ? [u.message.progress.batch] : []));
    assert.deepEqual(progressBatches(), [1], 'one progress message at once, the rest held back');
    // The held-back one follows once the interval has passed (however long the machine takes to get there).
    for (let waited = 0; progressBatches().length < 2 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(progressBatches(), [1, 50], 'the held-back message carries the latest batch');
  } finally {
    cleanup();
  }
});

test('stop asks the client only while a run goes; the stopped run keeps its epochs', () => {
  const { client, session, cleanup } = setup();
  try {
    assert.equal(session.run.stop(), false);
    assert.equal(client.stops, 0);
    session.run.start({ params, allowDownload: true, locale: 'en' });
    client.emit(1, { type: 'epoch', metrics: epoch(1) });
    assert.equal(session.run.stop(), true);
    assert.equal(client.stops, 1);
    client.emit(1, { type: 'stopped', history: [epoch(1)] });
    assert.equal(session.store.current.status, 'stopped');
    assert.equal(session.store.current.history.length, 1);
  } finally {
    cleanup();
  }
});

test('the grid gets exactly the pixels of the images it asked for, and none beyond the run’s test set', () => {
  const { client, session, cleanup } = setup();
  try {
    assert.equal(session.store.imagesFor([0]), undefined, 'no run, no images');
    session.run.start({ params, allowDownload: true, locale: 'en' });
    client.images(1, 5);
    const served = session.store.imagesFor([4, 0, 7, 2]);
    assert.ok(served);
    assert.deepEqual(served.indices, [4, 0, 2]);
    assert.equal(served.pixels.length, 3 * PIXELS);
    assert.deepEqual([served.pixels[0], served.pixels[PIXELS], served.pixels[2 * PIXELS + PIXELS - 1]], [4, 0, 2]);
    client.images(99, 5); // another run's images are not kept
    assert.equal(session.store.imagesFor([1])?.pixels[0], 1);
  } finally {
    cleanup();
  }
});

test('classify without a saved model says so; with one it asks the worker and shows the results', async () => {
  const { client, session, updates, root, cleanup } = setup();
  try {
    await assert.rejects(session.classifier.classify(['/tmp/a.png'], 'en'), (e: unknown) => e instanceof TrainerError && e.code === 'NO_MODEL');
    assert.equal(client.classified.length, 0);
    mkdirSync(join(root, 'models', 'latest'), { recursive: true });
    writeFileSync(join(root, 'models', 'latest', 'model.json'), '{}');
    updates.length = 0;
    const results = await session.classifier.classify(['/tmp/a.png'], 'en');
    assert.deepEqual(client.classified, [{ files: ['/tmp/a.png'], modelDir: join(root, 'models', 'latest') }]);
    assert.deepEqual(session.store.current.classifications, results);
    assert.deepEqual(
      updates.map((u) => (u.kind === 'message' ? u.message.type : u.kind)),
      ['classification', 'reveal'],
    );
  } finally {
    cleanup();
  }
});

test('a finished run is kept for the next session and restored with its images; a new run forgets it', async () => {
  const storeDir = join(mkdtempSync(join(tmpdir(), 'fmt-session-store-')), 'last-run');
  try {
    const first = setup({ lastRun: new RunSnapshotStore(storeDir) });
    first.session.run.start({ params, allowDownload: true, locale: 'en' });
    first.client.images(1, 5);
    first.client.emit(1, { type: 'epoch', metrics: epoch(1) });
    first.client.insight(1, 1, 3);
    first.client.emit(1, { type: 'finished', history: [epoch(1)], predictions, outcome: OUTCOME });
    await first.session.archive.whenStored();
    first.cleanup();

    const second = setup({ lastRun: new RunSnapshotStore(storeDir) });
    assert.equal(second.session.store.current.status, 'finished');
    assert.equal(second.session.store.current.predictions?.count, 5);
    assert.equal(second.session.store.current.params.epochs, DEFAULT_HYPER_PARAMETERS.epochs, 'the controls show the next run’s settings');
    assert.equal(second.session.store.imagesFor([3])?.pixels[0], 3);
    const restored = second.session.store.epochPredictionsMessage().data;
    assert.deepEqual(restored?.epochs, [1]);
    assert.deepEqual(restored?.analyses.map((a) => [a.accuracy, a.learned]), [[0.6, 3]]);
    second.session.run.start({ params, allowDownload: true, locale: 'en' });
    await second.session.archive.whenStored();
    second.cleanup();

    const third = setup({ lastRun: new RunSnapshotStore(storeDir) });
    assert.equal(third.session.store.current.status, 'idle');
    assert.deepEqual(third.warnings, []);
    third.cleanup();
  } finally {
    rmSync(join(storeDir, '..'), { recursive: true, force: true });
  }
});

test('each run and each classification carries the native backend search folders as they are at that moment', async () => {
  const root = mkdtempSync(join(tmpdir(), 'fmt-session-'));
  try {
    const client = new (class extends FakeClient {
      classifyFolders: (string[] | undefined)[] = [];
      override async classify(files: string[], modelDir: string, _locale?: string, nativeBackendFolders?: string[]): Promise<ClassificationResult[]> {
        this.classifyFolders.push(nativeBackendFolders);
        return super.classify(files, modelDir);
      }
    })();
    let folders = ['/setting', '/owned', '/extension'];
    const session = new TrainingSession(client, {
      folders: { cacheDir: join(root, 'data'), modelDir: join(root, 'models', 'latest') },
      params: DEFAULT_HYPER_PARAMETERS,
      nativeBackendFolders: () => folders,
    });
    session.run.start({ params, allowDownload: false, locale: 'en' });
    assert.deepEqual(client.started[0].nativeBackendFolders, ['/setting', '/owned', '/extension']);
    folders = ['/owned', '/extension'];
    mkdirSync(join(root, 'models', 'latest'), { recursive: true });
    writeFileSync(join(root, 'models', 'latest', 'model.json'), '{}');
    await session.classifier.classify(['/a.png'], 'en');
    assert.deepEqual(client.classifyFolders, [['/owned', '/extension']]);
    session.dispose();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('each epoch’s predictions reach the panel once, as the new epoch alone, with the host’s analysis; other runs are ignored', () => {
  const { client, session, updates, cleanup } = setup();
  try {
    session.run.start({ params, allowDownload: true, locale: 'en' });
    updates.length = 0;
    client.insight(1, 1, 2);
    client.insight(9, 1, 5); // not this session's run
    client.insight(1, 2, 4);
    const sent = updates.map((u) => (u.kind === 'message' && u.message.type === 'epochPredictions' ? u.message : undefined));
    assert.equal(sent.length, 2);
    assert.deepEqual(sent.map((m) => [m?.replace, m?.data?.epochs]), [[false, [1]], [false, [2]]]);
    const second = sent[1]?.data?.analyses[0];
    assert.deepEqual([second?.accuracy, second?.learned, second?.forgotten, second?.misclassified], [0.8, 2, 0, 1]);
    // The whole set, for a panel that opens now: both epochs, concatenated.
    const whole = session.store.epochPredictionsMessage();
    assert.equal(whole.replace, true);
    assert.deepEqual(whole.data?.epochs, [1, 2]);
    assert.equal(whole.data?.predicted.length, 10);
    assert.equal(whole.data?.probabilities.length, 100);
  } finally {
    cleanup();
  }
});

test('pinning tells the panel the new list at once, and the pins outlive the session through their store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmt-session-pins-'));
  try {
    const pins = new PinStore(join(dir, 'pins.json'));
    const root = mkdtempSync(join(tmpdir(), 'fmt-session-'));
    const session = new TrainingSession(new FakeClient(), { folders: { cacheDir: join(root, 'd'), modelDir: join(root, 'm') }, params: DEFAULT_HYPER_PARAMETERS, pins });
    const updates: DashboardUpdate[] = [];
    session.store.onDidUpdate((u) => updates.push(u));
    session.pins.setPin(5, true);
    session.pins.setPin(9, true);
    session.pins.setPin(5, false);
    assert.deepEqual(updates.map((u) => (u.kind === 'message' && u.message.type === 'pins' ? u.message.pins : undefined)), [[5], [5, 9], [9]]);
    await pins.set(9, true); // waits for the writes queued before it
    assert.deepEqual(new PinStore(join(dir, 'pins.json')).current, [9]);
    session.dispose();
    rmSync(root, { recursive: true, force: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a run kept in the run history keeps its dashboard there; Open Run shows it whole, and the latest run comes back', async () => {
  const { root, client, session, updates, cleanup } = setup();
  const history = new RunHistory(join(root, 'runs'));
  const keptId = '20261201-080000-abcd';
  session.run.start({ params, allowDownload: true, locale: 'en', runHistory: { dir: history.root, keepModels: 5 } });
  client.images(1, 5);
  client.emit(1, { type: 'epoch', metrics: epoch(1) });
  client.insight(1, 1, 3);
  client.emit(1, { type: 'finished', history: [epoch(1)], predictions, outcome: OUTCOME, keptRunId: keptId });
  await session.archive.whenStored();
  assert.ok(new RunSnapshotStore(history.snapshotDir(keptId)).load(), 'the dashboard is kept beside the run');

  // A second run ends; then the first one is opened from the Runs view.
  session.run.start({ params: { ...params, epochs: 1 }, allowDownload: true, locale: 'en' });
  client.images(2, 2);
  client.emit(2, { type: 'epoch', metrics: { ...epoch(1), testAccuracy: 0.5 } });
  client.emit(2, { type: 'finished', history: [{ ...epoch(1), testAccuracy: 0.5 }], predictions, outcome: OUTCOME });
  updates.length = 0;
  assert.equal(session.archive.showRun(history, keptId), true);
  assert.deepEqual(session.store.current.shownRun, { id: keptId });
  assert.equal(session.store.current.history[0].testAccuracy, 0.78, 'the past run\'s epochs');
  assert.equal(session.store.imagesFor([4])?.indices.length, 1, 'its five test images, not the latest run\'s two');
  assert.deepEqual(session.store.epochPredictionsMessage().data?.epochs, [1], 'its epoch slider');
  assert.ok(updates.some((u) => u.kind === 'state'));
  // Classifying uses the shown run's model: none kept yet, then the one in its folder.
  await assert.rejects(session.classifier.classify(['shirt.png'], 'en'), (error: unknown) => error instanceof TrainerError && error.code === 'NO_MODEL' && error.message.includes(keptId));
  mkdirSync(history.modelDir(keptId), { recursive: true });
  writeFileSync(join(history.modelDir(keptId), 'model.json'), '{}');
  await session.classifier.classify(['shirt.png'], 'en');
  assert.equal(client.classified.at(-1)?.modelDir, history.modelDir(keptId));

  session.archive.showLatestRun();
  assert.equal(session.store.current.shownRun, undefined);
  assert.equal(session.store.current.history[0].testAccuracy, 0.5, 'the latest run again');
  assert.equal(session.store.imagesFor([4])?.indices.length ?? 0, 0);
  assert.equal(session.archive.showRun(history, '20261201-090000-ffff'), false, 'no dashboard kept: the caller shows the compare view');

  session.run.start({ params, allowDownload: true, locale: 'en' });
  assert.throws(() => session.archive.showRun(history, keptId), (error: unknown) => error instanceof TrainerError && error.code === 'BUSY');
  cleanup();
});

test('a followed classified file goes with the next run and gets its ten probabilities after every epoch', async () => {
  const { root, client, session, updates, cleanup } = setup();
  mkdirSync(join(root, 'models', 'latest'), { recursive: true });
  writeFileSync(join(root, 'models', 'latest', 'model.json'), '{}');
  client.picturesOk = true;
  await session.classifier.classify(['/pictures/shirt.png', '/pictures/boot.png'], 'en');
  session.pins.setFilePin('/pictures/boot.png', true);
  session.pins.setFilePin('/pictures/gone.png', true);
  assert.deepEqual(session.store.current.followedFiles?.map((f) => [f.file, f.epochs.length]), [['/pictures/boot.png', 0], ['/pictures/gone.png', 0]]);
  assert.ok(updates.some((u) => u.kind === 'message' && u.message.type === 'followedFiles'));

  session.run.start({ params, allowDownload: true, locale: 'en' });
  const sent = client.started.at(-1)?.followImages;
  assert.equal(sent?.length, 784, 'only the file this session classified: its 28 × 28 input');
  assert.equal(sent?.[0], 2, 'boot.png was the second file classified');
  const probabilities = (top: number) => Float32Array.from({ length: 10 }, (_, c) => (c === 9 ? top : (1 - top) / 9));
  client.insight(1, 1, 3, probabilities(0.4));
  client.insight(1, 2, 4, probabilities(0.8));
  const boot = session.store.current.followedFiles?.find((f) => f.file === '/pictures/boot.png');
  assert.deepEqual(boot?.epochs, [1, 2]);
  assert.ok(Math.abs((boot?.probabilities[1][9] ?? 0) - 0.8) < 1e-6);
  assert.deepEqual(session.store.current.followedFiles?.find((f) => f.file === '/pictures/gone.png')?.epochs, [], 'not classified here: waits');

  session.pins.setFilePin('/pictures/boot.png', false);
  assert.deepEqual(session.store.current.followedFiles?.map((f) => f.file), ['/pictures/gone.png']);
  cleanup();
});


/** What the worker reports of the published data, read from `directory`. */
function publishedData(directory: string): DataInfo {
  return { trainCount: 60_000, testCount: 10_000, sourceKind: 'debian', directory, sampleImages: new Uint8Array(0), sampleLabels: new Uint8Array(0), rawRange: [0, 255], scaledRange: [0, 1], decodeMs: 1, checksum: publishedDataChecksum() };
}

test(
  'a kept run holds no copy of the test set: a later session reads its images again from the data, and the grid waits for them',
  requires(!existsSync(join(DEFAULT_DEBIAN_DIR, 't10k-images-idx3-ubyte.gz')) && `${DEFAULT_DEBIAN_DIR} lacks the test images (apt install dataset-fashion-mnist)`),
  async () => {
    const storeDir = join(mkdtempSync(join(tmpdir(), 'fmt-session-store-')), 'last-run');
    try {
      const first = setup({ lastRun: new RunSnapshotStore(storeDir) });
      first.session.run.start({ params, allowDownload: true, locale: 'en' });
      first.client.emit(1, { type: 'dataLoaded', data: publishedData(DEFAULT_DEBIAN_DIR) });
      first.client.images(1, 5);
      first.client.emit(1, { type: 'finished', history: [epoch(1)], predictions, outcome: OUTCOME });
      await first.session.archive.whenStored();
      first.cleanup();
      assert.equal(existsSync(join(storeDir, 'test-images.bin')), false, 'the 784 bytes per image are not copied');

      const second = setup({ lastRun: new RunSnapshotStore(storeDir) });
      assert.equal(second.session.store.current.status, 'finished');
      const served = await second.session.store.imagesWhenReady([0, 3, 7]);
      const real = await readTestImages({ checksum: publishedDataChecksum(), count: 5 }, [DEFAULT_DEBIAN_DIR]);
      assert.deepEqual(served?.indices, [0, 3], 'the run showed five test images');
      const expected = new Uint8Array(2 * PIXELS);
      expected.set(real!.images.subarray(0, PIXELS), 0);
      expected.set(real!.images.subarray(3 * PIXELS, 4 * PIXELS), PIXELS);
      assert.deepEqual(served?.pixels, expected, 'the published images 0 and 3');
      second.cleanup();
    } finally {
      rmSync(join(storeDir, '..'), { recursive: true, force: true });
    }
  },
);

test('a saliency map of a test image the worker holds sends its index, not its pixels; the pixels go when the worker has them no more', async () => {
  const asked: SaliencyInput[] = [];
  let holds = true;
  const featureMaps = { blocks: [{ side: 2, filters: 1, values: Uint8Array.from([0, 9, 255, 3]), scale: Float32Array.from([0.5]) }] };
  const client = new (class extends FakeClient {
    override async saliency(input: SaliencyInput): Promise<never> {
      asked.push(input);
      if (!(input instanceof Uint8Array) && !holds) throw new TrainerError('INTERNAL', 'not held');
      const saliency = { predicted: 1, probability: 0.5, values: new Float32Array(PIXELS), scale: 1 };
      return (input instanceof Uint8Array ? { saliency, featureMaps } : { saliency }) as never;
    }
  })();
  const root = mkdtempSync(join(tmpdir(), 'fmt-session-'));
  const session = new TrainingSession(client, { folders: { cacheDir: join(root, 'data'), modelDir: join(root, 'm') }, params: DEFAULT_HYPER_PARAMETERS });
  const posted: HostToWebview[] = [];
  session.store.onDidUpdate((u) => u.kind === 'message' && posted.push(u.message));
  try {
    mkdirSync(join(root, 'm'), { recursive: true });
    writeFileSync(join(root, 'm', 'model.json'), '{}');
    session.run.start({ params, allowDownload: true, locale: 'en' });
    client.emit(1, { type: 'dataLoaded', data: publishedData('/data') });
    client.images(1, 5);
    await session.saliency.request({ kind: 'test', index: 3 });
    assert.deepEqual(asked, [{ testIndex: 3, dataChecksum: publishedDataChecksum() }]);
    holds = false;
    await session.saliency.request({ kind: 'test', index: 4 });
    assert.equal(asked.length, 3);
    assert.ok(asked[2] instanceof Uint8Array && asked[2][0] === 4, 'then the pixels of image 4');
    assert.deepEqual(posted.filter((m) => m.type === 'saliency').map((m) => m.type === 'saliency' && m.saliency?.predicted), [1, 1]);
    const answers = posted.filter((m) => m.type === 'saliency');
    assert.deepEqual(answers.map((m) => m.type === 'saliency' && m.featureMaps), [undefined, featureMaps], 'a conv model\'s feature maps go to the panel with its saliency');
  } finally {
    session.dispose();
    rmSync(root, { recursive: true, force: true });
  }
});
