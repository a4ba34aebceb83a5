/**
 * Keras's inverted dropout as the tfjs-ops trainer applies it: seeded masks, one per hidden layer with a
 * rate, per batch. (The compiled kernels draw their own masks in assembly/dropout.ts.)
 */
import { createRng } from './seededRandom';

/** The stream the dropout masks are drawn from (apart from the shuffling's, so dropout does not change the order). */
export function dropoutRng(seed: number): () => number {
  return createRng((seed ^ 0x5eed) >>> 0);
}

/**
 * Keras's inverted dropout mask for one layer of a batch (size×units): 0 with probability `rate`, else
 * 1/(1-rate), so the expected activation is unchanged and inference needs no scaling.
 */
export function dropoutMask(rng: () => number, size: number, units: number, rate: number): Float32Array {
  const mask = new Float32Array(size * units);
  const kept = 1 / (1 - rate);
  for (let i = 0; i < mask.length; i++) mask[i] = rng() >= rate ? kept : 0;
  return mask;
}
