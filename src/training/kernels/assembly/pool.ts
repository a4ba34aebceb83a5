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
    // The first largest of a, b, c, d, four channels at a time: a where a is at least the others; b where
    // it is above a and at least c and d; c where above a and b and at least d; d where above all three.
    for (let column: usize = 0; column < pixelBytes; column += VECTOR_BYTES) {
      const a = v128.load(topLeft + column);
      const b = v128.load(topLeft + pixelBytes + column);
      const c = v128.load(topLeft + rowBytes + column);
      const d = v128.load(topLeft + rowBytes + pixelBytes + column);
      const g = v128.load(gradient + column);
      const cd = f32x4.max(c, d);
      const takeA = v128.and(f32x4.ge(a, b), f32x4.ge(a, cd));
      const takeB = v128.and(f32x4.gt(b, a), f32x4.ge(b, cd));
      const aboveAB = f32x4.gt(c, f32x4.max(a, b));
      const takeC = v128.and(aboveAB, f32x4.ge(c, d));
      const takeD = v128.not(v128.or(v128.or(takeA, takeB), takeC));
      v128.store(targetTopLeft + column, v128.and(g, takeA));
      v128.store(targetTopLeft + pixelBytes + column, v128.and(g, takeB));
      v128.store(targetTopLeft + rowBytes + column, v128.and(g, takeC));
      v128.store(targetTopLeft + rowBytes + pixelBytes + column, v128.and(g, takeD));
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
