/**
 * `bench`: how fast the tutorial and a bigger network (784-512-256-10, dropout 0.2) train here, in one
 * run. For each: seconds per epoch (median and spread, wall and CPU), samples per second, the test
 * accuracy reached, the time to predict the whole test set in one batch; then, where Debian's PyTorch
 * is importable, the same model in PyTorch with Debian's default BLAS and with OpenBLAS on one thread
 * (pytorchPeer.ts), the BLAS that actually ran, and the ratios. Also the peak RSS, the data decode time,
 * the machine's load, tfjs-node where it is set up (found where `train` finds it), and whether a hidden
 * width of 100 trains as fast as 128. The parts: benchArgs.ts (the command line), tfjsMeasurement.ts
 * (one run of ours), pytorchPeer.ts (one run of PyTorch's), benchReport.ts (the printing).
 */
import { defaultCacheDir } from '../../core/data/dataLocation';
import { loadFashionMnist, type FashionMnist } from '../../core/data/dataset';
import { toUserError } from '../../core/errors';
import { t } from '../../core/text/l10n';
import { describeArchitecture, singleHiddenLayer, type Architecture } from '../../domain/architecture';
import { DEFAULT_HYPER_PARAMETERS } from '../../domain/hyperParameters';
import { selectBackend, tfjsNodeLoader } from '../../training/backend';
import { UsageError } from '../args';
import { cliNativeBackendFolders, EXIT } from '../common';
import { benchHelp, parseBenchArgs, type BenchOptions } from './benchArgs';
import { blasLabel, epochTimes, formatLoad, median, out, printFigures, printPeakRss, printTorch, type EpochTimes } from './benchReport';
import { prepareTorch, runTorch, TORCH_BLAS_CHOICES } from './pytorchPeer';
import { measureTfjsRun } from './tfjsMeasurement';

const BIG_ARCHITECTURE: Architecture = { hiddenLayers: [{ units: 512, dropout: 0.2 }, { units: 256, dropout: 0.2 }], l2: 0 };
/** Epochs of the width check (100 and 128 hidden units). */
const WIDTH_CHECK_EPOCHS = 2;

/** The PyTorch runs of one network, printed; one summary phrase per run that finished. */
function comparePyTorch(options: BenchOptions, data: FashionMnist, architecture: Architecture, epochs: number, ours: EpochTimes): string[] {
  const phrases: string[] = [];
  for (const blas of TORCH_BLAS_CHOICES) {
    out();
    const launch = prepareTorch(blas);
    if (typeof launch === 'string') {
      out(launch);
      continue;
    }
    out(t('Training the same model in PyTorch ({0} epochs, batch {1})…', epochs, options.batchSize));
    const torch = runTorch(launch, { dataDirectory: data.directory, architecture, epochs, batchSize: options.batchSize, seed: DEFAULT_HYPER_PARAMETERS.seed });
    if (typeof torch === 'string') {
      out(torch);
      continue;
    }
    const ratios = printTorch(torch, blas, ours);
    phrases.push(t('PyTorch with {0}: ×{1} wall, ×{2} CPU', blasLabel(blas), ratios.wall.toFixed(2), ratios.cpu.toFixed(2)));
  }
  return phrases;
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

    out(t('Load average at the start (1, 5, 15 min): {0}', formatLoad()));
    const summary: string[] = [];
    let mainBackend = '';
    const networks: [Architecture, number, string][] = [[DEFAULT_HYPER_PARAMETERS.architecture, options.epochs, t('the tutorial')]];
    if (options.bigEpochs > 0) networks.push([BIG_ARCHITECTURE, options.bigEpochs, t('a bigger network')]);
    for (const [architecture, epochs, role] of networks) {
      const name = describeArchitecture(architecture);
      out();
      out(t('== {0} ({1}), {2} epochs, batch {3} ==', name, role, epochs, options.batchSize));
      const figures = await measureTfjsRun({ backend: options.backend, batchSize: options.batchSize, architecture, epochs }, data);
      mainBackend = figures.backend;
      printFigures(figures);
      printPeakRss();
      const ours = epochTimes(figures);
      const line = [t('{0}: ours {1} s/epoch wall, {2} CPU, test accuracy {3}', name, ours.wall.toFixed(2), ours.cpu.toFixed(2), (figures.history.at(-1)?.testAccuracy ?? 0).toFixed(4))];
      if (options.torch) line.push(...comparePyTorch(options, data, architecture, epochs, ours));
      summary.push(line.join('; '));
    }

    if (options.backend !== 'node' && mainBackend !== 'tensorflow' && (await nativeLoader())?.tf !== undefined) {
      out();
      printFigures(await measureTfjsRun({ backend: 'node', batchSize: options.batchSize, architecture: DEFAULT_HYPER_PARAMETERS.architecture, epochs: options.epochs }, data));
    }

    out();
    out(t('== Width check: 100 and 128 hidden units, {0} epochs each ==', WIDTH_CHECK_EPOCHS));
    const narrow = await measureTfjsRun({ backend: options.backend, batchSize: options.batchSize, architecture: singleHiddenLayer(100), epochs: WIDTH_CHECK_EPOCHS }, data);
    const wide = await measureTfjsRun({ backend: options.backend, batchSize: options.batchSize, architecture: singleHiddenLayer(128), epochs: WIDTH_CHECK_EPOCHS }, data);
    summary.push(t('Hidden width 100 vs 128: {0} vs {1} CPU s/epoch', median(narrow.cpuSeconds).toFixed(2), median(wide.cpuSeconds).toFixed(2)));

    out();
    out(t('Summary (ours / PyTorch: below 1 means we are faster):'));
    for (const line of summary) out('  ' + line);
    printPeakRss();
    out('  ' + t('Load average at the end (1, 5, 15 min): {0}', formatLoad()));
    return EXIT.ok;
  } catch (error) {
    const userError = toUserError(error);
    process.stderr.write([t('Error: {0}', userError.message), userError.action].filter(Boolean).join(' ') + '\n');
    return EXIT.failed;
  }
}
