/**
 * `bench`: how fast the tutorial, a bigger network (784-512-256-10, dropout 0.2) and the two CNNs of
 * issue #23 train here, in one run (benchNetworks.ts; `--only` picks entries). For each: seconds per epoch (median and spread, wall and CPU), samples per second, the test
 * accuracy reached, the time to predict the whole test set in one batch; then, where Debian's PyTorch
 * is importable, the same model in PyTorch with Debian's default BLAS and with OpenBLAS on one thread
 * (pytorchPeer.ts; OpenBLAS, the peer of the targets, both before and after ours), the BLAS that actually
 * ran, and the ratios. Also the peak RSS, the data decode time,
 * the machine's load, tfjs-node where it is set up (found where `train` finds it), and whether a hidden
 * width of 100 trains as fast as 128. The parts: benchArgs.ts (the command line), benchNetworks.ts (the networks and their targets), tfjsMeasurement.ts
 * (one run of ours), pytorchPeer.ts (one run of PyTorch's), benchReport.ts (the printing).
 */
import { defaultCacheDir } from '../../core/data/dataLocation';
import { loadFashionMnist, type FashionMnist } from '../../core/data/dataset';
import { toUserError } from '../../core/errors';
import { t } from '../../core/text/l10n';
import { describeArchitecture, singleHiddenLayer, TUTORIAL_ARCHITECTURE, type Architecture } from '../../domain/architecture';
import { DEFAULT_HYPER_PARAMETERS } from '../../domain/hyperParameters';
import { selectBackend, tfjsNodeLoader } from '../../training/backend';
import { bestInstructionSet, INSTRUCTION_SETS } from '../../training/kernels/kernelModule';
import { loadavg } from 'node:os';
import { UsageError } from '../args';
import { cliNativeBackendFolders, EXIT } from '../common';
import { benchHelp, parseBenchArgs, type BenchOptions } from './benchArgs';
import { epochTimes, median, type EpochTimes } from './benchFigures';
import { benchNetworks } from './benchNetworks';
import { blasLabel, out, printFigures, printPeakRss, printPeaks, printProfile, printTorch } from './benchReport';
import { measurePeaks, profileKernels } from './kernelRoofline';
import { busyWarning, formatLoad, waitForIdle } from './machineLoad';
import { prepareTorch, runTorch, TORCH_BLAS_CHOICES, type TorchBlas, type TorchFigures } from './pytorchPeer';
import { measureTfjsRun } from './tfjsMeasurement';

/** Epochs of the width check, its widths, and how far apart their times per weight may be. */
const WIDTH_CHECK_EPOCHS = 2;
const WIDTH_CHECK_ROUNDS = 2;
const WIDTH_CHECK_UNITS = [100, 128] as const;
const WIDTH_SPREAD = 0.1;
const PEAK_RSS_MB = 300;

/** The peer that the targets are checked against. */
const TARGET_PEER: TorchBlas = 'openblas-serial';

/** One PyTorch run of a network with `blas`: its figures, or undefined (the reason printed). */
function trainInPyTorch(options: BenchOptions, data: FashionMnist, architecture: Architecture, epochs: number, blas: TorchBlas): TorchFigures | undefined {
  const launch = prepareTorch(blas);
  if (typeof launch === 'string') {
    out(launch);
    return undefined;
  }
  out(t('Training the same model in PyTorch ({0} epochs, batch {1})…', epochs, options.batchSize));
  const torch = runTorch(launch, { dataDirectory: data.directory, architecture, epochs, batchSize: options.batchSize, seed: DEFAULT_HYPER_PARAMETERS.seed });
  if (typeof torch === 'string') {
    out(torch);
    return undefined;
  }
  return torch;
}

/**
 * The PyTorch runs of one network, printed; one summary phrase per run that finished, and the ratios against
 * OpenBLAS. The OpenBLAS peer also ran before ours (`before`): its epochs are pooled with this run's, so
 * that a change in the machine's speed during the entry (which the load average does not show: other
 * machines' work on the same host) weighs on both sides alike.
 */
