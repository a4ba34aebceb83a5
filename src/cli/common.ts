/** What the terminal commands share: exit codes, where things are, the help texts, how errors are printed. */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultCacheDir } from '../core/data/dataLocation';
import { defaultRunHistoryDir } from '../core/runs/historyLocation';
import {
  installCommandLine,
  NATIVE_BACKEND_FOLDER_VARIABLE,
  ownedNativeBackendFolder,
  programRoot,
  resolveUserFolder,
  searchOrder,
} from '../core/nativeBackend/nativeBackendFolders';
import { t } from '../core/text/l10n';
import { BACKEND_CHOICES, DEFAULT_HYPER_PARAMETERS as DEFAULTS, HYPER_PARAMETER_SCHEMA as SCHEMA } from '../domain/hyperParameters';
import { type UserError } from '../domain/errors';
import { SWEEPABLE_PARAMETERS } from '../domain/sweep';
import { describeUserError } from '../core/text/format';

export const EXIT = {
  ok: 0,
  /** The run or the classification failed (missing data, bad model, crash). */
  failed: 1,
  /** The command line was wrong: unknown flag, bad number, missing argument. */
  usage: 2,
  /** Stopped with Ctrl+C (128 + SIGINT, the shell's convention). */
  interrupted: 130,
  /** Stopped by SIGTERM (128 + 15), as Ctrl+C stops: the run is kept. */
  terminated: 143,
  /** Stopped because the terminal closed (SIGHUP, 128 + 1), as Ctrl+C stops: the run is kept. */
  hungUp: 129,
} as const;

/** The signals that stop a training run the way Ctrl+C does (after the current batch, the run kept), with their exit codes. */
export const STOP_SIGNALS = { SIGINT: EXIT.interrupted, SIGTERM: EXIT.terminated, SIGHUP: EXIT.hungUp } as const;

export interface CliContext {
  stdout: Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean; columns?: number };
  stderr: Pick<NodeJS.WriteStream, 'write'>;
  /** The terminal's language, normalised (e.g. "zh-cn"). */
  locale: string;
}

/** dist/worker.js, beside dist/cli.js. */
export function workerPath(): string {
  return join(__dirname, 'worker.js');
}

/** The per-user folder where `train` saves its model and `classify` looks for it. */
export function defaultModelDir(): string {
  return join(defaultCacheDir(), 'model');
}

/**
 * Where the CLI looks for tfjs-node, in the extension's order: the folder in
 * $FASHION_MNIST_NATIVE_BACKEND_FOLDER, the per-user folder the extension's setup command installs into,
 * then this checkout's own node_modules. So a native backend set up from VS Code serves `npm run train` too.
 */
export function cliNativeBackendFolders(env: NodeJS.ProcessEnv = process.env, start: string = __dirname): string[] {
  const named = env[NATIVE_BACKEND_FOLDER_VARIABLE];
  return searchOrder(named ? (resolveUserFolder(named) ?? resolve(named)) : undefined, ownedNativeBackendFolder(env), programRoot(start));
}

/** One line on stderr: what failed (and which file), then what to do. */
export function printError(context: CliContext, error: UserError): void {
  context.stderr.write(t('Error: {0}', describeUserError(error)) + '\n');
}

