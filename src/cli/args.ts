/**
 * Command-line parsing for `train` and `classify`: flags in `--name value` or `--name=value` form, checked
 * up front so a typo or a bad number is a one-line usage error (exit code 2) before any worker starts.
 */
import { TrainerError } from '../core/errors';
import { t } from '../core/text/l10n';
import { validateHyperParameters } from '../training/model';
import { DEFAULT_HYPER_PARAMETERS, type BackendChoice, type HyperParameters } from '../domain/hyperParameters';

/** A mistake in the command line itself; the CLI exits with code 2. */
export class UsageError extends TrainerError {
  constructor(message: string) {
    super('INVALID_PARAMS', message, undefined, t('Run with --help to see the options.'));
    this.name = 'UsageError';
  }
}

export interface TrainOptions {
  params: HyperParameters;
  /** As typed (resolved later against the folder the command was run in, `~` expanded). */
  dataDir?: string;
  /** Where to save, as typed; undefined = the per-user model folder, unless `noSave`. */
  saveDir?: string;
  noSave: boolean;
  allowDownload: boolean;
}

export interface ClassifyOptions {
  /** As typed. */
  images: string[];
  /** As typed. */
  modelDir?: string;
}

export interface ExportNotebookOptions {
  out: string;
  /** The saved model whose run record is exported; undefined = the default model folder. */
  modelDir?: string;
  /** Replace a file at `out` that this tool did not write. */
  force: boolean;
}

export type Parsed<T> = { help: true } | { help: false; options: T };

const BACKENDS: readonly BackendChoice[] = ['auto', 'node', 'wasm', 'cpu'];

/** The hyper-parameters a numeric flag sets. */
type NumericParam = 'epochs' | 'batchSize' | 'learningRate' | 'hiddenUnits' | 'seed' | 'trainLimit' | 'testLimit';

/** A numeric flag: the parameter it sets and its bounds [min, max], integers unless `real`. */
interface NumberRule {
  param: NumericParam;
  min: number;
  max: number;
  real?: boolean;
  /** The lower bound itself is not allowed (learning rate > 0). */
  exclusiveMin?: boolean;
}

const NUMBER_RULES: Record<string, NumberRule> = {
  '--epochs': { param: 'epochs', min: 1, max: 1000 },
  '--batch-size': { param: 'batchSize', min: 1, max: 60000 },
  '--learning-rate': { param: 'learningRate', min: 0, max: 10, real: true, exclusiveMin: true },
  '--hidden-units': { param: 'hiddenUnits', min: 1, max: 4096 },
  '--seed': { param: 'seed', min: 0, max: 2 ** 31 - 1 },
  '--train-limit': { param: 'trainLimit', min: 1, max: 60000 },
  '--test-limit': { param: 'testLimit', min: 1, max: 10000 },
};

function parseNumber(flag: string, rule: NumberRule, text: string): number {
  const value = Number(text);
  const wellFormed = text.trim() !== '' && Number.isFinite(value) && (rule.real || Number.isInteger(value));
  if (!wellFormed) {
    throw new UsageError(
      rule.real
        ? t('{0} needs a number, not "{1}".', flag, text)
        : t('{0} needs a whole number, not "{1}".', flag, text),
    );
  }
  const tooSmall = rule.exclusiveMin ? value <= rule.min : value < rule.min;
  if (tooSmall || value > rule.max) {
    throw new UsageError(
      rule.exclusiveMin
        ? t('{0} must be greater than {1} and at most {2}; got {3}.', flag, rule.min, rule.max, text)
        : t('{0} must be between {1} and {2}; got {3}.', flag, rule.min, rule.max, text),
    );
  }
  return value;
}

/** Splits argv into flags with their values and positional words; `--a=b` and `--a b` are the same. */
class ArgReader {
  private index = 0;
  constructor(private readonly argv: string[]) {}

  next(): { flag: string; inlineValue?: string } | { positional: string } | undefined {
    if (this.index >= this.argv.length) return undefined;
    const arg = this.argv[this.index++];
    if (arg === '--') return { positional: this.argv[this.index++] ?? '' };
    if (!arg.startsWith('-') || arg === '-') return { positional: arg };
    const eq = arg.indexOf('=');
    return eq > 0 ? { flag: arg.slice(0, eq), inlineValue: arg.slice(eq + 1) } : { flag: arg };
  }

  value(flag: string, inlineValue: string | undefined): string {
    if (inlineValue !== undefined) return inlineValue;
    const value = this.argv[this.index];
    if (value === undefined || (value.startsWith('--') && value.length > 2)) {
      throw new UsageError(t('{0} needs a value.', flag));
    }
    this.index++;
    return value;
  }
}

/** A flag naming a file or folder: an empty value would silently mean the current folder, so it is refused. */
function pathValue(reader: ArgReader, flag: string, inlineValue: string | undefined): string {
  const value = reader.value(flag, inlineValue);
  if (value.trim() === '') throw new UsageError(t('{0} needs a path; an empty one would mean the current folder.', flag));
  return value;
}

