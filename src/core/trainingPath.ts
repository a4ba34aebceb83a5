/** Picks the training path: the wasm kernels where they run, tfjs ops everywhere else. */
import type { LayersModel } from '@tensorflow/tfjs';
import type { Tf } from './backend';
import { canUseWasmKernels, WasmKernelTrainer } from './fastTrainer';
import { OpsTrainer, type Trainer, type TrainerOptions } from './trainer';

export interface TrainerChoice extends TrainerOptions {
  /** The largest batch the trainer will see (the user's batch size). */
  batchSize: number;
  /** 'auto' takes the wasm kernels when they can run; 'ops' forces the portable path (tests, bench). */
  path?: 'auto' | 'ops';
}

export function createTrainer(tf: Tf, model: LayersModel, choice: TrainerChoice): Trainer {
  const hidden = model.getWeights()[1].size;
  if (choice.path !== 'ops' && canUseWasmKernels(tf, hidden)) return new WasmKernelTrainer(tf, model, choice);
  return new OpsTrainer(tf, model, choice);
}
