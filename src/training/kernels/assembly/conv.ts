// A Conv2D layer (stride 1, padding 'same', relu) forward, and its gradients, as direct loops.
// Layouts (f32, NHWC, row-major): an input picture `batch × side × side × inStride` (the first
// `channels` of each pixel's inStride floats are the channels); the kernel in Keras's layout
// [kh, kw, in, out], each (kh, kw, in) row padded from the layer's filters to `filterStride` floats
// (a multiple of 4); the output and its gradient `batch × side × side × filterStride`. Padding
// columns hold zeros and stay zero (their outputs are relu(0) = 0, their gradients 0), so the
// math is the layer's exactly. TensorFlow's 'same' padding for stride 1 puts (K-1)/2 rows before,
// rounded down, and the rest after. Filters are processed 16 at a time in registers (4 vectors),
// then 4 at a time.

const VECTOR_BYTES: usize = 16;
const BLOCK_BYTES: usize = 64;

@inline
function pixelAt(base: usize, sample: i32, y: i32, x: i32, side: i32, pixelBytes: usize): usize {
  return base + <usize>((sample * side + y) * side + x) * pixelBytes;
}

/**
 * out = relu(bias + Σ_{ky,kx,c} in[y+ky-before, x+kx-before, c]·kernel[ky,kx,c]) for one output pixel and
 * the 16 filters at byte `column` of each row.
 */
function forwardBlock(
  input: usize, inPixelBytes: usize, channels: i32, side: i32, sample: i32, y: i32, x: i32, kernelSize: i32, before: i32,
  kernel: usize, rowBytes: usize, bias: usize, out: usize,
): void {
  let a0 = v128.load(bias, 0);
  let a1 = v128.load(bias, 16);
  let a2 = v128.load(bias, 32);
  let a3 = v128.load(bias, 48);
  for (let ky = 0; ky < kernelSize; ky++) {
    const iy = y + ky - before;
    if (iy < 0 || iy >= side) continue;
    for (let kx = 0; kx < kernelSize; kx++) {
      const ix = x + kx - before;
      if (ix < 0 || ix >= side) continue;
      const pixel = pixelAt(input, sample, iy, ix, side, inPixelBytes);
      let row = kernel + <usize>((ky * kernelSize + kx) * channels) * rowBytes;
      for (let c = 0; c < channels; c++, row += rowBytes) {
        const value = load<f32>(pixel + (<usize>c << 2));
        if (value == 0) continue;
        const v = f32x4.splat(value);
        a0 = f32x4.add(a0, f32x4.mul(v, v128.load(row, 0)));
        a1 = f32x4.add(a1, f32x4.mul(v, v128.load(row, 16)));
        a2 = f32x4.add(a2, f32x4.mul(v, v128.load(row, 32)));
        a3 = f32x4.add(a3, f32x4.mul(v, v128.load(row, 48)));
      }
    }
  }
  const zero = f32x4.splat(0);
  v128.store(out, f32x4.max(a0, zero), 0);
  v128.store(out, f32x4.max(a1, zero), 16);
  v128.store(out, f32x4.max(a2, zero), 32);
  v128.store(out, f32x4.max(a3, zero), 48);
}

/** The same for 4 filters. */
function forwardVector(
  input: usize, inPixelBytes: usize, channels: i32, side: i32, sample: i32, y: i32, x: i32, kernelSize: i32, before: i32,
  kernel: usize, rowBytes: usize, bias: usize, out: usize,
): void {
  let a = v128.load(bias);
  for (let ky = 0; ky < kernelSize; ky++) {
    const iy = y + ky - before;
    if (iy < 0 || iy >= side) continue;
    for (let kx = 0; kx < kernelSize; kx++) {
      const ix = x + kx - before;
      if (ix < 0 || ix >= side) continue;
      const pixel = pixelAt(input, sample, iy, ix, side, inPixelBytes);
      let row = kernel + <usize>((ky * kernelSize + kx) * channels) * rowBytes;
      for (let c = 0; c < channels; c++, row += rowBytes) {
        const value = load<f32>(pixel + (<usize>c << 2));
        if (value == 0) continue;
        a = f32x4.add(a, f32x4.mul(f32x4.splat(value), v128.load(row)));
      }
    }
  }
  v128.store(out, f32x4.max(a, f32x4.splat(0)));
}

