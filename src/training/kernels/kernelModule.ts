/**
 * Loads the compiled training kernels (dist/mlpKernels*.wasm, built from ./assembly by compile.mjs)
 * into a memory the caller owns. Two instruction sets are built: relaxed SIMD (fused multiply-add)
 * and plain SIMD; the best one this runtime validates is picked at load time (`WebAssembly.validate`),
 * plain SIMD being the fallback. The binaries sit beside the bundles in dist/; run from the sources
 * (unit tests through tsx) they are found in the repository's dist/, which scripts/node-tests.mjs
 * builds first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ConvKernels } from './convKernels';
import { INSTRUCTION_SETS, kernelsFile, type InstructionSet, type KernelVariant } from './kernelVariants.mjs';

export { INSTRUCTION_SETS, type InstructionSet, type KernelVariant };

/** The kernels' exports (addresses are byte offsets into the memory; 0 means "none" where allowed); the conv and pool ones in convKernels.ts. */
export interface MlpKernels extends ConvKernels {
  adamUpdate(count: number, parameters: number, gradients: number, moments1: number, moments2: number, settings: number): void;
  pixelsToFloats(batch: number, width: number, images: number, out: number): void;
  denseForward(
    batch: number, inputs: number, inputStride: number, input: number, pairIndices: number, pairCounts: number,
    stride: number, weights: number, bias: number, out: number,
  ): void;
  reluDropout(count: number, values: number, mask: number): void;
  backwardToLayerBelow(
    batch: number, stride: number, gradients: number, weights: number, pairIndices: number, pairCounts: number,
    inputs: number, below: number, belowStride: number, mask: number, gradientsBelow: number,
  ): void;
  columnSums(batch: number, stride: number, gradients: number, sums: number): void;
  weightGradientAdam(
    first: number, end: number, batch: number, input: number, inputStride: number, samples: number, values: number, unitStride: number,
    stride: number, gradients: number, weights: number, moments1: number, moments2: number, settings: number, lambda: number,
  ): number;
  sumOfSquares(count: number, values: number): number;
  softmaxCrossEntropy(batch: number, stride: number, logits: number, labels: number, gradients: number, stats: number, inverseBatch: number): void;
  softmaxRows(batch: number, stride: number, logits: number, probabilities: number): void;
  dropoutMask(batch: number, width: number, stride: number, keepProbability: number, scale: number, state: number, mask: number): void;
  /** `iterations` rounds of independent f32x4 multiply-adds in registers (the roofline's peak); returns a lane so nothing is optimized away. */
  peakMultiplyAdd(iterations: number, scale: number, offset: number): number;
}

/** Multiply-add flops per round of peakMultiplyAdd: 12 chains × 4 lanes × 2. */
export const PEAK_FLOPS_PER_ITERATION = 12 * 4 * 2;
export const WASM_PAGE_BYTES = 65536;

const modules = new Map<string, WebAssembly.Module | null>();

function findFile(file: string): string | undefined {
  let dir = __dirname;
  for (;;) {
    for (const candidate of [join(dir, file), join(dir, 'dist', file)]) if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The compiled module of a variant, found beside this file or in a dist/ above it; undefined when it
 * was not built or this runtime does not validate it (relaxed SIMD needs Node 22+, Electron 26+).
 */
export function kernelModule(variant: Partial<KernelVariant> = {}): WebAssembly.Module | undefined {
  const file = kernelsFile({ instructions: variant.instructions ?? bestInstructionSet(), shared: variant.shared ?? false });
  const cached = modules.get(file);
  if (cached !== undefined) return cached ?? undefined;
  const path = findFile(file);
  const bytes = path === undefined ? undefined : readFileSync(path);
  const module = bytes !== undefined && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  modules.set(file, module);
  return module ?? undefined;
}

/** Whether this runtime can run `instructions` (and it was built). */
export function instructionSetRuns(instructions: InstructionSet): boolean {
  return kernelModule({ instructions }) !== undefined;
}

let best: InstructionSet | undefined;

/** The best instruction set this runtime validates: relaxed SIMD where it can, else plain SIMD. */
export function bestInstructionSet(): InstructionSet {
  best ??= INSTRUCTION_SETS.find((instructions) => instructions === 'simd' || instructionSetRuns(instructions)) ?? 'simd';
  return best;
}

/** An instance of the kernels working in `memory`. */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): MlpKernels {
  const instance = new WebAssembly.Instance(module, { env: { memory, exp: Math.exp, log: Math.log } });
  return instance.exports as unknown as MlpKernels;
}
