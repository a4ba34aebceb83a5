// The gradients of a Conv2D layer computed as matrix products over its patches (conv.ts explains the
// layouts): the kernel's gradient patchesᵀ · g, summed over tiles of patch rows that stay in the
// first-level cache, and the input's, g · kernelᵀ per patch row, gathered back onto the input pixels.

const VECTOR_BYTES: usize = 16;

/** Patch rows per pass of the kernel gradient: a tile that stays in the first-level cache while every kernel row reads it. */
const ROWS_PER_TILE = 32;

/**
 * Kernel gradient rows [firstRow, endRow) of `depth`: dK[t] = Σ_m patches[m][t]·g[m] over `rows` patch rows,
 * written (not added). The patch rows go in tiles of ROWS_PER_TILE; per tile, two kernel rows × 16 columns
 * (or four × 8) are summed in registers and added to dK, then one row × 4 columns.
 */
export function convKernelGradient(
  firstRow: i32, endRow: i32, rows: i32, patchStride: i32, filterStride: i32, patches: usize, gradients: usize, kernelGradient: usize,
): void {
  const patchBytes = <usize>patchStride << 2;
  const rowBytes = <usize>filterStride << 2;
  memory.fill(kernelGradient + <usize>firstRow * rowBytes, 0, <usize>(endRow - firstRow) * rowBytes);
  for (let tile = 0; tile < rows; tile += ROWS_PER_TILE) {
    const count = min(ROWS_PER_TILE, rows - tile);
    kernelGradientTile(firstRow, endRow, count, patchBytes, rowBytes, patches + <usize>tile * patchBytes, gradients + <usize>tile * rowBytes, kernelGradient);
  }
}

@inline
function addStore(at: usize, value: v128): void {
  v128.store(at, f32x4.add(v128.load(at), value));
}

