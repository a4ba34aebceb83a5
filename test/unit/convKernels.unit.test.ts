// The conv and pool kernels (src/training/kernels/assembly/conv.ts, convGradient.ts, pool.ts) against a double-precision
// reference over several shapes: one input channel (the picture) and many, filters that are and are not
// multiples of the SIMD blocks (4, 16), odd and even kernels (TensorFlow pads 'same' unevenly for even
// ones), odd picture sides for the pool (7 -> 3), and ranges (of pixels, filters or images) split as two
// threads would split them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../src/training/seededRandom';
import { kernelModule } from '../../src/training/kernels/kernelModule';
import { convKernelsOf, filterStride, type ConvKernels } from '../../src/training/kernels/convKernels';

interface Workspace {
  k: ConvKernels;
  f32: Float32Array;
  take: (floats: number) => number;
}

function workspace(megabytes = 16): Workspace {
  const memory = new WebAssembly.Memory({ initial: megabytes * 16 });
  const module = kernelModule();
  assert.ok(module !== undefined, 'the kernels must be built (scripts/node-tests.mjs builds them)');
  const instance = new WebAssembly.Instance(module, { env: { memory, exp: Math.exp, log: Math.log } });
  let next = 64;
  return {
    k: convKernelsOf(instance.exports),
    f32: new Float32Array(memory.buffer),
    take: (floats) => {
      const at = next;
      next += Math.ceil(Math.max(floats, 4) / 4) * 16;
      return at;
    },
  };
}

interface Shape {
  batch: number;
  side: number;
  channels: number;
  filters: number;
  kernelSize: number;
}

const SHAPES: Shape[] = [
  { batch: 2, side: 28, channels: 1, filters: 8, kernelSize: 5 },
  { batch: 3, side: 14, channels: 8, filters: 16, kernelSize: 5 },
  { batch: 2, side: 7, channels: 16, filters: 36, kernelSize: 3 },
  { batch: 1, side: 6, channels: 3, filters: 6, kernelSize: 4 },
  { batch: 2, side: 3, channels: 5, filters: 1, kernelSize: 2 },
  { batch: 1, side: 5, channels: 2, filters: 20, kernelSize: 1 },
  // Over the picture (one channel): odd sides, K = 3 and 5, filters through every column block (16, 8, 4).
  { batch: 2, side: 7, channels: 1, filters: 6, kernelSize: 3 },
  { batch: 3, side: 9, channels: 1, filters: 29, kernelSize: 5 },
  { batch: 1, side: 28, channels: 1, filters: 32, kernelSize: 3 },
];

/** Values with zeros among them (relu outputs and the picture's background are often 0). */
function values(count: number, rng: () => number, zeros = 0.3): number[] {
  return Array.from({ length: count }, () => (rng() < zeros ? 0 : Math.fround(rng() * 2 - 1)));
}

function closeTo(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

/** The 'same' padding before the picture, as TensorFlow places it for stride 1. */
const before = (kernelSize: number) => Math.floor((kernelSize - 1) / 2);

/** Reference conv (double): z[n][y][x][f] = bias[f] + Σ in·kernel, with the input and kernel unpadded. */
function referenceConv(s: Shape, input: number[], kernel: number[], bias: number[]): number[] {
  const { batch, side, channels, filters, kernelSize } = s;
  const out = new Array(batch * side * side * filters).fill(0);
  for (let n = 0; n < batch; n++)
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++)
        for (let f = 0; f < filters; f++) {
          let sum = bias[f];
          for (let ky = 0; ky < kernelSize; ky++)
            for (let kx = 0; kx < kernelSize; kx++) {
              const iy = y + ky - before(kernelSize);
              const ix = x + kx - before(kernelSize);
              if (iy < 0 || iy >= side || ix < 0 || ix >= side) continue;
              for (let c = 0; c < channels; c++) sum += input[((n * side + iy) * side + ix) * channels + c] * kernel[((ky * kernelSize + kx) * channels + c) * filters + f];
            }
          out[((n * side + y) * side + x) * filters + f] = sum;
        }
  return out;
}

/** Writes rows of `width` values padded to `stride` floats at `at`. */
function writePadded(w: Workspace, at: number, data: number[], width: number, stride: number): void {
  for (let r = 0; r < data.length / width; r++) for (let i = 0; i < width; i++) w.f32[at / 4 + r * stride + i] = data[r * width + i];
}

function readPadded(w: Workspace, at: number, rows: number, width: number, stride: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) for (let i = 0; i < width; i++) out.push(w.f32[at / 4 + r * stride + i]);
  return out;
}

/** The kernel with its input channels padded to inStride rows per tap (the patches' layout). */
function paddedKernel(s: Shape, kernel: number[], inStride: number): number[] {
  const out: number[] = [];
  for (let tap = 0; tap < s.kernelSize * s.kernelSize; tap++)
    for (let c = 0; c < inStride; c++)
      for (let f = 0; f < s.filters; f++) out.push(c < s.channels ? kernel[(tap * s.channels + c) * s.filters + f] : 0);
  return out;
}

