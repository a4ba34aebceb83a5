import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_REQUESTED_IMAGES, parseWebviewMessage } from '../../src/host/webviewMessages';
import { TEST_IMAGES } from '../../src/domain/classes';

test('messages without fields parse to exactly their type, extra fields dropped', () => {
  for (const type of ['ready', 'train', 'stop', 'classifyFiles', 'setUpNativeBackend', 'exportNotebook', 'exportMetricsCsv']) {
    assert.deepEqual(parseWebviewMessage({ type, extra: '<script>' }), { type });
  }
});

test('anything that is not an object with a known string type is rejected', () => {
  const rejected: unknown[] = [
    undefined,
    null,
    'ready',
    42,
    ['ready'],
    {},
    { type: 7 },
    { type: 'READY' },
    { type: 'eval' },
    { type: 'state' }, // a host-to-webview type, never valid in this direction
    { type: '__proto__' },
    { type: 'toString' },
  ];
  for (const message of rejected) assert.equal(parseWebviewMessage(message), undefined, JSON.stringify(message));
});

test('setSetting accepts each editable setting with a value in range', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'setSetting', key: 'epochs', value: 200 }), { type: 'setSetting', key: 'epochs', value: 200 });
  assert.deepEqual(parseWebviewMessage({ type: 'setSetting', key: 'batchSize', value: 1 }), { type: 'setSetting', key: 'batchSize', value: 1 });
  assert.deepEqual(parseWebviewMessage({ type: 'setSetting', key: 'learningRate', value: 0.01 }), {
    type: 'setSetting',
    key: 'learningRate',
    value: 0.01,
  });
  const widths = [4096, 1];
  const parsed = parseWebviewMessage({ type: 'setSetting', key: 'hiddenLayers', value: widths });
  assert.deepEqual(parsed, { type: 'setSetting', key: 'hiddenLayers', value: [4096, 1] });
  assert.ok(parsed?.type === 'setSetting' && parsed.value !== widths, 'the parsed list must not be the sender’s array');
  assert.deepEqual(parseWebviewMessage({ type: 'setSetting', key: 'earlyStopping', value: true }), { type: 'setSetting', key: 'earlyStopping', value: true });
  assert.deepEqual(parseWebviewMessage({ type: 'setSetting', key: 'epochs', value: 1000 }), { type: 'setSetting', key: 'epochs', value: 1000 });
  assert.deepEqual(parseWebviewMessage({ type: 'setSetting', key: 'backend', value: 'wasm' }), { type: 'setSetting', key: 'backend', value: 'wasm' });
});