function kernelGradientTile(firstRow: i32, endRow: i32, rows: i32, patchBytes: usize, rowBytes: usize, patches: usize, gradients: usize, kernelGradient: usize): void {
  let column: usize = 0;
  for (; column + 64 <= rowBytes; column += 64) {
    let t = firstRow;
    for (; t + 2 <= endRow; t += 2) {
      let a0 = f32x4.splat(0);
      let a1 = a0;
      let a2 = a0;
      let a3 = a0;
      let b0 = a0;
      let b1 = a0;
      let b2 = a0;
      let b3 = a0;
      let patch = patches + (<usize>t << 2);
      let g = gradients + column;
      for (let m = 0; m < rows; m++, patch += patchBytes, g += rowBytes) {
        const x = load<f32>(patch);
        const z = load<f32>(patch, 4);
        if (x == 0 && z == 0) continue;
        const g0 = v128.load(g, 0);
        const g1 = v128.load(g, 16);
        const g2 = v128.load(g, 32);
        const g3 = v128.load(g, 48);
        const vx = f32x4.splat(x);
        const vz = f32x4.splat(z);
        a0 = f32x4.add(a0, f32x4.mul(vx, g0));
        a1 = f32x4.add(a1, f32x4.mul(vx, g1));
        a2 = f32x4.add(a2, f32x4.mul(vx, g2));
        a3 = f32x4.add(a3, f32x4.mul(vx, g3));
        b0 = f32x4.add(b0, f32x4.mul(vz, g0));
        b1 = f32x4.add(b1, f32x4.mul(vz, g1));
        b2 = f32x4.add(b2, f32x4.mul(vz, g2));
        b3 = f32x4.add(b3, f32x4.mul(vz, g3));
      }
      const target = kernelGradient + <usize>t * rowBytes + column;
      addStore(target, a0);
      addStore(target + 16, a1);
      addStore(target + 32, a2);
      addStore(target + 48, a3);
      addStore(target + rowBytes, b0);
      addStore(target + rowBytes + 16, b1);
      addStore(target + rowBytes + 32, b2);
      addStore(target + rowBytes + 48, b3);
    }
    for (; t < endRow; t++) kernelGradientVectors(t, rows, patchBytes, rowBytes, patches, gradients + column, kernelGradient + column, 4);
  }
  for (; column + 32 <= rowBytes; column += 32) {
    let t = firstRow;
    for (; t + 4 <= endRow; t += 4) {
      let a0 = f32x4.splat(0);
      let a1 = a0;
      let b0 = a0;
      let b1 = a0;
      let c0 = a0;
      let c1 = a0;
      let d0 = a0;
      let d1 = a0;
      let patch = patches + (<usize>t << 2);
      let g = gradients + column;
      for (let m = 0; m < rows; m++, patch += patchBytes, g += rowBytes) {
        const x0 = load<f32>(patch);
        const x1 = load<f32>(patch, 4);
        const x2 = load<f32>(patch, 8);
        const x3 = load<f32>(patch, 12);
        if (x0 == 0 && x1 == 0 && x2 == 0 && x3 == 0) continue;
        const g0 = v128.load(g, 0);
        const g1 = v128.load(g, 16);
        let v = f32x4.splat(x0);
        a0 = f32x4.add(a0, f32x4.mul(v, g0));
        a1 = f32x4.add(a1, f32x4.mul(v, g1));
        v = f32x4.splat(x1);
        b0 = f32x4.add(b0, f32x4.mul(v, g0));
        b1 = f32x4.add(b1, f32x4.mul(v, g1));
        v = f32x4.splat(x2);
        c0 = f32x4.add(c0, f32x4.mul(v, g0));
        c1 = f32x4.add(c1, f32x4.mul(v, g1));
        v = f32x4.splat(x3);
        d0 = f32x4.add(d0, f32x4.mul(v, g0));
        d1 = f32x4.add(d1, f32x4.mul(v, g1));
      }
      const target = kernelGradient + <usize>t * rowBytes + column;
      addStore(target, a0);
      addStore(target + 16, a1);
      addStore(target + rowBytes, b0);
      addStore(target + rowBytes + 16, b1);
      addStore(target + 2 * rowBytes, c0);
      addStore(target + 2 * rowBytes + 16, c1);
      addStore(target + 3 * rowBytes, d0);
      addStore(target + 3 * rowBytes + 16, d1);
    }
    for (; t < endRow; t++) kernelGradientVectors(t, rows, patchBytes, rowBytes, patches, gradients + column, kernelGradient + column, 2);
  }
  for (; column < rowBytes; column += VECTOR_BYTES) {
    for (let t = firstRow; t < endRow; t++) kernelGradientVectors(t, rows, patchBytes, rowBytes, patches, gradients + column, kernelGradient + column, 1);
  }
}

/** One kernel row's `vectors` vectors of columns, added to dK. */
function kernelGradientVectors(t: i32, rows: i32, patchBytes: usize, rowBytes: usize, patches: usize, gradients: usize, kernelGradient: usize, vectors: i32): void {
  for (let v = 0; v < vectors; v++) {
    const offset = <usize>v << 4;
    let a = f32x4.splat(0);
    let patch = patches + (<usize>t << 2);
    let g = gradients + offset;
    for (let m = 0; m < rows; m++, patch += patchBytes, g += rowBytes) {
      const x = load<f32>(patch);
      if (x == 0) continue;
      a = f32x4.add(a, f32x4.mul(f32x4.splat(x), v128.load(g)));
    }
    addStore(kernelGradient + <usize>t * rowBytes + offset, a);
  }
}

/** kernelT (filterStride × patchStride) = the kernel (depth × filterStride) transposed, zeros beyond depth. */
export function convTransposeKernel(depth: i32, patchStride: i32, filterStride: i32, kernel: usize, kernelT: usize): void {
  memory.fill(kernelT, 0, <usize>filterStride * <usize>patchStride << 2);
  for (let t = 0; t < depth; t++) {
    for (let f = 0; f < filterStride; f++) {
      store<f32>(kernelT + ((<usize>f * <usize>patchStride + <usize>t) << 2), load<f32>(kernel + ((<usize>t * <usize>filterStride + <usize>f) << 2)));
    }
  }
}

