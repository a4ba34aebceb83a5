/**
 * A Dense layer's kernel and bias between the model's layout (Keras's: a row of `units` per input) and the
 * trainer's memory (rows padded to `stride`; after conv blocks, the input's groups padded too, so the
 * model's rows land at padded row numbers). Padding stays zero on the way in and is dropped on the way out.
 */
import type { DenseBuffers } from './networkMemory';

/** The model's kernel rows of a Dense layer (its padded input has more: the conv filters' padding). */
function modelRows(layer: DenseBuffers): number {
  return (layer.inputs / layer.inputGroupStride) * layer.inputGroup;
}

/** The padded row of the model's kernel row `row`. */
function paddedRow(layer: DenseBuffers, row: number): number {
  return Math.floor(row / layer.inputGroup) * layer.inputGroupStride + (row % layer.inputGroup);
}

/** The model's kernel and bias into the layer's memory; throws when their sizes are not the layer's. */
export function loadDenseWeights(floats: Float32Array, layer: DenseBuffers, kernel: ArrayLike<number>, bias: ArrayLike<number>): void {
  if (kernel.length !== modelRows(layer) * layer.units || bias.length !== layer.units) {
    throw new Error('The model does not match the trainer\'s architecture.');
  }
  const values = Float32Array.from(kernel);
  for (let row = 0; row < modelRows(layer); row++) {
    floats.set(values.subarray(row * layer.units, (row + 1) * layer.units), layer.weights / 4 + paddedRow(layer, row) * layer.stride);
  }
  floats.set(Float32Array.from(bias), layer.bias / 4);
}

/** Copies of the layer's kernel and bias in the model's layout. */
export function readDenseWeights(floats: Float32Array, layer: DenseBuffers): [Float32Array, Float32Array] {
  const kernel = new Float32Array(modelRows(layer) * layer.units);
  for (let row = 0; row < modelRows(layer); row++) {
    const from = layer.weights / 4 + paddedRow(layer, row) * layer.stride;
    kernel.set(floats.subarray(from, from + layer.units), row * layer.units);
  }
  return [kernel, floats.slice(layer.bias / 4, layer.bias / 4 + layer.units)];
}
