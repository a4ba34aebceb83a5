/**
 * Picks the training path: the compiled kernels (src/training/kernels) for every network and backend
 * (they run in their own memory and need nothing of tfjs), tfjs ops for the tutorial's shape when asked
 * for or when the kernels were not built.
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { IMAGE_SIZE, PIXELS } from '../domain/classes';
import { KernelTrainer, kernelsAvailable } from './kernels/kernelTrainer';
import type { Tf } from './backend';
import { architectureOf } from './model';
import { heapFloats } from './wasmHeap';
import { OpsTrainer, PIXEL_TO_UNIT, type ImageSplit, type Trainer, type TrainerOptions } from './trainer';

export interface TrainerChoice extends TrainerOptions {
  /** The largest batch the trainer will see (the user's batch size). */
  batchSize: number;
  /** 'auto' takes the kernels; 'ops' forces tfjs ops (the tutorial's shape only; tests, bench). */
  path?: 'auto' | 'ops';
  /** Seeds the dropout masks. */
  seed?: number;
}

/**
 * The trainer for a model built by buildNetworkModel (its architecture is read from its layers): the
 * kernels when they were built, else tfjs ops, which also train any MLP (dropout and L2 included).
 */
export function createTrainer(tf: Tf, model: LayersModel, choice: TrainerChoice): Trainer {
  const architecture = architectureOf(model);
  if (choice.path === 'ops' || !kernelsAvailable()) return new OpsTrainer(tf, model, choice);
  return new KernelTrainer(tf, model, { ...choice, architecture });
}

/**
 * The images of a split as the LayersModel's input (count×28×28, 0..1). On wasm the floats are
 * written straight into the tensor's memory: for the 10,000 test images that saves a 31 MB copy.
 */
export function imagesToInput(tf: Tf, split: ImageSplit): Tensor {
  const shape: [number, number, number] = [split.count, IMAGE_SIZE, IMAGE_SIZE];
  const count = split.count * PIXELS;
  const images = split.images;
  const tensor = tf.zeros(shape);
  const target = heapFloats(tf, tensor);
  if (target !== undefined) {
    for (let i = 0; i < count; i++) target[i] = PIXEL_TO_UNIT[images[i]];
    return tensor;
  }
  tensor.dispose();
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = PIXEL_TO_UNIT[images[i]];
  return tf.tensor3d(values, shape);
}
