// MaxPooling2D(2×2, stride 2, padding 'valid') forward and backward, NHWC over `stride` floats per
// pixel (a multiple of 4). An odd side drops its last row and column, as Keras does (7 -> 3). The
// gradient goes to the first largest of the four inputs in row-major order, as TensorFlow's and
// tfjs's MaxPoolGrad route it.

const VECTOR_BYTES: usize = 16;

/** out[n, oy, ox] = max of in[n, 2oy..2oy+1, 2ox..2ox+1], for output pixels [first, end) of batch·half·half. */
export function maxPoolForward(first: i32, end: i32, side: i32, stride: i32, input: usize, out: usize): void {
  const half = side >> 1;
  const area = half * half;
  const pixelBytes = <usize>stride << 2;
  const rowBytes = <usize>side * pixelBytes;
  for (let p = first; p < end; p++) {
    const sample = p / area;
    const oy = (p % area) / half;
    const ox = p % half;
    const topLeft = input + <usize>((sample * side + 2 * oy) * side + 2 * ox) * pixelBytes;
    const target = out + <usize>p * pixelBytes;
    for (let column: usize = 0; column < pixelBytes; column += VECTOR_BYTES) {
      const top = f32x4.max(v128.load(topLeft + column), v128.load(topLeft + pixelBytes + column));
      const bottom = f32x4.max(v128.load(topLeft + rowBytes + column), v128.load(topLeft + rowBytes + pixelBytes + column));
      v128.store(target + column, f32x4.max(top, bottom));
    }
  }
}

/**
 * The input gradient of the pool for the output pixels [first, end): each output's gradient to the first
 * largest of its four inputs, 0 to the other three. Inputs outside every window (an odd side's last row
 * and column) are set to 0 by the call that covers the sample's last output pixel.
 */
export function maxPoolBackward(first: i32, end: i32, side: i32, stride: i32, input: usize, gradients: usize, inputGradient: usize): void {
  const half = side >> 1;
  const area = half * half;
  const pixelBytes = <usize>stride << 2;
  const rowBytes = <usize>side * pixelBytes;
  for (let p = first; p < end; p++) {
    const sample = p / area;
    const oy = (p % area) / half;
    const ox = p % half;
    const offset = <usize>((sample * side + 2 * oy) * side + 2 * ox) * pixelBytes;
    const topLeft = input + offset;
    const targetTopLeft = inputGradient + offset;
    const gradient = gradients + <usize>p * pixelBytes;
    for (let column: usize = 0; column < pixelBytes; column += 4) {
      const a = load<f32>(topLeft + column);
      const b = load<f32>(topLeft + pixelBytes + column);
      const c = load<f32>(topLeft + rowBytes + column);
      const d = load<f32>(topLeft + rowBytes + pixelBytes + column);
      const g = load<f32>(gradient + column);
      // The first largest: a strictly larger later value takes over.
      let best = a;
      let which = 0;
      if (b > best) { best = b; which = 1; }
      if (c > best) { best = c; which = 2; }
      if (d > best) { which = 3; }
      store<f32>(targetTopLeft + column, which == 0 ? g : <f32>0);
      store<f32>(targetTopLeft + pixelBytes + column, which == 1 ? g : <f32>0);
      store<f32>(targetTopLeft + rowBytes + column, which == 2 ? g : <f32>0);
      store<f32>(targetTopLeft + rowBytes + pixelBytes + column, which == 3 ? g : <f32>0);
    }
    // An odd side: the last column (beside the last window of a row pair) and, after the last window,
    // the last row get no gradient.
    if ((side & 1) != 0) {
      if (ox == half - 1) {
        memory.fill(targetTopLeft + 2 * pixelBytes, 0, pixelBytes);
        memory.fill(targetTopLeft + rowBytes + 2 * pixelBytes, 0, pixelBytes);
      }
      if (oy == half - 1 && ox == half - 1) {
        memory.fill(inputGradient + <usize>((sample * side + side - 1) * side) * pixelBytes, 0, rowBytes);
      }
    }
  }
}
