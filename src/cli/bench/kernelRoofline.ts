/**
 * The roofline of the training kernels on this CPU: the peak rate of a WebAssembly SIMD multiply-add
 * loop (12 independent chains in registers) for each instruction set this runtime runs, and each
 * training kernel's achieved rate over a few hundred real steps on one thread, as a share of that peak.
 * A kernel's flops are its useful multiply-adds: 2 × (non-zero inputs it reads) × (padded width), the
 * zeros it skips not counted (the conv forward product skips none: 2 × pixels × K²·inStride × filterStride);
 * Adam's arithmetic is not counted either (the weight gradient's time includes it). Times are CPU times of this process, steadier than wall time on a busy machine.
 */
import type { FashionMnist } from '../../core/data/dataset';
import type { Architecture } from '../../domain/architecture';
import type { Tf } from '../../training/backend';
import { INSTRUCTION_SETS, instantiateKernels, instructionSetRuns, kernelModule, PEAK_FLOPS_PER_ITERATION, type InstructionSet, type MlpKernels } from '../../training/kernels/kernelModule';
import { KernelTrainer } from '../../training/kernels/kernelTrainer';
import type { ThreadDecision } from '../../training/kernels/kernelThreads';
import { buildModel } from '../../training/model';
import { DEFAULT_HYPER_PARAMETERS } from '../../domain/hyperParameters';
import { shuffledIndices } from '../../training/shuffling';
import { createRng } from '../../training/seededRandom';

/** Calls of the peak loop before timing (the engine optimizes a function after it has run a while), and the timed ones. */
const PEAK_WARM_UP_CALLS = 40;
const PEAK_ITERATIONS = 2_000_000;
const PEAK_TIMED_CALLS = 5;

export interface PeakRate {
  instructions: InstructionSet;
  gflops: number;
}

/** One kernel's share of a step. */
export interface KernelTiming {
  kernel: string;
  microsecondsPerStep: number;
  /** Useful multiply-add GFLOP/s, where the kernel does multiply-adds. */
  gflops?: number;
}

export interface KernelProfile {
  instructions: InstructionSet;
  steps: number;
  msPerStep: number;
  kernels: KernelTiming[];
  /** The timed one- vs two-thread choice of a trainer with threads 'auto' over the same steps. */
  threadDecisions: readonly ThreadDecision[];
}

function cpuSeconds(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}

/** The best of a few timed runs of the peak loop, per instruction set that runs here. */
export function measurePeaks(): PeakRate[] {
  return INSTRUCTION_SETS.filter((instructions) => instructionSetRuns(instructions)).map((instructions) => {
    const module = kernelModule({ instructions }) as WebAssembly.Module;
    const kernels = instantiateKernels(module, new WebAssembly.Memory({ initial: 1 }));
    for (let i = 0; i < PEAK_WARM_UP_CALLS; i++) kernels.peakMultiplyAdd(PEAK_ITERATIONS / 20, 0.999, 1e-3);
    let best = 0;
    for (let i = 0; i < PEAK_TIMED_CALLS; i++) {
      const started = process.cpuUsage();
      kernels.peakMultiplyAdd(PEAK_ITERATIONS, 0.999, 1e-3);
      best = Math.max(best, (PEAK_ITERATIONS * PEAK_FLOPS_PER_ITERATION) / cpuSeconds(started) / 1e9);
    }
    return { instructions, gflops: best };
  });
}

/** Non-zero values of `rows` rows of `input` (`rowStride` floats apart), columns [first, end). */
function nonZeros(floats: Float32Array, input: number, rowStride: number, rows: number, first: number, end: number): number {
  let count = 0;
  for (let s = 0; s < rows; s++) for (let i = first; i < end; i++) if (floats[input / 4 + s * rowStride + i] !== 0) count += 1;
  return count;
}

/** Useful multiply-add flops of a call: 2 × its input's non-zero values × the padded width (undefined for other kernels). */
function callFlops(name: keyof MlpKernels, args: number[], floats: Float32Array): number | undefined {
  if (name === 'denseForward') return 2 * nonZeros(floats, args[3], args[2], args[0], 0, args[1]) * args[6];
  if (name === 'backwardToLayerBelow') return 2 * nonZeros(floats, args[7], args[8], args[0], 0, args[6]) * args[1];
  if (name === 'weightGradientAdam') return 2 * nonZeros(floats, args[3], args[4], args[2], args[0], args[1]) * args[8];
  // The conv forward product reads every tap (zeros included): 2 × pixels × K²·inStride × filterStride.
  if (name === 'convForward') return 2 * (args[1] - args[0]) * args[4] * args[4] * args[3] * args[5];
  return undefined;
}

/** Times every kernel call of `steps` training steps of `architecture` on real images, on one thread. */
export function profileKernels(tf: Tf, data: FashionMnist, architecture: Architecture, batchSize: number, steps: number): KernelProfile {
  const seconds = new Map<string, number>();
  const flops = new Map<string, number>();
  const instrument = (kernels: MlpKernels, memory: WebAssembly.Memory): MlpKernels => {
    const timed: Record<string, unknown> = {};
    for (const name of Object.keys(kernels) as (keyof MlpKernels)[]) {
      const kernel = kernels[name] as (...args: number[]) => number;
      timed[name] = (...args: number[]) => {
        const counted = callFlops(name, args, new Float32Array(memory.buffer));
        const started = process.cpuUsage();
        const result = kernel(...args);
        seconds.set(name, (seconds.get(name) ?? 0) + cpuSeconds(started));
        if (counted !== undefined) flops.set(name, (flops.get(name) ?? 0) + counted);
        return result;
      };
    }
    return timed as unknown as MlpKernels;
  };
  const model = buildModel(tf, { ...DEFAULT_HYPER_PARAMETERS, architecture });
  const order = shuffledIndices(data.train.count, createRng(1));
  const batches = Math.floor(data.train.count / batchSize);
  const run = (trainer: KernelTrainer, count: number): number => {
    const started = process.cpuUsage();
    for (let step = 0; step < count; step++) trainer.trainBatch(data.train, order, (step % batches) * batchSize, batchSize);
    return cpuSeconds(started);
  };
  const profiled = new KernelTrainer(tf, model, { learningRate: DEFAULT_HYPER_PARAMETERS.learningRate, batchSize, architecture, threads: 1, instrument });
  // Warm-up steps first (not counted), so that the timings are of the optimized kernels.
  run(profiled, Math.min(100, steps));
  seconds.clear();
  flops.clear();
  const total = run(profiled, steps);
  profiled.dispose();
  const auto = new KernelTrainer(tf, model, { learningRate: DEFAULT_HYPER_PARAMETERS.learningRate, batchSize, architecture, threads: 'auto' });
  // Until its first timed choice (after its warm-up of a few hundred steps), at most 1,000 steps.
  for (let done = 0; done < 1000 && auto.threadDecisions.length === 0; done += 50) run(auto, 50);
  const threadDecisions = auto.threadDecisions.slice();
  auto.dispose();
  model.dispose();
  const kernels = [...seconds].sort((a, b) => b[1] - a[1]).map(([kernel, spent]) => {
    const timing: KernelTiming = { kernel, microsecondsPerStep: (spent / steps) * 1e6 };
    const counted = flops.get(kernel);
    if (counted !== undefined && spent > 0) timing.gflops = counted / spent / 1e9;
    return timing;
  });
  return { instructions: profiled.instructions, steps, msPerStep: (total / steps) * 1000, kernels, threadDecisions };
}
