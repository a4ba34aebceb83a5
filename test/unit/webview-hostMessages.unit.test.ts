import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHostMessage, toFloat32, toUint8 } from '../../src/webview/hostMessages';
import { DEFAULT_HYPER_PARAMETERS } from '../../src/domain/hyperParameters';

const progress = { epoch: 2, epochs: 10, batch: 10, batchesPerEpoch: 1875, loss: 0.5, accuracy: 0.8, etaSeconds: 60, samplesPerSecond: 9000 };
const metrics = { epoch: 1, loss: 0.5, accuracy: 0.82, testLoss: 0.45, testAccuracy: 0.84, seconds: 6, samplesPerSecond: 10000 };

test('typed arrays survive any transport: typed, plain array, JSON-serialised object, Buffer JSON', () => {
  assert.deepEqual(Array.from(toUint8(Uint8Array.from([1, 2, 3])) ?? []), [1, 2, 3]);
  assert.deepEqual(Array.from(toUint8([1, 2, 3]) ?? []), [1, 2, 3]);
  assert.deepEqual(Array.from(toUint8(JSON.parse(JSON.stringify(Uint8Array.from([4, 5])))) ?? []), [4, 5]);
  assert.deepEqual(Array.from(toUint8({ type: 'Buffer', data: [7, 8] }) ?? []), [7, 8]);
  const f = toFloat32(JSON.parse(JSON.stringify(Float32Array.from([0.25, 0.75]))));
  assert.ok(f instanceof Float32Array);
  assert.deepEqual(Array.from(f ?? []), [0.25, 0.75]);
  assert.equal(toUint8('abc'), undefined);
  assert.equal(toUint8([1, 'x']), undefined);
  assert.equal(toUint8({ 0: 1, 2: 3 }), undefined, 'a gap in the indices is not an array');
});

test('a whole state is accepted and its arrays normalised', () => {
  const state = {
    status: 'finished',
    params: DEFAULT_HYPER_PARAMETERS,
    history: [metrics, { epoch: 'two' }],
    data: { trainCount: 60000, testCount: 10000, sourceKind: 'debian', directory: '/d', sampleImages: [0, 255], sampleLabels: { 0: 9 }, rawRange: [0, 255], scaledRange: [0, 1], decodeMs: 5 },
    predictions: { probabilities: new Array(20).fill(0.1), predicted: [1, 2], labels: [1, 3], count: 5, predictMs: 3 },
  };
  const message = parseHostMessage({ type: 'state', state });
  assert.ok(message && message.type === 'state');
  assert.equal(message.state.history.length, 1, 'a malformed epoch is dropped');
  assert.ok(message.state.data?.sampleImages instanceof Uint8Array);
  assert.deepEqual(Array.from(message.state.data?.sampleLabels ?? []), [9]);
  assert.ok(message.state.predictions?.probabilities instanceof Float32Array);
  assert.equal(message.state.predictions?.count, 2, 'count never exceeds the arrays');
});

test('a state without status, params or history is rejected', () => {
  assert.equal(parseHostMessage({ type: 'state', state: { status: 'weird', params: {}, history: [] } }), undefined);
  assert.equal(parseHostMessage({ type: 'state', state: { status: 'idle', history: [] } }), undefined);
  assert.equal(parseHostMessage({ type: 'state', state: { status: 'idle', params: {} } }), undefined);
});

test('the l10n message keeps the locale and the bundle\u2019s text entries only', () => {
  const message = parseHostMessage({ type: 'l10n', locale: 'zh-cn', bundle: { Train: '训练', broken: 3 } });
  assert.deepEqual(message, { type: 'l10n', locale: 'zh-cn', bundle: { Train: '训练' } }, 'non-string entries are dropped');
  assert.deepEqual(parseHostMessage({ type: 'l10n', locale: 'en' }), { type: 'l10n', locale: 'en' }, 'English comes with no bundle');
  assert.deepEqual(parseHostMessage({ type: 'l10n' }), { type: 'l10n', locale: 'en' });
});

test('incremental messages are checked field by field', () => {
  assert.deepEqual(parseHostMessage({ type: 'progress', progress }), { type: 'progress', progress });
  assert.equal(parseHostMessage({ type: 'progress', progress: { ...progress, batch: '10' } }), undefined);
  const overfitting = { state: 'generalising', gapPoints: [1] };
  assert.deepEqual(parseHostMessage({ type: 'epoch', metrics, overfitting }), { type: 'epoch', metrics, overfitting });
  assert.equal(parseHostMessage({ type: 'epoch', metrics, overfitting: { state: 'maybe', gapPoints: [] } }), undefined);
  assert.deepEqual(parseHostMessage({ type: 'reveal', cell: 'classify' }), { type: 'reveal', cell: 'classify' });
  assert.equal(parseHostMessage({ type: 'reveal', cell: 'elsewhere' }), undefined);
  assert.equal(parseHostMessage({ type: 'unknown' }), undefined);
  assert.equal(parseHostMessage(null), undefined);
  assert.equal(parseHostMessage('state'), undefined);
});

