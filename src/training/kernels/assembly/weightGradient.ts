// A Dense layer's weight gradient dW[i] = Σ_s x[s][i]·dz[s] (+ 2λ·W[i] for Keras's l2(λ)), summed in
// registers and applied by Adam at once: the gradient is never stored. Weight rows go in pairs, which
// share every gradient row they load: per listed sample, one load of a gradient vector feeds two
// multiply-adds, and 2 rows × 4 vectors are 8 independent sums (enough to hide a multiply-add's
// latency). Layouts as in dense.ts.
import { AdamStep, adamVector } from './adam';
import { listSamplesOfUnits } from './lists';
import { madd } from './simd';

/** Adam with the L2 term for one vector (the gradient is `sum + 2λ·w`); returns the vector's w² before the update. */
@inline
function applyGradient(weight: usize, moment1: usize, moment2: usize, sum: v128, twiceLambda: v128, withL2: bool, alpha: v128, beta1: v128, oneMinusBeta1: v128, beta2: v128, oneMinusBeta2: v128, epsilon: v128): v128 {
  const w = v128.load(weight);
  // Without L2 the gradient is the sum itself (sum + 0·w would be the same but for -0).
  const gradient = withL2 ? madd(twiceLambda, w, sum) : sum;
  adamVector(weight, moment1, moment2, gradient, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon);
  return f32x4.mul(w, w);
}

/**
 * For weight rows [first, end) (one per input unit; `first` even, so the pairs are the same however
 * the rows are split): the gradient from the samples where the row's input is not zero, the L2 term,
 * Adam. The pair of rows (i, i + 1) lists its samples and both inputs' values at offset i·unitStride of
 * `samples` and `values` (rows i and i + 1 of values hold the two). `input` is the layer's input (rows
 * `inputStride` floats apart, `batch` samples). Returns Σw² of the weights before the update (0 when λ
 * is 0).
 */
