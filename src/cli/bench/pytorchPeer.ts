/**
 * The peer `bench` compares with: the same network trained in PyTorch by scripts/bench_torch.py in a
 * Python subprocess (same files, Glorot-uniform init, Adam with ε 1e-7, one thread), given either
 * Debian's default BLAS or OpenBLAS on one thread (libopenblas0-serial, for that process only).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { t } from '../../core/text/l10n';
import { convLayersOf, describeConvLayers, type Architecture } from '../../domain/architecture';
import { OPENBLAS_OVERRIDES } from './blasKernels';

export const OPENBLAS_SERIAL_DIR = '/usr/lib/x86_64-linux-gnu/openblas-serial';

/** Which BLAS the PyTorch process is given: the system's (Debian's alternatives), or OpenBLAS serial. */
export type TorchBlas = 'default' | 'openblas-serial';
export const TORCH_BLAS_CHOICES: readonly TorchBlas[] = ['default', 'openblas-serial'];

/** What scripts/bench_torch.py prints (its last line, JSON). */
export interface TorchFigures {
  seconds: number[];
  cpuSeconds: number[];
  testAccuracy: number[];
  torch: string;
  threads: number;
  /** The BLAS libraries loaded in the PyTorch process (threadpoolctl's view where installed). */
  blas?: { api: string | null; file: string; version: string | null; architecture: string | null; threads: number | null }[];
}

/** What the PyTorch run trains: the same as ours. */
export interface TorchRun {
  dataDirectory: string;
  architecture: Architecture;
  epochs: number;
  batchSize: number;
  seed: number;
}

/** A PyTorch run that can start: the interpreter, the script and the process's environment. */
export interface TorchLaunch {
  python: string;
  script: string;
  env: NodeJS.ProcessEnv;
}

/** A python3 that imports torch: the one on PATH, else Debian's (python3-torch installs for it). */
function findTorchPython(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
    if (probe.status === 0) return python;
  }
  return undefined;
}

/** scripts/bench_torch.py, found upwards from the running file (dist/ for the bundle, src/cli/bench/ under tsx). */
export function torchScript(start: string = __dirname): string | undefined {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'scripts', 'bench_torch.py');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The environment of the PyTorch process (ours is left as it is): one OpenMP thread, OpenBLAS serial first
 * on the library path when asked, and none of the variables that override OpenBLAS's kernels or cache
 * sizes, so that it runs the kernels this CPU supports.
 */
export function torchEnvironment(blas: TorchBlas, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = { ...env, OMP_NUM_THREADS: '1' };
  for (const name of OPENBLAS_OVERRIDES) delete result[name];
  if (blas === 'openblas-serial') result.LD_LIBRARY_PATH = [OPENBLAS_SERIAL_DIR, env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return result;
}

/** bench_torch.py's arguments: DATA_DIR EPOCHS BATCH_SIZE SEED HIDDEN DROPOUT (one rate: the first layer's) [CONV]. */
export function torchArguments(run: TorchRun): string[] {
  const hidden = run.architecture.hiddenLayers.map((layer) => layer.units).join(',');
  const dropout = String(run.architecture.hiddenLayers[0]?.dropout ?? 0);
  const conv = describeConvLayers(convLayersOf(run.architecture));
  return [run.dataDirectory, String(run.epochs), String(run.batchSize), String(run.seed), hidden, dropout, ...(conv === '' ? [] : [conv])];
}

/** Everything a PyTorch run with `blas` needs, or the sentence saying why it is skipped. */
export function prepareTorch(blas: TorchBlas): TorchLaunch | string {
  const python = findTorchPython();
  if (python === undefined) return t('PyTorch is not importable (install python3-torch to compare); skipped.');
  const script = torchScript();
  if (script === undefined) return t('scripts/bench_torch.py was not found; PyTorch comparison skipped.');
  if (blas === 'openblas-serial' && !existsSync(OPENBLAS_SERIAL_DIR)) {
    return t('{0} is missing (install libopenblas0-serial); this PyTorch run is skipped.', OPENBLAS_SERIAL_DIR);
  }
  return { python, script, env: torchEnvironment(blas) };
}

/** Trains `run` in PyTorch (blocking until the subprocess ends): its figures, or the sentence saying what went wrong. */
export function runTorch(launch: TorchLaunch, run: TorchRun): TorchFigures | string {
  const result = spawnSync(launch.python, [launch.script, ...torchArguments(run)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    env: launch.env,
  });
  if (result.status !== 0) return t('The PyTorch run failed: {0}', (result.stderr || '').trim().split('\n').pop() ?? '');
  return parseTorchFigures(result.stdout);
}

/** The figures from the script's output (its last line), or the sentence saying there were none. */
export function parseTorchFigures(stdout: string): TorchFigures | string {
  try {
    return JSON.parse(stdout.trim().split('\n').pop() ?? '') as TorchFigures;
  } catch {
    return t('The PyTorch run printed no result.');
  }
}
