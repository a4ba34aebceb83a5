// Conv2D (stride 1, padding 'same', relu) as a matrix product over patches read in place (implicit
// GEMM): the block's input is first copied into a padded picture (zeros around it, written once and
// never touched again), in which each output pixel's receptive field is K rows of K·inStride contiguous
// floats, so the forward pass is patches · kernel without copying patches out (im2col). Layouts (f32,
// NHWC, row-major): pictures `batch × side × side × stride`, padded ones `batch × P × P × inStride` with
// P = side + K - 1; the kernel in Keras's [kh, kw, in, out] layout with `in` padded to inStride rows per
// tap and `out` to filterStride columns (a multiple of 4); padding holds zeros that stay zero (relu(0) =
// 0, zero gradients), so the math is the layer's exactly. TensorFlow's 'same' padding for stride 1 puts
// (K-1)/2 rows before, rounded down, and the rest after.
// Products are blocked in registers: 2 pixels × 16 columns or 4 pixels × 8 columns (8 accumulators),
// then one pixel × 4 columns. Measured (A/B, both CNNs of issue #23): copying the patches out (im2col)
// took a third of the forward time of the 8:5,16:5 network; skipping zero inputs in the blocked products
// cost more in branches than it saved (forward 10-20% slower), so only the one-pixel remainder skips them.

import { madd } from './simd';

const VECTOR_BYTES: usize = 16;

/** The padded picture's side for a kernel of `kernelSize`. */
@inline
export function paddedSide(side: i32, kernelSize: i32): i32 {
  return side + kernelSize - 1;
}

/**
 * Copies picture rows [first, end) of batch·side rows (`inStride` floats per pixel) into the padded
 * pictures; the padding around them is left as it is (zeros from the allocation).
 */
export function convPadInput(first: i32, end: i32, side: i32, inStride: i32, kernelSize: i32, input: usize, padded: usize): void {
  const before = (kernelSize - 1) >> 1;
  const outer = paddedSide(side, kernelSize);
  const rowBytes = <usize>(side * inStride) << 2;
  for (let row = first; row < end; row++) {
    const n = row / side;
    const y = row % side;
    const from = input + <usize>row * rowBytes;
    const to = padded + (<usize>((n * outer + y + before) * outer + before) * <usize>inStride << 2);
    memory.copy(to, from, rowBytes);
  }
}

/** The padded-picture address of output pixel p's receptive field (its top-left tap). */
@inline
export function patchAt(p: i32, side: i32, outer: i32, tapBytes: usize, padded: usize): usize {
  const area = side * side;
  const n = p / area;
  const y = (p % area) / side;
  const x = p % side;
  return padded + <usize>((n * outer + y) * outer + x) * tapBytes;
}

