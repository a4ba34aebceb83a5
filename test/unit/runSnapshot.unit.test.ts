import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeState, encodeState, RunSnapshotStore } from '../../src/core/runs/runSnapshot';
import { DEFAULT_HYPER_PARAMETERS } from '../../src/domain/hyperParameters';
import { type DashboardState } from '../../src/protocol/webview';

function finishedState(): DashboardState {
  // Odd lengths and values that do not survive a float round trip through text, to catch lossy encoding.
  const probabilities = Float32Array.from({ length: 30 }, (_, i) => Math.fround(i / 7));
  return {
    status: 'finished',
    params: { ...DEFAULT_HYPER_PARAMETERS, epochs: 2 },
    history: [
      { epoch: 1, loss: 0.5, accuracy: 0.82, testLoss: 0.45, testAccuracy: 0.84, seconds: 5, samplesPerSecond: 12000 },
      { epoch: 2, loss: 0.38, accuracy: 0.86, testLoss: 0.4, testAccuracy: 0.85, seconds: 5, samplesPerSecond: 12000 },
    ],
    predictions: { probabilities, predicted: Uint8Array.from([9, 2, 1]), labels: Uint8Array.from([9, 2, 3]), count: 3, predictMs: 4 },
    classifications: [
      {
        ok: true,
        file: '/tmp/a.png',
        probabilities: [0.1, 0.9, 0, 0, 0, 0, 0, 0, 0, 0],
        predicted: 1,
        input: Uint8Array.from({ length: 784 }, (_, i) => i % 256),
        thumbnail: { width: 1, height: 1, rgba: Uint8Array.from([1, 2, 3, 255]) },
        inverted: true,
        warnings: [],
      },
    ],
  };
}

test('a state with typed arrays survives encoding exactly, typed arrays included', () => {
  const state = finishedState();
  const decoded = decodeState(encodeState(state));
  assert.ok(decoded);
  assert.ok(decoded.predictions?.probabilities instanceof Float32Array);
  assert.ok(decoded.predictions?.predicted instanceof Uint8Array);
  assert.deepEqual(decoded, state);
});

test('a snapshot that is not a finished or stopped run of this version is ignored', () => {
  const running: DashboardState = { ...finishedState(), status: 'training' };
  assert.equal(decodeState(encodeState(running)), undefined);
  assert.equal(decodeState('{"version":0,"state":{"status":"finished","history":[],"params":{}}}'), undefined);
  assert.equal(decodeState('not json'), undefined);
  assert.equal(decodeState('{"version":1,"state":{"status":"finished"}}'), undefined);
});

