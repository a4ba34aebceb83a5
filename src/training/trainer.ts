/**
 * What run.ts asks of a training path, and what every path is given. Two paths implement it and compute
 * the same steps: the compiled WebAssembly kernels (kernels/kernelTrainer.ts, the default) and tfjs ops
 * (opsTrainer.ts); trainingPath.ts picks one.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import type { ImageSplit } from './imageInput';

export interface TrainerOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /**
   * Where ε goes. 'keras' (TensorFlow's Adam, the tutorial's): p -= α·m/(√v + ε) with the bias
   * corrections folded into α. 'tfjs' (tfjs's AdamOptimizer): ε is added to the bias-corrected √v̂,
   * the same as ε·√(1-β2^t) in the folded form. They differ only for gradients near ε.
   */
  epsilonForm?: 'keras' | 'tfjs';
  /** Seeds the dropout masks (the run's seed); the same seed drops the same units. */
  seed?: number;
}

/** Running totals over an epoch (or an evaluation), read back only when asked. */
export interface RunningMetrics {
  loss: number;
  accuracy: number;
  samples: number;
}

export interface Trainer {
  /** Which implementation runs: the compiled WebAssembly kernels, or tfjs ops on any backend. */
  readonly path: 'wasm-kernels' | 'tfjs-ops';
  /** Adam steps taken so far. */
  readonly steps: number;
  /** One Adam step on images `order[start..start+size)`; adds its loss and correct count to the running totals. */
  trainBatch(split: ImageSplit, order: ArrayLike<number>, start: number, size: number): void;
  /** The running loss and accuracy since the last reset (reads back two numbers). */
  readMetrics(): RunningMetrics;
  resetMetrics(): void;
  /** Loss and accuracy of the current weights on a whole split. */
  evaluate(split: ImageSplit): RunningMetrics;
  /** The softmax probabilities of the current weights on a whole split (count × 10), where the path predicts itself. */
  predict?(split: ImageSplit): Float32Array;
  /** Writes the trained weights into the LayersModel (copies). */
  writeWeightsTo(model: LayersModel): void;
  /** The current weights in the model's layout [W1, b1, ..., Wout, bout] (tests compare them, early stopping keeps the best). */
  weights(): Float32Array[];
  dispose(): void;
}