function comparePyTorch(options: BenchOptions, data: FashionMnist, architecture: Architecture, epochs: number, ours: EpochTimes, before: TorchFigures | undefined): { phrases: string[]; openBlas?: EpochTimes } {
  const phrases: string[] = [];
  let openBlas: EpochTimes | undefined;
  for (const blas of TORCH_BLAS_CHOICES) {
    out();
    const after = trainInPyTorch(options, data, architecture, epochs, blas);
    if (after === undefined) continue;
    const pooled = blas === TARGET_PEER && before !== undefined;
    if (pooled) {
      out(t('  Seconds per epoch before ours: median {0}; after ours: median {1}.', median(before.seconds).toFixed(2), median(after.seconds).toFixed(2)));
    }
    const torch = pooled ? { ...after, seconds: [...before.seconds, ...after.seconds], cpuSeconds: [...before.cpuSeconds, ...after.cpuSeconds] } : after;
    const ratios = printTorch(torch, blas, ours);
    if (blas === TARGET_PEER) openBlas = ratios;
    phrases.push(t('PyTorch with {0}: ×{1} wall, ×{2} CPU', blasLabel(blas), ratios.wall.toFixed(2), ratios.cpu.toFixed(2)));
  }
  return { phrases, openBlas };
}

/**
 * Whether a hidden width of 100 trains as fast per weight as 128: the summary's line. Both on one thread:
 * CPU time per weight says nothing when `auto` gives one width a helper thread (its waits count as CPU)
 * and not the other (a run at idle did: 8.05 against 13.18 ms per unit). The widths take turns, twice, and
 * each keeps its faster run: the machine's speed drifts over minutes (a run of 128 once took 1.21 CPU s per
 * epoch where it takes 0.78), which one run of each could put on one side only.
 */
async function widthCheck(options: BenchOptions, data: FashionMnist): Promise<string> {
  out();
  out(t('== Width check: 100 and 128 hidden units, {0} epochs each, one thread; in turns, {1} times (each keeps its faster run) ==', WIDTH_CHECK_EPOCHS, WIDTH_CHECK_ROUNDS));
  const perWeight: number[] = WIDTH_CHECK_UNITS.map(() => Infinity);
  for (let round = 0; round < WIDTH_CHECK_ROUNDS; round++) {
    for (const [index, units] of WIDTH_CHECK_UNITS.entries()) {
      const run = await measureTfjsRun({ backend: options.backend, batchSize: options.batchSize, architecture: singleHiddenLayer(units), epochs: WIDTH_CHECK_EPOCHS, threads: 1 }, data);
      perWeight[index] = Math.min(perWeight[index], median(run.cpuSeconds) / units);
    }
  }
  const spread = Math.max(...perWeight) / Math.min(...perWeight) - 1;
  return (
    t('Hidden width {0} vs {1}: {2} vs {3} CPU ms/epoch per hidden unit', WIDTH_CHECK_UNITS[0], WIDTH_CHECK_UNITS[1], (perWeight[0] * 1000).toFixed(2), (perWeight[1] * 1000).toFixed(2)) +
    '; ' + targetCheck(t('within {0}% per weight', WIDTH_SPREAD * 100), spread <= WIDTH_SPREAD, spread - WIDTH_SPREAD)
  );
}

/** "target: met" or "target: missed by x". */
function targetCheck(target: string, met: boolean, by: number): string {
  return met ? t('{0}: met', target) : t('{0}: missed by {1}', target, by.toFixed(2));
}

