/**
 * One Dense layer of the kernel trainer (relu and the optional dropout after a hidden one), as a step
 * sees it: its forward pass from the layer below's activations (or the images), and its backward pass
 * (the gradient to the layer below, then its weights' gradient applied by Adam). The trainer runs a
 * list of such layers up, then down; another kind of layer (convolution, pooling) is another class
 * with the same two passes over its own buffers in the same memory.
 */
import { INPUT_WIDTH, type DenseBuffers, type NetworkMemory } from './networkMemory';
import type { KernelThreads } from './kernelThreads';

/** What every layer of a step works with: the kernels on their threads, and the memory's layout. */
export interface StepContext {
  threads: KernelThreads;
  layout: NetworkMemory;
}

export interface KernelLayer {
  /** Forward over `size` samples; `input` is the address of the activations below (0: the batch's images). */
  forward(context: StepContext, size: number, training: boolean, input: number): void;
  /** Backward over `size` samples; returns Σw² of its weights before the update when λ > 0 (for the L2 loss). */
  backward(context: StepContext, size: number, lambda: number): number;
  /** Where its output activations are (the next layer's input, or the logits). */
  readonly output: number;
}

export class DenseLayer implements KernelLayer {
  /** The address of the input of the last forward pass (the backward pass reads it). */
  private input = 0;

  constructor(
    readonly buffers: DenseBuffers,
    /**
     * The layer below, whose gradient this one computes (for the first layer after conv blocks, the
     * gradient at the Flatten: the pooled maps' rows, no mask); undefined for the first layer of an MLP.
     */
    private readonly below: Pick<DenseBuffers, 'stride' | 'mask' | 'gradient'> | undefined,
    /** The output layer: no relu and no dropout (softmax follows, in the head). */
    private readonly isOutput: boolean,
  ) {}

  get output(): number {
    return this.buffers.output;
  }

  forward({ threads, layout }: StepContext, size: number, training: boolean, input: number): void {
    const k = threads.kernels;
    const layer = this.buffers;
    // A batch's two halves go through the layers on the two threads without waiting for each other
    // (splitAhead): each kernel reads only its own half's rows of the layer below. By pairs of samples,
    // the second half starting at an even sample, so the pairs (and their lists, which the backward pass
    // reads) are the same on one thread or two.
    if (input === 0) {
      threads.splitAhead(size, 'pixelsToFloats', (from, count) => [count, INPUT_WIDTH, layout.images + from * INPUT_WIDTH, layer.inputFloats + 4 * from * INPUT_WIDTH], 2);
    }
    this.input = input === 0 ? layer.inputFloats : input;
    const x = this.input;
    const dropping = training && layer.dropout > 0 && !this.isOutput;
    if (dropping) {
      // The whole batch's mask from the one generator, here, before either half reads it.
      const keep = 1 - layer.dropout;
      k.dropoutMask(size, layer.units, layer.stride, keep, 1 / keep, layout.rngState, layer.mask);
    }
    threads.splitAhead(size, 'denseForward', (from, count) => [
      count, layer.inputs, layer.inputStride, x + 4 * from * layer.inputStride, layer.pairIndices + 4 * from * layer.inputs,
      layer.pairCounts + 4 * from, layer.stride, layer.weights, layer.bias, layer.output + 4 * from * layer.stride,
    ], 2);
    if (this.isOutput) return;
    threads.splitAhead(size, 'reluDropout', (from, count) => [
      count * layer.stride, layer.output + 4 * from * layer.stride, dropping ? layer.mask + 4 * from * layer.stride : 0,
    ], 2);
  }

  backward({ threads, layout }: StepContext, size: number, lambda: number): number {
    const k = threads.kernels;
    const layer = this.buffers;
    const below = this.below;
    const x = this.input;
    if (below !== undefined) {
      threads.splitAhead(size, 'backwardToLayerBelow', (from, count) => [
        count, layer.stride, layer.gradient + 4 * from * layer.stride, layer.weights, layer.pairIndices + 4 * from * layer.inputs,
        layer.pairCounts + 4 * from, layer.inputs, x + 4 * from * layer.inputStride, layer.inputStride,
        below.mask === 0 ? 0 : below.mask + 4 * from * below.stride, below.gradient + 4 * from * below.stride,
      ], 2);
    }
    // The weight gradient sums over every sample and updates the weights: both halves of this layer's gradient
    // and of the gradient to the layer below (which reads the weights before their update) are done first.
    // A hidden layer's gradient is whole already (the layer above waited after computing it), so a layer
    // with no gradient below (an MLP's first) needs no wait: its update follows the layer above's on the helper.
    const wait = below !== undefined || this.isOutput;
    let squares = wait ? threads.join() : 0;
    // By pairs of weight rows, the second half from an even row.
    squares += threads.splitAhead(layer.inputs, 'weightGradientAdam', (from, count) => [
      from, from + count, size, x, layer.inputStride, layer.pairSamples, layer.pairValues, layout.unitStride,
      layer.stride, layer.gradient, layer.weights, layer.weightMoments1, layer.weightMoments2, layout.adamStep, lambda,
    ], 2);
    k.columnSums(size, layer.stride, layer.gradient, layer.biasGradient);
    k.adamUpdate(layer.stride, layer.bias, layer.biasGradient, layer.biasMoments1, layer.biasMoments2, layout.adamStep);
    return squares;
  }
}
