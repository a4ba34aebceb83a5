/**
 * The seeded random numbers a run draws: the same seed gives the same numbers on every machine, so the
 * same seed shuffles the same way and drops the same units.
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