/** The output pixels [first, end) (of batch·side·side) of Conv2D + bias + relu. */
export function convForward(
  first: i32, end: i32, side: i32, channels: i32, inStride: i32, filterStride: i32, kernelSize: i32,
  input: usize, kernel: usize, bias: usize, out: usize,
): void {
  const before = (kernelSize - 1) >> 1;
  const inPixelBytes = <usize>inStride << 2;
  const rowBytes = <usize>filterStride << 2;
  const blockEnd = rowBytes & ~(BLOCK_BYTES - 1);
  const area = side * side;
  for (let p = first; p < end; p++) {
    const sample = p / area;
    const y = (p % area) / side;
    const x = p % side;
    const outPixel = out + <usize>p * rowBytes;
    let column: usize = 0;
    for (; column < blockEnd; column += BLOCK_BYTES) {
      forwardBlock(input, inPixelBytes, channels, side, sample, y, x, kernelSize, before, kernel + column, rowBytes, bias + column, outPixel + column);
    }
    for (; column < rowBytes; column += VECTOR_BYTES) {
      forwardVector(input, inPixelBytes, channels, side, sample, y, x, kernelSize, before, kernel + column, rowBytes, bias + column, outPixel + column);
    }
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

/**
 * The kernel gradient rows [firstRow, endRow) of the K·K·channels rows (ky, kx, c):
 * dK[ky,kx,c] = Σ_{n,y,x} in[n, y+ky-before, x+kx-before, c]·g[n,y,x], summed in registers over the
 * batch, 16 filters at a time, and written (not added) to `kernelGradient`.
 */
export function convKernelGradient(
  firstRow: i32, endRow: i32, batch: i32, side: i32, channels: i32, inStride: i32, filterStride: i32, kernelSize: i32,
  input: usize, gradients: usize, kernelGradient: usize,
): void {
  const before = (kernelSize - 1) >> 1;
  const inPixelBytes = <usize>inStride << 2;
  const rowBytes = <usize>filterStride << 2;
  const blockEnd = rowBytes & ~(BLOCK_BYTES - 1);
  for (let r = firstRow; r < endRow; r++) {
    const c = r % channels;
    const tap = r / channels;
    const dy = tap / kernelSize - before;
    const dx = tap % kernelSize - before;
    // Output pixels whose tap falls inside the picture.
    const yStart = max(0, -dy);
    const yEnd = min(side, side - dy);
    const xStart = max(0, -dx);
    const xEnd = min(side, side - dx);
    const target = kernelGradient + <usize>r * rowBytes;
    let column: usize = 0;
    for (; column < blockEnd; column += BLOCK_BYTES) {
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      let a2 = f32x4.splat(0);
      let a3 = f32x4.splat(0);
      for (let n = 0; n < batch; n++) {
        for (let y = yStart; y < yEnd; y++) {
          let pixel = pixelAt(input, n, y + dy, xStart + dx, side, inPixelBytes) + (<usize>c << 2);
          let g = pixelAt(gradients, n, y, xStart, side, rowBytes) + column;
          for (let x = xStart; x < xEnd; x++, pixel += inPixelBytes, g += rowBytes) {
            const value = load<f32>(pixel);
            if (value == 0) continue;
            const v = f32x4.splat(value);
            a0 = f32x4.add(a0, f32x4.mul(v, v128.load(g, 0)));
            a1 = f32x4.add(a1, f32x4.mul(v, v128.load(g, 16)));
            a2 = f32x4.add(a2, f32x4.mul(v, v128.load(g, 32)));
            a3 = f32x4.add(a3, f32x4.mul(v, v128.load(g, 48)));
          }
        }
      }
      v128.store(target + column, a0, 0);
      v128.store(target + column, a1, 16);
      v128.store(target + column, a2, 32);
      v128.store(target + column, a3, 48);
    }
    for (; column < rowBytes; column += VECTOR_BYTES) {
      let a = f32x4.splat(0);
      for (let n = 0; n < batch; n++) {
        for (let y = yStart; y < yEnd; y++) {
          let pixel = pixelAt(input, n, y + dy, xStart + dx, side, inPixelBytes) + (<usize>c << 2);
          let g = pixelAt(gradients, n, y, xStart, side, rowBytes) + column;
          for (let x = xStart; x < xEnd; x++, pixel += inPixelBytes, g += rowBytes) {
            const value = load<f32>(pixel);
            if (value == 0) continue;
            a = f32x4.add(a, f32x4.mul(f32x4.splat(value), v128.load(g)));
          }
        }
      }
      v128.store(target + column, a);
    }
  }
}

@inline
function horizontalSum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * The input gradient for input pixels [first, end) (of batch·side·side):
 * dIn[n,iy,ix,c] = Σ_{ky,kx} g[n, iy-ky+before, ix-kx+before]·kernel[ky,kx,c], written to the first
 * `channels` floats of each pixel's inStride (the padding floats are set to 0).
 */
export function convInputGradient(
  first: i32, end: i32, side: i32, channels: i32, inStride: i32, filterStride: i32, kernelSize: i32,
  gradients: usize, kernel: usize, inputGradient: usize,
): void {
  const before = (kernelSize - 1) >> 1;
  const inPixelBytes = <usize>inStride << 2;
  const rowBytes = <usize>filterStride << 2;
  const area = side * side;
  for (let p = first; p < end; p++) {
    const sample = p / area;
    const iy = (p % area) / side;
    const ix = p % side;
    const target = inputGradient + <usize>p * inPixelBytes;
    memory.fill(target, 0, inPixelBytes);
    for (let c = 0; c < channels; c++) {
      let sum = f32x4.splat(0);
      for (let ky = 0; ky < kernelSize; ky++) {
        const y = iy - ky + before;
        if (y < 0 || y >= side) continue;
        for (let kx = 0; kx < kernelSize; kx++) {
          const x = ix - kx + before;
          if (x < 0 || x >= side) continue;
          const g = pixelAt(gradients, sample, y, x, side, rowBytes);
          const row = kernel + <usize>((ky * kernelSize + kx) * channels + c) * rowBytes;
          for (let column: usize = 0; column < rowBytes; column += VECTOR_BYTES) {
            sum = f32x4.add(sum, f32x4.mul(v128.load(g + column), v128.load(row + column)));
          }
        }
      }
      store<f32>(target + (<usize>c << 2), horizontalSum(sum));
    }
  }
}
