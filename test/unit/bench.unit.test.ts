// The bench's pieces without the long run: its command line (the schema's bounds), the statistics, the
// PyTorch peer's arguments and environment, and one measured run of ours on a few synthetic images.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { UsageError } from '../../src/cli/args';
import { BENCH_ENTRIES, DEFAULT_BIG_CNN_EPOCHS, DEFAULT_BIG_EPOCHS, DEFAULT_CNN_EPOCHS, parseBenchArgs, type BenchOptions } from '../../src/cli/bench/benchArgs';
import { BIG_CNN_ARCHITECTURE, benchNetworks, CNN_ARCHITECTURE } from '../../src/cli/bench/benchNetworks';
import { epochTimes, median, threadUse } from '../../src/cli/bench/benchFigures';
import {
  OPENBLAS_SERIAL_DIR,
  parseTorchFigures,
  torchArguments,
  torchEnvironment,
  torchScript,
} from '../../src/cli/bench/pytorchPeer';
import { measureTfjsRun } from '../../src/cli/bench/tfjsMeasurement';
import { cpuFlags, cpuSimdLevel, weakerKernels } from '../../src/cli/bench/blasKernels';
import { busyWarning, formatLoad } from '../../src/cli/bench/machineLoad';
import type { FashionMnist } from '../../src/core/data/dataset';
import { singleHiddenLayer } from '../../src/domain/architecture';
import { parameterCount } from '../../src/domain/networkLayers';
import { BACKEND_CHOICES, DEFAULT_HYPER_PARAMETERS, HYPER_PARAMETER_SCHEMA } from '../../src/domain/hyperParameters';

function parsed(argv: string[]): BenchOptions {
  const options = parseBenchArgs(argv);
  assert.notEqual(options, 'help');
  return options as BenchOptions;
}

function refused(argv: string[], pattern: RegExp): void {
  assert.throws(() => parseBenchArgs(argv), (error: unknown) => error instanceof UsageError && pattern.test(error.message), argv.join(' '));
}

test('bench options default to the tutorial run and take the schema bounds of train', () => {
  assert.deepEqual(parsed([]), {
    epochs: DEFAULT_HYPER_PARAMETERS.epochs,
    bigEpochs: DEFAULT_BIG_EPOCHS,
    cnnEpochs: DEFAULT_CNN_EPOCHS,
    bigCnnEpochs: DEFAULT_BIG_CNN_EPOCHS,
    entries: BENCH_ENTRIES,
    batchSize: DEFAULT_HYPER_PARAMETERS.batchSize,
    backend: DEFAULT_HYPER_PARAMETERS.backend,
    torch: true,
    threads: 'auto',
    waitIdle: 0,
  });
  assert.equal(parsed(['--threads', '1']).threads, 1);
  assert.equal(parsed(['--threads=2']).threads, 2);
  assert.equal(parsed(['--threads', 'auto']).threads, 'auto');
  refused(['--threads', '3'], /--threads must be one of auto, 1, 2; got "3"/);
  assert.equal(parsed(['--wait-idle', '120']).waitIdle, 120);
  refused(['--wait-idle', '-1'], /--wait-idle/);
  const { epochs, batchSize } = HYPER_PARAMETER_SCHEMA;
  assert.equal(parsed(['--epochs', String(epochs.max)]).epochs, epochs.max);
  assert.equal(parsed([`--batch-size=${batchSize.max}`]).batchSize, batchSize.max);
  refused(['--epochs', String(epochs.max + 1)], new RegExp(`--epochs must be a whole number from ${epochs.min} to ${epochs.max}`));
  refused(['--epochs', String(epochs.min - 1)], /--epochs/);
  refused(['--batch-size', String(batchSize.max + 1)], new RegExp(`--batch-size must be a whole number from ${batchSize.min} to ${batchSize.max}`));
  refused(['--batch-size', '2.5'], /--batch-size/);
  for (const backend of BACKEND_CHOICES) assert.equal(parsed(['--backend', backend]).backend, backend);
  refused(['--backend', 'gpu'], new RegExp(`one of ${BACKEND_CHOICES.join(', ')}`));
  assert.equal(parsed(['--big-epochs', '0']).bigEpochs, 0);
  assert.equal(parsed(['--big-epochs', String(epochs.max)]).bigEpochs, epochs.max);
  refused(['--big-epochs', String(epochs.max + 1)], /--big-epochs must be a whole number from 0/);
  assert.deepEqual(parsed(['--no-torch', '--data-dir', '/d']), { ...parsed([]), torch: false, dataDir: '/d' });
  refused(['--data-dir'], /--data-dir needs a value/);
  refused(['--epochs'], /--epochs needs a value/);
  refused(['--fast'], /Unknown option "--fast"/);
  assert.equal(parseBenchArgs(['--epochs', '3', '--help']), 'help');
});

