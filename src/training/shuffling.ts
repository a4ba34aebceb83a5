/** The order an epoch visits the training images in. */

/** A Fisher-Yates permutation of 0..count-1, drawn from `rng` (seededRandom.ts's createRng). */
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
