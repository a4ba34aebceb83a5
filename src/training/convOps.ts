/**
 * The conv blocks of a network in tfjs ops, forward and backward, on any tfjs backend: per block
 * Conv2D(F, K×K, stride 1, 'same') + bias, relu, MaxPooling2D(2×2, 'valid'), in NHWC with Keras's kernel
 * layout [kh, kw, in, out]. The tfjs-ops trainer and the ops evaluation use them.
 *
 * The backward pass is written out: the pool's gradient is tfjs's MaxPoolGrad (taken through tf.grad), the
 * input gradient a transposed convolution (Conv2DBackpropInput), and the filter gradient, which the wasm
 * backend does not implement, a plain convolution: dK[i, j, c, f] = Σ_{n,y,x} xpad[n, y+i, x+j, c]·dA[n, y, x, f]
 * is conv2d('valid') of the padded input with the batch as channels (Cin × Hp × Wp × N) by the
 * output gradient as the filter (H × W × N × F).
 */
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { POOL_SIZE } from '../domain/architecture';
import type { Tf } from './backend';

/** What one block keeps from the forward pass for the backward pass. */
export interface ConvBlockCache {
  input: Tensor4D;
  preActivation: Tensor4D;
  activation: Tensor4D;
}

/** 'same' padding as TensorFlow places it for stride 1: K-1 in all, the smaller half before. */
export function samePadding(kernelSize: number): [number, number] {
  const before = Math.floor((kernelSize - 1) / 2);
  return [before, kernelSize - 1 - before];
}

/**
 * The conv blocks' forward pass from `x` (N × 28 × 28 × 1) with `params` [K1, b1, K2, b2, ...]; returns the
 * last pool's output and each block's cache. Call inside a tidy.
 */
export function convForward(tf: Tf, x: Tensor4D, params: readonly Tensor[]): { output: Tensor4D; caches: ConvBlockCache[] } {
  const caches: ConvBlockCache[] = [];
  let h = x;
  for (let i = 0; i < params.length; i += 2) {
    const preActivation = tf.add(tf.conv2d(h, params[i] as Tensor4D, 1, 'same'), params[i + 1]) as Tensor4D;
    const activation = tf.relu(preActivation);
    caches.push({ input: h, preActivation, activation });
    h = tf.maxPool(activation, POOL_SIZE, POOL_SIZE, 'valid');
  }
  return { output: h, caches };
}

/** dK for one block: the padded input, batch as channels, convolved with the output gradient. */
export function filterGradient(tf: Tf, input: Tensor4D, dA: Tensor4D, kernelSize: number): Tensor4D {
  const [before, after] = samePadding(kernelSize);
  const padded = tf.pad(input, [[0, 0], [before, after], [before, after], [0, 0]]);
  const channelsFirst = tf.transpose(padded, [3, 1, 2, 0]) as Tensor4D;
  const asFilter = tf.transpose(dA, [1, 2, 0, 3]) as Tensor4D;
  return tf.transpose(tf.conv2d(channelsFirst, asFilter, 1, 'valid'), [1, 2, 0, 3]);
}

/**
 * The conv blocks' backward pass from the gradient at the last pool's output; returns [dK1, db1, dK2, db2, ...]
 * (the input image needs no gradient). Call inside a tidy.
 */
export function convBackward(tf: Tf, caches: readonly ConvBlockCache[], params: readonly Tensor[], dOutput: Tensor4D): Tensor[] {
  const gradients: Tensor[] = new Array(params.length);
  let dPooled = dOutput;
  for (let block = caches.length - 1; block >= 0; block--) {
    const { input, preActivation, activation } = caches[block];
    const kernel = params[2 * block] as Tensor4D;
    const dActivation = tf.grad((a: Tensor) => tf.maxPool(a as Tensor4D, POOL_SIZE, POOL_SIZE, 'valid'))(activation, dPooled) as Tensor4D;
    const dA = tf.mul(dActivation, tf.step(preActivation)) as Tensor4D;
    gradients[2 * block] = filterGradient(tf, input, dA, kernel.shape[0]);
    gradients[2 * block + 1] = tf.sum(dA, [0, 1, 2]);
    if (block > 0) dPooled = tf.conv2dTranspose(dA, kernel, input.shape, 1, 'same');
  }
  return gradients;
}
