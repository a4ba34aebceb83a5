// Each compiled kernel against a double-precision reference, over widths that are not multiples of
// the SIMD blocks (1, 12, 24, 33, 500: the last 1, 2 or 3 vectors) and ones that are (128, 512), and batches of 1, 7 and 32.
import assert from 'node:assert/strict';
import { PIXEL_TO_UNIT } from '../../src/training/imageInput';
import { createRng } from '../../src/training/seededRandom';
import { instantiateKernels, kernelModule, type InstructionSet, type MlpKernels } from '../../src/training/kernels/kernelModule';
import { variantTest } from './kernelTestVariants';

const WIDTHS = [1, 12, 24, 33, 128, 500, 512];

/**
 * The kernels take any width padded to a multiple of 4 (the trainer pads to 16, their fast path): padded
 * to 4 here, so that the one-vector paths after the blocks are tested too.
 */
function paddedWidth(units: number): number {
  return Math.ceil(units / 4) * 4;
}
const BATCHES = [1, 7, 32];

/** A memory for the kernels with a bump allocator (16-byte aligned, zeroed). */
function workspace(megabytes: number, instructions: InstructionSet): { k: MlpKernels; f32: Float32Array; i32: Int32Array; u8: Uint8Array; f64: (at: number) => Float64Array; take: (floats: number) => number } {
  const memory = new WebAssembly.Memory({ initial: megabytes * 16 });
  const module = kernelModule({ instructions });
  assert.ok(module !== undefined, `the ${instructions} kernels must be built (scripts/node-tests.mjs builds them)`);
  let next = 64;
  return {
    k: instantiateKernels(module, memory),
    f32: new Float32Array(memory.buffer),
    i32: new Int32Array(memory.buffer),
    u8: new Uint8Array(memory.buffer),
    f64: (at) => new Float64Array(memory.buffer, at, 2),
    take: (floats) => {
      const at = next;
      next += Math.ceil(Math.max(floats, 4) / 4) * 16;
      return at;
    },
  };
}

