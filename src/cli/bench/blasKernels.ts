/**
 * Whether the BLAS that ran in the PyTorch peer used the kernels this CPU supports. OpenBLAS picks its
 * kernels by CPU at load time, unless told otherwise (OPENBLAS_CORETYPE, which some shells here set):
 * Prescott (SSE3) kernels on an AVX-512 CPU make the peer about twice as slow, and the comparison
 * dishonest. The CPU's level comes from /proc/cpuinfo's flags; the kernels' from OpenBLAS's core name
 * (threadpoolctl's `architecture`).
 */
import { readFileSync } from 'node:fs';

/** SIMD levels, weakest first. */
export const SIMD_LEVELS = ['sse3', 'avx', 'avx2', 'avx512'] as const;
export type SimdLevel = (typeof SIMD_LEVELS)[number];

/** OpenBLAS core names (lower case) by the widest SIMD their kernels use; any other core counts as SSE3 or older. */
const OPENBLAS_CORES: Record<Exclude<SimdLevel, 'sse3'>, readonly string[]> = {
  avx: ['sandybridge', 'bulldozer', 'piledriver', 'steamroller'],
  avx2: ['haswell', 'zen', 'excavator', 'skylake'],
  avx512: ['skylakex', 'cooperlake', 'sapphirerapids'],
};

/** The widest SIMD level in a CPU's flags (/proc/cpuinfo), or undefined when they are not known. */
export function cpuSimdLevel(flags: ReadonlySet<string> | undefined): SimdLevel | undefined {
  if (flags === undefined) return undefined;
  if (flags.has('avx512f')) return 'avx512';
  if (flags.has('avx2') && flags.has('fma')) return 'avx2';
  if (flags.has('avx')) return 'avx';
  return 'sse3';
}

/** This machine's CPU flags, or undefined where /proc/cpuinfo cannot be read (not Linux). */
export function cpuFlags(cpuinfo = '/proc/cpuinfo'): Set<string> | undefined {
  try {
    const line = readFileSync(cpuinfo, 'utf8').split('\n').find((l) => l.startsWith('flags'));
    return line === undefined ? undefined : new Set(line.slice(line.indexOf(':') + 1).trim().split(/\s+/));
  } catch {
    return undefined;
  }
}

/** The SIMD level of an OpenBLAS core name. */
export function openBlasLevel(core: string): SimdLevel {
  const name = core.toLowerCase();
  for (const level of ['avx512', 'avx2', 'avx'] as const) if (OPENBLAS_CORES[level].includes(name)) return level;
  return 'sse3';
}

/** The kernels that ran are weaker than the CPU's: [ran, cpu] levels; undefined when they match or are unknown. */
export function weakerKernels(core: string | null | undefined, cpu: SimdLevel | undefined): [SimdLevel, SimdLevel] | undefined {
  if (core === null || core === undefined || cpu === undefined) return undefined;
  const ran = openBlasLevel(core);
  return SIMD_LEVELS.indexOf(ran) < SIMD_LEVELS.indexOf(cpu) ? [ran, cpu] : undefined;
}

/** Variables that override OpenBLAS's choice of kernels or its cache sizes: removed from the peer's environment. */
export const OPENBLAS_OVERRIDES = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'] as const;
