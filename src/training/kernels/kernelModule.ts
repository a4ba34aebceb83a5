/**
 * Loads the compiled training kernels (dist/mlpKernels.wasm, built from ./assembly by compile.mjs)
 * into a memory the caller owns. The binary sits beside the bundles in dist/; run from the sources
 * (unit tests through tsx) it is found in the repository's dist/, which scripts/unit.mjs builds first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The kernels' exports (addresses are byte offsets into the memory; 0 means "none" where allowed). */
export interface MlpKernels {
  adamUpdate(count: number, parameters: number, gradients: number, moments1: number, moments2: number, settings: number): void;
  listNonZeroPixels(
    batch: number, width: number, images: number, table: number,
    sampleIndices: number, sampleValues: number, sampleCounts: number,
    unitIndices: number, unitValues: number, unitCounts: number, unitStride: number,
  ): void;
  listNonZero(
    batch: number, width: number, stride: number, activations: number,
    sampleIndices: number, sampleValues: number, sampleCounts: number,
    unitIndices: number, unitValues: number, unitCounts: number, unitStride: number,
  ): void;
  denseForward(
    batch: number, stride: number, sampleIndices: number, sampleValues: number, sampleCounts: number,
    listStride: number, weights: number, bias: number, out: number,
  ): void;
  reluDropout(count: number, values: number, mask: number): void;
  backwardToLayerBelow(
    batch: number, stride: number, gradients: number, weights: number, sampleIndices: number, sampleCounts: number,
    listStride: number, belowStride: number, mask: number, gradientsBelow: number,
  ): void;
  columnSums(batch: number, stride: number, gradients: number, sums: number): void;
  weightGradientAdam(
    inputs: number, stride: number, unitIndices: number, unitValues: number, unitCounts: number, unitStride: number,
    gradients: number, weights: number, moments1: number, moments2: number, settings: number, lambda: number,
  ): number;
  sumOfSquares(count: number, values: number): number;
  softmaxCrossEntropy(batch: number, stride: number, logits: number, labels: number, gradients: number, stats: number, inverseBatch: number): void;
  dropoutMask(batch: number, width: number, stride: number, keepProbability: number, scale: number, state: number, mask: number): void;
}

export const KERNELS_FILE = 'mlpKernels.wasm';
export const SHARED_KERNELS_FILE = 'mlpKernels.shared.wasm';
export const WASM_PAGE_BYTES = 65536;

const modules = new Map<string, WebAssembly.Module>();

/** The compiled module, found beside this file or in a dist/ above it; undefined when not built. */
export function kernelModule(file = KERNELS_FILE): WebAssembly.Module | undefined {
  const cached = modules.get(file);
  if (cached !== undefined) return cached;
  let dir = __dirname;
  for (;;) {
    for (const candidate of [join(dir, file), join(dir, 'dist', file)]) {
      if (existsSync(candidate)) {
        const module = new WebAssembly.Module(readFileSync(candidate));
        modules.set(file, module);
        return module;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** An instance of the kernels working in `memory`. */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): MlpKernels {
  const instance = new WebAssembly.Instance(module, { env: { memory, exp: Math.exp, log: Math.log } });
  return instance.exports as unknown as MlpKernels;
}
