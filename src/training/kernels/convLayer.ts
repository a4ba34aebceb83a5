/**
 * The conv blocks (convBlocks.ts) as the kernel trainer's first layer: forward from the batch's images
 * (bytes, turned into floats 0..1 here) to the last block's pooled maps, which the first Dense layer reads
 * as the Flatten's values; backward from the gradient that layer wrote at the Flatten, Adam included. The
 * row-split kernels run on the trainer's threads like the Dense layers' (split by pixels, patch rows or
 * kernel rows), so one or two threads give the same weights.
 */
import { PIXEL_TO_UNIT } from '../imageInput';
import { ConvBlocks } from './convBlocks';
import type { KernelLayer, StepContext } from './denseLayer';
import type { KernelThreads } from './kernelThreads';
import { INPUT_WIDTH, type NetworkMemory } from './networkMemory';

export class ConvLayer implements KernelLayer {
  readonly blocks: ConvBlocks;
  private readonly bytes: Uint8Array;
  private readonly floats: Float32Array;

  constructor(threads: KernelThreads, private readonly layout: NetworkMemory, memory: WebAssembly.Memory) {
    this.blocks = new ConvBlocks(threads.kernels, layout.conv, (rows, kernel, args) => {
      threads.split(rows, kernel, (from, count) => args(from, from + count));
    });
    this.bytes = new Uint8Array(memory.buffer);
    this.floats = new Float32Array(memory.buffer);
  }

  get output(): number {
    return this.blocks.output;
  }

  /** Where the first Dense layer writes the gradient at the Flatten (its row stride is that layer's inputStride). */
  get outputGradients(): number {
    return this.blocks.outputGradients;
  }

  /** From the batch's images (`input` is always 0: the conv blocks come first). */
  forward(_context: StepContext, size: number, _training: boolean, _input: number): void {
    const { images, convInput } = this.layout;
    const to = convInput / 4;
    for (let i = 0; i < size * INPUT_WIDTH; i++) this.floats[to + i] = PIXEL_TO_UNIT[this.bytes[images + i]];
    this.blocks.forward(size, convInput);
  }

  /** Adam over every block's kernel and bias (no L2: Keras's regularizer is on the Dense kernels only). */
  backward(context: StepContext, size: number): number {
    this.blocks.backward(size, context.layout.adamStep);
    return 0;
  }
}
