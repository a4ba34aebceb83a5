// The gradients of a Conv2D layer (conv.ts explains the layouts), computed from the nonzero entries of
// the output gradient g only. After 2×2 max pooling and relu at most one pixel in four of each filter
// has a gradient, so instead of dense products over every pixel (patchesᵀ · g for the kernel, g ·
// kernelᵀ gathered back for the input) each nonzero g[m][f] adds g · (patch row m) to the transposed
// kernel gradient's row f, and g · (kernel column f) onto the input pixels of patch m. Measured on the
// 8:5,16:5 network against the dense products: a quarter of the multiply-adds, and no patch-gradient
// buffer to write and gather.
import { paddedSide, patchAt } from './conv';
import { madd } from './simd';

const VECTOR_BYTES: usize = 16;

/** to[0..bytes) += scale · from[0..bytes), bytes a multiple of 16. */
@inline
function addScaled(to: usize, from: usize, scale: v128, bytes: usize): void {
  let offset: usize = 0;
  for (; offset + 4 * VECTOR_BYTES <= bytes; offset += 4 * VECTOR_BYTES) {
    v128.store(to + offset, madd(v128.load(from + offset), scale, v128.load(to + offset)));
    v128.store(to + offset, madd(v128.load(from + offset, 16), scale, v128.load(to + offset, 16)), 16);
    v128.store(to + offset, madd(v128.load(from + offset, 32), scale, v128.load(to + offset, 32)), 32);
    v128.store(to + offset, madd(v128.load(from + offset, 48), scale, v128.load(to + offset, 48)), 48);
  }
  for (; offset < bytes; offset += VECTOR_BYTES) v128.store(to + offset, madd(v128.load(from + offset), scale, v128.load(to + offset)));
}

/**
 * Floats per kernel row (ky) in the transposed kernel gradient: K·inStride rounded up to a multiple of 4,
 * so that a patch's row is added in whole vectors (the extra floats, read past the row, are dropped).
 */
@inline
function segmentFloats(kernelSize: i32, inStride: i32): i32 {
  return (kernelSize * inStride + 3) & ~3;
}

/**
 * Rows [firstFilter, endFilter) of the transposed kernel gradient (filterStride rows of K segments of
 * segmentFloats, written, not added): dKT[f] = Σ_m g[m][f] · patch m over the batch's `pixels` output
 * pixels, zeros skipped; patch m read from the padded pictures (conv.ts), K rows of K·inStride floats.
 * The padded pictures must have 3 floats to spare after them (the last row's whole vectors).
 */
export function convKernelGradientT(
  firstFilter: i32, endFilter: i32, pixels: i32, side: i32, inStride: i32, kernelSize: i32, filterStride: i32,
  padded: usize, gradients: usize, kernelGradientT: usize,
): void {
  const segmentBytes = <usize>segmentFloats(kernelSize, inStride) << 2;
  const kernelBytes = <usize>kernelSize * segmentBytes;
  const rowBytes = <usize>filterStride << 2;
  const outer = paddedSide(side, kernelSize);
  const tapBytes = <usize>inStride << 2;
  const lineBytes = <usize>outer * tapBytes;
  memory.fill(kernelGradientT + <usize>firstFilter * kernelBytes, 0, <usize>(endFilter - firstFilter) * kernelBytes);
  const firstGroup = firstFilter & ~3;
  for (let m = 0; m < pixels; m++) {
    const g = gradients + <usize>m * rowBytes;
    const patch = patchAt(m, side, outer, tapBytes, padded);
    for (let group = firstGroup; group < endFilter; group += 4) {
      // Four filters at a time: most groups of a pixel are all zero.
      if (!v128.any_true(v128.load(g + (<usize>group << 2)))) continue;
      const last = min(group + 4, endFilter);
      for (let f = max(group, firstFilter); f < last; f++) {
        const value = load<f32>(g + (<usize>f << 2));
        if (value == 0) continue;
        const scale = f32x4.splat(value);
        let to = kernelGradientT + <usize>f * kernelBytes;
        let from = patch;
        for (let ky = 0; ky < kernelSize; ky++, to += segmentBytes, from += lineBytes) addScaled(to, from, scale, segmentBytes);
      }
    }
  }
}

