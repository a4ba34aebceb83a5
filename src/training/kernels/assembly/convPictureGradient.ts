// The kernel gradient of a Conv2D layer over the picture (one input channel, inStride 1) as a dense
// product in registers: dK[t][f] = Σ_m patch[m][t] · g[m][f], the patches read in place from the padded
// pictures (conv.ts), one picture row of output pixels at a time (its gradient rows stay in the
// first-level cache while every tap reads them). The sparse form (convGradient.ts) adds K short rows of
// one or two vectors per nonzero gradient here, and the loop overhead dominated: measured (A/B) on
// 8:5,16:5 this kernel takes the first layer's kernel gradient from 1.0 to about 0.4 ms per step.
import { paddedSide } from './conv';
import { madd } from './simd';

@inline
function addStore(at: usize, value: v128): void {
  v128.store(at, f32x4.add(v128.load(at), value));
}

/** Where tap t of a patch is in the padded picture: row t / K, column t % K (floats, inStride 1). */
@inline
function tapOffset(t: i32, kernelSize: i32, lineBytes: usize): usize {
  return <usize>(t / kernelSize) * lineBytes + (<usize>(t % kernelSize) << 2);
}

/**
 * Kernel gradient rows (taps) [firstTap, endTap) of a layer over the picture, written (not added), in the
 * parameters' layout (K² rows × filterStride), over the batch's `pixels` output pixels.
 */
export function convPictureKernelGradient(
  firstTap: i32, endTap: i32, pixels: i32, side: i32, kernelSize: i32, filterStride: i32, padded: usize, gradients: usize, kernelGradient: usize,
): void {
  const outer = paddedSide(side, kernelSize);
  const lineBytes = <usize>outer << 2;
  const rowBytes = <usize>filterStride << 2;
  memory.fill(kernelGradient + <usize>firstTap * rowBytes, 0, <usize>(endTap - firstTap) * rowBytes);
  const rows = pixels / side;
  for (let row = 0; row < rows; row++) {
    const n = row / side;
    const y = row % side;
    const line = padded + <usize>(n * outer + y) * lineBytes;
    pictureRow(firstTap, endTap, side, kernelSize, lineBytes, rowBytes, line, gradients + <usize>(row * side) * rowBytes, kernelGradient);
  }
}

/** One picture row of `side` output pixels (patches from `line` on, 4 bytes apart) added to dK rows [firstTap, endTap). */
function pictureRow(firstTap: i32, endTap: i32, side: i32, kernelSize: i32, lineBytes: usize, rowBytes: usize, line: usize, gradients: usize, kernelGradient: usize): void {
  let column: usize = 0;
  for (; column + 64 <= rowBytes; column += 64) {
    let t = firstTap;
    for (; t + 2 <= endTap; t += 2) {
      let a0 = f32x4.splat(0);
      let a1 = a0;
      let a2 = a0;
      let a3 = a0;
      let b0 = a0;
      let b1 = a0;
      let b2 = a0;
      let b3 = a0;
      const first = line + tapOffset(t, kernelSize, lineBytes);
      const second = line + tapOffset(t + 1, kernelSize, lineBytes);
      let g = gradients + column;
      for (let j = 0; j < side; j++, g += rowBytes) {
        const vx = f32x4.splat(load<f32>(first + (<usize>j << 2)));
        const vz = f32x4.splat(load<f32>(second + (<usize>j << 2)));
        const g0 = v128.load(g, 0);
        const g1 = v128.load(g, 16);
        const g2 = v128.load(g, 32);
        const g3 = v128.load(g, 48);
        a0 = madd(vx, g0, a0);
        a1 = madd(vx, g1, a1);
        a2 = madd(vx, g2, a2);
        a3 = madd(vx, g3, a3);
        b0 = madd(vz, g0, b0);
        b1 = madd(vz, g1, b1);
        b2 = madd(vz, g2, b2);
        b3 = madd(vz, g3, b3);
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
    for (; t < endTap; t++) tapVectors(t, side, kernelSize, lineBytes, rowBytes, line, gradients + column, kernelGradient + column, 4);
  }
  for (; column + 32 <= rowBytes; column += 32) {
    let t = firstTap;
    for (; t + 4 <= endTap; t += 4) {
      let a0 = f32x4.splat(0);
      let a1 = a0;
      let b0 = a0;
      let b1 = a0;
      let c0 = a0;
      let c1 = a0;
      let d0 = a0;
      let d1 = a0;
      const p0 = line + tapOffset(t, kernelSize, lineBytes);
      const p1 = line + tapOffset(t + 1, kernelSize, lineBytes);
      const p2 = line + tapOffset(t + 2, kernelSize, lineBytes);
      const p3 = line + tapOffset(t + 3, kernelSize, lineBytes);
      let g = gradients + column;
      for (let j = 0; j < side; j++, g += rowBytes) {
        const offset = <usize>j << 2;
        const g0 = v128.load(g, 0);
        const g1 = v128.load(g, 16);
        let v = f32x4.splat(load<f32>(p0 + offset));
        a0 = madd(v, g0, a0);
        a1 = madd(v, g1, a1);
        v = f32x4.splat(load<f32>(p1 + offset));
        b0 = madd(v, g0, b0);
        b1 = madd(v, g1, b1);
        v = f32x4.splat(load<f32>(p2 + offset));
        c0 = madd(v, g0, c0);
        c1 = madd(v, g1, c1);
        v = f32x4.splat(load<f32>(p3 + offset));
        d0 = madd(v, g0, d0);
        d1 = madd(v, g1, d1);
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
    for (; t < endTap; t++) tapVectors(t, side, kernelSize, lineBytes, rowBytes, line, gradients + column, kernelGradient + column, 2);
  }
  for (; column < rowBytes; column += 16) {
    for (let t = firstTap; t < endTap; t++) tapVectors(t, side, kernelSize, lineBytes, rowBytes, line, gradients + column, kernelGradient + column, 1);
  }
}

/** One tap's `vectors` vectors of columns over the row, added to dK. */
function tapVectors(t: i32, side: i32, kernelSize: i32, lineBytes: usize, rowBytes: usize, line: usize, gradients: usize, kernelGradient: usize, vectors: i32): void {
  const patch = line + tapOffset(t, kernelSize, lineBytes);
  for (let v = 0; v < vectors; v++) {
    const offset = <usize>v << 4;
    let a = f32x4.splat(0);
    let g = gradients + offset;
    for (let j = 0; j < side; j++, g += rowBytes) a = madd(f32x4.splat(load<f32>(patch + (<usize>j << 2))), v128.load(g), a);
    addStore(kernelGradient + <usize>t * rowBytes + offset, a);
  }
}
