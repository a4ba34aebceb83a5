// The conv blocks on the compiled kernels (kernels/convBlocks.ts) as a step runs them: whole Adam steps of a
// three-block network (filters off the SIMD width, an odd side pooled 7 -> 3) against tfjs's
// LayersModel.trainOnBatch on the cpu backend from the same weights. The Dense layers after the Flatten
// run here in double precision (the kernel trainer's dense kernels are tested on their own).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Tensor } from '@tensorflow/tfjs';
import { selectBackend } from '../../src/training/backend';
import { buildNetworkModel } from '../../src/training/model';
import { createRng } from '../../src/training/seededRandom';
import { kernelModule } from '../../src/training/kernels/kernelModule';
import { ConvBlocks, convBlocksFloats, layOutConvBlocks, type ConvStepKernels } from '../../src/training/kernels/convBlocks';
import type { Architecture } from '../../src/domain/architecture';

const ARCHITECTURE: Architecture = { convLayers: [{ filters: 6, kernelSize: 3 }, { filters: 8, kernelSize: 4 }, { filters: 5, kernelSize: 3 }], hiddenLayers: [{ units: 12, dropout: 0 }], l2: 0 };
const BATCH = 8;
const [LR, B1, B2, EPS] = [0.01, 0.9, 0.999, 1e-7];

/** tfjs's Adam (ε added to the bias-corrected √v) in double precision, in place. */
function adam(p: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, t: number): void {
  for (let i = 0; i < p.length; i++) {
    m[i] = B1 * m[i] + (1 - B1) * g[i];
    v[i] = B2 * v[i] + (1 - B2) * g[i] * g[i];
    p[i] -= (LR * (m[i] / (1 - B1 ** t))) / (Math.sqrt(v[i] / (1 - B2 ** t)) + EPS);
  }
}

