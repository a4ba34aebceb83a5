// The non-zero inputs of a Dense layer, as lists of indices. A zero input adds exactly zero to every sum
// it enters (x·w = ±0, and s + ±0 = s), so the dense kernels read only the listed entries: about half
// the pixels of a Fashion-MNIST image are background, and relu (and dropout) zero many hidden units.
//
// The kernels work on pairs (two samples share each weight row they load; two weight rows share each
// gradient row they load), so a list is the union of a pair's non-zero entries; an entry that is zero
// in one of the two adds exactly zero to that one's sums. Appends are branch-free: an index is written
// at the list's end in every case but counted only when it belongs there, so the next one overwrites it.

/** Byte -> float 0..1 as the trainer's table (i/255, rounded to f32 once: a division of two exact floats). */
const PIXEL_SCALE: f32 = 255;

/**
 * The batch's images (uint8, `width` per sample, a multiple of 16) as floats 0..1 into `out` (rows
 * `width` floats apart): the first Dense layer's input, which its kernels read by index.
 */
export function pixelsToFloats(batch: i32, width: i32, images: usize, out: usize): void {
  const bytes = <usize>batch * <usize>width;
  const scale = f32x4.splat(PIXEL_SCALE);
  for (let at: usize = 0; at < bytes; at += 16) {
    const pixels = v128.load(images + at);
    const low = i16x8.extend_low_i8x16_u(pixels);
    const high = i16x8.extend_high_i8x16_u(pixels);
    const to = out + (at << 2);
    v128.store(to, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(low)), scale), 0);
    v128.store(to, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(low)), scale), 16);
    v128.store(to, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(high)), scale), 32);
    v128.store(to, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(high)), scale), 48);
  }
}

/**
 * Lists the indices i in [0, width) where a[i] or b[i] is not zero (two rows of floats; the row's
 * padding up to a multiple of 4 must read as zero) into `indices`; returns the count. At most
 * width + 1 slots are written.
 */
@inline
export function listUnion(a: usize, b: usize, width: i32, indices: usize): i32 {
  const zero = f32x4.splat(0);
  let count = 0;
  for (let i = 0; i < width; i += 4) {
    const at = <usize>i << 2;
    const lit = i32x4.bitmask(v128.or(f32x4.ne(v128.load(a + at), zero), f32x4.ne(v128.load(b + at), zero)));
    if (lit == 0) continue;
    store<i32>(indices + (<usize>count << 2), i);
    count += lit & 1;
    store<i32>(indices + (<usize>count << 2), i + 1);
    count += (lit >> 1) & 1;
    store<i32>(indices + (<usize>count << 2), i + 2);
    count += (lit >> 2) & 1;
    store<i32>(indices + (<usize>count << 2), i + 3);
    count += lit >> 3;
  }
  return count;
}

/**
 * For input units `unit` and `unit + 1` (or `unit` alone when `pair` is false): the samples where
 * either is not zero, with both values (`input` rows `inputRowBytes` apart, `batch` samples), into
 * `samples`, `valuesA`, `valuesB` (not written alone); returns the count.
 */
@inline
export function listSamplesOfUnits(batch: i32, input: usize, inputRowBytes: usize, unit: i32, pair: bool, samples: usize, valuesA: usize, valuesB: usize): i32 {
  let count = 0;
  let row = input + (<usize>unit << 2);
  for (let s = 0; s < batch; s++) {
    const a = load<f32>(row);
    const b = pair ? load<f32>(row, 4) : 0;
    const at = <usize>count << 2;
    store<i32>(samples + at, s);
    store<f32>(valuesA + at, a);
    if (pair) store<f32>(valuesB + at, b);
    count += <i32>((a != 0) | (b != 0));
    row += inputRowBytes;
  }
  return count;
}