/** The kernel gradient (depth × filterStride, the parameters' layout) from its transpose; zeros in the padding columns. */
export function convKernelGradientFromT(kernelSize: i32, inStride: i32, filters: i32, filterStride: i32, kernelGradientT: usize, kernelGradient: usize): void {
  const segment = kernelSize * inStride;
  const segmentStride = segmentFloats(kernelSize, inStride);
  memory.fill(kernelGradient, 0, <usize>(kernelSize * segment) * <usize>filterStride << 2);
  for (let f = 0; f < filters; f++) {
    for (let ky = 0; ky < kernelSize; ky++) {
      for (let i = 0; i < segment; i++) {
        const t = ky * segment + i;
        const from = (f * kernelSize + ky) * segmentStride + i;
        store<f32>(kernelGradient + ((<usize>t * <usize>filterStride + <usize>f) << 2), load<f32>(kernelGradientT + (<usize>from << 2)));
      }
    }
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

/**
 * The input gradient of images [firstImage, endImage) (written, not added): for every output pixel m
 * and filter f with g[m][f] ≠ 0, g · kernelT[f] added onto the input pixels of m's patch (those inside
 * the picture): dIn[n, y+ky-before, x+kx-before] += g · kernel[ky, kx, :, f]. inStride must be a multiple
 * of 4 (a conv layer's output); the first layer needs no input gradient. Split by images, two threads
 * never write the same pixel.
 */
export function convInputGradient(
  firstImage: i32, endImage: i32, side: i32, inStride: i32, kernelSize: i32, filters: i32, filterStride: i32, patchStride: i32,
  gradients: usize, kernelT: usize, inputGradient: usize,
): void {
  const before = (kernelSize - 1) >> 1;
  const tapBytes = <usize>inStride << 2;
  const kernelRowBytes = <usize>kernelSize * tapBytes;
  const patchBytes = <usize>patchStride << 2;
  const rowBytes = <usize>filterStride << 2;
  const area = side * side;
  memory.fill(inputGradient + <usize>(firstImage * area) * tapBytes, 0, <usize>((endImage - firstImage) * area) * tapBytes);
  for (let n = firstImage; n < endImage; n++) {
    for (let y = 0; y < side; y++) {
      const kyStart = max(0, before - y);
      const kyEnd = min(kernelSize, side + before - y);
      for (let x = 0; x < side; x++) {
        const kxStart = max(0, before - x);
        const kxEnd = min(kernelSize, side + before - x);
        const segmentBytes = <usize>(kxEnd - kxStart) * tapBytes;
        const g = gradients + <usize>((n * side + y) * side + x) * rowBytes;
        // The input pixel of tap (kyStart, kxStart), and that tap's place in a kernelT row.
        const corner = inputGradient + <usize>((n * side + y + kyStart - before) * side + x + kxStart - before) * tapBytes;
        const tapOffset = <usize>kyStart * kernelRowBytes + <usize>kxStart * tapBytes;
        // The nonzero filters four at a time: each input vector is loaded and stored once for the four.
        let f = 0;
        while (f < filters) {
          let found = 0;
          let f0 = 0;
          let f1 = 0;
          let f2 = 0;
          let f3 = 0;
          for (; f < filters && found < 4; f++) {
            if ((f & 3) == 0 && !v128.any_true(v128.load(g + (<usize>f << 2)))) {
              f += 3;
              continue;
            }
            if (load<f32>(g + (<usize>f << 2)) == 0) continue;
            if (found == 0) f0 = f;
            else if (found == 1) f1 = f;
            else if (found == 2) f2 = f;
            else f3 = f;
            found++;
          }
          if (found == 4) {
            const k0 = kernelT + <usize>f0 * patchBytes + tapOffset;
            const k1 = kernelT + <usize>f1 * patchBytes + tapOffset;
            const k2 = kernelT + <usize>f2 * patchBytes + tapOffset;
            const k3 = kernelT + <usize>f3 * patchBytes + tapOffset;
            const s0 = f32x4.splat(load<f32>(g + (<usize>f0 << 2)));
            const s1 = f32x4.splat(load<f32>(g + (<usize>f1 << 2)));
            const s2 = f32x4.splat(load<f32>(g + (<usize>f2 << 2)));
            const s3 = f32x4.splat(load<f32>(g + (<usize>f3 << 2)));
            let to = corner;
            let from: usize = 0;
            for (let ky = kyStart; ky < kyEnd; ky++, from += kernelRowBytes, to += <usize>side * tapBytes) {
              for (let offset: usize = 0; offset < segmentBytes; offset += VECTOR_BYTES) {
                const at = from + offset;
                let d = v128.load(to + offset);
                d = madd(v128.load(k0 + at), s0, d);
                d = madd(v128.load(k1 + at), s1, d);
                d = madd(v128.load(k2 + at), s2, d);
                d = madd(v128.load(k3 + at), s3, d);
                v128.store(to + offset, d);
              }
            }
          } else {
            for (let i = 0; i < found; i++) {
              const filter = i == 0 ? f0 : i == 1 ? f1 : f2;
              const scale = f32x4.splat(load<f32>(g + (<usize>filter << 2)));
              let from = kernelT + <usize>filter * patchBytes + tapOffset;
              let to = corner;
              for (let ky = kyStart; ky < kyEnd; ky++, from += kernelRowBytes, to += <usize>side * tapBytes) addScaled(to, from, scale, segmentBytes);
            }
          }
        }
      }
    }
  }
}
