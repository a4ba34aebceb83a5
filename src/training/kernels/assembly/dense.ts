// A Dense layer's forward pass, its gradient back to the layer below, and its weight gradient with
// the Adam update. Layouts (f32, row-major): weights `inputs × stride` (Keras's kernel layout, each
// row padded from the layer's width to `stride`, a multiple of 4); activations and gradients
// `batch × stride`. Padding columns hold zeros and stay zero: their outputs are 0, relu'(0) = 0 and a
// zero gradient leaves a zero weight with zero moments unchanged, so the math is the layer's exactly.
// Columns are processed in blocks of 4 SIMD vectors (16 floats, one cache line) kept in registers,
// then one vector at a time.
import { AdamStep, adamVector } from './adam';
import { madd } from './simd';

const BLOCK_BYTES: usize = 64;
const VECTOR_BYTES: usize = 16;

@inline
function entryValue(values: usize, entry: i32): v128 {
  return v128.load32_splat(values + (<usize>entry << 2));
}

@inline
function entryRow(base: usize, indices: usize, entry: i32, rowBytes: usize): usize {
  return base + <usize>load<i32>(indices + (<usize>entry << 2)) * rowBytes;
}

/**
 * out[0..16) = bias[0..16) + Σ_entries value·weights[index][0..16), one cache line of columns. Four
 * accumulators: with the four weight vectors and the value they fit the engine's registers (eight
 * spilled one accumulator to the stack, and every entry waited on it).
 */
function forwardBlock(entries: i32, indices: usize, values: usize, weights: usize, rowBytes: usize, bias: usize, out: usize): void {
  let a0 = v128.load(bias, 0);
  let a1 = v128.load(bias, 16);
  let a2 = v128.load(bias, 32);
  let a3 = v128.load(bias, 48);
  for (let e = 0; e < entries; e++) {
    const x = entryValue(values, e);
    const row = entryRow(weights, indices, e, rowBytes);
    a0 = madd(x, v128.load(row, 0), a0);
    a1 = madd(x, v128.load(row, 16), a1);
    a2 = madd(x, v128.load(row, 32), a2);
    a3 = madd(x, v128.load(row, 48), a3);
  }
  v128.store(out, a0, 0);
  v128.store(out, a1, 16);
  v128.store(out, a2, 32);
  v128.store(out, a3, 48);
}

/** The same for one vector of four columns. */
function forwardVector(entries: i32, indices: usize, values: usize, weights: usize, rowBytes: usize, bias: usize, out: usize): void {
  let a = v128.load(bias);
  for (let e = 0; e < entries; e++) {
    a = madd(entryValue(values, e), v128.load(entryRow(weights, indices, e, rowBytes)), a);
  }
  v128.store(out, a);
}

/**
 * out = bias + x·W for each sample, x given by its lists of non-zero inputs (`listStride` entries
 * apart per sample). `stride` is the padded width of the layer's output.
 */
export function denseForward(
  batch: i32,
  stride: i32,
  sampleIndices: usize,
  sampleValues: usize,
  sampleCounts: usize,
  listStride: i32,
  weights: usize,
  bias: usize,
  out: usize,
): void {
  const rowBytes = <usize>stride << 2;
  const blockEnd = rowBytes & ~(BLOCK_BYTES - 1);
  for (let s = 0; s < batch; s++) {
    const entries = load<i32>(sampleCounts + (<usize>s << 2));
    const listAt = (<usize>s * <usize>listStride) << 2;
    const indices = sampleIndices + listAt;
    const values = sampleValues + listAt;
    const outRow = out + <usize>s * rowBytes;
    let column: usize = 0;
    for (; column < blockEnd; column += BLOCK_BYTES) {
      forwardBlock(entries, indices, values, weights + column, rowBytes, bias + column, outRow + column);
    }
    for (; column < rowBytes; column += VECTOR_BYTES) {
      forwardVector(entries, indices, values, weights + column, rowBytes, bias + column, outRow + column);
    }
  }
}

/** h = relu(z)·mask in place over `count` floats (a multiple of 4); no mask when `mask` is 0. */
export function reluDropout(count: i32, values: usize, mask: usize): void {
  const bytes = <usize>count << 2;
  const zero = f32x4.splat(0);
  for (let offset: usize = 0; offset < bytes; offset += VECTOR_BYTES) {
    let h = f32x4.max(v128.load(values + offset), zero);
    if (mask != 0) h = f32x4.mul(h, v128.load(mask + offset));
    v128.store(values + offset, h);
  }
}