/** out rows [first, end) = relu(bias + patches · kernel), the patches read from the padded pictures. */
export function convForward(
  first: i32, end: i32, side: i32, inStride: i32, kernelSize: i32, filterStride: i32, padded: usize, kernel: usize, bias: usize, out: usize,
): void {
  const outer = paddedSide(side, kernelSize);
  const tapBytes = <usize>inStride << 2;
  const segment = kernelSize * inStride;
  const lineBytes = <usize>outer * tapBytes;
  const rowBytes = <usize>filterStride << 2;
  const segmentRowsBytes = <usize>segment * rowBytes;
  const zero = f32x4.splat(0);
  let column: usize = 0;
  for (; column + 64 <= rowBytes; column += 64) {
    let p = first;
    for (; p + 2 <= end; p += 2) {
      let a = patchAt(p, side, outer, tapBytes, padded);
      let b = patchAt(p + 1, side, outer, tapBytes, padded);
      let a0 = v128.load(bias + column, 0);
      let a1 = v128.load(bias + column, 16);
      let a2 = v128.load(bias + column, 32);
      let a3 = v128.load(bias + column, 48);
      let b0 = a0;
      let b1 = a1;
      let b2 = a2;
      let b3 = a3;
      let rows = kernel + column;
      for (let ky = 0; ky < kernelSize; ky++, a += lineBytes, b += lineBytes, rows += segmentRowsBytes) {
        let row = rows;
        for (let t = 0; t < segment; t++, row += rowBytes) {
          const x = load<f32>(a + (<usize>t << 2));
          const z = load<f32>(b + (<usize>t << 2));
          const k0 = v128.load(row, 0);
          const k1 = v128.load(row, 16);
          const k2 = v128.load(row, 32);
          const k3 = v128.load(row, 48);
          const vx = f32x4.splat(x);
          const vz = f32x4.splat(z);
          a0 = madd(vx, k0, a0);
          a1 = madd(vx, k1, a1);
          a2 = madd(vx, k2, a2);
          a3 = madd(vx, k3, a3);
          b0 = madd(vz, k0, b0);
          b1 = madd(vz, k1, b1);
          b2 = madd(vz, k2, b2);
          b3 = madd(vz, k3, b3);
        }
      }
      const outA = out + <usize>p * rowBytes + column;
      v128.store(outA, f32x4.max(a0, zero), 0);
      v128.store(outA, f32x4.max(a1, zero), 16);
      v128.store(outA, f32x4.max(a2, zero), 32);
      v128.store(outA, f32x4.max(a3, zero), 48);
      const outB = outA + rowBytes;
      v128.store(outB, f32x4.max(b0, zero), 0);
      v128.store(outB, f32x4.max(b1, zero), 16);
      v128.store(outB, f32x4.max(b2, zero), 32);
      v128.store(outB, f32x4.max(b3, zero), 48);
    }
    for (; p < end; p++) forwardRowVectors(kernelSize, segment, lineBytes, patchAt(p, side, outer, tapBytes, padded), kernel + column, rowBytes, bias + column, out + <usize>p * rowBytes + column, 4);
  }
  for (; column + 32 <= rowBytes; column += 32) {
    let p = first;
    for (; p + 4 <= end; p += 4) {
      let a = patchAt(p, side, outer, tapBytes, padded);
      let b = patchAt(p + 1, side, outer, tapBytes, padded);
      let c = patchAt(p + 2, side, outer, tapBytes, padded);
      let d = patchAt(p + 3, side, outer, tapBytes, padded);
      let a0 = v128.load(bias + column, 0);
      let a1 = v128.load(bias + column, 16);
      let b0 = a0;
      let b1 = a1;
      let c0 = a0;
      let c1 = a1;
      let d0 = a0;
      let d1 = a1;
      let rows = kernel + column;
      for (let ky = 0; ky < kernelSize; ky++, a += lineBytes, b += lineBytes, c += lineBytes, d += lineBytes, rows += segmentRowsBytes) {
        let row = rows;
        for (let t = 0; t < segment; t++, row += rowBytes) {
          const offset = <usize>t << 2;
          const x0 = load<f32>(a + offset);
          const x1 = load<f32>(b + offset);
          const x2 = load<f32>(c + offset);
          const x3 = load<f32>(d + offset);
          const k0 = v128.load(row, 0);
          const k1 = v128.load(row, 16);
          let v = f32x4.splat(x0);
          a0 = madd(v, k0, a0);
          a1 = madd(v, k1, a1);
          v = f32x4.splat(x1);
          b0 = madd(v, k0, b0);
          b1 = madd(v, k1, b1);
          v = f32x4.splat(x2);
          c0 = madd(v, k0, c0);
          c1 = madd(v, k1, c1);
          v = f32x4.splat(x3);
          d0 = madd(v, k0, d0);
          d1 = madd(v, k1, d1);
        }
      }
      const o = out + <usize>p * rowBytes + column;
      v128.store(o, f32x4.max(a0, zero), 0);
      v128.store(o, f32x4.max(a1, zero), 16);
      v128.store(o + rowBytes, f32x4.max(b0, zero), 0);
      v128.store(o + rowBytes, f32x4.max(b1, zero), 16);
      v128.store(o + 2 * rowBytes, f32x4.max(c0, zero), 0);
      v128.store(o + 2 * rowBytes, f32x4.max(c1, zero), 16);
      v128.store(o + 3 * rowBytes, f32x4.max(d0, zero), 0);
      v128.store(o + 3 * rowBytes, f32x4.max(d1, zero), 16);
    }
    for (; p < end; p++) forwardRowVectors(kernelSize, segment, lineBytes, patchAt(p, side, outer, tapBytes, padded), kernel + column, rowBytes, bias + column, out + <usize>p * rowBytes + column, 2);
  }
  for (; column < rowBytes; column += VECTOR_BYTES) {
    for (let p = first; p < end; p++) {
      forwardRowVectors(kernelSize, segment, lineBytes, patchAt(p, side, outer, tapBytes, padded), kernel + column, rowBytes, bias + column, out + <usize>p * rowBytes + column, 1);
    }
  }
}

/** One output pixel's `vectors` (1, 2 or 4) vectors of columns, its patch's K rows `lineBytes` apart from `patch`. */
function forwardRowVectors(kernelSize: i32, segment: i32, lineBytes: usize, patch: usize, kernel: usize, rowBytes: usize, bias: usize, out: usize, vectors: i32): void {
  for (let v = 0; v < vectors; v++) {
    const offset = <usize>v << 4;
    let a = v128.load(bias + offset);
    let row = kernel + offset;
    let line = patch;
    for (let ky = 0; ky < kernelSize; ky++, line += lineBytes) {
      for (let t = 0; t < segment; t++, row += rowBytes) {
        const x = load<f32>(line + (<usize>t << 2));
        if (x == 0) continue;
        a = madd(f32x4.splat(x), v128.load(row), a);
      }
    }
    v128.store(out + offset, f32x4.max(a, f32x4.splat(0)));
  }
}

/** g = g where the layer's relu output a is above 0, else 0, over `count` floats (a multiple of 4). */
export function reluGradient(count: i32, activations: usize, gradients: usize): void {
  const bytes = <usize>count << 2;
  const zero = f32x4.splat(0);
  for (let offset: usize = 0; offset < bytes; offset += VECTOR_BYTES) {
    const active = f32x4.gt(v128.load(activations + offset), zero);
    v128.store(gradients + offset, v128.and(v128.load(gradients + offset), active));
  }
}

/** The bias gradient: the sum of `pixels` rows of the output gradient (each filterStride floats). */
export function convBiasGradient(pixels: i32, filterStride: i32, gradients: usize, sums: usize): void {
  const rowBytes = <usize>filterStride << 2;
  for (let column: usize = 0; column < rowBytes; column += VECTOR_BYTES) {
    let even = f32x4.splat(0);
    let odd = f32x4.splat(0);
    let p = 0;
    for (; p + 1 < pixels; p += 2) {
      even = f32x4.add(even, v128.load(gradients + <usize>p * rowBytes + column));
      odd = f32x4.add(odd, v128.load(gradients + <usize>(p + 1) * rowBytes + column));
    }
    if (p < pixels) even = f32x4.add(even, v128.load(gradients + <usize>p * rowBytes + column));
    v128.store(sums + column, f32x4.add(even, odd));
  }
}
