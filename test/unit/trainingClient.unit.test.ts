// TrainingClient against a small scripted worker (written to a temp file), so the client's own rules are
// tested without tfjs: busy refusal, stop with a worker that ignores it, crashes, pending classifications.
// The real worker (dist/worker.js) is exercised in worker.test.ts.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrainerError } from '../../src/core/errors';
import { TrainingClient } from '../../src/worker/client';
import { DEFAULT_HYPER_PARAMETERS } from '../../src/domain/hyperParameters';
import { type StartRequest } from '../../src/protocol/worker';
import { type TrainingEvent } from '../../src/protocol/events';
import { isTerminalEvent } from '../../src/protocol/events';
import { disposing } from './disposing';

const dir = mkdtempSync(join(tmpdir(), 'training-client-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Behaviour is chosen per worker by FAKE_MODE: 'train' posts a batch every 20 ms and honours stop;
// 'deaf' never answers a stop; 'exitOnStart' exits with code 3 on start; 'throwOnStart' throws.
const fakeWorker = join(dir, 'fake-worker.js');
writeFileSync(
  fakeWorker,
  `
const { parentPort } = require('node:worker_threads');
const mode = process.env.FAKE_MODE;
let timer;
parentPort.on('message', (m) => {
  if (m.type === 'start') {
    if (mode === 'exitOnStart') process.exit(3);
    if (mode === 'throwOnStart') setTimeout(() => { throw new Error('fake failure'); }, 0);
    let batch = 0;
    const history = [];
    parentPort.postMessage({ type: 'event', runId: m.runId, event: { type: 'backend', backend: { requested: 'cpu', name: 'cpu', reason: 'fake' } } });
    timer = setInterval(() => {
      batch++;
      if (batch % 3 === 0) {
        const metrics = { epoch: batch / 3, loss: 1, accuracy: 0.5, testLoss: 1, testAccuracy: 0.5, seconds: 0.06, samplesPerSecond: 100 };
        history.push(metrics);
        parentPort.postMessage({ type: 'event', runId: m.runId, event: { type: 'epoch', metrics } });
      } else {
        parentPort.postMessage({ type: 'event', runId: m.runId, event: { type: 'batch', progress: { epoch: 1, epochs: 1, batch, batchesPerEpoch: 3, loss: 1, accuracy: 0.5, etaSeconds: 1, samplesPerSecond: 100 } } });
      }
      if (batch === Number(process.env.FAKE_BATCHES || 1000)) {
        clearInterval(timer);
        parentPort.postMessage({ type: 'event', runId: m.runId, event: { type: 'finished', history, predictions: { probabilities: new Float32Array(10), predicted: new Uint8Array(1), labels: new Uint8Array(1), count: 1, predictMs: 1 } } });
      }
    }, 20);
  } else if (m.type === 'stop' && mode !== 'deaf') {
    clearInterval(timer);
    parentPort.postMessage({ type: 'event', runId: m.runId, event: { type: 'stopped', history: [] } });
  } else if (m.type === 'classify') {
    if (mode === 'exitOnClassify') process.exit(4);
    if (process.env.FAKE_SILENT_CLASSIFY) return;
    parentPort.postMessage({ type: 'classified', requestId: m.requestId, results: m.files.map((file) => ({ ok: false, file, error: { code: 'NO_MODEL', message: 'none' } })) });
  }
});
`,
);

const request: StartRequest = {
  params: { ...DEFAULT_HYPER_PARAMETERS },
  cacheDir: dir,
  locale: 'en',
  allowDownload: false,
};

function client(env: Record<string, string>, stopTimeoutMs = 5000): TrainingClient {
  return new TrainingClient({ workerPath: fakeWorker, env: { ...process.env, ...env }, stopTimeoutMs });
}

/** Resolves with the events of run `runId` up to and including its terminal event. */
function runEvents(c: TrainingClient, runId: () => number): Promise<TrainingEvent[]> {
  return new Promise((resolve) => {
    const events: TrainingEvent[] = [];
    const sub = c.onEvent((id, event) => {
      if (id !== runId()) return;
      events.push(event);
      if (isTerminalEvent(event)) {
        sub.dispose();
        resolve(events);
      }
    });
  });
}

/** Starts `request` on `c`; resolves with that run's events up to and including its terminal event. */
function startRun(c: TrainingClient): Promise<TrainingEvent[]> {
  let runId = 0;
  const done = runEvents(c, () => runId);
  runId = c.start(request);
  return done;
}


function firstEvent(c: TrainingClient, type: TrainingEvent['type']): Promise<void> {
  return new Promise((resolve) => {
    const sub = c.onEvent((_id, event) => {
      if (event.type === type) {
        sub.dispose();
        resolve();
      }
    });
  });
}

test('a run ends with its terminal event and the client is idle again', () => disposing(client({ FAKE_MODE: 'train', FAKE_BATCHES: '6' }), async (c) => {
  const done = startRun(c);
  assert.equal(c.isRunning, true);
  const events = await done;
  assert.deepEqual(
    events.map((e) => e.type),
    ['backend', 'batch', 'batch', 'epoch', 'batch', 'batch', 'epoch', 'finished'],
  );
  assert.equal(c.isRunning, false);
}));

test('a second start while a run is going is refused with BUSY, and the first run goes on', () => disposing(client({ FAKE_MODE: 'train' }), async (c) => {
  const done = startRun(c);
  assert.throws(
    () => c.start(request),
    (error: unknown) => error instanceof TrainerError && error.code === 'BUSY' && error.action !== undefined,
  );
  await firstEvent(c, 'batch');
  c.stop();
  const events = await done;
  assert.equal(events.at(-1)?.type, 'stopped');
  // Idle again: a new run is accepted.
  const second = startRun(c);
  c.stop();
  assert.equal((await second).at(-1)?.type, 'stopped');
}));

test('a worker that ignores stop is terminated and the run still ends with stopped and its history', () => disposing(client({ FAKE_MODE: 'deaf' }, 300), async (c) => {
  const done = startRun(c);
  await firstEvent(c, 'epoch');
  c.stop();
  const events = await done;
  const last = events.at(-1);
  assert.equal(last?.type, 'stopped');
  assert.ok(last?.type === 'stopped' && last.history.length >= 1, 'the epochs seen so far are kept');
  assert.equal(c.isRunning, false);
  // No late events from the terminated worker reach listeners after the terminal one.
  const late: TrainingEvent[] = [];
  c.onEvent((_id, e) => late.push(e));
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(late, []);
}));

test('a worker that exits mid-run becomes a WORKER_CRASHED error naming the exit code', () => disposing(client({ FAKE_MODE: 'exitOnStart' }), async (c) => {
  const crashed = startRun(c);
  const last = (await crashed).at(-1);
  assert.ok(last?.type === 'error', 'an error event ends the run');
  assert.equal(last.error.code, 'WORKER_CRASHED');
  assert.match(last.error.message, /3/, 'the exit code is named');
  assert.equal(c.isRunning, false);
}));

test('after a crash the same client spawns a fresh worker that works', async () => {
  // The fake decides per worker from FAKE_MODE; the env object is read at each spawn, so change it between runs.
  const env: NodeJS.ProcessEnv = { ...process.env, FAKE_MODE: 'throwOnStart' };
  await disposing(new TrainingClient({ workerPath: fakeWorker, env }), async (c) => {
    const crashed = startRun(c);
    const last = (await crashed).at(-1);
    assert.ok(last?.type === 'error' && last.error.code === 'WORKER_CRASHED');
    assert.match(last.error.message, /fake failure/);

    env.FAKE_MODE = 'train';
    env.FAKE_BATCHES = '3';
    const again = startRun(c);
    assert.equal((await again).at(-1)?.type, 'finished');
  });
});

test('classify resolves with the worker answer; a crash rejects pending classifications with a UserError', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, FAKE_MODE: 'train' };
  await disposing(new TrainingClient({ workerPath: fakeWorker, env }), async (c) => {
    const results = await c.classify(['/a.png', '/b.png'], dir, 'en');
    assert.deepEqual(
      results.map((r) => r.file),
      ['/a.png', '/b.png'],
    );
    c.dispose();
    const c2 = new TrainingClient({ workerPath: fakeWorker, env: { ...env, FAKE_MODE: 'exitOnClassify' } });
    try {
      await assert.rejects(c2.classify(['/a.png'], dir, 'en'), (error: unknown) => {
        assert.ok(error instanceof TrainerError);
        assert.equal(error.code, 'WORKER_CRASHED');
        assert.ok(error.message.length > 0 && error.action);
        return true;
      });
    } finally {
      c2.dispose();
    }
  });
});

