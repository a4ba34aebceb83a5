// Inverted dropout's masks, as Keras applies them in training: each unit is kept with probability
// 1 - rate and then scaled by 1/(1 - rate); a dropped unit is 0. The masks come from a seeded
// generator (mulberry32, the same as the trainer's shuffle), so a run repeats exactly.

/**
 * Fills a batch's mask (rows of `width` units, `stride` floats apart): `scale` where kept, else 0;
 * padding columns are 0. A unit is kept when the generator's next uniform number z/2³² is below
 * `keepProbability`, compared as z < keepProbability·2³² (the same test, exactly: both sides are
 * scaled by a power of two); the generator's state stays in a register for the whole batch.
 */
export function dropoutMask(batch: i32, width: i32, stride: i32, keepProbability: f64, scale: f32, state: usize, mask: usize): void {
  const threshold = keepProbability * 4294967296.0;
  let advanced = load<u32>(state);
  for (let s = 0; s < batch; s++) {
    const row = mask + ((<usize>s * <usize>stride) << 2);
    for (let i = 0; i < stride; i++) {
      let kept = false;
      if (i < width) {
        // mulberry32, as the trainer's shuffle.
        advanced += 0x6d2b79f5;
        let z = advanced;
        z = (z ^ (z >>> 15)) * (z | 1);
        z ^= z + (z ^ (z >>> 7)) * (z | 61);
        kept = <f64>(z ^ (z >>> 14)) < threshold;
      }
      store<f32>(row + (<usize>i << 2), kept ? scale : 0);
    }
  }
  store<u32>(state, advanced);
}
