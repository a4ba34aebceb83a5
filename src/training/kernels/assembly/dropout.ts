// Inverted dropout's masks, as Keras applies them in training: each unit is kept with probability
// 1 - rate and then scaled by 1/(1 - rate); a dropped unit is 0. The masks come from a seeded
// generator (mulberry32, the same as the trainer's shuffle), so a run repeats exactly.

/** The next uniform number in [0, 1) of the generator whose u32 state is at `state`. */
@inline
function nextUniform(state: usize): f64 {
  const advanced = load<u32>(state) + 0x6d2b79f5;
  store<u32>(state, advanced);
  let z = advanced;
  z = (z ^ (z >>> 15)) * (z | 1);
  z ^= z + (z ^ (z >>> 7)) * (z | 61);
  return <f64>(z ^ (z >>> 14)) / 4294967296.0;
}

/**
 * Fills a batch's mask (rows of `width` units, `stride` floats apart): `scale` where kept, else 0;
 * padding columns are 0.
 */
export function dropoutMask(batch: i32, width: i32, stride: i32, keepProbability: f64, scale: f32, state: usize, mask: usize): void {
  for (let s = 0; s < batch; s++) {
    const row = mask + ((<usize>s * <usize>stride) << 2);
    for (let i = 0; i < stride; i++) {
      const kept = i < width && nextUniform(state) < keepProbability;
      store<f32>(row + (<usize>i << 2), kept ? scale : 0);
    }
  }
}