function optionLines(options: [string, string][]): string[] {
  const width = Math.max(...options.map(([flag]) => flag.length)) + 2;
  return options.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`);
}

export function mainHelp(): string[] {
  return [
    t('Usage: node dist/cli.js <command> [options]'),
    '',
    t('Commands:'),
    ...optionLines([
      ['train', t('Train the Fashion-MNIST tutorial model and print its progress (npm run train).')],
      ['classify', t('Classify image files with the trained model (npm run classify).')],
      ['runs', t('List, show and compare the runs in the run history (npm run runs).')],
      ['bench', t('Measure training speed, memory and prediction time (npm run bench).')],
      ['setup-native', t('Install tfjs-node, the native TensorFlow backend, for this tool and the extension (npm run setup-native).')],
      ['export-notebook', t('Write a trained run as a Jupyter notebook (npm run export-notebook).')],
      ['sweep', t('Train many runs, a grid of alternatives, and find the best (npm run sweep).')],
    ]),
    '',
    t('Run a command with --help to see its options.'),
  ];
}

export function trainHelp(): string[] {
  return [
    t('Usage: npm run train -- [options]'),
    '',
    t('Trains Flatten(28x28) -> Dense(128, relu) -> Dense(10, softmax) on Fashion-MNIST, as in the TensorFlow tutorial.'),
    '',
    t('Options:'),
    ...optionLines([
      ['--epochs N', t('Passes over the training data (default {0}).', DEFAULTS.epochs)],
      ['--batch-size N', t('Images per training step (default {0}).', DEFAULTS.batchSize)],
      ['--learning-rate X', t('Adam learning rate (default {0}).', DEFAULTS.learningRate)],
      ['--conv F:K[,F:K...]', t('Conv blocks before Flatten: each Conv2D of F filters with a KxK kernel (relu, same padding), then MaxPooling2D(2x2); for example 8:5,16:5 (default none).')],
      ['--layers N,N...', t('Widths of the hidden Dense (relu) layers, input to output (default {0}).', SCHEMA.hiddenLayers.default.join(','))],
      ['--hidden-units N', t('One hidden layer of N units (the tutorial has {0}).', SCHEMA.hiddenUnits.default)],
      ['--dropout R[,R...]', t('Dropout rate after every hidden layer, or one per layer (default none).')],
      ['--l2 X', t('L2 factor on every Dense kernel, as Keras\'s l2(X) (default none).')],
      ['--validation-split X', t('Hold out the last fraction X of the training images for validation, before shuffling (default off).')],
      ['--early-stopping N', t('Stop when the monitored metric has not improved for N epochs (Keras\'s patience).')],
      ['--monitor M', t('What early stopping and the best epoch watch: val_loss or val_accuracy (default {0}); without a validation split, the test set.', DEFAULTS.monitor)],
      ['--min-delta X', t('The smallest change that counts as an improvement (default {0}).', DEFAULTS.minDelta)],
      ['--restore-best', t('End with the weights of the best epoch instead of the last.')],
      ['--backend B', t('{0} (default auto: tfjs-node if set up, else wasm, else cpu).', BACKEND_CHOICES.join(', '))],
      ['--seed N', t('Seed for the initial weights and the shuffling; the same seed gives the same run (default {0}).', DEFAULTS.seed)],
      ['--data-dir D', t('Folder with the four Fashion-MNIST files, tried before the cache and the Debian package.')],
      ['--save DIR', t('Save the trained model (tfjs format) to DIR instead of the default folder {0}.', defaultModelDir())],
      ['--no-save', t('Do not save the trained model.')],
      ['--no-history', t('Do not keep this run in the run history ({0}; FASHION_MNIST_RUNS moves it).', defaultRunHistoryDir())],
      ['--train-limit N', t('Train on the first N training images only (quick runs).')],
      ['--test-limit N', t('Test on the first N test images only.')],
      ['--no-download', t('Never download the data; fail if no local copy is found.')],
      ['--help', t('Show this help.')],
    ]),
    '',
    t('tfjs-node is looked for in ${0}, then {1}, then this program\'s node_modules; npm run setup-native installs it.', NATIVE_BACKEND_FOLDER_VARIABLE, ownedNativeBackendFolder()),
    t('Ctrl+C stops after the current batch; press it again to quit at once.'),
    t('Exit codes: 0 done, 1 the run failed, 2 wrong options, 130 stopped (143 by SIGTERM, 129 when the terminal closed; the run is kept either way).'),
  ];
}

export function sweepHelp(): string[] {
  return [
    t('Usage: npm run sweep -- [train options] [sweep options]'),
    '',
    t('Trains one run per combination of alternatives: a train option given more than once lists them, and the grid is their product, in the order given. Example (4 trials): npm run sweep -- --layers 32 --layers 64 --learning-rate 0.001 --learning-rate 0.003 --epochs 5'),
    t('Every trial is a run in the run history with the sweep\'s id; the sweep\'s record there lets an interrupted sweep be resumed.'),
    '',
    t('Options:'),
    ...optionLines([
      ['--parallel N', t('Trials at once, each in its own worker (default: the cores this machine allows, {0}).', availableParallelism())],
      ['--trials N', t('Run a random sample of N grid points instead of the whole grid; the first --seed draws it.')],
      ['--prune', t('Stop a trial after an epoch when it is worse than the median of the other trials at that epoch (Optuna\'s median rule, once two have reached it).')],
      ['--time-budget T', t('Stop the sweep after T (e.g. 90s, 10m, 1h30m); trials still running are stopped and kept.')],
      ['--resume ID', t('Continue sweep ID: its trials without an answer (not run, stopped or failed) run again; finished and pruned ones do not.')],
      ['--help', t('Show this help.')],
    ]),
    '',
    t('Alternatives are taken by {0}; the others may be given once.', SWEEPABLE_PARAMETERS.map((name) => SCHEMA[name].flag).join(' ')),
    t('The trials are ranked by the monitored metric (--monitor) at their best epoch; the best one is named with the command that re-runs it.'),
    t('Ctrl+C stops every trial after its current batch and keeps them; press it again to quit at once.'),
    t('Exit codes: 0 done, 1 a trial failed, 2 wrong options, 130 stopped.'),
  ];
}

export function runsHelp(): string[] {
  return [
    t('Usage: npm run runs [-- list | show ID | show SWEEP_ID | compare ID ID...]'),
    '',
    t('The run history in {0} (FASHION_MNIST_RUNS moves it; the extension shares it).', defaultRunHistoryDir()),
    '',
    ...optionLines([
      ['list', t('Every run, newest first: id, date, layers, dropout, L2, epochs run, best epoch, test accuracy.')],
      ['show ID', t('One run: its settings, how it ended, every epoch and the per-class test accuracy.')],
      ['show SWEEP_ID', t('One sweep: its trials ranked by the monitored metric, the best one and how to re-run it.')],
      ['compare ID ID...', t('The settings that differ, best and last metrics side by side, the curves per epoch and the per-class differences.')],
    ]),
    '',
    t('Classify with a kept run\'s model: npm run classify -- --run ID IMAGE...'),
  ];
}

export function setupNativeHelp(): string[] {
  const folder = ownedNativeBackendFolder();
  return [
    t('Usage: npm run setup-native'),
    '',
    t('Installs tfjs-node (native TensorFlow) with npm into {0}, where train, bench and the VS Code extension look for it. The same as running: {1}', folder, installCommandLine(folder)),
    t('npm works in a staging folder; a failed or stopped install (Ctrl+C) leaves nothing behind, and training stays on WebAssembly.'),
    '',
    t('Exit codes: 0 installed, 1 the install failed, 130 stopped.'),
  ];
}

export function classifyHelp(): string[] {
  return [
    t('Usage: npm run classify -- IMAGE... [--model DIR]'),
    '',
    t('Prints the three most likely classes for each image (png, jpeg, gif, bmp, webp).'),
    '',
    t('Options:'),
    ...optionLines([
      ['--model DIR', t('Folder holding model.json (default {0}, where npm run train saves).', defaultModelDir())],
      ['--run ID', t('Classify with the model kept for run ID in the run history (npm run runs lists them).')],
      ['--help', t('Show this help.')],
    ]),
    '',
    t('Exit codes: 0 all images classified, 1 a file or the model failed, 2 wrong options.'),
  ];
}

export function exportNotebookHelp(): string[] {
  return [
    t('Usage: npm run export-notebook -- --out FILE.ipynb [--run ID | --model DIR | --sweep ID] [--force]'),
    '',
    t('Writes a run as a Jupyter notebook: the tutorial\'s steps, Keras code that repeats the run, and its results.'),
    '',
    t('Options:'),
    ...optionLines([
      ['--out FILE.ipynb', t('The notebook to write.')],
      ['--run ID', t('The run in the run history to export (npm run runs lists them); default: the latest run.')],
      ['--model DIR', t('Export the run record of a saved model instead (settings and final accuracies; no epochs).')],
      ['--sweep ID', t('Export a sweep instead: its grid as Keras code (a loop over the configurations) and its results table.')],
      ['--force', t('Replace FILE even when this tool did not write it.')],
      ['--help', t('Show this help.')],
    ]),
    '',
    t('Exit codes: 0 written, 1 no run record or the file could not be written, 2 wrong options.'),
  ];
}