function noValue(flag: string, inlineValue: string | undefined): void {
  if (inlineValue !== undefined) throw new UsageError(t('{0} takes no value.', flag));
}

export function parseTrainArgs(argv: string[]): Parsed<TrainOptions> {
  const params: HyperParameters = { ...DEFAULT_HYPER_PARAMETERS };
  const options: TrainOptions = { params, noSave: false, allowDownload: true };
  const reader = new ArgReader(argv);
  for (let item = reader.next(); item; item = reader.next()) {
    if ('positional' in item) throw new UsageError(t('Unexpected argument "{0}".', item.positional));
    const { flag, inlineValue } = item;
    switch (flag) {
      case '--help':
      case '-h':
        return { help: true };
      case '--backend': {
        const value = reader.value(flag, inlineValue);
        if (!(BACKENDS as readonly string[]).includes(value)) {
          throw new UsageError(t('--backend must be one of {0}; got "{1}".', BACKENDS.join(', '), value));
        }
        params.backend = value as BackendChoice;
        break;
      }
      case '--data-dir':
        options.dataDir = pathValue(reader, flag, inlineValue);
        break;
      case '--save':
        options.saveDir = pathValue(reader, flag, inlineValue);
        break;
      case '--no-save':
        noValue(flag, inlineValue);
        options.noSave = true;
        break;
      case '--no-download':
        noValue(flag, inlineValue);
        options.allowDownload = false;
        break;
      default: {
        const rule = Object.hasOwn(NUMBER_RULES, flag) ? NUMBER_RULES[flag] : undefined;
        if (rule === undefined) throw new UsageError(t('Unknown option "{0}".', flag));
        params[rule.param] = parseNumber(flag, rule, reader.value(flag, inlineValue));
      }
    }
  }
  if (options.noSave && options.saveDir !== undefined) {
    throw new UsageError(t('--save and --no-save cannot be used together.'));
  }
  try {
    validateHyperParameters(params);
  } catch (error) {
    // The core's own checks, so the CLI and the extension accept the same values.
    if (error instanceof TrainerError) throw new UsageError(error.message);
    throw error;
  }
  if (params.trainLimit !== undefined && params.batchSize > params.trainLimit) {
    throw new UsageError(
      t('--batch-size ({0}) cannot be larger than the number of training images ({1}).', params.batchSize, params.trainLimit),
    );
  }
  return { help: false, options };
}

export function parseClassifyArgs(argv: string[]): Parsed<ClassifyOptions> {
  const options: ClassifyOptions = { images: [] };
  const reader = new ArgReader(argv);
  for (let item = reader.next(); item; item = reader.next()) {
    if ('positional' in item) {
      if (item.positional.trim() === '') throw new UsageError(t('An image path is empty; name the image files to classify.'));
      options.images.push(item.positional);
      continue;
    }
    const { flag, inlineValue } = item;
    switch (flag) {
      case '--help':
      case '-h':
        return { help: true };
      case '--model':
        options.modelDir = pathValue(reader, flag, inlineValue);
        break;
      default:
        throw new UsageError(t('Unknown option "{0}".', flag));
    }
  }
  if (options.images.length === 0) throw new UsageError(t('Name at least one image file to classify.'));
  return { help: false, options };
}

export function parseExportNotebookArgs(argv: string[]): Parsed<ExportNotebookOptions> {
  let out: string | undefined;
  let modelDir: string | undefined;
  let force = false;
  const reader = new ArgReader(argv);
  for (let item = reader.next(); item; item = reader.next()) {
    if ('positional' in item) throw new UsageError(t('Unexpected argument "{0}".', item.positional));
    const { flag, inlineValue } = item;
    switch (flag) {
      case '--help':
      case '-h':
        return { help: true };
      case '--out':
        out = reader.value(flag, inlineValue);
        break;
      case '--model':
        modelDir = reader.value(flag, inlineValue);
        break;
      case '--run':
        reader.value(flag, inlineValue);
        // The per-user run history (issue #16) is where run IDs live; until it exists there is nothing to look up.
        throw new UsageError(t('--run needs the run history, which this version does not keep yet; export a saved model\'s run with --model DIR instead.'));
      case '--force':
        noValue(flag, inlineValue);
        force = true;
        break;
      default:
        throw new UsageError(t('Unknown option "{0}".', flag));
    }
  }
  if (out === undefined) throw new UsageError(t('Name the notebook to write with --out FILE.ipynb.'));
  if (!out.toLowerCase().endsWith('.ipynb')) throw new UsageError(t('--out must name a .ipynb file; got "{0}".', out));
  const options: ExportNotebookOptions = { out, force };
  if (modelDir !== undefined) options.modelDir = modelDir;
  return { help: false, options };
}
