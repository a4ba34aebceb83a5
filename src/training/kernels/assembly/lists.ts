// The non-zero entries of a batch of activations, as lists. A zero input adds exactly zero to every sum
// it enters (x·w = ±0, and s + ±0 = s), so the dense kernels read only these lists: about half the
// pixels of a Fashion-MNIST image are background, and relu (and dropout) zero many hidden units.
//
// An entry is an index (i32) and a value (f32), kept in two parallel arrays.
// - Per sample s (forward pass, and the gradient back to this layer): entries at s·width, count at s.
// - Per unit i (the weight gradient, summed over samples): entries at i·capacity, count at i.

/** Byte → float table lookup: the batch's uint8 images as floats in 0..1. */
export function bytesToFloats(count: i32, bytes: usize, table: usize, floats: usize): void {
  for (let i = 0; i < count; i++) {
    const byte = <usize>load<u8>(bytes + <usize>i);
    store<f32>(floats + (<usize>i << 2), load<f32>(table + (byte << 2)));
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
  capacity: i32,
): void {
  const withUnits = unitIndices != 0;
  if (withUnits) memory.fill(unitCounts, 0, <usize>width << 2);
  for (let s = 0; s < batch; s++) {
    const row = activations + ((<usize>s * <usize>stride) << 2);
    const listStart = (<usize>s * <usize>width) << 2;
    let count = 0;
    for (let i = 0; i < width; i++) {
      const value = load<f32>(row + (<usize>i << 2));
      if (value == 0) continue;
      const at = listStart + (<usize>count << 2);
      store<i32>(sampleIndices + at, i);
      store<f32>(sampleValues + at, value);
      count++;
      if (withUnits) {
        const countAt = unitCounts + (<usize>i << 2);
        const unitCount = load<i32>(countAt);
        const unitAt = ((<usize>i * <usize>capacity + <usize>unitCount) << 2);
        store<i32>(unitIndices + unitAt, s);
        store<f32>(unitValues + unitAt, value);
        store<i32>(countAt, unitCount + 1);
      }
    }
    store<i32>(sampleCounts + (<usize>s << 2), count);
  }
}