export function weightGradientAdam(
  first: i32,
  end: i32,
  batch: i32,
  input: usize,
  inputStride: i32,
  samples: usize,
  values: usize,
  unitStride: i32,
  stride: i32,
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
  const blockEnd = rowBytes & ~(<usize>63);
  const inputRowBytes = <usize>inputStride << 2;
  const listBytes = <usize>unitStride << 2;
  let squares = f32x4.splat(0);
  let total: f64 = 0;
  for (let unit = first; unit < end; unit += 2) {
    const pair = unit + 1 < end;
    const listAt = <usize>unit * listBytes;
    const list = samples + listAt;
    const valuesA = values + listAt;
    // Alone, the row reads its own values again for the second sums (computed, not applied).
    const valuesB = pair ? valuesA + listBytes : valuesA;
    const entries = listSamplesOfUnits(batch, input, inputRowBytes, unit, pair, list, valuesA, valuesB);
    const rowA = <usize>unit * rowBytes;
    // Alone, row b is row a again: its sums are computed but not applied.
    const rowB = pair ? rowA + rowBytes : rowA;
    let column: usize = 0;
    for (; column < blockEnd; column += 64) {
      const g = gradients + column;
      let a0 = f32x4.splat(0);
      let a1 = a0;
      let a2 = a0;
      let a3 = a0;
      let b0 = a0;
      let b1 = a0;
      let b2 = a0;
      let b3 = a0;
      for (let e = 0; e < entries; e++) {
        const at = <usize>e << 2;
        const xa = v128.load32_splat(valuesA + at);
        const xb = v128.load32_splat(valuesB + at);
        const row = g + <usize>load<i32>(list + at) * rowBytes;
        let dz = v128.load(row, 0);
        a0 = madd(xa, dz, a0);
        b0 = madd(xb, dz, b0);
        dz = v128.load(row, 16);
        a1 = madd(xa, dz, a1);
        b1 = madd(xb, dz, b1);
        dz = v128.load(row, 32);
        a2 = madd(xa, dz, a2);
        b2 = madd(xb, dz, b2);
        dz = v128.load(row, 48);
        a3 = madd(xa, dz, a3);
        b3 = madd(xb, dz, b3);
      }
      const at = rowA + column;
      let sq = applyGradient(weights + at, moments1 + at, moments2 + at, a0, twiceLambda, withL2, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon);
      sq = f32x4.add(sq, applyGradient(weights + at + 16, moments1 + at + 16, moments2 + at + 16, a1, twiceLambda, withL2, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon));
      sq = f32x4.add(sq, applyGradient(weights + at + 32, moments1 + at + 32, moments2 + at + 32, a2, twiceLambda, withL2, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon));
      sq = f32x4.add(sq, applyGradient(weights + at + 48, moments1 + at + 48, moments2 + at + 48, a3, twiceLambda, withL2, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon));
      if (pair) {
        const bt = rowB + column;
        sq = f32x4.add(sq, applyGradient(weights + bt, moments1 + bt, moments2 + bt, b0, twiceLambda, withL2, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon));
        sq = f32x4.add(sq, applyGradient(weights + bt + 16, moments1 + bt + 16, moments2 + bt + 16, b1, twiceLambda, withL2, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon));
        sq = f32x4.add(sq, applyGradient(weights + bt + 32, moments1 + bt + 32, moments2 + bt + 32, b2, twiceLambda, withL2, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon));
        sq = f32x4.add(sq, applyGradient(weights + bt + 48, moments1 + bt + 48, moments2 + bt + 48, b3, twiceLambda, withL2, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon));
      }
      squares = f32x4.add(squares, sq);
    }
    // The last 2 vectors (or 1) of the rows: entries alternate between two sets of sums, added at the end.
    for (; column < rowBytes; column += 32) {
      const second: usize = rowBytes - column > 16 ? 16 : 0;
      const g = gradients + column;
      let a0 = f32x4.splat(0);
      let a1 = a0;
      let b0 = a0;
      let b1 = a0;
      let c0 = a0;
      let c1 = a0;
      let d0 = a0;
      let d1 = a0;
      let e = 0;
      for (; e + 1 < entries; e += 2) {
        const at = <usize>e << 2;
        const row = g + <usize>load<i32>(list + at) * rowBytes;
        const nextRow = g + <usize>load<i32>(list + at, 4) * rowBytes;
        const xa = v128.load32_splat(valuesA + at);
        const xb = v128.load32_splat(valuesB + at);
        const ya = v128.load32_splat(valuesA + at, 4);
        const yb = v128.load32_splat(valuesB + at, 4);
        let dz = v128.load(row);
        a0 = madd(xa, dz, a0);
        b0 = madd(xb, dz, b0);
        dz = v128.load(row + second);
        a1 = madd(xa, dz, a1);
        b1 = madd(xb, dz, b1);
        dz = v128.load(nextRow);
        c0 = madd(ya, dz, c0);
        d0 = madd(yb, dz, d0);
        dz = v128.load(nextRow + second);
        c1 = madd(ya, dz, c1);
        d1 = madd(yb, dz, d1);
      }
      if (e < entries) {
        const at = <usize>e << 2;
        const row = g + <usize>load<i32>(list + at) * rowBytes;
        const xa = v128.load32_splat(valuesA + at);
        const xb = v128.load32_splat(valuesB + at);
        a0 = madd(xa, v128.load(row), a0);
        b0 = madd(xb, v128.load(row), b0);
        a1 = madd(xa, v128.load(row + second), a1);
        b1 = madd(xb, v128.load(row + second), b1);
      }
      const at = rowA + column;
      let sq = applyGradient(weights + at, moments1 + at, moments2 + at, f32x4.add(a0, c0), twiceLambda, withL2, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon);
      if (second != 0) sq = f32x4.add(sq, applyGradient(weights + at + 16, moments1 + at + 16, moments2 + at + 16, f32x4.add(a1, c1), twiceLambda, withL2, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon));
      if (pair) {
        const bt = rowB + column;
        sq = f32x4.add(sq, applyGradient(weights + bt, moments1 + bt, moments2 + bt, f32x4.add(b0, d0), twiceLambda, withL2, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon));
        if (second != 0) sq = f32x4.add(sq, applyGradient(weights + bt + 16, moments1 + bt + 16, moments2 + bt + 16, f32x4.add(b1, d1), twiceLambda, withL2, alpha, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon));
      }
      squares = f32x4.add(squares, sq);
    }
    // Σw² per pair of rows into f64, as the old kernel summed per row: f32 sums stay short.
    if (withL2) total += <f64>(f32x4.extract_lane(squares, 0) + f32x4.extract_lane(squares, 1)) + <f64>(f32x4.extract_lane(squares, 2) + f32x4.extract_lane(squares, 3));
    squares = f32x4.splat(0);
  }
  return total;
}
