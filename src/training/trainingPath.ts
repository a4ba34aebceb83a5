/**
 * Picks the training path: the compiled kernels (src/training/kernels) for every network (MLP or conv)
 * and backend (they run in their own memory and need nothing of tfjs), tfjs ops (opsTrainer.ts) when
 * asked for and when the kernels were not built.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import type { TrainingThreads } from '../protocol/worker';
import { KernelTrainer, kernelsAvailable } from './kernels/kernelTrainer';
import type { Tf } from './backend';
import { architectureOf } from './model';
import { OpsTrainer } from './opsTrainer';
import type { Trainer, TrainerOptions } from './trainer';

export interface TrainerChoice extends TrainerOptions {
  /** The largest batch the trainer will see (the user's batch size). */
  batchSize: number;
  /** 'auto' takes the kernels; 'ops' forces tfjs ops (the unit tests compare the two paths). */
  path?: 'auto' | 'ops';
  /** Seeds the dropout masks. */
  seed?: number;
  /** The kernels' threads (StartRequest.threads); default 'auto'. */
  threads?: TrainingThreads;
}

/**
 * The trainer for a model built by buildNetworkModel (its architecture is read from its layers): the
 * kernels when they were built, else tfjs ops, which train the same networks (dropout and L2 included).
 */
export function createTrainer(tf: Tf, model: LayersModel, choice: TrainerChoice): Trainer {
  const architecture = architectureOf(model);
  if (choice.path === 'ops' || !kernelsAvailable()) return new OpsTrainer(tf, model, choice);
  return new KernelTrainer(tf, model, { ...choice, architecture });
}
