/** Picks the training path: the wasm kernels where they run, tfjs ops everywhere else. */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { IMAGE_SIZE, PIXELS } from '../domain/classes';
import type { Tf } from './backend';
import { isSingleHiddenLayer } from '../domain/architecture';
import { architectureOf } from './model';
import { canUseWasmKernels, heapFloats, WasmKernelTrainer } from './wasmKernelTrainer';
import { OpsTrainer, PIXEL_TO_UNIT, type ImageSplit, type Trainer, type TrainerOptions } from './trainer';

export interface TrainerChoice extends TrainerOptions {
  /** The largest batch the trainer will see (the user's batch size). */
  batchSize: number;
  /** 'auto' takes the wasm kernels when they can run; 'ops' forces the portable path (tests, bench). */
  path?: 'auto' | 'ops';
}

/**
 * The wasm kernels here train the tutorial's shape (one hidden layer, no dropout, no L2); every other
 * architecture trains on the tfjs ops path until the kernels for any MLP land.
 */
export function createTrainer(tf: Tf, model: LayersModel, choice: TrainerChoice): Trainer {
  const architecture = architectureOf(model);
  if (choice.path !== 'ops' && isSingleHiddenLayer(architecture) && canUseWasmKernels(tf, architecture.hiddenLayers[0].units, choice.batchSize)) {
    return new WasmKernelTrainer(tf, model, choice);
  }
  return new OpsTrainer(tf, model, choice);
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