test('conv blocks on the kernels take the same Adam steps as trainOnBatch (three blocks, padded filters, 7 -> 3 pooling)', async () => {
  const { tf } = await selectBackend('cpu');
  const model = buildNetworkModel(tf, ARCHITECTURE, { learningRate: LR, seed: 11 });
  const initial = model.getWeights().map((w) => Float64Array.from(w.dataSync()));

  // The kernels' memory: the picture batch, Adam's constants, then the blocks.
  const floats = 64 + BATCH * 784 + 8 + convBlocksFloats(ARCHITECTURE, BATCH);
  const memory = new WebAssembly.Memory({ initial: Math.ceil((floats * 4) / 65536) + 1 });
  const module = kernelModule();
  assert.ok(module !== undefined, 'the kernels must be built');
  const kernels = new WebAssembly.Instance(module, { env: { memory, exp: Math.exp, log: Math.log } }).exports as unknown as ConvStepKernels;
  const f32 = new Float32Array(memory.buffer);
  let next = 64;
  const allocate = (count: number) => {
    const at = next;
    next += Math.ceil(count / 4) * 16;
    return at;
  };
  const images = allocate(BATCH * 784);
  const adamStep = allocate(8);
  const blocks = new ConvBlocks(kernels, layOutConvBlocks(ARCHITECTURE, BATCH, allocate), (rows, kernel, args) => {
    // Two uneven ranges, as two threads split a call's rows.
    const run = kernels[kernel] as (...values: number[]) => void;
    const middle = Math.floor(rows / 3);
    run(...args(0, middle));
    run(...args(middle, rows));
  });
  blocks.loadWeights(f32, initial.slice(0, 6));
  const last = blocks.blocks[2];
  const side = last.side >> 1;
  assert.equal(side, 3);
  const flat = side * side * last.filters;
  // The Dense layers (double precision here): W1 [flat × 12], b1, W2 [12 × 10], b2, and their Adam moments.
  const dense = initial.slice(6).map((w) => Float64Array.from(w));
  const moments = dense.map((w) => [new Float64Array(w.length), new Float64Array(w.length)]);

  const rng = createRng(3);
  for (let t = 1; t <= 3; t++) {
    const pixels = Float32Array.from({ length: BATCH * 784 }, () => (rng() < 0.4 ? 0 : Math.floor(rng() * 256) / 255));
    const labels = Array.from({ length: BATCH }, () => Math.floor(rng() * 10));
    f32.set(pixels, images / 4);
    blocks.forward(BATCH, images);
    // Flatten (y, x, c) without the padding channels, Dense(12, relu), Dense(10), softmax cross-entropy.
    const x = new Float64Array(BATCH * flat);
    for (let n = 0; n < BATCH; n++)
      for (let p = 0; p < side * side; p++)
        for (let c = 0; c < last.filters; c++) x[n * flat + p * last.filters + c] = f32[blocks.output / 4 + (n * side * side + p) * last.filterStride + c];
    const [w1, b1, w2, b2] = dense;
    const h = new Float64Array(BATCH * 12);
    const probabilities = new Float64Array(BATCH * 10);
    for (let n = 0; n < BATCH; n++) {
      for (let u = 0; u < 12; u++) {
        let z = b1[u];
        for (let i = 0; i < flat; i++) z += x[n * flat + i] * w1[i * 12 + u];
        h[n * 12 + u] = Math.max(0, z);
      }
      const logits = Array.from({ length: 10 }, (_, c) => b2[c] + Array.from({ length: 12 }, (_, u) => h[n * 12 + u] * w2[u * 10 + c]).reduce((a, b) => a + b, 0));
      const top = Math.max(...logits);
      const sum = logits.reduce((a, z) => a + Math.exp(z - top), 0);
      logits.forEach((z, c) => (probabilities[n * 10 + c] = Math.exp(z - top) / sum));
    }
    const dz2 = probabilities.map((p, i) => (p - (i % 10 === labels[Math.floor(i / 10)] ? 1 : 0)) / BATCH);
    const gradients = dense.map((w) => new Float64Array(w.length));
    const dh = new Float64Array(BATCH * 12);
    for (let n = 0; n < BATCH; n++)
      for (let c = 0; c < 10; c++) {
        gradients[3][c] += dz2[n * 10 + c];
        for (let u = 0; u < 12; u++) {
          gradients[2][u * 10 + c] += h[n * 12 + u] * dz2[n * 10 + c];
          dh[n * 12 + u] += w2[u * 10 + c] * dz2[n * 10 + c];
        }
      }
    const dz1 = dh.map((g, i) => (h[i] > 0 ? g : 0));
    const dx = new Float64Array(BATCH * flat);
    for (let n = 0; n < BATCH; n++)
      for (let u = 0; u < 12; u++) {
        gradients[1][u] += dz1[n * 12 + u];
        for (let i = 0; i < flat; i++) {
          gradients[0][i * 12 + u] += x[n * flat + i] * dz1[n * 12 + u];
          dx[n * flat + i] += w1[i * 12 + u] * dz1[n * 12 + u];
        }
      }
    // The gradient at the Flatten, back into the padded layout (zeros in the padding channels).
    f32.fill(0, blocks.outputGradients / 4, blocks.outputGradients / 4 + BATCH * side * side * last.filterStride);
    for (let n = 0; n < BATCH; n++)
      for (let p = 0; p < side * side; p++)
        for (let c = 0; c < last.filters; c++) f32[blocks.outputGradients / 4 + (n * side * side + p) * last.filterStride + c] = dx[n * flat + p * last.filters + c];
    // tfjs's Adam in the kernels' folded form: α = lr·√(1-β2^t)/(1-β1^t), ε·√(1-β2^t).
    f32.set([(LR * Math.sqrt(1 - B2 ** t)) / (1 - B1 ** t), B1, 1 - B1, B2, 1 - B2, EPS * Math.sqrt(1 - B2 ** t)], adamStep / 4);
    blocks.backward(BATCH, adamStep);
    dense.forEach((w, i) => adam(w, gradients[i], moments[i][0], moments[i][1], t));

    const xs = tf.tensor3d(pixels, [BATCH, 28, 28]);
    const ys = tf.tensor1d(labels);
    await model.trainOnBatch(xs, ys);
    xs.dispose();
    ys.dispose();
  }
  const keras = model.getWeights().map((w: Tensor) => w.dataSync());
  const ours = [...blocks.weights(f32), ...dense];
  assert.equal(ours.length, keras.length);
  for (let i = 0; i < ours.length; i++) {
    let worst = 0;
    for (let j = 0; j < ours[i].length; j++) worst = Math.max(worst, Math.abs(ours[i][j] - keras[i][j]));
    assert.ok(worst < 5e-5, `weights ${i} (${model.getWeights()[i].shape.join('x')}) differ by ${worst}`);
  }
  // The steps moved the conv weights (a comparison of unchanged weights would prove nothing).
  const moved = Math.max(...Array.from(keras[0], (v, j) => Math.abs(v - initial[0][j])));
  assert.ok(moved > 1e-3, `the first kernel moved by ${moved}`);
  model.dispose();
});