test('dispose ends a running run with stopped and refuses further use', async () => {
  const c = client({ FAKE_MODE: 'train' });
  const done = startRun(c);
  await firstEvent(c, 'batch');
  c.dispose();
  assert.equal((await done).at(-1)?.type, 'stopped');
  assert.throws(() => c.start(request), TrainerError);
});

test('a worker file that cannot be loaded ends the run with WORKER_CRASHED instead of throwing', async () => {
  await disposing(new TrainingClient({ workerPath: join(dir, 'missing-worker.js') }), async (c) => {
    const done = startRun(c);
    const last = (await done).at(-1);
    assert.ok(last?.type === 'error' && last.error.code === 'WORKER_CRASHED', JSON.stringify(last));
    assert.equal(c.isRunning, false);
  });
});

test('a classification in flight when a deaf worker is terminated on stop is rejected, not left hanging', async () => {
  await disposing(new TrainingClient({ workerPath: fakeWorker, env: { ...process.env, FAKE_MODE: 'deaf', FAKE_SILENT_CLASSIFY: '1' }, stopTimeoutMs: 200 }), async (c) => {
    const done = startRun(c);
    const classification = c.classify(['/a.png'], dir, 'en');
    c.stop();
    assert.equal((await done).at(-1)?.type, 'stopped');
    await assert.rejects(classification, (error: unknown) => error instanceof TrainerError && error.code === 'WORKER_CRASHED');
  });
});