test('the store keeps the last run and its test images, and forgets them on clear', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'fmt-last-run-')), 'last-run');
  try {
    const store = new RunSnapshotStore(dir);
    assert.equal(store.load(), undefined);
    const images = Uint8Array.from({ length: 3 * 784 + 100 }, (_, i) => (i * 7) % 256); // more than `count` images' worth
    await store.save({ state: finishedState(), testImages: { images, count: 3 } });
    const loaded = store.load();
    assert.deepEqual(loaded?.state, finishedState());
    assert.equal(loaded?.testImages?.count, 3);
    assert.deepEqual(loaded?.testImages?.images, images.subarray(0, 3 * 784));
    assert.deepEqual(readdirSync(dir).sort(), ['state.json', 'test-images.bin'], 'no temporary files left behind');

    // A stopped run without images replaces both files.
    await store.save({ state: { ...finishedState(), status: 'stopped', predictions: undefined } });
    assert.equal(store.load()?.state.status, 'stopped');
    assert.equal(store.load()?.testImages, undefined);

    await store.clear();
    assert.equal(existsSync(dir), false);
    assert.equal(store.load(), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a run whose data has a checksum keeps only which test images it showed, not a copy of them', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'fmt-last-run-')), 'last-run');
  try {
    const store = new RunSnapshotStore(dir);
    const images = Uint8Array.from({ length: 3 * 784 }, (_, i) => i % 256);
    // An older snapshot's copy of the images is replaced by the reference.
    await store.save({ state: finishedState(), testImages: { images, count: 3 } });
    await store.save({ state: finishedState(), testImages: { images, count: 3 }, testSet: { checksum: 'c'.repeat(64), count: 3 } });
    assert.deepEqual(readdirSync(dir).sort(), ['state.json', 'test-images.json'], 'no test-images.bin');
    const loaded = store.load();
    assert.deepEqual(loaded?.testSet, { checksum: 'c'.repeat(64), count: 3 });
    assert.equal(loaded?.testImages, undefined);
    writeFileSync(join(dir, 'test-images.json'), '{"version":1,"checksum":"c","count":-1}');
    assert.equal(store.load()?.testSet, undefined, 'a damaged reference is no reference');
    await store.clear();
    assert.equal(existsSync(dir), false);
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
});

test('a damaged state file reads as no snapshot', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmt-last-run-bad-'));
  try {
    writeFileSync(join(dir, 'state.json'), '{"version":1,"state":');
    assert.equal(new RunSnapshotStore(dir).load(), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the per-epoch predictions are kept beside the state, exactly, and a damaged file of them loses only them', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'fmt-last-run-epochs-')), 'last-run');
  try {
    const store = new RunSnapshotStore(dir);
    const epochPredictions = {
      count: 3,
      labels: Uint8Array.from([9, 2, 3]),
      epochs: [1, 4],
      predicted: Uint8Array.from([9, 2, 1, 9, 2, 3]),
      probabilities: Uint8Array.from({ length: 60 }, (_, i) => (i * 37) % 256),
    };
    await store.save({ state: finishedState(), epochPredictions });
    assert.deepEqual(store.load()?.epochPredictions, epochPredictions);
    assert.ok(readdirSync(dir).includes('epoch-predictions.json'));

    writeFileSync(join(dir, 'epoch-predictions.json'), '{"version":1,"epochs":{"count":3,"epochs":[1]');
    const loaded = store.load();
    assert.equal(loaded?.state.status, 'finished');
    assert.equal(loaded?.epochPredictions, undefined);

    await store.save({ state: finishedState() });
    assert.equal(readdirSync(dir).includes('epoch-predictions.json'), false, 'a run without them leaves no stale file');
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
});

test('the first layer\'s weights are kept exactly (int8, uint16 and float arrays); a damaged or mis-sized file loses only them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmt-snapshot-layer-'));
  const units = 3;
  const firstLayer = {
    epoch: 4,
    units,
    weights: Int8Array.from({ length: 784 * units }, (_, i) => (i % 255) - 127),
    unitScale: Float32Array.from([0.5, 0.25, 0.125]),
    next: Float32Array.from({ length: units * 10 }, (_, i) => i / 7),
    nextUnits: 10,
    nextIsClasses: true,
    topImages: Uint16Array.from({ length: units * 2 }, (_, i) => 60000 - i),
    topK: 2,
  };
  const store = new RunSnapshotStore(dir);
  await store.save({ state: finishedState(), firstLayer });
  assert.deepEqual(store.load()?.firstLayer, firstLayer);
  writeFileSync(join(dir, 'first-layer.json'), JSON.stringify({ version: 1, layer: { ...firstLayer, units: 4, weights: { $typed: 'Int8Array', base64: '' } } }));
  const damaged = store.load();
  assert.equal(damaged?.firstLayer, undefined);
  assert.equal(damaged?.state.status, 'finished', 'the rest still reads');
  await store.clear();
  assert.equal(existsSync(dir), false, 'clear removes its own files, then the empty folder');
  rmSync(dir, { recursive: true, force: true });
});

test('a conv network\'s first-layer filters are kept exactly beside the state; a snapshot without them still loads, and a mis-sized file loses only them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmt-snapshot-filters-'));
  const convFilters = {
    epoch: 3,
    kernelSize: 5,
    filters: 2,
    weights: Float32Array.from({ length: 2 * 25 }, (_, i) => Math.fround((i - 25) / 7)),
    scale: Float32Array.from([25 / 7, 24 / 7]),
    bias: Float32Array.from([0.01, -0.02]),
  };
  const store = new RunSnapshotStore(dir);
  await store.save({ state: finishedState() });
  const before = store.load();
  assert.ok(before, 'a snapshot written without filters (as before conv networks) loads');
  assert.equal(before.convFilters, undefined);
  await store.save({ state: finishedState(), convFilters });
  assert.deepEqual(store.load()?.convFilters, convFilters);
  assert.ok(existsSync(join(dir, 'conv-filters.json')));
  for (const broken of [{ ...convFilters, filters: 3 }, { ...convFilters, kernelSize: 4 }, { ...convFilters, epoch: -1 }, { ...convFilters, bias: { $typed: 'Float32Array', base64: '' } }]) {
    writeFileSync(join(dir, 'conv-filters.json'), JSON.stringify({ version: 1, filters: broken }, (_, v) => (v instanceof Float32Array ? { $typed: 'Float32Array', base64: Buffer.from(v.buffer).toString('base64') } : v)));
    const damaged = store.load();
    assert.equal(damaged?.convFilters, undefined, JSON.stringify(Object.keys(broken)));
    assert.equal(damaged?.state.status, 'finished', 'the rest still reads');
  }
  // A later save without filters (an MLP's run) removes the old file.
  await store.save({ state: finishedState() });
  assert.equal(existsSync(join(dir, 'conv-filters.json')), false);
  await store.save({ state: finishedState(), convFilters });
  await store.clear();
  assert.equal(existsSync(dir), false, 'clear removes the filters file too, then the empty folder');
  rmSync(dir, { recursive: true, force: true });
});
