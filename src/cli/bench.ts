/**
 * `bench`: how fast the tutorial and a bigger network (784-512-256-10, dropout 0.2) train here, in one
 * run. For each: seconds per epoch (median and spread, wall and CPU), samples per second, the test
 * accuracy reached, the time to predict the whole test set in one batch; then, where Debian's PyTorch
 * is importable, the same model in PyTorch with Debian's default BLAS and with OpenBLAS on one thread
 * (libopenblas0-serial, chosen for the PyTorch process only), the BLAS that actually ran, and the
 * ratios. Also the peak RSS, the data decode time, the machine's load, tfjs-node where it is set up
 * (found where `train` finds it), and whether a hidden width of 100 trains as fast as 128.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { selectBackend, tfjsNodeLoader } from '../training/backend';
import { cliNativeBackendFolders } from './common';
import { defaultCacheDir } from '../core/data/dataLocation';
import { loadFashionMnist, type FashionMnist } from '../core/data/dataset';
import { toUserError, TrainerError } from '../core/errors';
import { t } from '../core/text/l10n';
import { predictAll, runTutorial } from '../training/run';
import { describeArchitecture, singleHiddenLayer, type Architecture } from '../domain/architecture';
import { BACKEND_CHOICES, DEFAULT_HYPER_PARAMETERS, type BackendChoice, type HyperParameters } from '../domain/hyperParameters';
import { type EpochMetrics } from '../domain/metrics';

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const PREDICT_REPEATS = 5;
const BIG_ARCHITECTURE: Architecture = { hiddenLayers: [{ units: 512, dropout: 0.2 }, { units: 256, dropout: 0.2 }], l2: 0 };
const DEFAULT_BIG_EPOCHS = 3;
/** Epochs of the width check (100 and 128 hidden units). */
const WIDTH_CHECK_EPOCHS = 2;
const OPENBLAS_SERIAL_DIR = '/usr/lib/x86_64-linux-gnu/openblas-serial';
const BACKENDS: readonly BackendChoice[] = BACKEND_CHOICES;

interface BenchOptions {
  epochs: number;
  /** Epochs of the bigger network (784-512-256-10, dropout 0.2); 0 skips it. */
  bigEpochs: number;
  batchSize: number;
  backend: BackendChoice;
  dataDir?: string;
  torch: boolean;
}

