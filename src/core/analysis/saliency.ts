/**
 * Saliency for a Dense network (ReLU hidden layers, softmax output): the gradient of the predicted class's
 * probability with respect to the 784 inputs, times the inputs ("gradient × input"), computed exactly in
 * closed form. With z the logits and p = softmax(z), ∂p_k/∂z_j = p_k(δ_kj − p_j); through a Dense layer the
 * gradient is multiplied by the transposed kernel, and through a ReLU it passes only where the unit was
 * active. Plain arrays, no tfjs: the worker feeds it the model's weights.
 */

import type { SaliencyMap } from '../../domain/firstLayer';

/** One Dense layer: kernel in × out (row-major, as tfjs stores it), bias out. */
export interface DenseLayer {
  kernel: Float32Array;
  bias: Float32Array;
  inputs: number;
  units: number;
  activation: 'relu' | 'softmax' | 'linear';
}

/** predicted (the argmax), its probability, values ∂p/∂x_i · x_i, and their largest |value|. */
export type Saliency = SaliencyMap;

function dense(layer: DenseLayer, x: Float32Array): Float32Array {
  const out = Float32Array.from(layer.bias);
  for (let i = 0; i < layer.inputs; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    const row = i * layer.units;
    for (let j = 0; j < layer.units; j++) out[j] += xi * layer.kernel[row + j];
  }
  return out;
}

function softmax(z: Float32Array): Float32Array {
  let max = -Infinity;
  for (const v of z) max = Math.max(max, v);
  const e = z.map((v) => Math.exp(v - max));
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / sum);
}

/** The network's class probabilities for input x (for the finite-difference check and the forward pass). */
export function forward(layers: DenseLayer[], x: Float32Array): { probabilities: Float32Array; preActivations: Float32Array[] } {
  const preActivations: Float32Array[] = [];
  let h = x;
  for (const layer of layers) {
    const z = dense(layer, h);
    preActivations.push(z);
    h = layer.activation === 'relu' ? z.map((v) => Math.max(0, v)) : layer.activation === 'softmax' ? softmax(z) : z;
  }
  return { probabilities: h, preActivations };
}

/** Gradient × input of the predicted class's probability; the last layer must be the softmax output. */
export function saliency(layers: DenseLayer[], x: Float32Array, explain?: number): Saliency {
  const { probabilities, preActivations } = forward(layers, x);
  let k = 0;
  for (let j = 1; j < probabilities.length; j++) if (probabilities[j] > probabilities[k]) k = j;
  if (explain !== undefined) k = explain;
  const pk = probabilities[k];
  // ∂p_k/∂z over the output logits.
  let g = probabilities.map((pj, j) => pk * ((j === k ? 1 : 0) - pj));
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l];
    if (l < layers.length - 1 && layer.activation === 'relu') {
      const z = preActivations[l];
      g = g.map((v, j) => (z[j] > 0 ? v : 0));
    }
    const back = new Float32Array(layer.inputs);
    for (let i = 0; i < layer.inputs; i++) {
      const row = i * layer.units;
      let sum = 0;
      for (let j = 0; j < layer.units; j++) sum += layer.kernel[row + j] * g[j];
      back[i] = sum;
    }
    g = back;
  }
  const values = g.map((v, i) => v * x[i]);
  let scale = 0;
  for (const v of values) scale = Math.max(scale, Math.abs(v));
  return { predicted: k, probability: pk, values, scale };
}
