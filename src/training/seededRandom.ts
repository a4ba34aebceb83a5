/** The seeded generator lives in core (sweeps sample with it too); training imports it from here. */
export { createRng } from '../core/seededRandom';