/** What one training run measured. */
interface RunFigures {
  backend: string;
  history: EpochMetrics[];
  /** CPU seconds of this process per epoch (training and test evaluation): steadier than wall time on a busy machine. */
  cpuSeconds: number[];
  predictMs: number[];
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function out(line = ''): void {
  process.stdout.write(line + '\n');
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function benchHelp(): string[] {
  return [
    t('Usage: node dist/cli.js bench [options]'),
    t('Trains the tutorial and prints how fast it ran (and PyTorch on the same data, where it is installed).'),
    '',
    `  --epochs N        ${t('Epochs to train (default {0}).', DEFAULT_HYPER_PARAMETERS.epochs)}`,
    `  --batch-size N    ${t('Batch size (default {0}).', DEFAULT_HYPER_PARAMETERS.batchSize)}`,
    `  --backend B       ${t('auto, node, wasm or cpu (default auto).')}`,
    `  --big-epochs N    ${t('Epochs of the 784-512-256-10 network with dropout 0.2 (default {0}; 0 skips it).', DEFAULT_BIG_EPOCHS)}`,
    `  --data-dir D      ${t('A folder with the four Fashion-MNIST files.')}`,
    `  --no-torch        ${t('Skip the PyTorch comparison.')}`,
  ];
}

class BenchUsageError extends Error {}

function wholeNumber(flag: string, text: string | undefined, max: number): number {
  const value = Number(text);
  if (text === undefined || !Number.isInteger(value) || value < 1 || value > max) {
    throw new BenchUsageError(t('{0} needs a whole number from 1 to {1}, not "{2}".', flag, max, String(text ?? '')));
  }
  return value;
}

export function parseBenchArgs(argv: string[]): BenchOptions | 'help' {
  const options: BenchOptions = {
    epochs: DEFAULT_HYPER_PARAMETERS.epochs,
    bigEpochs: DEFAULT_BIG_EPOCHS,
    batchSize: DEFAULT_HYPER_PARAMETERS.batchSize,
    backend: 'auto',
    torch: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--epochs':
        options.epochs = wholeNumber(flag, value(), 1000);
        break;
      case '--big-epochs': {
        const text = value();
        options.bigEpochs = text === '0' ? 0 : wholeNumber(flag, text, 1000);
        break;
      }
      case '--batch-size':
        options.batchSize = wholeNumber(flag, value(), 60000);
        break;
      case '--backend': {
        const backend = value() as BackendChoice;
        if (!BACKENDS.includes(backend)) {
          throw new BenchUsageError(t('--backend must be one of auto, node, wasm or cpu, not "{0}".', String(backend ?? '')));
        }
        options.backend = backend;
        break;
      }
      case '--data-dir': {
        const dir = value();
        if (dir === undefined || dir === '') throw new BenchUsageError(t('{0} needs a value.', flag));
        options.dataDir = dir;
        break;
      }
      case '--no-torch':
        options.torch = false;
        break;
      default:
        throw new BenchUsageError(t('Unknown option {0}.', flag));
    }
  }
  return options;
}

/** Predicts the whole test set in one batch a few times with the trained model; milliseconds each. */
async function timePredictions(backend: BackendChoice, model: LayersModel, data: FashionMnist): Promise<number[]> {
  const { tf } = await selectBackend(backend, tfjsNodeLoader(cliNativeBackendFolders()));
  const times: number[] = [];
  for (let i = 0; i < PREDICT_REPEATS; i++) times.push(predictAll(tf, model, data.test).predictMs);
  return times;
}

async function benchTfjs(options: BenchOptions, backend: BackendChoice, data: FashionMnist, architecture?: Architecture, epochs = options.epochs): Promise<RunFigures> {
  const params: HyperParameters = { ...DEFAULT_HYPER_PARAMETERS, epochs, batchSize: options.batchSize, backend };
  let backendName = backend as string;
  let failure: TrainerError | undefined;
  let epochCpu = process.cpuUsage();
  const cpuSeconds: number[] = [];
  const result = await runTutorial({
    request: { params, cacheDir: defaultCacheDir(), locale: 'en', allowDownload: false, nativeBackendFolders: cliNativeBackendFolders() },
    loadData: async () => data,
    architecture,
    shouldStop: () => false,
    onEvent: (event) => {
      if (event.type === 'backend') {
        backendName = event.backend.name;
        out(t('Backend: {0} ({1})', event.backend.name, event.backend.reason));
      } else if (event.type === 'started') {
        epochCpu = process.cpuUsage();
      } else if (event.type === 'epoch') {
        cpuSeconds.push(cpuSecondsSince(epochCpu));
        epochCpu = process.cpuUsage();
        const m = event.metrics;
        out(
          t(
            'Epoch {0}/{1}: {2} s, {3} samples/s, loss {4}, accuracy {5}, test accuracy {6}',
            m.epoch,
            epochs,
            m.seconds.toFixed(2),
            Math.round(m.samplesPerSecond),
            m.loss.toFixed(4),
            m.accuracy.toFixed(4),
            m.testAccuracy.toFixed(4),
          ),
        );
      } else if (event.type === 'error') {
        failure = new TrainerError(event.error.code, event.error.message, event.error.file, event.error.action);
      }
    },
  });
  if (result.status !== 'finished' || result.model === undefined) {
    throw failure ?? new TrainerError('INTERNAL', t('The benchmark run did not finish.'));
  }
  try {
    return { backend: backendName, history: result.history, cpuSeconds, predictMs: await timePredictions(backend, result.model, data) };
  } finally {
    result.model.dispose();
  }
}

function printFigures(figures: RunFigures): void {
  const seconds = figures.history.map((m) => m.seconds);
  const last = figures.history[figures.history.length - 1];
  out(t('Results ({0} backend):', figures.backend));
  out(
    t(
      '  Seconds per epoch: median {0} (min {1}, max {2}, over {3} epochs)',
      median(seconds).toFixed(2),
      Math.min(...seconds).toFixed(2),
      Math.max(...seconds).toFixed(2),
      seconds.length,
    ),
  );
  out(t('  CPU seconds per epoch: median {0} (min {1}, max {2})', median(figures.cpuSeconds).toFixed(2), Math.min(...figures.cpuSeconds).toFixed(2), Math.max(...figures.cpuSeconds).toFixed(2)));
  out(t('  Training samples per second: median {0}', Math.round(median(figures.history.map((m) => m.samplesPerSecond)))));
  out(t('  Test accuracy after {0} epochs: {1}', figures.history.length, last.testAccuracy.toFixed(4)));
  out(
    t(
      '  Predicting the {0} test images in one batch: median {1} ms (of {2} runs)',
      10000,
      median(figures.predictMs).toFixed(0),
      figures.predictMs.length,
    ),
  );
}

/** A python3 that imports torch: the one on PATH, else Debian's (python3-torch installs for it). */
function findTorchPython(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
    if (probe.status === 0) return python;
  }
  return undefined;
}