test('every cell the host may reveal passes the webview check, the compare view included', () => {
  // Written out here (not read from DASHBOARD_CELLS): a cell dropped from the protocol's list fails this test.
  for (const cell of ['compare', 'data', 'preprocess', 'model', 'train', 'evaluate', 'predict', 'confusion', 'classify']) {
    assert.deepEqual(parseHostMessage({ type: 'reveal', cell }), { type: 'reveal', cell }, cell);
  }
});

test('images must carry 784 bytes per index', () => {
  const ok = parseHostMessage({ type: 'images', indices: [3, 4], pixels: new Uint8Array(2 * 784) });
  assert.ok(ok && ok.type === 'images');
  assert.deepEqual(ok.indices, [3, 4]);
  assert.equal(parseHostMessage({ type: 'images', indices: [3, 4], pixels: new Uint8Array(784) }), undefined);
});

test('classification results: good ones normalised, malformed ones dropped, failures kept', () => {
  const good = {
    ok: true, file: '/x/shoe.png', probabilities: [0.1, 0.9], predicted: 1, input: new Array(784).fill(0),
    thumbnail: { width: 2, height: 1, rgba: [1, 2, 3, 4, 5, 6, 7, 8] }, inverted: true, warnings: ['lowConfidence', 'bogus'],
  };
  const failed = { ok: false, file: '/x/bad.png', error: { code: 'IMAGE_INVALID', message: 'Not an image.' } };
  const message = parseHostMessage({ type: 'classification', results: [good, failed, { ok: true, file: 'y' }] });
  assert.ok(message && message.type === 'classification');
  assert.equal(message.results.length, 2);
  const first = message.results[0];
  assert.ok(first.ok);
  assert.ok(first.input instanceof Uint8Array);
  assert.ok(first.thumbnail.rgba instanceof Uint8Array);
  assert.deepEqual(first.warnings, ['lowConfidence']);
  assert.equal(message.results[1].ok, false);
});

test('a conv network\'s filters and feature maps reach the dashboard whole (typed or JSON-serialised); mis-sized ones are refused', () => {
  const filters = { epoch: 2, kernelSize: 3, filters: 2, weights: Float32Array.from({ length: 18 }, (_, i) => (i - 9) / 8), scale: Float32Array.from([1, 0.875]), bias: Float32Array.from([0, 0.5]) };
  for (const sent of [filters, JSON.parse(JSON.stringify(filters))]) {
    const parsed = parseHostMessage({ type: 'firstLayer', layer: undefined, filters: sent });
    assert.ok(parsed?.type === 'firstLayer');
    assert.equal(parsed.layer, undefined);
    assert.deepEqual(parsed.filters, filters);
  }
  assert.deepEqual(parseHostMessage({ type: 'firstLayer', layer: null }), { type: 'firstLayer', layer: undefined }, 'an MLP before its first epoch: nothing');
  assert.equal(parseHostMessage({ type: 'firstLayer', filters: { ...filters, filters: 3 } }), undefined);
  assert.equal(parseHostMessage({ type: 'firstLayer', filters: { ...filters, kernelSize: 2.5 } }), undefined);
  const saliency = { predicted: 3, probability: 0.9, values: new Float32Array(784), scale: 0.1 };
  const featureMaps = { blocks: [{ side: 2, filters: 2, values: Uint8Array.from([0, 255, 3, 4, 5, 6, 7, 8]), scale: Float32Array.from([0.5, 0]) }] };
  const withMaps = parseHostMessage(JSON.parse(JSON.stringify({ type: 'saliency', target: { kind: 'test', index: 4 }, saliency, featureMaps })));
  assert.ok(withMaps?.type === 'saliency');
  assert.deepEqual(withMaps.featureMaps, featureMaps);
  const broken = { blocks: [{ ...featureMaps.blocks[0], side: 3 }] };
  const without = parseHostMessage({ type: 'saliency', target: { kind: 'test', index: 4 }, saliency, featureMaps: broken });
  assert.ok(without?.type === 'saliency' && without.saliency, 'the saliency still shows');
  assert.equal(without.featureMaps, undefined, 'mis-sized maps are dropped');
});