function closeTo(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

/** Keras's Adam in double precision for one parameter; returns [p, m, v] (moments flushed like the kernel). */
function adamReference(p: number, g: number, m: number, v: number, alpha: number, b1: number, b2: number, eps: number): [number, number, number] {
  const flush = (x: number) => (Math.abs(x) < 1.1754943508222875e-38 ? 0 : x);
  const m1 = flush(b1 * m + (1 - b1) * g);
  const v1 = flush(b2 * v + (1 - b2) * g * g);
  return [p - (alpha * m1) / (Math.sqrt(v1) + eps), m1, v1];
}

function writeAdamStep(w: ReturnType<typeof workspace>, at: number, alpha: number, b1: number, b2: number, eps: number): void {
  w.f32.set([alpha, b1, 1 - b1, b2, 1 - b2, eps], at / 4);
}

variantTest('adamUpdate is Keras\'s Adam and flushes moments below the smallest normal float to zero', (instructions) => {
  const w = workspace(1, instructions);
  const n = 12;
  const [p, g, m, v, step] = [w.take(n), w.take(n), w.take(n), w.take(n), w.take(8)];
  const params = Array.from({ length: n }, (_, i) => 0.1 * (i - 5));
  const grads = Array.from({ length: n }, (_, i) => (i === 2 || i === 9 ? 0 : (i % 3 === 0 ? -1 : 1) * 0.01 * (i + 1)));
  const m0 = params.map((_, i) => (i === 2 || i === 9 ? 1e-39 / 0.9 : i * 1e-3));
  const v0 = params.map((_, i) => i * 1e-6);
  w.f32.set(params, p / 4);
  w.f32.set(grads, g / 4);
  w.f32.set(m0, m / 4);
  w.f32.set(v0, v / 4);
  const [alpha, b1, b2, eps] = [0.01, 0.9, 0.999, 1e-7];
  writeAdamStep(w, step, alpha, b1, b2, eps);
  w.k.adamUpdate(n, p, g, m, v, step);
  for (let i = 0; i < n; i++) {
    const [pe, me, ve] = adamReference(Math.fround(params[i]), Math.fround(grads[i]), Math.fround(m0[i]), Math.fround(v0[i]), alpha, b1, b2, eps);
    closeTo(w.f32[p / 4 + i], pe, 1e-6, `parameter ${i}`);
    closeTo(w.f32[m / 4 + i], me, 1e-6, `m ${i}`);
    closeTo(w.f32[v / 4 + i], ve, 1e-6, `v ${i}`);
  }
  // 0.9 · 1e-39/0.9 is subnormal: flushed to zero, and with a zero gradient the parameter stays put.
  assert.equal(w.f32[m / 4 + 2], 0);
  assert.equal(w.f32[m / 4 + 9], 0);
  assert.equal(w.f32[p / 4 + 9], Math.fround(params[9]));
});

/** Random uint8 images, 40% background, as the data set's. */
function randomImages(batch: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  return Uint8Array.from({ length: batch * 784 }, () => (rng() < 0.4 ? 0 : Math.floor(rng() * 256)));
}

variantTest('pixelsToFloats turns every byte into the trainer\'s i/255 exactly', (instructions) => {
  const w = workspace(1, instructions);
  const batch = 1;
  const images = w.take(196);
  const out = w.take(784);
  const bytes = Uint8Array.from({ length: 784 }, (_, i) => (i * 7) % 256);
  for (let b = 0; b < 256; b++) bytes[b] = b;
  w.u8.set(bytes, images);
  w.k.pixelsToFloats(batch, 784, images, out);
  for (let i = 0; i < 784; i++) assert.equal(w.f32[out / 4 + i], PIXEL_TO_UNIT[bytes[i]], `byte ${bytes[i]}`);
});

variantTest('pixelsToFloats + denseForward + reluDropout give relu(x·W + b)·mask of the batch, every width and batch; a pair lists the union of its non-zero inputs', (instructions) => {
  for (const width of WIDTHS) {
    for (const batch of BATCHES) {
      const w = workspace(16, instructions);
      const stride = paddedWidth(width);
      const images = randomImages(batch, width + batch);
      const rng = createRng(width * 7 + batch);
      const weights = Float32Array.from({ length: 784 * width }, () => (rng() - 0.5) * 0.1);
      const bias = Float32Array.from({ length: width }, () => (rng() - 0.5) * 0.1);
      const mask = Float32Array.from({ length: batch * width }, () => (rng() < 0.2 ? 0 : 1.25));
      const at = {
        images: w.take(batch * 196), x: w.take(batch * 784), pairIdx: w.take(batch * 784 + 4), pairCount: w.take(batch),
        weights: w.take(784 * stride), bias: w.take(stride), out: w.take(batch * stride), mask: w.take(batch * stride),
      };
      w.u8.set(images, at.images);
      for (let i = 0; i < 784; i++) w.f32.set(weights.subarray(i * width, (i + 1) * width), at.weights / 4 + i * stride);
      w.f32.set(bias, at.bias / 4);
      for (let s = 0; s < batch; s++) w.f32.set(mask.subarray(s * width, (s + 1) * width), at.mask / 4 + s * stride);
      w.k.pixelsToFloats(batch, 784, at.images, at.x);
      w.k.denseForward(batch, 784, 784, at.x, at.pairIdx, at.pairCount, stride, at.weights, at.bias, at.out);
      for (let s = 0; s < batch; s += 2) {
        const lit = (k: number) => images[s * 784 + k] !== 0 || (s + 1 < batch && images[(s + 1) * 784 + k] !== 0);
        const expected = Array.from({ length: 784 }, (_, k) => k).filter(lit);
        assert.equal(w.i32[at.pairCount / 4 + s], expected.length, `pair ${s}'s count`);
        assert.deepEqual(Array.from(w.i32.subarray(at.pairIdx / 4 + s * 784, at.pairIdx / 4 + s * 784 + expected.length)), expected, `pair ${s}'s list`);
      }
      w.k.reluDropout(batch * stride, at.out, at.mask);
      for (let s = 0; s < batch; s++) {
        for (let j = 0; j < stride; j++) {
          const actual = w.f32[at.out / 4 + s * stride + j];
          if (j >= width) {
            assert.equal(actual, 0, 'padding columns stay 0');
            continue;
          }
          let sum = bias[j];
          for (let k = 0; k < 784; k++) sum += PIXEL_TO_UNIT[images[s * 784 + k]] * weights[k * width + j];
          closeTo(actual, Math.max(sum, 0) * mask[s * width + j], 2e-6, `width ${width}, batch ${batch}, h[${s},${j}]`);
        }
      }
    }
  }
});

variantTest('denseForward of a hidden layer lists each pair\'s non-zero activations, padding ignored', (instructions) => {
  for (const width of WIDTHS) {
    for (const batch of BATCHES) {
      const w = workspace(4, instructions);
      const stride = paddedWidth(width);
      const rng = createRng(width + batch);
      const h = Float32Array.from({ length: batch * stride }, (_, i) => (i % stride >= width || rng() < 0.5 ? 0 : rng()));
      const at = { h: w.take(batch * stride), pairIdx: w.take(batch * width + 4), pairCount: w.take(batch), weights: w.take(width * 4), bias: w.take(4), out: w.take(batch * 4) };
      w.f32.set(h, at.h / 4);
      w.k.denseForward(batch, width, stride, at.h, at.pairIdx, at.pairCount, 4, at.weights, at.bias, at.out);
      for (let s = 0; s < batch; s += 2) {
        const expected = Array.from({ length: width }, (_, i) => i).filter((i) => h[s * stride + i] !== 0 || (s + 1 < batch && h[(s + 1) * stride + i] !== 0));
        assert.equal(w.i32[at.pairCount / 4 + s], expected.length);
        assert.deepEqual(Array.from(w.i32.subarray(at.pairIdx / 4 + s * width, at.pairIdx / 4 + s * width + expected.length)), expected);
      }
    }
  }
});

variantTest('backwardToLayerBelow is (dz·Wᵀ)·mask where the layer below is active, 0 elsewhere', (instructions) => {
  for (const below of WIDTHS) {
    for (const [width, batch] of [[10, 32], [33, 7], [500, 1], [128, 7]]) {
      const w = workspace(8, instructions);
      const stride = paddedWidth(width);
      const belowStride = paddedWidth(below);
      const rng = createRng(below + width);
      const dz = Float32Array.from({ length: batch * stride }, (_, i) => (i % stride < width ? rng() - 0.5 : 0));
      const weights = Float32Array.from({ length: below * stride }, (_, i) => (i % stride < width ? rng() - 0.5 : 0));
      const h = Float32Array.from({ length: batch * belowStride }, (_, i) => (i % belowStride < below && rng() < 0.6 ? rng() : 0));
      const mask = Float32Array.from({ length: batch * belowStride }, () => (rng() < 0.5 ? 2 : 1));
      const at = {
        dz: w.take(batch * stride), weights: w.take(below * stride), h: w.take(batch * belowStride), mask: w.take(batch * belowStride),
        pairIdx: w.take(batch * below + 4), pairCount: w.take(batch), out: w.take(batch * belowStride),
        zeros: w.take(below * 4), forward: w.take(batch * 4),
      };
      w.f32.set(dz, at.dz / 4);
      w.f32.set(weights, at.weights / 4);
      w.f32.set(h, at.h / 4);
      w.f32.set(mask, at.mask / 4);
      w.f32.fill(7, at.out / 4, at.out / 4 + batch * belowStride);
      // The forward pass over h lists the pairs' active units (its outputs are not needed here).
      w.k.denseForward(batch, below, belowStride, at.h, at.pairIdx, at.pairCount, 4, at.zeros, at.zeros, at.forward);
      w.k.backwardToLayerBelow(batch, stride, at.dz, at.weights, at.pairIdx, at.pairCount, below, at.h, belowStride, at.mask, at.out);
      for (let s = 0; s < batch; s++) {
        for (let i = 0; i < belowStride; i++) {
          let expected = 0;
          if (i < below && h[s * belowStride + i] !== 0) {
            for (let j = 0; j < width; j++) expected += dz[s * stride + j] * weights[i * stride + j];
            expected *= mask[s * belowStride + i];
          }
          closeTo(w.f32[at.out / 4 + s * belowStride + i], expected, 2e-6, `below ${below}, width ${width}: dz[${s},${i}]`);
        }
      }
    }
  }
});

variantTest('weightGradientAdam sums Σ h·dz (+ 2λw) per weight and applies Adam, and returns Σw² before the update, its rows in one call or two', (instructions) => {
  for (const width of WIDTHS) {
    for (const batch of BATCHES) {
      for (const lambda of [0, 1e-3]) {
        const inputs = 37;
        const w = workspace(4, instructions);
        const stride = paddedWidth(width);
        const unitStride = paddedWidth(batch) + 4;
        const rng = createRng(width * 3 + batch);
        const h = Float32Array.from({ length: batch * inputs }, () => (rng() < 0.5 ? 0 : rng()));
        const dz = Float32Array.from({ length: batch * stride }, (_, i) => (i % stride < width ? (rng() - 0.5) * 0.1 : 0));
        const weights = Float32Array.from({ length: inputs * stride }, (_, i) => (i % stride < width ? rng() - 0.5 : 0));
        const m0 = Float32Array.from({ length: inputs * stride }, (_, i) => (i % stride < width ? (rng() - 0.5) * 1e-3 : 0));
        const v0 = Float32Array.from({ length: inputs * stride }, (_, i) => (i % stride < width ? rng() * 1e-5 : 0));
        const at = {
          h: w.take(batch * inputs), samples: w.take(inputs * unitStride), values: w.take(inputs * unitStride),
          dz: w.take(batch * stride), weights: w.take(inputs * stride), m: w.take(inputs * stride), v: w.take(inputs * stride), step: w.take(8),
        };
        w.f32.set(h, at.h / 4);
        w.f32.set(dz, at.dz / 4);
        w.f32.set(weights, at.weights / 4);
        w.f32.set(m0, at.m / 4);
        w.f32.set(v0, at.v / 4);
        const [alpha, b1, b2, eps] = [0.003, 0.9, 0.999, 1e-7];
        writeAdamStep(w, at.step, alpha, b1, b2, eps);
        // Odd rows (37): a last row alone; in two calls (as two threads split it) the second starts at an even row.
        const call = (first: number, end: number) =>
          w.k.weightGradientAdam(first, end, batch, at.h, inputs, at.samples, at.values, unitStride, stride, at.dz, at.weights, at.m, at.v, at.step, lambda);
        const squares = width === 128 ? call(0, 20) + call(20, inputs) : call(0, inputs);
        let expectedSquares = 0;
        for (let i = 0; i < inputs; i++) {
          for (let j = 0; j < stride; j++) {
            const index = i * stride + j;
            if (j >= width) {
              assert.equal(w.f32[at.weights / 4 + index], 0, 'padding weights stay 0');
              continue;
            }
            let gradient = 2 * lambda * weights[index];
            for (let s = 0; s < batch; s++) gradient += h[s * inputs + i] * dz[s * stride + j];
            expectedSquares += weights[index] ** 2;
            const [pe, me, ve] = adamReference(weights[index], gradient, m0[index], v0[index], alpha, b1, b2, eps);
            closeTo(w.f32[at.m / 4 + index], me, 1e-5, `m[${i},${j}]`);
            closeTo(w.f32[at.v / 4 + index], ve, 1e-5, `v[${i},${j}]`);
            closeTo(w.f32[at.weights / 4 + index], pe, 1e-6, `width ${width}, batch ${batch}, λ ${lambda}: w[${i},${j}]`);
          }
        }
        if (lambda === 0) assert.equal(squares, 0);
        else closeTo(squares, expectedSquares, 1e-5, 'Σw²');
      }
    }
  }
});

variantTest('columnSums sums the batch\'s gradient rows', (instructions) => {
  const w = workspace(1, instructions);
  const [batch, stride] = [7, 36];
  const rng = createRng(3);
  const dz = Float32Array.from({ length: batch * stride }, () => rng() - 0.5);
  const [at, out] = [w.take(batch * stride), w.take(stride)];
  w.f32.set(dz, at / 4);
  w.k.columnSums(batch, stride, at, out);
  for (let j = 0; j < stride; j++) {
    let sum = 0;
    for (let s = 0; s < batch; s++) sum += dz[s * stride + j];
    closeTo(w.f32[out / 4 + j], sum, 1e-6, `column ${j}`);
  }
});

variantTest('softmaxCrossEntropy: the log-sum-exp loss, the arg max hits and (p - onehot)/B, every batch', (instructions) => {
  for (const batch of BATCHES) {
    const w = workspace(1, instructions);
    const stride = 12;
    const rng = createRng(batch);
    const logits = Float32Array.from({ length: batch * stride }, (_, i) => (i % stride < 10 ? (rng() - 0.5) * 20 : 0));
    const labels = Int32Array.from({ length: batch }, () => Math.floor(rng() * 10));
    const at = { z: w.take(batch * stride), labels: w.take(batch), dz: w.take(batch * stride), stats: w.take(4) };
    w.f32.set(logits, at.z / 4);
    w.i32.set(labels, at.labels / 4);
    w.k.softmaxCrossEntropy(batch, stride, at.z, at.labels, at.dz, at.stats, 1 / batch);
    let loss = 0;
    let correct = 0;
    for (let s = 0; s < batch; s++) {
      const row = Array.from(logits.subarray(s * stride, s * stride + 10));
      const largest = Math.max(...row);
      const total = row.reduce((sum, z) => sum + Math.exp(z - largest), 0);
      loss += Math.log(total) + largest - row[labels[s]];
      if (row.indexOf(largest) === labels[s]) correct += 1;
      for (let c = 0; c < stride; c++) {
        const expected = c < 10 ? (Math.exp(row[c] - largest) / total - (c === labels[s] ? 1 : 0)) / batch : 0;
        closeTo(w.f32[at.dz / 4 + s * stride + c], expected, 1e-6, `dz[${s},${c}]`);
      }
    }
    const [lossSum, hits] = w.f64(at.stats);
    closeTo(lossSum, loss, 1e-9, 'loss');
    assert.equal(hits, correct);
  }
});

variantTest('dropoutMask keeps about 1 - rate of the units, scaled by 1/(1 - rate), repeats from a seed, padding 0', (instructions) => {
  const w = workspace(1, instructions);
  const [batch, width, stride, rate] = [32, 33, 36, 0.2];
  const [mask, state] = [w.take(batch * stride), w.take(4)];
  const run = (seed: number): Float32Array => {
    w.i32[state / 4] = seed;
    w.k.dropoutMask(batch, width, stride, 1 - rate, 1 / (1 - rate), state, mask);
    return w.f32.slice(mask / 4, mask / 4 + batch * stride);
  };
  const first = run(5);
  assert.deepEqual(run(5), first);
  assert.notDeepEqual(run(6), first);
  let kept = 0;
  for (let s = 0; s < batch; s++) {
    for (let i = 0; i < stride; i++) {
      const value = first[s * stride + i];
      if (i >= width) assert.equal(value, 0);
      else if (value !== 0) {
        assert.equal(value, Math.fround(1 / (1 - rate)));
        kept += 1;
      }
    }
  }
  const fraction = kept / (batch * width);
  assert.ok(fraction > 0.75 && fraction < 0.85, `kept ${fraction}`);
  // Exactly mulberry32's numbers in order, one per unit (four at a time in the kernel), kept below 1 - rate.
  let counter = 5;
  for (let s = 0; s < batch; s++) {
    for (let i = 0; i < width; i++) {
      counter = (counter + 0x6d2b79f5) >>> 0;
      let z = counter;
      z = Math.imul(z ^ (z >>> 15), z | 1);
      z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
      const uniform = ((z ^ (z >>> 14)) >>> 0) / 4294967296;
      assert.equal(first[s * stride + i], uniform < 1 - rate ? Math.fround(1 / (1 - rate)) : 0, `mask[${s},${i}]`);
    }
  }
  run(5);
  assert.equal(w.i32[state / 4] >>> 0, counter, 'the generator\'s state moves on by one number per unit');
});
