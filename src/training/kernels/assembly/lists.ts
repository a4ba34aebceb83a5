// The non-zero entries of a batch of activations, as lists. A zero input adds exactly zero to every sum
// it enters (x·w = ±0, and s + ±0 = s), so the dense kernels read only these lists: about half the
// pixels of a Fashion-MNIST image are background, and relu (and dropout) zero many hidden units.
//
// An entry is an index (i32) and a value (f32), kept in two parallel arrays.
// - Per sample s (forward pass, and the gradient back to this layer): entries at s·width, count at s.
// - Per unit i (the weight gradient, summed over samples): entries at i·unitStride, count at i. The
//   stride is the batch size plus a little, not a power of two, so that the lists do not all fall
//   into the same few cache sets.

/** Appends (index, value) to a list at position `count`; returns the new count. Branch-free: a zero
 * is written too but not counted, so the next entry overwrites it (a list has room for every input). */
@inline
function append(indices: usize, values: usize, count: i32, index: i32, value: f32): i32 {
  const at = <usize>count << 2;
  store<i32>(indices + at, index);
  store<f32>(values + at, value);
  return count + <i32>(value != 0);
}

/** Appends sample `sample`'s entries to the lists of their units (counts kept in memory). */
@inline
function appendToUnits(entries: i32, indices: usize, values: usize, sample: i32, unitIndices: usize, unitValues: usize, unitCounts: usize, unitStride: i32): void {
  for (let e = 0; e < entries; e++) {
    const unit = <usize>load<i32>(indices + (<usize>e << 2));
    const countAt = unitCounts + (unit << 2);
    const count = load<i32>(countAt);
    const at = (unit * <usize>unitStride + <usize>count) << 2;
    store<i32>(unitIndices + at, sample);
    store<f32>(unitValues + at, load<f32>(values + (<usize>e << 2)));
    store<i32>(countAt, count + 1);
  }
}

/**
 * The lists of the batch's images (uint8, 784 per sample) as floats in 0..1 (through `table`). Runs
 * of 16 background bytes are skipped at once.
 */
export function listNonZeroPixels(
  batch: i32,
  width: i32,
  images: usize,
  table: usize,
  sampleIndices: usize,
  sampleValues: usize,
  sampleCounts: usize,
  unitIndices: usize,
  unitValues: usize,
  unitCounts: usize,
  unitStride: i32,
): void {
  const withUnits = unitIndices != 0;
  if (withUnits) memory.fill(unitCounts, 0, <usize>width << 2);
  for (let s = 0; s < batch; s++) {
    const image = images + <usize>s * <usize>width;
    const listAt = (<usize>s * <usize>width) << 2;
    const indices = sampleIndices + listAt;
    const values = sampleValues + listAt;
    let count = 0;
    let i = 0;
    for (; i < width; i++) {
      if ((i & 15) == 0 && i + 16 <= width && !v128.any_true(v128.load(image + <usize>i))) {
        i += 15;
        continue;
      }
      const value = load<f32>(table + (<usize>load<u8>(image + <usize>i) << 2));
      count = append(indices, values, count, i, value);
    }
    store<i32>(sampleCounts + (<usize>s << 2), count);
    if (withUnits) appendToUnits(count, indices, values, s, unitIndices, unitValues, unitCounts, unitStride);
  }
}

/**
 * Lists the non-zero entries of `activations` (batch rows of `width` values, `stride` floats apart).
 * Unit lists are built only when `unitIndices` is not 0 (training; evaluation needs the sample lists).
 */
export function listNonZero(
  batch: i32,
  width: i32,
  stride: i32,
  activations: usize,
  sampleIndices: usize,
  sampleValues: usize,
  sampleCounts: usize,
  unitIndices: usize,
  unitValues: usize,
  unitCounts: usize,
  unitStride: i32,
): void {
  const withUnits = unitIndices != 0;
  if (withUnits) memory.fill(unitCounts, 0, <usize>width << 2);
  for (let s = 0; s < batch; s++) {
    const row = activations + ((<usize>s * <usize>stride) << 2);
    const listStart = (<usize>s * <usize>width) << 2;
    const indices = sampleIndices + listStart;
    const values = sampleValues + listStart;
    let count = 0;
    for (let i = 0; i < width; i++) {
      if ((i & 3) == 0 && i + 4 <= width && !v128.any_true(f32x4.ne(v128.load(row + (<usize>i << 2)), f32x4.splat(0)))) {
        i += 3;
        continue;
      }
      const value = load<f32>(row + (<usize>i << 2));
      count = append(indices, values, count, i, value);
    }
    store<i32>(sampleCounts + (<usize>s << 2), count);
    if (withUnits) appendToUnits(count, indices, values, s, unitIndices, unitValues, unitCounts, unitStride);
  }
}
