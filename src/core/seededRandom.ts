/**
 * The seeded random numbers a run draws: the same seed gives the same numbers on every machine, so the
 * same seed shuffles the same way and drops the same units (training), and samples the same sweep trials.
 */

/** A small seeded generator (mulberry32): numbers in [0, 1). */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Fisher-Yates permutation of 0..count-1, drawn from `rng` (createRng): an epoch's order, a sweep's sample. */
export function shuffledIndices(count: number, rng: () => number): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
  return order;
}