/** Patch gradient rows [first, end): dP[m] = Σ_f g[m][f]·kernelT[f], 16 patch columns in registers at a time. */
export function convPatchGradient(first: i32, end: i32, filters: i32, patchStride: i32, filterStride: i32, gradients: usize, kernelT: usize, patchGradients: usize): void {
  const patchBytes = <usize>patchStride << 2;
  const rowBytes = <usize>filterStride << 2;
  for (let m = first; m < end; m++) {
    const g = gradients + <usize>m * rowBytes;
    const target = patchGradients + <usize>m * patchBytes;
    let column: usize = 0;
    for (; column + 64 <= patchBytes; column += 64) {
      let a0 = f32x4.splat(0);
      let a1 = a0;
      let a2 = a0;
      let a3 = a0;
      let row = kernelT + column;
      for (let f = 0; f < filters; f++, row += patchBytes) {
        const value = load<f32>(g + (<usize>f << 2));
        if (value == 0) continue;
        const v = f32x4.splat(value);
        a0 = f32x4.add(a0, f32x4.mul(v, v128.load(row, 0)));
        a1 = f32x4.add(a1, f32x4.mul(v, v128.load(row, 16)));
        a2 = f32x4.add(a2, f32x4.mul(v, v128.load(row, 32)));
        a3 = f32x4.add(a3, f32x4.mul(v, v128.load(row, 48)));
      }
      v128.store(target + column, a0, 0);
      v128.store(target + column, a1, 16);
      v128.store(target + column, a2, 32);
      v128.store(target + column, a3, 48);
    }
    for (; column < patchBytes; column += VECTOR_BYTES) {
      let a = f32x4.splat(0);
      let row = kernelT + column;
      for (let f = 0; f < filters; f++, row += patchBytes) {
        const value = load<f32>(g + (<usize>f << 2));
        if (value == 0) continue;
        a = f32x4.add(a, f32x4.mul(f32x4.splat(value), v128.load(row)));
      }
      v128.store(target + column, a);
    }
  }
}

/**
 * The input gradient for input pixels [first, end), gathered from the patch gradients of every output
 * pixel whose patch holds it: dIn[n, iy, ix] = Σ_{ky,kx} dP[n, iy-ky+before, ix-kx+before][(ky, kx)].
 * inStride must be a multiple of 4 (a conv layer's output); the first layer needs no input gradient.
 */
export function convGatherInputGradient(first: i32, end: i32, side: i32, inStride: i32, kernelSize: i32, patchStride: i32, patchGradients: usize, inputGradient: usize): void {
  const before = (kernelSize - 1) >> 1;
  const tapBytes = <usize>inStride << 2;
  const patchBytes = <usize>patchStride << 2;
  const area = side * side;
  for (let p = first; p < end; p++) {
    const sample = p / area;
    const iy = (p % area) / side;
    const ix = p % side;
    const target = inputGradient + <usize>p * tapBytes;
    memory.fill(target, 0, tapBytes);
    for (let ky = 0; ky < kernelSize; ky++) {
      const y = iy - ky + before;
      if (y < 0 || y >= side) continue;
      for (let kx = 0; kx < kernelSize; kx++) {
        const x = ix - kx + before;
        if (x < 0 || x >= side) continue;
        const from = patchGradients + <usize>((sample * side + y) * side + x) * patchBytes + <usize>(ky * kernelSize + kx) * tapBytes;
        for (let offset: usize = 0; offset < tapBytes; offset += VECTOR_BYTES) {
          v128.store(target + offset, f32x4.add(v128.load(target + offset), v128.load(from + offset)));
        }
      }
    }
  }
}
