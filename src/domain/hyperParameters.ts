/** What a run is asked to do: the hyper-parameters, the backend choices and their defaults. */
import type { NativeBackendProblem } from './nativeBackend';

/** What the user asks for. `auto` takes tfjs-node when it loads, else wasm, else cpu. */
export type BackendChoice = 'auto' | 'node' | 'wasm' | 'cpu';

/** The tfjs backend that actually runs (`tensorflow` is the name tfjs-node registers). */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  requested: BackendChoice;
  name: BackendName;
  /** Human-readable, localized: why this backend (e.g. "tfjs-node is not installed; using wasm"). */
  reason: string;
  /** Set when tfjs-node was looked for and not used: the host offers to set it up. */
  nativeProblem?: NativeBackendProblem;
}

export interface HyperParameters {
  epochs: number;
  batchSize: number;
  learningRate: number;
  hiddenUnits: number;
  /** Seed for weight initialisation and shuffling; the same seed gives the same run. */
  seed: number;
  backend: BackendChoice;
  /** Use only the first N training images (quick runs and tests); undefined = all 60,000. */
  trainLimit?: number;
  /** Use only the first N test images; undefined = all 10,000. */
  testLimit?: number;
}

export const DEFAULT_HYPER_PARAMETERS: HyperParameters = {
  epochs: 10,
  batchSize: 32,
  learningRate: 0.001,
  hiddenUnits: 128,
  seed: 42,
  backend: 'auto',
};