/** scripts/bench_torch.py, found upwards from the running file (dist/ or src/cli/). */
function torchScript(): string | undefined {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'scripts', 'bench_torch.py');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

interface TorchFigures {
  seconds: number[];
  cpuSeconds: number[];
  testAccuracy: number[];
  torch: string;
  threads: number;
  /** The BLAS libraries loaded in the PyTorch process (threadpoolctl's view where installed). */
  blas?: { api: string | null; file: string; version: string | null; architecture: string | null; threads: number | null }[];
}

/** Which BLAS the PyTorch process is given: the system's (Debian's alternatives), or OpenBLAS serial. */
type TorchBlas = 'default' | 'openblas-serial';

function benchTorch(options: BenchOptions, data: FashionMnist, architecture: Architecture, epochs: number, blas: TorchBlas): TorchFigures | string {
  const python = findTorchPython();
  if (python === undefined) return t('PyTorch is not importable (install python3-torch to compare); skipped.');
  const script = torchScript();
  if (script === undefined) return t('scripts/bench_torch.py was not found; PyTorch comparison skipped.');
  if (blas === 'openblas-serial' && !existsSync(OPENBLAS_SERIAL_DIR)) {
    return t('{0} is missing (install libopenblas0-serial); this PyTorch run is skipped.', OPENBLAS_SERIAL_DIR);
  }
  out(t('Training the same model in PyTorch ({0} epochs, batch {1})…', epochs, options.batchSize));
  const hidden = architecture.hiddenLayers.map((layer) => layer.units).join(',');
  const dropout = String(architecture.hiddenLayers[0]?.dropout ?? 0);
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: '1' };
  if (blas === 'openblas-serial') env.LD_LIBRARY_PATH = [OPENBLAS_SERIAL_DIR, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  const run = spawnSync(python, [script, data.directory, String(epochs), String(options.batchSize), '42', hidden, dropout], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    env,
  });
  if (run.status !== 0) return t('The PyTorch run failed: {0}', (run.stderr || '').trim().split('\n').pop() ?? '');
  try {
    return JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as TorchFigures;
  } catch {
    return t('The PyTorch run printed no result.');
  }
}

function formatLoad(): string {
  return loadavg().map((l) => l.toFixed(2)).join(', ');
}

function blasLabel(blas: TorchBlas): string {
  return blas === 'default' ? t("Debian's default BLAS") : t('OpenBLAS, one thread (LD_LIBRARY_PATH={0})', OPENBLAS_SERIAL_DIR);
}

/** Prints a PyTorch run (and the BLAS that ran) and returns ours / theirs, wall and CPU. */
function printTorch(torch: TorchFigures, blas: TorchBlas, ours: { wall: number; cpu: number }): { wall: number; cpu: number } {
  const theirs = { wall: median(torch.seconds), cpu: median(torch.cpuSeconds) };
  out(t('PyTorch {0} ({1} thread(s)):', torch.torch, torch.threads) + ' ' + blasLabel(blas));
  for (const library of torch.blas ?? []) {
    out(t('  BLAS that ran: {0} {1} ({2}), kernels for {3}, {4} thread(s)', library.api ?? '?', library.version ?? '', library.file, library.architecture ?? '?', library.threads ?? '?'));
  }
  out(t('  Seconds per epoch: median {0} (min {1}, max {2})', theirs.wall.toFixed(2), Math.min(...torch.seconds).toFixed(2), Math.max(...torch.seconds).toFixed(2)));
  out(t('  CPU seconds per epoch: median {0}', theirs.cpu.toFixed(2)));
  out(t('  Test accuracy after {0} epochs: {1}', torch.testAccuracy.length, (torch.testAccuracy.at(-1) ?? 0).toFixed(4)));
  const ratios = { wall: ours.wall / theirs.wall, cpu: ours.cpu / theirs.cpu };
  out(t('Ours / PyTorch, time per epoch: {0} ({1} is faster).', ratios.wall.toFixed(2), ratios.wall <= 1 ? t('ours') : 'PyTorch'));
  out(t('Ours / PyTorch, CPU time per epoch: {0}.', ratios.cpu.toFixed(2)));
  return ratios;
}