test('bench --only picks entries (in the bench\'s order), --cnn-epochs and --big-cnn-epochs set the CNNs\' epochs, 0 skips one', () => {
  assert.deepEqual(parsed(['--only', 'big-cnn,cnn']).entries, ['cnn', 'big-cnn']);
  assert.deepEqual(parsed(['--only=width']).entries, ['width']);
  refused(['--only', 'cnn,convnet'], /--only must be a comma-separated list of tutorial, big, cnn, big-cnn, width; got "convnet"/);
  refused(['--only'], /--only needs a value/);
  assert.equal(parsed(['--cnn-epochs', '10']).cnnEpochs, 10);
  assert.equal(parsed(['--big-cnn-epochs', '0']).bigCnnEpochs, 0);
  refused(['--cnn-epochs', '-1'], /--cnn-epochs must be a whole number from 0/);
  const entries = (argv: string[]) => benchNetworks(parsed(argv)).map((network) => network.entry);
  assert.deepEqual(entries([]), ['tutorial', 'big', 'cnn', 'big-cnn']);
  assert.deepEqual(entries(['--only', 'cnn,big-cnn', '--big-cnn-epochs', '0']), ['cnn']);
  assert.deepEqual(entries(['--only', 'width']), []);
  const [cnn, bigCnn] = benchNetworks(parsed(['--only', 'cnn,big-cnn', '--cnn-epochs', '2']));
  assert.equal(cnn.epochs, 2);
  assert.equal(bigCnn.epochs, DEFAULT_BIG_CNN_EPOCHS);
  // The two networks, by their parameter counts, and its targets.
  assert.equal(parameterCount(CNN_ARCHITECTURE), 54_314);
  assert.equal(parameterCount(BIG_CNN_ARCHITECTURE), 421_642);
  assert.deepEqual([cnn.targets.ratio, cnn.targets.accuracy], [1.0, { least: 0.875, afterEpoch: 3 }]);
  assert.equal(bigCnn.targets.ratio, 1.5);
});

test('how auto threads ran: the share of the steps after the first choice that each choice gave two threads', () => {
  assert.equal(threadUse([], 1000), undefined, 'no choice made');
  assert.equal(threadUse([{ afterStep: 300, threads: 2 }], 300), undefined, 'no step after the first choice');
  assert.deepEqual(threadUse([{ afterStep: 300, threads: 2 }], 1300), { choices: 1, twoThreadShare: 1 });
  // 300-800 two, 800-1300 one, 1300-2300 two: 1,500 of 2,000.
  const use = threadUse([{ afterStep: 300, threads: 2 }, { afterStep: 800, threads: 1 }, { afterStep: 1300, threads: 2 }], 2300);
  assert.deepEqual(use, { choices: 3, twoThreadShare: 0.75 });
});

