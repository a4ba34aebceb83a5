// Conv2D (stride 1, padding 'same', relu) and its gradients as matrix products over patches (im2col):
// each output pixel's receptive field, K·K taps of `inStride` floats, is copied into one row of
// `patchStride` floats (a multiple of 4; zeros outside the picture), so the forward pass is
// patches · kernel, the kernel's gradient patchesᵀ · g and the patches' gradient g · kernelᵀ,
// gathered back onto the input pixels. Layouts (f32, NHWC, row-major): pictures
// `batch × side × side × stride`; the kernel in Keras's [kh, kw, in, out] layout with `in` padded to
// inStride rows per tap and `out` to filterStride columns (a multiple of 4); padding holds zeros
// that stay zero (relu(0) = 0, zero gradients), so the math is the layer's exactly. TensorFlow's
// 'same' padding for stride 1 puts (K-1)/2 rows before, rounded down, and the rest after.
// Products are blocked in registers: 2 rows × 16 columns or 4 rows × 8 columns (8 accumulators),
// then one row × 4 columns; zeros (relu outputs, the picture's background) are skipped.
// Measured against direct loops over the taps (the first version): for the 8:5,16:5 network the
// patches take half the CPU time per epoch (26 s against 57 s on one core).

const VECTOR_BYTES: usize = 16;

/** Copies `bytes` (a multiple of 4) from `from` to `to`: vectors, then floats (a patch row's pieces are short). */
@inline
function copyFloats(to: usize, from: usize, bytes: usize): void {
  let offset: usize = 0;
  for (; offset + VECTOR_BYTES <= bytes; offset += VECTOR_BYTES) v128.store(to + offset, v128.load(from + offset));
  for (; offset < bytes; offset += 4) store<f32>(to + offset, load<f32>(from + offset));
}

@inline
function zeroFloats(to: usize, bytes: usize): void {
  let offset: usize = 0;
  for (; offset + VECTOR_BYTES <= bytes; offset += VECTOR_BYTES) v128.store(to + offset, f32x4.splat(0));
  for (; offset < bytes; offset += 4) store<f32>(to + offset, 0);
}

/** Patch rows for output pixels [first, end) of batch·side·side. */
export function convPatches(first: i32, end: i32, side: i32, inStride: i32, kernelSize: i32, patchStride: i32, input: usize, patches: usize): void {
  const before = (kernelSize - 1) >> 1;
  const tapBytes = <usize>inStride << 2;
  const patchBytes = <usize>patchStride << 2;
  const area = side * side;
  for (let p = first; p < end; p++) {
    const sample = p / area;
    const y = (p % area) / side;
    const x = p % side;
    let target = patches + <usize>p * patchBytes;
    const rowEnd = target + patchBytes;
    for (let ky = 0; ky < kernelSize; ky++) {
      const iy = y + ky - before;
      // The taps of one kernel row that fall inside the picture are contiguous in memory.
      const xStart = max(0, before - x);
      const xEnd = min(kernelSize, side + before - x);
      if (iy < 0 || iy >= side || xStart >= xEnd) {
        zeroFloats(target, <usize>kernelSize * tapBytes);
      } else {
        zeroFloats(target, <usize>xStart * tapBytes);
        const from = input + (<usize>((sample * side + iy) * side + x + xStart - before)) * tapBytes;
        copyFloats(target + <usize>xStart * tapBytes, from, <usize>(xEnd - xStart) * tapBytes);
        zeroFloats(target + <usize>xEnd * tapBytes, <usize>(kernelSize - xEnd) * tapBytes);
      }
      target += <usize>kernelSize * tapBytes;
    }
    zeroFloats(target, rowEnd - target);
  }
}