export async function runBench(argv: string[]): Promise<number> {
  let options: BenchOptions;
  try {
    const parsed = parseBenchArgs(argv);
    if (parsed === 'help') {
      for (const line of benchHelp()) out(line);
      return EXIT_OK;
    }
    options = parsed;
  } catch (error) {
    process.stderr.write(t('Error: {0}', (error as Error).message) + ' ' + t('Run with --help to see the options.') + '\n');
    return EXIT_USAGE;
  }
  try {
    // Fail fast on a backend that cannot start, before spending time on the data.
    const nativeLoader = tfjsNodeLoader(cliNativeBackendFolders());
    await selectBackend(options.backend, nativeLoader);
    const data = await loadFashionMnist({ dataDir: options.dataDir, cacheDir: defaultCacheDir(), allowDownload: true });
    out(t('Data: {0} training and {1} test images from {2}; decoded and verified in {3} ms.', data.train.count, data.test.count, data.directory, Math.round(data.decodeMs)));
    out(t('Note: figures depend on the machine and on what else runs on it.'));

    out(t('Load average at the start (1, 5, 15 min): {0}', formatLoad()));
    const summary: string[] = [];
    let mainBackend = '';
    const models: [Architecture, number, string][] = [[DEFAULT_HYPER_PARAMETERS.architecture, options.epochs, t('the tutorial')]];
    if (options.bigEpochs > 0) models.push([BIG_ARCHITECTURE, options.bigEpochs, t('a bigger network')]);
    for (const [architecture, epochs, role] of models) {
      const name = describeArchitecture(architecture);
      out();
      out(t('== {0} ({1}), {2} epochs, batch {3} ==', name, role, epochs, options.batchSize));
      const figures = await benchTfjs(options, options.backend, data, architecture, epochs);
      mainBackend = figures.backend;
      printFigures(figures);
      out(t('  Peak RSS (whole process, data included): {0} MB', Math.round(process.resourceUsage().maxRSS / 1024)));
      const ours = { wall: median(figures.history.map((m) => m.seconds)), cpu: median(figures.cpuSeconds) };
      const line = [t('{0}: ours {1} s/epoch wall, {2} CPU, test accuracy {3}', name, ours.wall.toFixed(2), ours.cpu.toFixed(2), (figures.history.at(-1)?.testAccuracy ?? 0).toFixed(4))];
      if (options.torch) {
        for (const blas of ['default', 'openblas-serial'] as const) {
          out();
          const torch = benchTorch(options, data, architecture, epochs, blas);
          if (typeof torch === 'string') {
            out(torch);
            continue;
          }
          const ratios = printTorch(torch, blas, ours);
          line.push(t('PyTorch with {0}: ×{1} wall, ×{2} CPU', blasLabel(blas), ratios.wall.toFixed(2), ratios.cpu.toFixed(2)));
        }
      }
      summary.push(line.join('; '));
    }

    if (options.backend !== 'node' && mainBackend !== 'tensorflow' && (await nativeLoader())?.tf !== undefined) {
      out();
      printFigures(await benchTfjs(options, 'node', data));
    }

    out();
    out(t('== Width check: 100 and 128 hidden units, {0} epochs each ==', WIDTH_CHECK_EPOCHS));
    const narrow = await benchTfjs(options, options.backend, data, singleHiddenLayer(100), WIDTH_CHECK_EPOCHS);
    const wide = await benchTfjs(options, options.backend, data, singleHiddenLayer(128), WIDTH_CHECK_EPOCHS);
    summary.push(t('Hidden width 100 vs 128: {0} vs {1} CPU s/epoch', median(narrow.cpuSeconds).toFixed(2), median(wide.cpuSeconds).toFixed(2)));

    out();
    out(t('Summary (ours / PyTorch: below 1 means we are faster):'));
    for (const line of summary) out('  ' + line);
    out(t('  Peak RSS (whole process, data included): {0} MB', Math.round(process.resourceUsage().maxRSS / 1024)));
    out('  ' + t('Load average at the end (1, 5, 15 min): {0}', formatLoad()));
    return EXIT_OK;
  } catch (error) {
    const userError = toUserError(error);
    process.stderr.write([t('Error: {0}', userError.message), userError.action].filter(Boolean).join(' ') + '\n');
    return EXIT_FAILED;
  }
}
