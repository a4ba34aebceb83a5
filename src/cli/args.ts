/**
 * Command-line parsing for `train` and `classify`: flags in `--name value` or `--name=value` form, checked
 * up front so a typo or a bad number is a one-line usage error (exit code 2) before any worker starts. The
 * hyper-parameter flags and their bounds come from the schema (src/domain/hyperParameters.ts).
 */
import { TrainerError } from '../core/errors';
import { t } from '../core/text/l10n';
import { architectureProblems, convProblems, describeAllowed, dropoutProblem, fitsSpec, validateHyperParameters } from '../core/hyperParameters';
import {
  architectureFrom,
  DEFAULT_HYPER_PARAMETERS,
  HYPER_PARAMETER_SCHEMA,
  type HyperParameters,
  type ParameterName,
  type ParameterSpec,
} from '../domain/hyperParameters';
import { convLayerFrom, type ConvLayer } from '../domain/architecture';

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
  /** Do not keep the run in the per-user run history. */
  noHistory: boolean;
  allowDownload: boolean;
}

export interface ClassifyOptions {
  /** As typed. */
  images: string[];
  /** As typed. */
  modelDir?: string;
  /** A run in the history whose kept model classifies. */
  runId?: string;
}

export interface ExportNotebookOptions {
  out: string;
  /** The run in the run history to export; with neither this nor `modelDir`, the latest run. */
  runId?: string;
  /** Export a saved model's run record instead (settings and final accuracies, no epochs). */
  modelDir?: string;
  /** Export this sweep of the run history instead: its grid as Keras code and its results. */
  sweepId?: string;
  /** Replace a file at `out` that this tool did not write. */
  force: boolean;
}

export type Parsed<T> = { help: true } | { help: false; options: T };

/** The schema's parameters by their `train` flag. */
export const FLAG_PARAMETERS = new Map<string, [ParameterName, ParameterSpec]>(
  Object.entries(HYPER_PARAMETER_SCHEMA).flatMap(([name, spec]) =>
    'flag' in spec && spec.flag !== undefined ? [[spec.flag, [name as ParameterName, spec as ParameterSpec]] as const] : [],
  ),
);

/** A plain decimal number as people write it (12, 0.5, .5, 1e-4); NaN for anything else (0x10, 1_000, Infinity, " 8"). */
export function parseDecimal(text: string): number {
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : Number.NaN;
}

/**
 * A flag's text as its parameter's value; a UsageError naming the flag and what it takes (from the
 * schema) when it does not fit. `train` and `bench` read their hyper-parameter flags with it.
 */
export function parseFlagValue(flag: string, spec: ParameterSpec, text: string): number | number[] | string | ConvLayer[] {
  const problem = () => new UsageError(t('{0} must be {1}; got "{2}".', flag, describeAllowed(spec), text));
  let value: number | number[] | string | ConvLayer[];
  switch (spec.kind) {
    case 'integer':
    case 'number':
      value = parseDecimal(text);
      break;
    case 'integerList':
    case 'numberList':
      value = text.split(',').map(parseDecimal);
      break;
    case 'choice':
      value = text;
      break;
    case 'convList':
      // Its bounds and depth are checked with the whole architecture, one sentence per problem.
      return parseConvLayers(flag, text);
    case 'boolean':
      throw problem();
  }
  if (!fitsSpec(spec, value)) throw problem();
  return value;
}

/** "8:5,16:5" as conv blocks (filters:kernel each); a UsageError naming the entry that is not of that form. */
export function parseConvLayers(flag: string, text: string): ConvLayer[] {
  if (text.trim() === '') return [];
  return text.split(',').map((entry) => {
    const conv = convLayerFrom(entry);
    if (conv === undefined) {
      throw new UsageError(
        t('{0} takes conv blocks as FILTERS:KERNEL separated by commas (for example 8:5,16:5); "{1}" is not of that form.', flag, entry),
      );
    }
    return conv;
  });
}

/** Splits argv into flags with their values and positional words; `--a=b` and `--a b` are the same (train, classify, sweep). */
export class ArgReader {
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

  /** The flags in order, for a command that takes no positional words (one is refused with a sentence). */
  *flags(): Generator<{ flag: string; inlineValue?: string }> {
    for (let item = this.next(); item; item = this.next()) {
      if ('positional' in item) throw new UsageError(t('Unexpected argument "{0}".', item.positional));
      yield item;
    }
  }
}