export async function runBench(argv: string[]): Promise<number> {
  let options: BenchOptions;
  try {
    const parsed = parseBenchArgs(argv);
    if (parsed === 'help') {
      for (const line of benchHelp()) out(line);
      return EXIT.ok;
    }
    options = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(t('Error: {0}', error.message) + ' ' + t('Run with --help to see the options.') + '\n');
    return EXIT.usage;
  }
  try {
    // Fail fast on a backend that cannot start, before spending time on the data.
    const nativeLoader = tfjsNodeLoader(cliNativeBackendFolders());
    await selectBackend(options.backend, nativeLoader);
    const data = await loadFashionMnist({ dataDir: options.dataDir, cacheDir: defaultCacheDir(), allowDownload: true });
    out(t('Data: {0} training and {1} test images from {2}; decoded and verified in {3} ms.', data.train.count, data.test.count, data.directory, Math.round(data.decodeMs)));
    out(t('Note: figures depend on the machine and on what else runs on it.'));

    const loadAtStart = loadavg();
    out(t('Load average at the start (1, 5, 15 min): {0}', formatLoad(loadAtStart)));
    await waitForIdle(options.waitIdle, out);
    const startWarning = busyWarning();
    if (startWarning !== undefined) out(startWarning);

    const { tf } = await selectBackend('cpu', () => undefined);
    out();
    out(t('Engine: WebAssembly kernels, {0} (of {1} built), threads {2}.', bestInstructionSet(), INSTRUCTION_SETS.join(', '), String(options.threads)));
    const peaks = measurePeaks();
    printPeaks(peaks, bestInstructionSet());

    const summary: string[] = [];
    let mainBackend = '';
    for (const { architecture, epochs, role, targets, profileSteps } of benchNetworks(options)) {
      const name = describeArchitecture(architecture);
      out();
      out(t('== {0} ({1}), {2} epochs, batch {3} ==', name, role, epochs, options.batchSize));
      out(t('Load average (1, 5, 15 min): {0}', formatLoad()));
      printProfile(profileKernels(tf, data, architecture, options.batchSize, profileSteps), peaks);
      const peerBefore = options.torch ? trainInPyTorch(options, data, architecture, epochs, TARGET_PEER) : undefined;
      if (peerBefore !== undefined) out(t('  PyTorch with {0}, before ours: median {1} s/epoch.', blasLabel(TARGET_PEER), median(peerBefore.seconds).toFixed(2)));
      const figures = await measureTfjsRun({ backend: options.backend, batchSize: options.batchSize, architecture, epochs, threads: options.threads }, data);
      mainBackend = figures.backend;
      printFigures(figures);
      printPeakRss();
      const ours = epochTimes(figures);
      const accuracy = figures.history.at(-1)?.testAccuracy ?? 0;
      const predictMs = median(figures.predictMs);
      const line = [t('{0}: ours {1} s/epoch wall, {2} CPU, test accuracy {3}, 10,000 predictions {4} ms', name, ours.wall.toFixed(2), ours.cpu.toFixed(2), accuracy.toFixed(4), predictMs.toFixed(0))];
      const checks: string[] = [];
      if (targets.predictMs !== undefined) checks.push(targetCheck(t('predictions ≤ {0} ms', targets.predictMs), predictMs <= targets.predictMs, predictMs - targets.predictMs));
      const reached = targets.accuracy && figures.history[(targets.accuracy.afterEpoch ?? figures.history.length) - 1]?.testAccuracy;
      if (targets.accuracy !== undefined && reached !== undefined) {
        const { least, afterEpoch } = targets.accuracy;
        const target = afterEpoch === undefined ? t('test accuracy ≥ {0}', least) : t('test accuracy ≥ {0} after {1} epochs', least, afterEpoch);
        checks.push(targetCheck(target, reached >= least, least - reached));
      }
      if (options.torch) {
        const compared = comparePyTorch(options, data, architecture, epochs, ours, peerBefore);
        line.push(...compared.phrases);
        if (compared.openBlas !== undefined) {
          const ratio = compared.openBlas.wall;
          checks.push(targetCheck(t('≤ {0}× PyTorch+OpenBLAS (wall)', targets.ratio), ratio <= targets.ratio, ratio - targets.ratio));
        }
      }
      summary.push(line.join('; '));
      if (checks.length > 0) summary.push('    ' + checks.join('; '));
      summary.push('    ' + t('Load average at the end of this entry (1, 5, 15 min): {0}', formatLoad()));
    }

    if (options.entries.includes('tutorial') && options.backend !== 'node' && mainBackend !== 'tensorflow' && (await nativeLoader())?.tf !== undefined) {
      out();
      printFigures(await measureTfjsRun({ backend: 'node', batchSize: options.batchSize, architecture: TUTORIAL_ARCHITECTURE, epochs: options.epochs }, data));
    }

    if (options.entries.includes('width')) summary.push(await widthCheck(options, data));

    out();
    out(t('Summary (ours / PyTorch: below 1 means we are faster):'));
    for (const line of summary) out('  ' + line);
    const rssMb = process.resourceUsage().maxRSS / 1024;
    out('  ' + t('Peak RSS: {0} MB', Math.round(rssMb)) + '; ' + targetCheck(t('peak RSS ≤ {0} MB', PEAK_RSS_MB), rssMb <= PEAK_RSS_MB, rssMb - PEAK_RSS_MB));
    out('  ' + t('Peak rates: {0}', peaks.map((peak) => `${peak.instructions} ${peak.gflops.toFixed(1)} GFLOP/s`).join(', ')));
    out('  ' + t('Load average at the start (1, 5, 15 min): {0}', formatLoad(loadAtStart)));
    out('  ' + t('Load average at the end (1, 5, 15 min): {0}', formatLoad()));
    const endWarning = busyWarning();
    if (endWarning !== undefined || startWarning !== undefined) out('  ' + (endWarning ?? startWarning));
    return EXIT.ok;
  } catch (error) {
    const userError = toUserError(error);
    process.stderr.write([t('Error: {0}', userError.message), userError.action].filter(Boolean).join(' ') + '\n');
    return EXIT.failed;
  }
}