for (const s of SHAPES) {
  const name = `batch ${s.batch}, ${s.side}x${s.side}x${s.channels}, ${s.filters} filters ${s.kernelSize}x${s.kernelSize}`;
  test(`conv over the padded pictures (implicit GEMM): forward, relu, bias; sparse kernel and input gradients: ${name}`, () => {
    const { batch, side, channels, filters, kernelSize } = s;
    const rng = createRng(batch * 7000 + side * 10 + filters);
    const inStride = channels === 1 ? 1 : filterStride(channels);
    const stride = filterStride(filters);
    const pixels = batch * side * side;
    const depth = kernelSize * kernelSize * inStride;
    const patchStride = filterStride(depth);
    const input = values(pixels * channels, rng);
    const kernel = values(kernelSize * kernelSize * channels * filters, rng, 0);
    const bias = values(filters, rng, 0);
    const upstream = values(pixels * filters, rng, 0.1);
    const w = workspace();
    const outer = side + kernelSize - 1;
    const [inputAt, kernelAt, biasAt, paddedAt, outAt, gradientAt, kernelGradientAt, kernelTAt, kernelGradientTAt, inputGradientAt, biasGradientAt] = [
      w.take(pixels * inStride), w.take(depth * stride), w.take(stride), w.take(batch * outer * outer * inStride + 4), w.take(pixels * stride), w.take(pixels * stride),
      w.take(depth * stride), w.take(stride * patchStride), w.take(stride * kernelSize * filterStride(kernelSize * inStride)), w.take(pixels * inStride), w.take(stride),
    ];
    writePadded(w, inputAt, input, channels, inStride);
    writePadded(w, kernelAt, paddedKernel(s, kernel, inStride), filters, stride);
    writePadded(w, biasAt, bias, filters, stride);
    writePadded(w, gradientAt, upstream, filters, stride);
    // The padded pictures: split by picture rows, then the forward pass split by pixels, as two threads split them.
    const rowsSplit = Math.floor((batch * side) / 2) + 1;
    for (const [from, to] of [[0, rowsSplit], [rowsSplit, batch * side]]) w.k.convPadInput(from, to, side, inStride, kernelSize, inputAt, paddedAt);
    const middle = Math.floor(pixels / 2) + 1;
    for (const [from, to] of [[0, middle], [middle, pixels]]) w.k.convForward(from, to, side, inStride, kernelSize, stride, paddedAt, kernelAt, biasAt, outAt);
    const activation = referenceConv(s, input, kernel, bias).map((v) => Math.max(0, v));
    const out = readPadded(w, outAt, pixels, filters, stride);
    activation.forEach((v, i) => closeTo(out[i], v, 1e-5, `forward ${i}`));
    for (let p = 0; p < pixels; p++) for (let f = filters; f < stride; f++) assert.equal(w.f32[outAt / 4 + p * stride + f], 0, 'padding columns stay 0');

    w.k.reluGradient(pixels * stride, outAt, gradientAt);
    const dz = upstream.map((g, i) => (out[i] > 0 ? g : 0));
    readPadded(w, gradientAt, pixels, filters, stride).forEach((v, i) => assert.equal(v, Math.fround(dz[i]), `relu gradient ${i}`));
    w.k.convBiasGradient(pixels, stride, gradientAt, biasGradientAt);
    const biasGradient = readPadded(w, biasGradientAt, 1, filters, stride);
    for (let f = 0; f < filters; f++) {
      let sum = 0;
      for (let p = 0; p < pixels; p++) sum += dz[p * filters + f];
      closeTo(biasGradient[f], sum, 1e-5, `bias gradient ${f}`);
    }
    // Stale values in the kernel gradient and its transpose: they are written, not added to.
    w.f32.fill(5, kernelGradientAt / 4, kernelGradientAt / 4 + depth * stride);
    w.f32.fill(5, kernelGradientTAt / 4, kernelGradientTAt / 4 + stride * kernelSize * filterStride(kernelSize * inStride));
    // Split by filters as two threads split it (the first part not a whole group of four).
    const filtersSplit = Math.floor(filters / 3) + 1;
    w.k.convKernelGradientT(0, filtersSplit, pixels, side, inStride, kernelSize, stride, paddedAt, gradientAt, kernelGradientTAt);
    w.k.convKernelGradientT(filtersSplit, filters, pixels, side, inStride, kernelSize, stride, paddedAt, gradientAt, kernelGradientTAt);
    w.k.convKernelGradientFromT(kernelSize, inStride, filters, stride, kernelGradientTAt, kernelGradientAt);
    w.k.convTransposeKernel(depth, patchStride, stride, kernelAt, kernelTAt);
    const dK = new Array(depth * filters).fill(0);
    const dIn = new Array(pixels * channels).fill(0);
    for (let n = 0; n < batch; n++)
      for (let y = 0; y < side; y++)
        for (let x = 0; x < side; x++)
          for (let ky = 0; ky < kernelSize; ky++)
            for (let kx = 0; kx < kernelSize; kx++) {
              const iy = y + ky - before(kernelSize);
              const ix = x + kx - before(kernelSize);
              if (iy < 0 || iy >= side || ix < 0 || ix >= side) continue;
              for (let c = 0; c < channels; c++) {
                const inIndex = ((n * side + iy) * side + ix) * channels + c;
                for (let f = 0; f < filters; f++) {
                  const g = dz[((n * side + y) * side + x) * filters + f];
                  dK[((ky * kernelSize + kx) * inStride + c) * filters + f] += input[inIndex] * g;
                  dIn[inIndex] += kernel[((ky * kernelSize + kx) * channels + c) * filters + f] * g;
                }
              }
            }
    const checkKernelGradient = (what: string) => {
      readPadded(w, kernelGradientAt, depth, filters, stride).forEach((v, i) => closeTo(v, dK[i], 1e-4, `${what} ${i}`));
      for (let t = 0; t < depth; t++) for (let f = filters; f < stride; f++) assert.equal(w.f32[kernelGradientAt / 4 + t * stride + f], 0, `${what}: padding columns are 0`);
    };
    checkKernelGradient('kernel gradient');
    if (inStride === 1) {
      // Over the picture: the dense product, split by taps as two threads split it, written over stale values.
      w.f32.fill(5, kernelGradientAt / 4, kernelGradientAt / 4 + depth * stride);
      const tapsSplit = Math.floor(depth / 3) + 1;
      for (const [from, to] of [[0, tapsSplit], [tapsSplit, depth]]) {
        w.k.convPictureKernelGradient(from, to, pixels, side, kernelSize, stride, paddedAt, gradientAt, kernelGradientAt);
      }
      checkKernelGradient('picture kernel gradient');
    }
    if (inStride % 4 === 0) {
      // Stale values: the input gradient is written, not added to; split by images as two threads split it.
      w.f32.fill(3, inputGradientAt / 4, inputGradientAt / 4 + pixels * inStride);
      const imagesSplit = Math.floor(batch / 2);
      for (const [from, to] of [[0, imagesSplit], [imagesSplit, batch]]) {
        w.k.convInputGradient(from, to, side, inStride, kernelSize, filters, stride, patchStride, gradientAt, kernelTAt, inputGradientAt);
      }
      readPadded(w, inputGradientAt, pixels, channels, inStride).forEach((v, i) => closeTo(v, dIn[i], 1e-5, `input gradient ${i}`));
    }
  });
}

