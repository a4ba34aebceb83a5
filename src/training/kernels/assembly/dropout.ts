// Inverted dropout's masks, as Keras applies them in training: each unit is kept with probability
// 1 - rate and then scaled by 1/(1 - rate); a dropped unit is 0. The masks come from a seeded
// generator (mulberry32, the same as the trainer's shuffle), so a run repeats exactly.

/** mulberry32's step: its state advances by this constant per number, and a number is a function of the state alone. */
const MULBERRY_STEP: u32 = 0x6d2b79f5;

/** mulberry32's output for states `z` (four lanes at once). */
@inline
function mulberry(state: v128): v128 {
  let z = state;
  z = i32x4.mul(v128.xor(z, i32x4.shr_u(z, 15)), v128.or(z, i32x4.splat(1)));
  z = v128.xor(z, i32x4.add(z, i32x4.mul(v128.xor(z, i32x4.shr_u(z, 7)), v128.or(z, i32x4.splat(61)))));
  return v128.xor(z, i32x4.shr_u(z, 14));
}

/**
 * Fills a batch's mask (rows of `width` units, `stride` floats apart): `scale` where kept, else 0;
 * padding columns are 0. A unit is kept when the generator's next uniform number z/2³² is below
 * `keepProbability`, that is when the integer z is below ⌈keepProbability·2³²⌉. The numbers come in
 * fours: mulberry32's state is a counter, so the next four are those of the next four states, the
 * same sequence as one at a time.
 */
export function dropoutMask(batch: i32, width: i32, stride: i32, keepProbability: f64, scale: f32, state: usize, mask: usize): void {
  const threshold = Math.ceil(keepProbability * 4294967296.0);
  const keepAll = threshold >= 4294967296.0;
  const below = i32x4.splat(keepAll ? 0 : <i32><u32>threshold);
  const kept = f32x4.splat(scale);
  const lanes = v128(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0);
  const fourSteps = i32x4.splat(4 * MULBERRY_STEP);
  let advanced = load<u32>(state);
  for (let s = 0; s < batch; s++) {
    const row = mask + ((<usize>s * <usize>stride) << 2);
    // The states of this row's first four numbers, then four on.
    let states = i32x4.add(i32x4.splat(advanced + MULBERRY_STEP), i32x4.mul(lanes, i32x4.splat(MULBERRY_STEP)));
    for (let i = 0; i < stride; i += 4) {
      const inRow = i32x4.lt_s(i32x4.add(lanes, i32x4.splat(i)), i32x4.splat(width));
      const keep = keepAll ? inRow : v128.and(inRow, i32x4.lt_u(mulberry(states), below));
      v128.store(row + (<usize>i << 2), v128.and(kept, keep));
      states = i32x4.add(states, fourSteps);
    }
    advanced += <u32>width * MULBERRY_STEP;
  }
  store<u32>(state, advanced);
}