test('median of odd and even counts, NaN for none', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('the PyTorch peer gets the same network, data, epochs, batch and seed, on one thread', () => {
  const architecture = { hiddenLayers: [{ units: 512, dropout: 0.2 }, { units: 256, dropout: 0.2 }], l2: 0 };
  assert.deepEqual(torchArguments({ dataDirectory: '/data', architecture, epochs: 3, batchSize: 64, seed: 42 }), ['/data', '3', '64', '42', '512,256', '0.2']);
  assert.deepEqual(torchArguments({ dataDirectory: '/data', architecture: singleHiddenLayer(128), epochs: 1, batchSize: 32, seed: 7 }), ['/data', '1', '32', '7', '128', '0']);
  // A conv network: its blocks as FILTERS:KERNEL, as --conv takes them (the PyTorch peer builds Conv2d + MaxPool2d from them).
  const cnn = { convLayers: [{ filters: 8, kernelSize: 5 }, { filters: 16, kernelSize: 5 }], hiddenLayers: [{ units: 64, dropout: 0 }], l2: 0 };
  assert.deepEqual(torchArguments({ dataDirectory: '/data', architecture: cnn, epochs: 3, batchSize: 32, seed: 42 }), ['/data', '3', '32', '42', '64', '0', '8:5,16:5']);
  const plain = torchEnvironment('default', { PATH: '/bin', LD_LIBRARY_PATH: '/opt/lib' });
  assert.deepEqual(plain, { PATH: '/bin', LD_LIBRARY_PATH: '/opt/lib', OMP_NUM_THREADS: '1' });
  // OpenBLAS's kernel and cache overrides are not passed on: the peer runs the kernels of this CPU.
  const overridden = { PATH: '/bin', OPENBLAS_CORETYPE: 'Prescott', OPENBLAS_L2_SIZE: '1048576' };
  assert.deepEqual(torchEnvironment('openblas-serial', overridden), { PATH: '/bin', OMP_NUM_THREADS: '1', LD_LIBRARY_PATH: OPENBLAS_SERIAL_DIR });
  assert.equal(overridden.OPENBLAS_CORETYPE, 'Prescott', 'our own environment is left as it is');
  assert.equal(torchEnvironment('openblas-serial', { LD_LIBRARY_PATH: '/opt/lib' }).LD_LIBRARY_PATH, `${OPENBLAS_SERIAL_DIR}:/opt/lib`);
  assert.equal(torchEnvironment('openblas-serial', {}).LD_LIBRARY_PATH, OPENBLAS_SERIAL_DIR);
  const script = torchScript();
  assert.ok(script !== undefined && script.endsWith('scripts/bench_torch.py') && existsSync(script));
  assert.equal(torchScript('/'), undefined);
  const figures = { seconds: [2, 1], cpuSeconds: [1, 1], testAccuracy: [0.8, 0.85], torch: '1.13', threads: 1 };
  assert.deepEqual(parseTorchFigures(`a warning\n${JSON.stringify(figures)}\n`), figures);
  assert.match(parseTorchFigures('Traceback …') as string, /printed no result/);
});

test('the peer\'s BLAS kernels are checked against the CPU\'s flags: Prescott on an AVX-512 CPU is weaker', () => {
  const avx512 = new Set(['sse3', 'avx', 'avx2', 'fma', 'avx512f']);
  assert.equal(cpuSimdLevel(avx512), 'avx512');
  assert.equal(cpuSimdLevel(new Set(['sse3', 'avx', 'avx2', 'fma'])), 'avx2');
  assert.equal(cpuSimdLevel(new Set(['sse3'])), 'sse3');
  assert.equal(cpuSimdLevel(undefined), undefined);
  assert.deepEqual(weakerKernels('Prescott', 'avx512'), ['sse3', 'avx512']);
  assert.deepEqual(weakerKernels('Haswell', 'avx512'), ['avx2', 'avx512']);
  assert.equal(weakerKernels('Cooperlake', 'avx512'), undefined);
  assert.equal(weakerKernels('SkylakeX', 'avx512'), undefined);
  assert.equal(weakerKernels('Zen', 'avx2'), undefined);
  assert.equal(weakerKernels(null, 'avx512'), undefined);
  assert.equal(weakerKernels('Prescott', undefined), undefined);
  const flags = cpuFlags();
  if (flags !== undefined) assert.ok(flags.has('sse2'), 'this x86-64 CPU\'s flags are read from /proc/cpuinfo');
  assert.equal(cpuFlags('/nonexistent/cpuinfo'), undefined);
});

test('a load average above 1.5 is a busy machine, and the bench says so', () => {
  assert.equal(busyWarning([1.5, 3, 3]), undefined);
  assert.match(busyWarning([2.25, 1, 1]) ?? '', /busy \(load average 2\.25 > 1\.5\)/);
  assert.equal(formatLoad([1, 0.5, 0.25]), '1.00, 0.50, 0.25');
});

/** A few images of two kinds (dark and light), so one epoch has something to learn. */
function tinyData(train: number, test: number): FashionMnist {
  const split = (count: number) => {
    const labels = Uint8Array.from({ length: count }, (_, i) => i % 2);
    const images = new Uint8Array(count * 784);
    for (let i = 0; i < count; i++) images.fill(labels[i] === 0 ? 20 : 230, i * 784, (i + 1) * 784);
    return { images, labels, count };
  };
  return { train: split(train), test: split(test), sourceKind: 'user', directory: '/synthetic', checksum: '', decodeMs: 0 };
}

test('one measured run of ours: an epoch line per epoch, CPU seconds per epoch, five timed predictions', async () => {
  const lines: string[] = [];
  const write = process.stdout.write;
  // The bench prints strings; anything else (the test runner's own reports) passes through.
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== 'string') return (write as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    lines.push(...chunk.split('\n').filter(Boolean));
    return true;
  }) as typeof process.stdout.write;
  let figures;
  try {
    figures = await measureTfjsRun({ backend: 'cpu', batchSize: 16, architecture: singleHiddenLayer(8), epochs: 2 }, tinyData(64, 20));
  } finally {
    process.stdout.write = write;
  }
  assert.equal(figures.backend, 'cpu');
  assert.equal(figures.history.length, 2);
  assert.equal(figures.cpuSeconds.length, 2);
  assert.ok(figures.cpuSeconds.every((s) => s >= 0 && Number.isFinite(s)));
  assert.equal(figures.predictMs.length, 5);
  assert.ok(lines[0].startsWith('Backend: cpu'), lines[0]);
  assert.deepEqual(lines.filter((line) => line.startsWith('Epoch ')).map((line) => line.slice(0, 10)), ['Epoch 1/2:', 'Epoch 2/2:']);
  const times = epochTimes(figures);
  assert.equal(times.wall, median(figures.history.map((m) => m.seconds)));
  assert.equal(times.cpu, median(figures.cpuSeconds));
});
