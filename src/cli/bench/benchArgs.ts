/**
 * `bench`'s command line: which backend, which entries and how many epochs of each network, the batch size,
 * the data folder, and whether to run PyTorch too. The hyper-parameter flags take the schema's bounds and words
 * (src/domain/hyperParameters.ts), as `train`'s do.
 */
import { t } from '../../core/text/l10n';
import { BACKEND_CHOICES, DEFAULT_HYPER_PARAMETERS, HYPER_PARAMETER_SCHEMA, type BackendChoice, type NumberSpec } from '../../domain/hyperParameters';
import { TRAINING_THREADS, type TrainingThreads } from '../../protocol/worker';
import { parseFlagValue, UsageError } from '../args';

export interface BenchOptions {
  epochs: number;
  /** Epochs of the bigger network (784-512-256-10, dropout 0.2); 0 skips it. */
  bigEpochs: number;
  /** Epochs of the 54,314-parameter CNN (8:5,16:5, Dense 64); 0 skips it. */
  cnnEpochs: number;
  /** Epochs of the 421,642-parameter CNN (32:3,64:3, Dense 128); 0 skips it. */
  bigCnnEpochs: number;
  /** The entries to run (--only), all by default. */
  entries: readonly BenchEntry[];
  batchSize: number;
  backend: BackendChoice;
  dataDir?: string;
  torch: boolean;
  /** The kernels' threads while training ('auto' times one against two). */
  threads: TrainingThreads;
  /** Seconds to wait at most for the machine to be idle before measuring; 0 does not wait. */
  waitIdle: number;
}

/** What a bench run can measure, in the order it runs them: the networks, then the hidden-width check. */
export const BENCH_ENTRIES = ['tutorial', 'big', 'cnn', 'big-cnn', 'width'] as const;
export type BenchEntry = (typeof BENCH_ENTRIES)[number];

export const DEFAULT_BIG_EPOCHS = 3;
/** Three: the accuracy target for the small CNN is after epoch 3. */
export const DEFAULT_CNN_EPOCHS = 3;
/** One: the bigger CNN takes the longest of all (about half a minute an epoch in PyTorch). */
export const DEFAULT_BIG_CNN_EPOCHS = 1;
/** The longest wait for an idle machine that --wait-idle accepts (seconds). */
const WAIT_IDLE_SPEC: NumberSpec = { kind: 'integer', min: 0, max: 3600, default: 0 };

/** The bigger network's epochs: the schema's epochs, or 0 to skip it. */
const BIG_EPOCHS_SPEC: NumberSpec = { kind: 'integer', min: 0, max: HYPER_PARAMETER_SCHEMA.epochs.max, default: DEFAULT_BIG_EPOCHS };
const CNN_EPOCHS_SPEC: NumberSpec = { ...BIG_EPOCHS_SPEC, default: DEFAULT_CNN_EPOCHS };
const BIG_CNN_EPOCHS_SPEC: NumberSpec = { ...BIG_EPOCHS_SPEC, default: DEFAULT_BIG_CNN_EPOCHS };

/** "cnn,big-cnn" as entries; a UsageError naming the list's choices for anything else. */
function parseEntries(flag: string, text: string): BenchEntry[] {
  const entries = text.split(',').map((word) => word.trim());
  const unknown = entries.find((word) => !(BENCH_ENTRIES as readonly string[]).includes(word));
  if (unknown !== undefined) throw new UsageError(t('{0} must be {1}; got "{2}".', flag, t('a comma-separated list of {0}', BENCH_ENTRIES.join(', ')), unknown));
  return BENCH_ENTRIES.filter((entry) => entries.includes(entry));
}

export function benchHelp(): string[] {
  return [
    t('Usage: node dist/cli.js bench [options]'),
    t('Trains the tutorial, a bigger MLP and two CNNs and prints how fast they ran (and PyTorch on the same data, where it is installed).'),
    '',
    `  --epochs N        ${t('Epochs to train (default {0}).', DEFAULT_HYPER_PARAMETERS.epochs)}`,
    `  --batch-size N    ${t('Batch size (default {0}).', DEFAULT_HYPER_PARAMETERS.batchSize)}`,
    `  --backend B       ${t('{0} (default auto: tfjs-node if set up, else wasm, else cpu).', BACKEND_CHOICES.join(', '))}`,
    `  --big-epochs N    ${t('Epochs of the 784-512-256-10 network with dropout 0.2 (default {0}; 0 skips it).', DEFAULT_BIG_EPOCHS)}`,
    `  --cnn-epochs N    ${t('Epochs of the CNN {0} (default {1}; 0 skips it).', '--conv 8:5,16:5 --layers 64', DEFAULT_CNN_EPOCHS)}`,
    `  --big-cnn-epochs N  ${t('Epochs of the CNN {0} (default {1}; 0 skips it).', '--conv 32:3,64:3 --layers 128', DEFAULT_BIG_CNN_EPOCHS)}`,
    `  --only E[,E...]   ${t('Run only these entries: {0} (default all).', BENCH_ENTRIES.join(', '))}`,
    `  --data-dir D      ${t('A folder with the four Fashion-MNIST files.')}`,
    `  --no-torch        ${t('Skip the PyTorch comparison.')}`,
    `  --threads T       ${t('Threads of the training kernels: {0} (default auto: timed at the start).', TRAINING_THREADS.join(', '))}`,
    `  --wait-idle S     ${t('Wait up to S seconds for the load average to drop before measuring (default 0).')}`,
  ];
}

/** The options, or 'help'; a UsageError (exit code 2) for a flag that is unknown, lacks its value or does not fit. */
export function parseBenchArgs(argv: string[]): BenchOptions | 'help' {
  const options: BenchOptions = {
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
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = (): string => {
      const text = inline ?? argv[++i];
      if (text === undefined || text === '') throw new UsageError(t('{0} needs a value.', flag));
      return text;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--epochs':
        options.epochs = parseFlagValue(flag, HYPER_PARAMETER_SCHEMA.epochs, value()) as number;
        break;
      case '--big-epochs':
        options.bigEpochs = parseFlagValue(flag, BIG_EPOCHS_SPEC, value()) as number;
        break;
      case '--cnn-epochs':
        options.cnnEpochs = parseFlagValue(flag, CNN_EPOCHS_SPEC, value()) as number;
        break;
      case '--big-cnn-epochs':
        options.bigCnnEpochs = parseFlagValue(flag, BIG_CNN_EPOCHS_SPEC, value()) as number;
        break;
      case '--only':
        options.entries = parseEntries(flag, value());
        break;
      case '--batch-size':
        options.batchSize = parseFlagValue(flag, HYPER_PARAMETER_SCHEMA.batchSize, value()) as number;
        break;
      case '--backend':
        options.backend = parseFlagValue(flag, HYPER_PARAMETER_SCHEMA.backend, value()) as BackendChoice;
        break;
      case '--data-dir':
        options.dataDir = value();
        break;
      case '--no-torch':
        options.torch = false;
        break;
      case '--threads': {
        const text = value();
        const threads = TRAINING_THREADS.find((choice) => String(choice) === text);
        if (threads === undefined) throw new UsageError(t('{0} must be {1}; got "{2}".', flag, t('one of {0}', TRAINING_THREADS.join(', ')), text));
        options.threads = threads;
        break;
      }
      case '--wait-idle':
        options.waitIdle = parseFlagValue(flag, WAIT_IDLE_SPEC, value()) as number;
        break;
      default:
        throw new UsageError(t('Unknown option "{0}".', flag));
    }
  }
  return options;
}
