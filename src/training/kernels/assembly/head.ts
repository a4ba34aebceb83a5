// The output layer's softmax with mean sparse categorical cross-entropy, as Keras computes it for a
// softmax output: the loss from the logits (log-sum-exp), and its gradient at the logits (p - onehot)/B.

// WebAssembly has no exp or log instruction; the host's Math provides them (in double precision).
@external("env", "exp")
declare function exp(x: f64): f64;
@external("env", "log")
declare function log(x: f64): f64;

export const CLASSES: i32 = 10;

/** exp(z - largest) of a row's logits into `exps` (as floats; not kept when it is 0); returns their sum (of the doubles). */
@inline
function rowExps(row: usize, largest: f32, exps: usize): f64 {
  let total: f64 = 0;
  for (let c = 0; c < CLASSES; c++) {
    const e = exp(<f64>load<f32>(row + (<usize>c << 2)) - <f64>largest);
    if (exps != 0) store<f32>(exps + (<usize>c << 2), <f32>e);
    total += e;
  }
  return total;
}

/**
 * For each sample: softmax of its `CLASSES` logits (rows `stride` floats apart), its loss and whether
 * the arg max is its label, added to stats (f64 loss sum, f64 correct count); and, when `gradients` is
 * not 0, (p - onehot)·inverseBatch into the gradient rows (padding columns stay 0).
 */
export function softmaxCrossEntropy(
  batch: i32,
  stride: i32,
  logits: usize,
  labels: usize,
  gradients: usize,
  stats: usize,
  inverseBatch: f32,
): void {
  let lossSum: f64 = 0;
  let correct: f64 = 0;
  const rowBytes = <usize>stride << 2;
  for (let s = 0; s < batch; s++) {
    const row = logits + <usize>s * rowBytes;
    const label = load<i32>(labels + (<usize>s << 2));
    let best = 0;
    let largest = load<f32>(row);
    for (let c = 1; c < CLASSES; c++) {
      const z = load<f32>(row + (<usize>c << 2));
      if (z > largest) {
        largest = z;
        best = c;
      }
    }
    // Each exp once (a call out to the host's Math costs more than the rest): kept in the gradient row, as
    // Keras's float32 softmax keeps them, then divided by their (double) sum.
    const gradientRow = gradients == 0 ? 0 : gradients + <usize>s * rowBytes;
    const total = rowExps(row, largest, gradientRow);
    lossSum += log(total) + <f64>largest - <f64>load<f32>(row + (<usize>label << 2));
    if (best == label) correct += 1;
    if (gradients == 0) continue;
    for (let c = 0; c < CLASSES; c++) {
      const p = <f64>load<f32>(gradientRow + (<usize>c << 2)) / total;
      const target: f64 = c == label ? 1 : 0;
      store<f32>(gradientRow + (<usize>c << 2), <f32>(p - target) * inverseBatch);
    }
  }
  store<f64>(stats, load<f64>(stats) + lossSum);
  store<f64>(stats, load<f64>(stats, 8) + correct, 8);
}

/**
 * The softmax of each sample's `CLASSES` logits (rows `stride` floats apart) into `probabilities`
 * (rows of `CLASSES`), as the output layer's activation computes it for prediction: exp(z - max)/Σ.
 */
export function softmaxRows(batch: i32, stride: i32, logits: usize, probabilities: usize): void {
  const rowBytes = <usize>stride << 2;
  for (let s = 0; s < batch; s++) {
    const row = logits + <usize>s * rowBytes;
    const out = probabilities + ((<usize>s * <usize>CLASSES) << 2);
    let largest = load<f32>(row);
    for (let c = 1; c < CLASSES; c++) largest = max(largest, load<f32>(row + (<usize>c << 2)));
    const total = rowExps(row, largest, out);
    for (let c = 0; c < CLASSES; c++) store<f32>(out + (<usize>c << 2), <f32>(<f64>load<f32>(out + (<usize>c << 2)) / total));
  }
}
