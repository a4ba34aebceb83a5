/** The order an epoch visits the training images in: a seeded Fisher-Yates permutation (core/seededRandom.ts). */
export { shuffledIndices } from '../core/seededRandom';