@inline
function horizontalSum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** Σ_j a[j]·b[j] over `bytes` bytes (a multiple of 16), two accumulators to hide the add latency. */
function dot(a: usize, b: usize, bytes: usize): f32 {
  let even = f32x4.splat(0);
  let odd = f32x4.splat(0);
  let offset: usize = 0;
  const pairEnd = bytes & ~(2 * VECTOR_BYTES - 1);
  for (; offset < pairEnd; offset += 2 * VECTOR_BYTES) {
    even = madd(v128.load(a + offset), v128.load(b + offset), even);
    odd = madd(v128.load(a + offset, 16), v128.load(b + offset, 16), odd);
  }
  if (offset < bytes) even = madd(v128.load(a + offset), v128.load(b + offset), even);
  return horizontalSum(f32x4.add(even, odd));
}

/**
 * The gradient at the pre-activation of the layer below: dzBelow[s][i] = (dz[s]·W[i]) · mask[s][i]
 * where the layer below's output h[s][i] is not zero (its sample lists), and 0 where it is (relu'
 * is 0 there, or dropout dropped it). `belowStride` is that layer's padded width; no mask when 0.
 */
export function backwardToLayerBelow(
  batch: i32,
  stride: i32,
  gradients: usize,
  weights: usize,
  sampleIndices: usize,
  sampleCounts: usize,
  listStride: i32,
  belowStride: i32,
  mask: usize,
  gradientsBelow: usize,
): void {
  const rowBytes = <usize>stride << 2;
  const belowRowBytes = <usize>belowStride << 2;
  memory.fill(gradientsBelow, 0, <usize>batch * belowRowBytes);
  for (let s = 0; s < batch; s++) {
    const entries = load<i32>(sampleCounts + (<usize>s << 2));
    const indices = sampleIndices + ((<usize>s * <usize>listStride) << 2);
    const gradient = gradients + <usize>s * rowBytes;
    const belowRow = <usize>s * belowRowBytes;
    for (let e = 0; e < entries; e++) {
      const unit = <usize>load<i32>(indices + (<usize>e << 2));
      let value = dot(gradient, weights + unit * rowBytes, rowBytes);
      if (mask != 0) value *= load<f32>(mask + belowRow + (unit << 2));
      store<f32>(gradientsBelow + belowRow + (unit << 2), value);
    }
  }
}

/** Column sums over the batch: the bias gradient Σ_s dz[s]. */
export function columnSums(batch: i32, stride: i32, gradients: usize, sums: usize): void {
  const rowBytes = <usize>stride << 2;
  for (let column: usize = 0; column < rowBytes; column += VECTOR_BYTES) {
    let sum = f32x4.splat(0);
    for (let s = 0; s < batch; s++) sum = f32x4.add(sum, v128.load(gradients + <usize>s * rowBytes + column));
    v128.store(sums + column, sum);
  }
}

// The weight gradient dW[i] = Σ_s h[s][i]·dz[s] (+ 2λ·W[i] for Keras's l2(λ)), summed in registers
// per block of columns from unit i's list and applied by Adam at once: the gradient is never stored.

/** Adam with the L2 term for one vector; returns the vector's Σw² before the update. */
@inline
function applyGradient(
  weight: usize,
  moment1: usize,
  moment2: usize,
  sum: v128,
  twiceLambda: v128,
  alpha: v128,
  beta1: v128,
  oneMinusBeta1: v128,
  beta2: v128,
  oneMinusBeta2: v128,
  epsilon: v128,
): v128 {
  const w = v128.load(weight);
  const gradient = madd(twiceLambda, w, sum);
  adamVector(weight, moment1, moment2, gradient, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon);
  return f32x4.mul(w, w);
}

@inline
function gradientColumn(entries: i32, samples: usize, values: usize, gradients: usize, rowBytes: usize): v128 {
  let sum = f32x4.splat(0);
  for (let e = 0; e < entries; e++) {
    sum = madd(entryValue(values, e), v128.load(entryRow(gradients, samples, e, rowBytes)), sum);
  }
  return sum;
}