/** out rows [first, end) = relu(bias + patches · kernel), over `depth` kernel rows. */
export function convForward(first: i32, end: i32, depth: i32, patchStride: i32, filterStride: i32, patches: usize, kernel: usize, bias: usize, out: usize): void {
  const patchBytes = <usize>patchStride << 2;
  const rowBytes = <usize>filterStride << 2;
  const zero = f32x4.splat(0);
  let column: usize = 0;
  for (; column + 64 <= rowBytes; column += 64) {
    let p = first;
    for (; p + 2 <= end; p += 2) {
      const a = patches + <usize>p * patchBytes;
      const b = a + patchBytes;
      let a0 = v128.load(bias + column, 0);
      let a1 = v128.load(bias + column, 16);
      let a2 = v128.load(bias + column, 32);
      let a3 = v128.load(bias + column, 48);
      let b0 = a0;
      let b1 = a1;
      let b2 = a2;
      let b3 = a3;
      let row = kernel + column;
      for (let t = 0; t < depth; t++, row += rowBytes) {
        const x = load<f32>(a + (<usize>t << 2));
        const z = load<f32>(b + (<usize>t << 2));
        if (x == 0 && z == 0) continue;
        const k0 = v128.load(row, 0);
        const k1 = v128.load(row, 16);
        const k2 = v128.load(row, 32);
        const k3 = v128.load(row, 48);
        const vx = f32x4.splat(x);
        const vz = f32x4.splat(z);
        a0 = f32x4.add(a0, f32x4.mul(vx, k0));
        a1 = f32x4.add(a1, f32x4.mul(vx, k1));
        a2 = f32x4.add(a2, f32x4.mul(vx, k2));
        a3 = f32x4.add(a3, f32x4.mul(vx, k3));
        b0 = f32x4.add(b0, f32x4.mul(vz, k0));
        b1 = f32x4.add(b1, f32x4.mul(vz, k1));
        b2 = f32x4.add(b2, f32x4.mul(vz, k2));
        b3 = f32x4.add(b3, f32x4.mul(vz, k3));
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
    for (; p < end; p++) forwardRowVectors(depth, patches + <usize>p * patchBytes, kernel + column, rowBytes, bias + column, out + <usize>p * rowBytes + column, 4);
  }
  for (; column + 32 <= rowBytes; column += 32) {
    let p = first;
    for (; p + 4 <= end; p += 4) {
      const a = patches + <usize>p * patchBytes;
      let a0 = v128.load(bias + column, 0);
      let a1 = v128.load(bias + column, 16);
      let b0 = a0;
      let b1 = a1;
      let c0 = a0;
      let c1 = a1;
      let d0 = a0;
      let d1 = a1;
      let row = kernel + column;
      for (let t = 0; t < depth; t++, row += rowBytes) {
        const at = a + (<usize>t << 2);
        const x0 = load<f32>(at);
        const x1 = load<f32>(at + patchBytes);
        const x2 = load<f32>(at + 2 * patchBytes);
        const x3 = load<f32>(at + 3 * patchBytes);
        if (x0 == 0 && x1 == 0 && x2 == 0 && x3 == 0) continue;
        const k0 = v128.load(row, 0);
        const k1 = v128.load(row, 16);
        let v = f32x4.splat(x0);
        a0 = f32x4.add(a0, f32x4.mul(v, k0));
        a1 = f32x4.add(a1, f32x4.mul(v, k1));
        v = f32x4.splat(x1);
        b0 = f32x4.add(b0, f32x4.mul(v, k0));
        b1 = f32x4.add(b1, f32x4.mul(v, k1));
        v = f32x4.splat(x2);
        c0 = f32x4.add(c0, f32x4.mul(v, k0));
        c1 = f32x4.add(c1, f32x4.mul(v, k1));
        v = f32x4.splat(x3);
        d0 = f32x4.add(d0, f32x4.mul(v, k0));
        d1 = f32x4.add(d1, f32x4.mul(v, k1));
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
    for (; p < end; p++) forwardRowVectors(depth, patches + <usize>p * patchBytes, kernel + column, rowBytes, bias + column, out + <usize>p * rowBytes + column, 2);
  }
  for (; column < rowBytes; column += VECTOR_BYTES) {
    for (let p = first; p < end; p++) forwardRowVectors(depth, patches + <usize>p * patchBytes, kernel + column, rowBytes, bias + column, out + <usize>p * rowBytes + column, 1);
  }
}

/** One output row's `vectors` (1, 2 or 4) vectors of columns. */
function forwardRowVectors(depth: i32, patch: usize, kernel: usize, rowBytes: usize, bias: usize, out: usize, vectors: i32): void {
  for (let v = 0; v < vectors; v++) {
    const offset = <usize>v << 4;
    let a = v128.load(bias + offset);
    let row = kernel + offset;
    for (let t = 0; t < depth; t++, row += rowBytes) {
      const x = load<f32>(patch + (<usize>t << 2));
      if (x == 0) continue;
      a = f32x4.add(a, f32x4.mul(f32x4.splat(x), v128.load(row)));
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
