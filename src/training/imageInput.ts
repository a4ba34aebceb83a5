/**
 * The images of a split as the network's input: the split as the dataset hands it over (uint8), each pixel
 * byte as its float in 0..1, a batch gathered in the trainers' layout, and a whole split as the
 * LayersModel's input tensor. Normalising per batch keeps the data set in uint8 (a quarter of the memory
 * of floats).
 */
import type { Tensor } from '@tensorflow/tfjs';
import { IMAGE_SIZE, PIXELS } from '../domain/classes';
import type { Tf } from './backend';
import { heapFloats } from './wasmHeap';

/** The images (uint8, count*784) and labels of one split, as the dataset hands them over. */
export interface ImageSplit {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/** Pixel byte -> its float in 0..1. A table lookup is the cheapest way to normalise per batch. */
export const PIXEL_TO_UNIT = Float32Array.from({ length: 256 }, (_, i) => i / 255);

/**
 * Gathers images `order[start..start+size)` as floats in 0..1 into `x` (size×784, at `xAt`) and its
 * transpose `xT` (784×size, at `xTAt`), and their labels.
 */
export function gatherBatch(
  split: ImageSplit,
  order: ArrayLike<number>,
  start: number,
  size: number,
  x: Float32Array,
  xAt: number,
  xT: Float32Array,
  xTAt: number,
  labels: Int32Array,
  labelsAt: number,
): void {
  const images = split.images;
  for (let s = 0; s < size; s++) {
    const index = order[start + s];
    const from = index * PIXELS;
    const row = xAt + s * PIXELS;
    let column = xTAt + s;
    for (let k = 0; k < PIXELS; k++) {
      const value = PIXEL_TO_UNIT[images[from + k]];
      x[row + k] = value;
      xT[column] = value;
      column += size;
    }
    labels[labelsAt + s] = split.labels[index];
  }
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
