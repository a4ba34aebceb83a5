import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectBackend } from '../../src/training/backend';
import { PIXEL_TO_UNIT } from '../../src/training/trainer';
import { instantiateKernels } from '../../src/training/wasmKernels';

/** Heap buffers from the wasm backend's allocator, as the trainer uses them. */
async function heap(): Promise<{ memory: WebAssembly.Memory; alloc: (floats: number) => number; free: () => void }> {
  const { tf } = await selectBackend('wasm', () => undefined);
  const wasm = (tf.backend() as unknown as { wasm: { _malloc(n: number): number; _free(p: number): void; asm: { memory: WebAssembly.Memory } } }).wasm;
  const pointers: number[] = [];
  return {
    memory: wasm.asm.memory,
    alloc: (floats) => {
      const p = wasm._malloc(Math.max(16, Math.ceil(floats / 4) * 16));
      new Uint8Array(wasm.asm.memory.buffer, p, floats * 4).fill(0);
      pointers.push(p);
      return p;
    },
    free: () => pointers.forEach((p) => wasm._free(p)),
  };
}

test('the adam kernel matches Adam in double precision, tail elements included, and flushes subnormal moments', async () => {
  const h = await heap();
  const n = 11; // two SIMD groups and a scalar tail of 3
  const [p, g, m, v] = [h.alloc(n), h.alloc(n), h.alloc(n), h.alloc(n)];
  const view = (ptr: number) => new Float32Array(h.memory.buffer, ptr, n);
  const params = Array.from({ length: n }, (_, i) => 0.1 * (i - 5));
  const grads = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -1 : 1) * 0.01 * (i + 1));
  view(p).set(params);
  view(g).set(grads);
  view(m).set(params.map((_, i) => (i === 2 || i === 9 ? 1e-39 / 0.9 : 0)));
  grads[2] = 0;
  grads[9] = 0;
  view(g).set(grads);
  const kernels = instantiateKernels(h.memory);
  const [alpha, b1, b2, eps] = [0.01, 0.9, 0.999, 1e-7];
  kernels.adam(p, g, m, v, n, alpha, b1, 1 - b1, b2, 1 - b2, eps);
  for (let i = 0; i < n; i++) {
    const mi = (1 - b1) * grads[i];
    const vi = (1 - b2) * grads[i] * grads[i];
    const expected = params[i] - (alpha * mi) / (Math.sqrt(vi) + eps);
    assert.ok(Math.abs(view(p)[i] - expected) < 1e-6, `parameter ${i}: ${view(p)[i]} vs ${expected}`);
    assert.ok(Math.abs(view(m)[i] - mi) < 1e-9);
  }
  // 0.9 · 1e-39/0.9 is subnormal: flushed to zero, and the parameter stays put.
  assert.equal(view(m)[2], 0);
  assert.equal(view(m)[9], 0);
  assert.equal(view(p)[9], Math.fround(params[9]));
  h.free();
});

test('gather + forward give relu(x·W1 + b1) of the batch, from its non-zero pixels only', async () => {
  const h = await heap();
  const batch = 5;
  const hidden = 64;
  const images = new Uint8Array(batch * 784).map((_, i) => (i % 7 < 3 ? 0 : (i * 37) % 256));
  const w1 = Float32Array.from({ length: 784 * hidden }, (_, i) => Math.sin(i) * 0.05);
  const b1 = Float32Array.from({ length: hidden }, (_, j) => 0.01 * (j - 30));
  const ptr = {
    images: h.alloc(batch * 196), table: h.alloc(256), sRows: h.alloc(batch * 784), sValues: h.alloc(batch * 784),
    sCounts: h.alloc(batch), pRows: h.alloc(batch * 784), pValues: h.alloc(batch * 784), pCounts: h.alloc(784),
    w1: h.alloc(784 * hidden), b1: h.alloc(hidden), out: h.alloc(batch * hidden),
  };
  new Uint8Array(h.memory.buffer, ptr.images, batch * 784).set(images);
  new Float32Array(h.memory.buffer, ptr.table, 256).set(PIXEL_TO_UNIT);
  new Float32Array(h.memory.buffer, ptr.w1, w1.length).set(w1);
  new Float32Array(h.memory.buffer, ptr.b1, hidden).set(b1);
  const kernels = instantiateKernels(h.memory);
  kernels.gather(batch, hidden, ptr.images, ptr.table, ptr.sRows, ptr.sValues, ptr.sCounts, ptr.pRows, ptr.pValues, ptr.pCounts);
  const counts = new Int32Array(h.memory.buffer, ptr.sCounts, batch);
  for (let s = 0; s < batch; s++) {
    assert.equal(counts[s], images.subarray(s * 784, (s + 1) * 784).filter((b) => b !== 0).length);
  }
  const pixelCounts = new Int32Array(h.memory.buffer, ptr.pCounts, 784);
  assert.equal(pixelCounts.reduce((a, b) => a + b, 0), images.filter((b) => b !== 0).length);
  kernels.forward(batch, hidden, ptr.sRows, ptr.sValues, ptr.sCounts, ptr.w1, ptr.b1, ptr.out);
  const out = new Float32Array(h.memory.buffer, ptr.out, batch * hidden);
  for (let s = 0; s < batch; s++) {
    for (let j = 0; j < hidden; j++) {
      let sum = b1[j];
      for (let k = 0; k < 784; k++) sum += PIXEL_TO_UNIT[images[s * 784 + k]] * w1[k * hidden + j];
      const expected = Math.max(sum, 0);
      assert.ok(Math.abs(out[s * hidden + j] - expected) < 1e-5, `h[${s},${j}] ${out[s * hidden + j]} vs ${expected}`);
    }
  }
  h.free();
});