/**
 * For every weight row (one per input unit): the gradient from the unit's list, the L2 term, Adam.
 * Returns Σw² of
 * the weights before the update (for the L2 loss; 0 is returned when λ is 0).
 */
export function weightGradientAdam(
  inputs: i32,
  stride: i32,
  unitIndices: usize,
  unitValues: usize,
  unitCounts: usize,
  unitStride: i32,
  gradients: usize,
  weights: usize,
  moments1: usize,
  moments2: usize,
  settings: usize,
  lambda: f32,
): f64 {
  const s = changetype<AdamStep>(settings);
  const alpha = f32x4.splat(s.alpha);
  const beta1 = f32x4.splat(s.beta1);
  const oneMinusBeta1 = f32x4.splat(s.oneMinusBeta1);
  const beta2 = f32x4.splat(s.beta2);
  const oneMinusBeta2 = f32x4.splat(s.oneMinusBeta2);
  const epsilon = f32x4.splat(s.epsilon);
  const twiceLambda = f32x4.splat(2 * lambda);
  const withL2 = lambda != 0;
  const rowBytes = <usize>stride << 2;
  const blockEnd = rowBytes & ~(BLOCK_BYTES - 1);
  let squares: f64 = 0;
  for (let unit = 0; unit < inputs; unit++) {
    const entries = load<i32>(unitCounts + (<usize>unit << 2));
    const listAt = (<usize>unit * <usize>unitStride) << 2;
    const samples = unitIndices + listAt;
    const values = unitValues + listAt;
    const rowAt = <usize>unit * rowBytes;
    let rowSquares = f32x4.splat(0);
    let column: usize = 0;
    for (; column < blockEnd; column += BLOCK_BYTES) {
      const g = gradients + column;
      let g0 = f32x4.splat(0);
      let g1 = f32x4.splat(0);
      let g2 = f32x4.splat(0);
      let g3 = f32x4.splat(0);
      for (let e = 0; e < entries; e++) {
        const x = entryValue(values, e);
        const row = entryRow(g, samples, e, rowBytes);
        g0 = madd(x, v128.load(row, 0), g0);
        g1 = madd(x, v128.load(row, 16), g1);
        g2 = madd(x, v128.load(row, 32), g2);
        g3 = madd(x, v128.load(row, 48), g3);
      }
      const at = rowAt + column;
      const w = weights + at;
      const m = moments1 + at;
      const v = moments2 + at;
      if (withL2) {
        let sq = applyGradient(w, m, v, g0, twiceLambda, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon);
        sq = f32x4.add(sq, applyGradient(w + 16, m + 16, v + 16, g1, twiceLambda, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon));
        sq = f32x4.add(sq, applyGradient(w + 32, m + 32, v + 32, g2, twiceLambda, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon));
        sq = f32x4.add(sq, applyGradient(w + 48, m + 48, v + 48, g3, twiceLambda, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon));
        rowSquares = f32x4.add(rowSquares, sq);
      } else {
        // Without L2 the gradient is the sum itself (sum + 0·w), and Σw² is not asked for.
        adamVector(w, m, v, g0, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon);
        adamVector(w + 16, m + 16, v + 16, g1, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon);
        adamVector(w + 32, m + 32, v + 32, g2, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon);
        adamVector(w + 48, m + 48, v + 48, g3, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon);
      }
    }
    for (; column < rowBytes; column += VECTOR_BYTES) {
      const sum = gradientColumn(entries, samples, values, gradients + column, rowBytes);
      const at = rowAt + column;
      const sq = applyGradient(weights + at, moments1 + at, moments2 + at, sum, twiceLambda, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon);
      rowSquares = f32x4.add(rowSquares, sq);
    }
    if (lambda != 0) squares += <f64>horizontalSum(rowSquares);
  }
  return squares;
}

/** Σx² over `count` floats (a multiple of 4), for the L2 loss of the current weights. */
export function sumOfSquares(count: i32, values: usize): f64 {
  const bytes = <usize>count << 2;
  let total: f64 = 0;
  for (let offset: usize = 0; offset < bytes; offset += VECTOR_BYTES) {
    const v = v128.load(values + offset);
    total += <f64>horizontalSum(f32x4.mul(v, v));
  }
  return total;
}
