/**
 * The type of the TensorFlow.js namespace every compute file works with: the bundled tfjs's or tfjs-node's
 * own copy (backend.ts chooses, tfjsNodeLoader.ts loads the native one). Its own file, so the loader and the
 * chooser both depend on it rather than on each other.
 */
export type Tf = typeof import('@tensorflow/tfjs');