for (const [side, channels] of [[28, 8], [14, 16], [7, 4], [3, 12], [5, 1]] as const) {
  test(`max pooling 2x2 forward and backward: ${side}x${side}x${channels}`, () => {
    const batch = 2;
    const stride = filterStride(channels);
    const half = Math.floor(side / 2);
    const rng = createRng(side * 31 + channels);
    // Relu outputs: many zeros, so ties in a window are common and must go to the first.
    const input = values(batch * side * side * channels, rng, 0.5).map((v) => Math.max(0, v));
    const upstream = values(batch * half * half * channels, rng, 0);
    const w = workspace(4);
    const [inputAt, outAt, gradientAt, inputGradientAt] = [w.take(batch * side * side * stride), w.take(batch * half * half * stride), w.take(batch * half * half * stride), w.take(batch * side * side * stride)];
    writePadded(w, inputAt, input, channels, stride);
    writePadded(w, gradientAt, upstream, channels, stride);
    // Stale values where the gradient is written: every one must be overwritten.
    w.f32.fill(99, inputGradientAt / 4, inputGradientAt / 4 + batch * side * side * stride);
    const outputs = batch * half * half;
    const middle = Math.floor(outputs / 2);
    w.k.maxPoolForward(0, middle, side, stride, inputAt, outAt);
    w.k.maxPoolForward(middle, outputs, side, stride, inputAt, outAt);
    w.k.maxPoolBackward(0, middle, side, stride, inputAt, gradientAt, inputGradientAt);
    w.k.maxPoolBackward(middle, outputs, side, stride, inputAt, gradientAt, inputGradientAt);
    const out = readPadded(w, outAt, outputs, channels, stride);
    const inputGradient = readPadded(w, inputGradientAt, batch * side * side, channels, stride);
    const expectedGradient = new Array(input.length).fill(0);
    for (let n = 0; n < batch; n++)
      for (let oy = 0; oy < half; oy++)
        for (let ox = 0; ox < half; ox++)
          for (let c = 0; c < channels; c++) {
            let best = -Infinity;
            let at = -1;
            for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
              const index = ((n * side + 2 * oy + dy) * side + 2 * ox + dx) * channels + c;
              if (input[index] > best) {
                best = input[index];
                at = index;
              }
            }
            const o = ((n * half + oy) * half + ox) * channels + c;
            assert.equal(out[o], Math.fround(best), `pool ${o}`);
            expectedGradient[at] += upstream[o];
          }
    expectedGradient.forEach((v, i) => assert.equal(inputGradient[i], Math.fround(v), `pool gradient ${i}`));
  });
}
