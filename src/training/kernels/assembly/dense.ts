// A Dense layer's forward pass and its gradient back to the layer below (its weight gradient with the
// Adam update: weightGradient.ts). Layouts (f32, row-major): weights `inputs × stride` (Keras's kernel
// layout, each row padded from the layer's width to `stride`, a multiple of 4); activations and
// gradients `batch × stride`. Padding columns hold zeros and stay zero: their outputs are 0, relu'(0) =
// 0 and a zero gradient leaves a zero weight with zero moments unchanged, so the math is the layer's
// exactly. Samples go in pairs, which share every weight row they load: per listed input, one load
// of a weight vector feeds two multiply-adds. Columns go in blocks of 4 SIMD vectors (16 floats, one
// cache line): 2 samples × 4 vectors are 8 independent sums in registers, enough to hide the latency of
// a multiply-add; the 1 to 3 vectors left over are a group of their own (joined to the last block, as 5 or
// 6 vectors, they made a width of 100 13% slower per unit than 128: too many sums for the registers).
// Every sum adds its entries in order.
import { listUnion } from './lists';
import { madd } from './simd';

const VECTOR_BYTES: usize = 16;

@inline
function splatAt(row: usize, index: i32): v128 {
  return v128.load32_splat(row + (<usize>index << 2));
}

/**
 * One pair's outputs over a group of `vectors` (1 to 4, a constant where it is inlined) vectors of 4
 * columns: outA/B = bias + Σ_listed a/b[i]·W[i] (a and b the pair's input rows), the entries summed in
 * order into 2 × `vectors` sums in registers.
 */
@inline
function forwardPairGroup(vectors: i32, entries: i32, indices: usize, a: usize, b: usize, weights: usize, rowBytes: usize, bias: usize, outA: usize, outB: usize): void {
  const zero = f32x4.splat(0);
  let a0 = v128.load(bias, 0);
  let a1 = vectors > 1 ? v128.load(bias, 16) : zero;
  let a2 = vectors > 2 ? v128.load(bias, 32) : zero;
  let a3 = vectors > 3 ? v128.load(bias, 48) : zero;
  let b0 = a0;
  let b1 = a1;
  let b2 = a2;
  let b3 = a3;
  for (let e = 0; e < entries; e++) {
    const index = load<i32>(indices + (<usize>e << 2));
    const xa = splatAt(a, index);
    const xb = splatAt(b, index);
    const row = weights + <usize>index * rowBytes;
    let w = v128.load(row, 0);
    a0 = madd(xa, w, a0);
    b0 = madd(xb, w, b0);
    if (vectors > 1) {
      w = v128.load(row, 16);
      a1 = madd(xa, w, a1);
      b1 = madd(xb, w, b1);
    }
    if (vectors > 2) {
      w = v128.load(row, 32);
      a2 = madd(xa, w, a2);
      b2 = madd(xb, w, b2);
    }
    if (vectors > 3) {
      w = v128.load(row, 48);
      a3 = madd(xa, w, a3);
      b3 = madd(xb, w, b3);
    }
  }
  // Alone (outB = outA), the second sums are the first's again, written over them.
  v128.store(outA, a0, 0);
  v128.store(outB, b0, 0);
  if (vectors > 1) {
    v128.store(outA, a1, 16);
    v128.store(outB, b1, 16);
  }
  if (vectors > 2) {
    v128.store(outA, a2, 32);
    v128.store(outB, b2, 32);
  }
  if (vectors > 3) {
    v128.store(outA, a3, 48);
    v128.store(outB, b3, 48);
  }
}

/** One pair's outputs over a whole row of `vectors` vectors: groups of 4 (one cache line), then the 1 to 3 left over. */
@inline
function forwardPairRow(vectors: i32, entries: i32, indices: usize, a: usize, b: usize, weights: usize, rowBytes: usize, bias: usize, outA: usize, outB: usize): void {
  const fours = vectors >> 2;
  let column: usize = 0;
  for (let g = 0; g < fours; g++, column += 64) {
    forwardPairGroup(4, entries, indices, a, b, weights + column, rowBytes, bias + column, outA + column, outB + column);
  }
  const rest = vectors & 3;
  if (rest == 3) forwardPairGroup(3, entries, indices, a, b, weights + column, rowBytes, bias + column, outA + column, outB + column);
  else if (rest == 2) forwardPairGroup(2, entries, indices, a, b, weights + column, rowBytes, bias + column, outA + column, outB + column);
  else if (rest == 1) forwardPairGroup(1, entries, indices, a, b, weights + column, rowBytes, bias + column, outA + column, outB + column);
}