/** `--help` and `-h`: every command prints its usage for either. */
export function isHelpFlag(flag: string): boolean {
  return flag === '--help' || flag === '-h';
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
  const fields = params as unknown as Record<string, unknown>;
  const options: TrainOptions = { params, noSave: false, noHistory: false, allowDownload: true };
  let widths: number[] = [...HYPER_PARAMETER_SCHEMA.hiddenLayers.default];
  let widthsFlag: string | undefined;
  let rates: number[] = [];
  let l2: number = HYPER_PARAMETER_SCHEMA.l2.default;
  let convLayers: ConvLayer[] = [...HYPER_PARAMETER_SCHEMA.convLayers.default];
  const reader = new ArgReader(argv);
  for (const { flag, inlineValue } of reader.flags()) {
    if (isHelpFlag(flag)) return { help: true };
    switch (flag) {
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
      case '--no-history':
        noValue(flag, inlineValue);
        options.noHistory = true;
        break;
      case '--restore-best':
        noValue(flag, inlineValue);
        params.restoreBestWeights = true;
        break;
      default: {
        const entry = FLAG_PARAMETERS.get(flag);
        if (entry === undefined || entry[1].kind === 'boolean') throw new UsageError(t('Unknown option "{0}".', flag));
        const [name, spec] = entry;
        const value = parseFlagValue(flag, spec, reader.value(flag, inlineValue));
        if (name === 'hiddenLayers' || name === 'hiddenUnits') {
          if (widthsFlag !== undefined && widthsFlag !== flag) throw new UsageError(t('{0} and {1} cannot be used together.', widthsFlag, flag));
          widthsFlag = flag;
          widths = typeof value === 'number' ? [value] : (value as number[]);
        } else if (name === 'dropout') {
          rates = value as number[];
        } else if (name === 'l2') {
          l2 = value as number;
        } else if (name === 'convLayers') {
          convLayers = value as ConvLayer[];
        } else {
          fields[name] = value;
          // --early-stopping PATIENCE turns early stopping on with that patience.
          if (name === 'patience') params.earlyStopping = true;
        }
      }
    }
  }
  if (options.noSave && options.saveDir !== undefined) {
    throw new UsageError(t('--save and --no-save cannot be used together.'));
  }
  const dropoutMismatch = dropoutProblem(widths, rates);
  if (dropoutMismatch !== undefined) throw new UsageError(`--dropout: ${dropoutMismatch}`);
  const convMistakes = convProblems(convLayers);
  if (convMistakes.length > 0) throw new UsageError(`--conv: ${convMistakes.join(' ')}`);
  params.architecture = architectureFrom(widths, rates, l2, convLayers);
  const tooLarge = architectureProblems(params.architecture);
  if (tooLarge.length > 0) throw new UsageError(tooLarge.join(' '));
  if (params.trainLimit !== undefined && params.batchSize > params.trainLimit) {
    throw new UsageError(
      t('--batch-size ({0}) cannot be larger than the number of training images ({1}).', params.batchSize, params.trainLimit),
    );
  }
  try {
    // Against the full training set: a split that leaves no image to train on is an option error, found here.
    validateHyperParameters(params, HYPER_PARAMETER_SCHEMA.trainLimit.max);
  } catch (error) {
    // The core's own checks, so the CLI and the extension accept the same values.
    if (error instanceof TrainerError) throw new UsageError(error.message);
    throw error;
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
    if (isHelpFlag(flag)) return { help: true };
    switch (flag) {
      case '--model':
        options.modelDir = pathValue(reader, flag, inlineValue);
        break;
      case '--run':
        options.runId = reader.value(flag, inlineValue);
        break;
      default:
        throw new UsageError(t('Unknown option "{0}".', flag));
    }
  }
  if (options.images.length === 0) throw new UsageError(t('Name at least one image file to classify.'));
  if (options.modelDir !== undefined && options.runId !== undefined) throw new UsageError(t('{0} and {1} cannot be used together.', '--model', '--run'));
  return { help: false, options };
}

export function parseExportNotebookArgs(argv: string[]): Parsed<ExportNotebookOptions> {
  let out: string | undefined;
  let modelDir: string | undefined;
  let runId: string | undefined;
  let sweepId: string | undefined;
  let force = false;
  const reader = new ArgReader(argv);
  for (const { flag, inlineValue } of reader.flags()) {
    if (isHelpFlag(flag)) return { help: true };
    switch (flag) {
      case '--out':
        out = reader.value(flag, inlineValue);
        break;
      case '--model':
        modelDir = reader.value(flag, inlineValue);
        break;
      case '--run':
        runId = reader.value(flag, inlineValue);
        break;
      case '--sweep':
        sweepId = reader.value(flag, inlineValue);
        break;
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
  const sources = ([['--model', modelDir], ['--run', runId], ['--sweep', sweepId]] as const).flatMap(([flag, value]) => (value === undefined ? [] : [flag]));
  if (sources.length > 1) throw new UsageError(t('{0} and {1} cannot be used together.', sources[0], sources[1]));
  const options: ExportNotebookOptions = { out, force };
  if (sweepId !== undefined) options.sweepId = sweepId;
  if (modelDir !== undefined) options.modelDir = modelDir;
  if (runId !== undefined) options.runId = runId;
  return { help: false, options };
}
