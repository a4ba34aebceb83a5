/** tfjs-node, the native TensorFlow backend: which package, which version, why a run did not use it. */

/** The npm package that brings native TensorFlow (an N-API addon plus libtensorflow). */
export const TFJS_NODE_PACKAGE = '@tensorflow/tfjs-node';

/**
 * The tfjs version bundled into the worker; tfjs-node is installed at the same version so both speak the
 * same tfjs. A unit test compares it with node_modules/@tensorflow/tfjs, so an upgrade cannot forget it.
 */
export const BUNDLED_TFJS_VERSION = '4.22.0';

/** Why tfjs-node is not the backend: no searched folder holds it, or one does and it did not load. */
export type NativeBackendProblem = 'notFound' | 'failed';