/**
 * out = bias + x·W for each sample of the batch (`input` rows `inputStride` floats apart, `inputs`
 * values each, padding zero). Each pair of samples (2p, 2p + 1) lists the union of its non-zero
 * inputs at pairIndices + 2p·inputs and its count at pairCounts[2p] (the gradient to the layer below
 * reads them); an odd last sample is a pair with itself. `stride` is the padded width of the output.
 */
export function denseForward(
  batch: i32,
  inputs: i32,
  inputStride: i32,
  input: usize,
  pairIndices: usize,
  pairCounts: usize,
  stride: i32,
  weights: usize,
  bias: usize,
  out: usize,
): void {
  const rowBytes = <usize>stride << 2;
  const inputRowBytes = <usize>inputStride << 2;
  for (let s = 0; s < batch; s += 2) {
    const a = input + <usize>s * inputRowBytes;
    const pair = s + 1 < batch;
    const b = pair ? a + inputRowBytes : a;
    const indices = pairIndices + ((<usize>s * <usize>inputs) << 2);
    const entries = listUnion(a, b, inputs, indices);
    store<i32>(pairCounts + (<usize>s << 2), entries);
    const outA = out + <usize>s * rowBytes;
    // Alone, the second sums are the first's again, written over them.
    const outB = pair ? outA + rowBytes : outA;
    forwardPairRow(stride >> 2, entries, indices, a, b, weights, rowBytes, bias, outA, outB);
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

/**
 * The gradient at the pre-activation of the layer below: dzBelow[s][i] = (dz[s]·W[i]) · mask[s][i]
 * where the layer below's output h[s][i] is not zero, and 0 where it is (relu' is 0 there, or dropout
 * dropped it). The pairs' lists of the forward pass (denseForward) give the units where either sample
 * of a pair is active; each weight row is loaded once for both. `below` is that layer's output (h, rows
 * `belowStride` floats apart; `inputs` its width); no mask when `mask` is 0.
 */
export function backwardToLayerBelow(
  batch: i32,
  stride: i32,
  gradients: usize,
  weights: usize,
  pairIndices: usize,
  pairCounts: usize,
  inputs: i32,
  below: usize,
  belowStride: i32,
  mask: usize,
  gradientsBelow: usize,
): void {
  const rowBytes = <usize>stride << 2;
  const pairEnd = rowBytes & ~(2 * VECTOR_BYTES - 1);
  const belowRowBytes = <usize>belowStride << 2;
  memory.fill(gradientsBelow, 0, <usize>batch * belowRowBytes);
  for (let s = 0; s < batch; s += 2) {
    const pair = s + 1 < batch;
    const entries = load<i32>(pairCounts + (<usize>s << 2));
    const indices = pairIndices + ((<usize>s * <usize>inputs) << 2);
    const dzA = gradients + <usize>s * rowBytes;
    const dzB = pair ? dzA + rowBytes : dzA;
    const rowA = <usize>s * belowRowBytes;
    const rowB = pair ? rowA + belowRowBytes : rowA;
    for (let e = 0; e < entries; e++) {
      const unit = <usize>load<i32>(indices + (<usize>e << 2)) << 2;
      const w = weights + (unit >> 2) * rowBytes;
      let a0 = f32x4.splat(0);
      let a1 = a0;
      let b0 = a0;
      let b1 = a0;
      let offset: usize = 0;
      for (; offset < pairEnd; offset += 2 * VECTOR_BYTES) {
        const w0 = v128.load(w + offset);
        const w1 = v128.load(w + offset, 16);
        a0 = madd(v128.load(dzA + offset), w0, a0);
        b0 = madd(v128.load(dzB + offset), w0, b0);
        a1 = madd(v128.load(dzA + offset, 16), w1, a1);
        b1 = madd(v128.load(dzB + offset, 16), w1, b1);
      }
      if (offset < rowBytes) {
        const w0 = v128.load(w + offset);
        a0 = madd(v128.load(dzA + offset), w0, a0);
        b0 = madd(v128.load(dzB + offset), w0, b0);
      }
      // Only where the unit is active (h != 0) for that sample; b's write comes last (alone, it is a's).
      const hA = load<f32>(below + rowA + unit);
      const hB = load<f32>(below + rowB + unit);
      const scaleA: f32 = mask == 0 ? 1 : load<f32>(mask + rowA + unit);
      const scaleB: f32 = mask == 0 ? 1 : load<f32>(mask + rowB + unit);
      store<f32>(gradientsBelow + rowA + unit, hA == 0 ? 0 : horizontalSum(f32x4.add(a0, a1)) * scaleA);
      store<f32>(gradientsBelow + rowB + unit, hB == 0 ? 0 : horizontalSum(f32x4.add(b0, b1)) * scaleB);
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
