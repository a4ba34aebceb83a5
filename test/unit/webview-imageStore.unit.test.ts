import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImageStore } from '../../src/webview/imageStore';
import type { WebviewToHost } from '../../src/protocol/webview';

/** Just enough of a canvas for drawGray: records the first pixel painted. */
function fakeCanvas(connected = true) {
  const painted: number[] = [];
  const canvas = {
    isConnected: connected,
    classList: { add: () => undefined },
    getContext: () => ({
      createImageData: (w: number, h: number) => ({ data: new Uint8ClampedArray(w * h * 4) }),
      putImageData: (image: { data: Uint8ClampedArray }) => painted.push(image.data[0]),
    }),
  };
  return { canvas: canvas as unknown as HTMLCanvasElement, painted, fake: canvas };
}

function pixelsFor(values: number[]): Uint8Array {
  const pixels = new Uint8Array(values.length * 784);
  values.forEach((v, i) => pixels.fill(v, i * 784, (i + 1) * 784));
  return pixels;
}

test('asks the host only for images neither cached nor already asked for', () => {
  const posted: WebviewToHost[] = [];
  const store = new ImageStore((m) => posted.push(m));
  store.request([1, 2, 3]);
  store.request([2, 3, 4]);
  assert.deepEqual(posted, [{ type: 'requestImages', indices: [1, 2, 3] }, { type: 'requestImages', indices: [4] }]);
  store.receive([1, 2, 3, 4], pixelsFor([10, 20, 30, 40]));
  store.request([1, 4]);
  assert.equal(posted.length, 2, 'cached images are not asked for again');
});

test('images arriving later are painted into every canvas waiting for them, once', () => {
  const store = new ImageStore(() => undefined);
  const a = fakeCanvas();
  const b = fakeCanvas();
  store.drawInto(7, a.canvas);
  store.drawInto(7, b.canvas);
  assert.deepEqual(a.painted, []);
  store.receive([7], pixelsFor([99]));
  assert.deepEqual(a.painted, [99]);
  assert.deepEqual(b.painted, [99]);
  store.receive([7], pixelsFor([50]));
  assert.deepEqual(a.painted, [99], 'a canvas is no longer waiting once painted');
  const c = fakeCanvas();
  store.drawInto(7, c.canvas);
  assert.deepEqual(c.painted, [50], 'a cached image is painted at once');
});

test('forgetDetached drops only canvases that are off the page', () => {
  const store = new ImageStore(() => undefined);
  const onPage = fakeCanvas(true);
  const gone = fakeCanvas(false);
  store.drawInto(3, onPage.canvas);
  store.drawInto(3, gone.canvas);
  store.forgetDetached();
  gone.fake.isConnected = true; // even if it came back, it was forgotten
  store.receive([3], pixelsFor([5]));
  assert.deepEqual(onPage.painted, [5]);
  assert.deepEqual(gone.painted, []);
});

test('resetPending lets the webview ask again after a new whole state', () => {
  const posted: WebviewToHost[] = [];
  const store = new ImageStore((m) => posted.push(m));
  store.request([1]);
  store.resetPending();
  store.request([1]);
  assert.equal(posted.length, 2);
});