test('setSetting rejects unknown keys, wrong types and out-of-range values', () => {
  const bad: unknown[] = [
    { type: 'setSetting', key: 'dataDirectory', value: '/etc' }, // not editable from the panel
    { type: 'setSetting', key: 'allowDownload', value: true },
    { type: 'setSetting', key: 'constructor', value: 1 },
    { type: 'setSetting', value: 10 },
    { type: 'setSetting', key: 'epochs' },
    { type: 'setSetting', key: 'epochs', value: '10' },
    { type: 'setSetting', key: 'epochs', value: 0 },
    { type: 'setSetting', key: 'epochs', value: 1001 },
    { type: 'setSetting', key: 'epochs', value: 2.5 },
    { type: 'setSetting', key: 'epochs', value: Number.NaN },
    { type: 'setSetting', key: 'batchSize', value: -32 },
    { type: 'setSetting', key: 'batchSize', value: 1e9 },
    { type: 'setSetting', key: 'learningRate', value: 0 },
    { type: 'setSetting', key: 'learningRate', value: -0.001 },
    { type: 'setSetting', key: 'learningRate', value: 2 },
    { type: 'setSetting', key: 'learningRate', value: Number.POSITIVE_INFINITY },
    { type: 'setSetting', key: 'hiddenUnits', value: 64 }, // deprecated: the panel writes hiddenLayers
    { type: 'setSetting', key: 'hiddenLayers', value: [0] },
    { type: 'setSetting', key: 'hiddenLayers', value: [5000] },
    { type: 'setSetting', key: 'hiddenLayers', value: [] },
    { type: 'setSetting', key: 'hiddenLayers', value: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
    { type: 'setSetting', key: 'hiddenLayers', value: '128' },
    { type: 'setSetting', key: 'dropout', value: [0.95] },
    { type: 'setSetting', key: 'earlyStopping', value: 1 },
    { type: 'setSetting', key: 'trainSubset', value: 100 }, // not editable from the panel
    { type: 'setSettings', values: [] },
    { type: 'setSettings', values: [{ key: 'epochs', value: 3 }, { key: 'epochs', value: 0 }] },
    { type: 'setSettings', values: 'epochs' },
    { type: 'setSetting', key: 'backend', value: 'gpu' },
    { type: 'setSetting', key: 'backend', value: 1 },
  ];
  for (const message of bad) assert.equal(parseWebviewMessage(message), undefined, JSON.stringify(message));
});

test('setSettings carries several checked settings at once (a model preset)', () => {
  const values = [{ key: 'hiddenLayers', value: [256, 128] }, { key: 'dropout', value: [0.2] }, { key: 'l2', value: 0.0001 }];
  assert.deepEqual(parseWebviewMessage({ type: 'setSettings', values }), { type: 'setSettings', values });
});

test('requestImages accepts in-range integer indices and returns a copy', () => {
  const indices = [0, 1, 99, TEST_IMAGES - 1];
  const parsed = parseWebviewMessage({ type: 'requestImages', indices });
  assert.deepEqual(parsed, { type: 'requestImages', indices: [0, 1, 99, 9999] });
  assert.ok(parsed?.type === 'requestImages' && parsed.indices !== indices, 'the parsed list must not be the sender’s array');
  const full = Array.from({ length: MAX_REQUESTED_IMAGES }, (_, i) => i);
  assert.equal((parseWebviewMessage({ type: 'requestImages', indices: full }) as { indices: number[] }).indices.length, MAX_REQUESTED_IMAGES);
});

test('requestImages rejects lists that are empty, too long, or hold anything but valid indices', () => {
  const bad: unknown[] = [
    { type: 'requestImages' },
    { type: 'requestImages', indices: 'all' },
    { type: 'requestImages', indices: { 0: 1, length: 1 } },
    { type: 'requestImages', indices: [] },
    { type: 'requestImages', indices: Array.from({ length: MAX_REQUESTED_IMAGES + 1 }, (_, i) => i) },
    { type: 'requestImages', indices: [-1] },
    { type: 'requestImages', indices: [TEST_IMAGES] },
    { type: 'requestImages', indices: [1.5] },
    { type: 'requestImages', indices: ['1'] },
    { type: 'requestImages', indices: [0, null] },
    { type: 'requestImages', indices: [Number.NaN] },
  ];
  for (const message of bad) assert.equal(parseWebviewMessage(message), undefined, JSON.stringify(message).slice(0, 80));
});

test('exportChart names one of the three pictures the dashboard can save, nothing else', () => {
  for (const chart of ['accuracy', 'loss', 'confusion']) {
    assert.deepEqual(parseWebviewMessage({ type: 'exportChart', chart, dataUrl: 'data:image/png;base64,AAAA' }), { type: 'exportChart', chart });
  }
  for (const chart of [undefined, '', 'Accuracy', 'predictions', 7, ['loss'], { chart: 'loss' }]) {
    assert.equal(parseWebviewMessage({ type: 'exportChart', chart }), undefined, JSON.stringify(chart));
  }
});

test('the Sweep view\'s intents: a grid of known settings with finite numbers, trials at once in range, run ids as plain ids', () => {
  for (const type of ['openSweep', 'stopSweep', 'closeSweep', 'rerunBestTrial']) assert.deepEqual(parseWebviewMessage({ type, extra: 1 }), { type });
  const start = { type: 'startSweep', axes: [{ parameter: 'learningRate', values: [0.001, 0.003] }, { parameter: 'hiddenUnits', values: [64] }], prune: true, parallel: 2 };
  assert.deepEqual(parseWebviewMessage({ ...start, extra: '<b>' }), start);
  const rejected: unknown[] = [
    { ...start, axes: [] },
    { ...start, axes: [{ parameter: 'backend', values: [1] }] },
    { ...start, axes: [{ parameter: 'learningRate', values: [0.1] }, { parameter: 'learningRate', values: [0.2] }] },
    { ...start, axes: [{ parameter: 'learningRate', values: [] }] },
    { ...start, axes: [{ parameter: 'learningRate', values: [Number.NaN] }] },
    { ...start, axes: [{ parameter: 'learningRate', values: ['0.1'] }] },
    { ...start, axes: [{ parameter: 'epochs', values: Array.from({ length: 13 }, (_, i) => i + 1) }] },
    { ...start, parallel: 0 },
    { ...start, parallel: 1.5 },
    { ...start, parallel: 9 },
    { ...start, prune: 'yes' },
    { type: 'openRuns', ids: [] },
    { type: 'openRuns', ids: ['../../etc'] },
    { type: 'openRuns', ids: ['..'] },
    { type: 'openRuns', ids: [7] },
  ];
  for (const message of rejected) assert.equal(parseWebviewMessage(message), undefined, JSON.stringify(message));
  assert.deepEqual(parseWebviewMessage({ type: 'openRuns', ids: ['20261206-130010-a1b0'] }), { type: 'openRuns', ids: ['20261206-130010-a1b0'] });
});
