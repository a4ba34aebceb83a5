/**
 * `npm run sweep` command line: the train flags, where a flag given more than once lists alternatives (the
 * grid is their product, in the order given), and the sweep's own options. The train flags are read by the
 * train parser itself (args.ts), so a sweep accepts exactly the values a run accepts; every grid point is
 * then checked by a run's rules (core/runs/sweepGrid.ts) before anything starts.
 */
import { availableParallelism } from 'node:os';
import { t } from '../core/text/l10n';
import { gridSize, MAX_GRID_POINTS, sweepProblems } from '../core/runs/sweepGrid';
import { HYPER_PARAMETER_SCHEMA, type HyperParameters, type NumberSpec, type ParameterName } from '../domain/hyperParameters';
import { parseDuration } from '../domain/duration';
import { SWEEPABLE_PARAMETERS, type SweepableParameter, type SweepAxis, type SweepDefinition, type SweepValue } from '../domain/sweep';
import { ArgReader, FLAG_PARAMETERS, isHelpFlag, parseFlagValue, parseTrainArgs, UsageError, type Parsed } from './args';

/** The most trials at once `--parallel` takes. */
const MAX_PARALLEL = 64;
const PARALLEL_SPEC: NumberSpec = { kind: 'integer', min: 1, max: MAX_PARALLEL, default: 1 };
const TRIALS_SPEC: NumberSpec = { kind: 'integer', min: 1, max: MAX_GRID_POINTS, default: 1 };

export interface SweepOptions {
  /** A new sweep; undefined with `resumeId`. */
  definition?: SweepDefinition;
  /** Continue this sweep from its record. */
  resumeId?: string;
  /** Trials at once. */
  parallel: number;
  /** Given on the command line (a resumed sweep otherwise keeps its own). */
  timeBudgetSeconds?: number;
  /** As typed. */
  dataDir?: string;
  allowDownload: boolean;
}

/** Train flags that take no value. */
const SWITCHES = new Set(['--restore-best', '--no-download', '--no-save', '--no-history']);
/** Train flags that take a value but are no hyper-parameter. */
const PATH_FLAGS = new Set(['--data-dir', '--save']);

/** Why a flag given twice is refused. */
function noAlternatives(flag: string, name: ParameterName | undefined): UsageError {
  if (SWITCHES.has(flag)) return new UsageError(t('{0} takes no value, so it has no alternatives; give it once.', flag));
  if (name === 'monitor') return new UsageError(t('{0} cannot have alternatives: every trial of a sweep is judged by the same metric; give it once.', flag));
  if (name === 'testLimit') return new UsageError(t('{0} cannot have alternatives: every trial of a sweep is tested on the same images; give it once.', flag));
  return new UsageError(t('{0} cannot have alternatives: it says how to run, not what to train; give it once.', flag));
}

function sameValue(a: SweepValue, b: SweepValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The parameter a sweepable flag sets, or undefined. */
function sweepableParameter(flag: string): SweepableParameter | undefined {
  const name = FLAG_PARAMETERS.get(flag)?.[0];
  return (SWEEPABLE_PARAMETERS as readonly string[]).includes(name ?? '') ? (name as SweepableParameter) : undefined;
}

export function parseSweepArgs(argv: string[], cores = availableParallelism()): Parsed<SweepOptions> {
  const occurrences = new Map<string, string[]>();
  let parallel: number | undefined;
  let trials: number | undefined;
  let prune = false;
  let timeBudgetSeconds: number | undefined;
  let resumeId: string | undefined;
  const reader = new ArgReader(argv);
  for (const { flag, inlineValue } of reader.flags()) {
    if (isHelpFlag(flag)) return { help: true };
    switch (flag) {
      case '--parallel':
        parallel = parseFlagValue(flag, PARALLEL_SPEC, reader.value(flag, inlineValue)) as number;
        break;
      case '--trials':
        trials = parseFlagValue(flag, TRIALS_SPEC, reader.value(flag, inlineValue)) as number;
        break;
      case '--prune':
        if (inlineValue !== undefined) throw new UsageError(t('{0} takes no value.', flag));
        prune = true;
        break;
      case '--time-budget': {
        const text = reader.value(flag, inlineValue);
        timeBudgetSeconds = parseDuration(text);
        if (timeBudgetSeconds === undefined) throw new UsageError(t('{0} must be a time such as 90s, 10m or 1h30m; got "{1}".', flag, text));
        break;
      }
      case '--resume':
        resumeId = reader.value(flag, inlineValue);
        break;
      default: {
        if (!FLAG_PARAMETERS.has(flag) && !SWITCHES.has(flag) && !PATH_FLAGS.has(flag)) throw new UsageError(t('Unknown option "{0}".', flag));
        if (flag === '--save' || flag === '--no-save' || flag === '--no-history') {
          throw new UsageError(t('{0} cannot be used in a sweep: every trial is kept in the run history, and no model folder is written; re-run the best trial with npm run train to save its model.', flag));
        }
        if (SWITCHES.has(flag) && inlineValue !== undefined) throw new UsageError(t('{0} takes no value.', flag));
        const value = SWITCHES.has(flag) ? '' : reader.value(flag, inlineValue);
        occurrences.set(flag, [...(occurrences.get(flag) ?? []), value]);
      }
    }
  }
  const dataDir = occurrences.get('--data-dir');
  const allowDownload = !occurrences.has('--no-download');
  for (const [flag, values] of occurrences) {
    if (values.length > 1 && sweepableParameter(flag) === undefined) throw noAlternatives(flag, FLAG_PARAMETERS.get(flag)?.[0]);
  }
  if (resumeId !== undefined) {
    const changes = [...occurrences.keys(), ...(trials !== undefined ? ['--trials'] : []), ...(prune ? ['--prune'] : [])]
      .filter((flag) => flag !== '--data-dir' && flag !== '--no-download');
    if (changes.length > 0) throw new UsageError(t('--resume continues a sweep as it was defined, so {0} cannot be given with it (only --parallel, --time-budget, --data-dir and --no-download).', changes[0]));
    const options: SweepOptions = { resumeId, parallel: parallel ?? cores, allowDownload };
    if (timeBudgetSeconds !== undefined) options.timeBudgetSeconds = timeBudgetSeconds;
    if (dataDir !== undefined) options.dataDir = dataDir[0];
    return { help: false, options };
  }

  // The alternatives, each read as the train flag reads it.
  const axes: SweepAxis[] = [];
  for (const [flag, texts] of occurrences) {
    const parameter = sweepableParameter(flag);
    if (parameter === undefined || texts.length < 2) continue;
    const values = texts.map((text) => parseFlagValue(flag, HYPER_PARAMETER_SCHEMA[parameter], text) as SweepValue);
    values.forEach((value, i) => {
      if (values.findIndex((other) => sameValue(other, value)) !== i) throw new UsageError(t('{0} lists {1} twice; give each alternative once.', flag, texts[i]));
    });
    axes.push({ parameter, values });
  }
  if (axes.length === 0) {
    throw new UsageError(t('Nothing to sweep: give a training flag more than once to list its alternatives, e.g. --learning-rate 0.001 --learning-rate 0.003.'));
  }
  const size = gridSize(axes);
  if (size > MAX_GRID_POINTS) {
    throw new UsageError(t('The grid has {0} points, more than the {1} a sweep takes; give fewer alternatives.', size, MAX_GRID_POINTS));
  }
  const base = baseParameters(occurrences, axes);
  // The sample is drawn with the first --seed (a swept seed's first alternative).
  const seedText = occurrences.get(HYPER_PARAMETER_SCHEMA.seed.flag)?.[0];
  const sampleSeed = seedText === undefined ? base.seed : (parseFlagValue(HYPER_PARAMETER_SCHEMA.seed.flag, HYPER_PARAMETER_SCHEMA.seed, seedText) as number);
  const definition: SweepDefinition = { base, axes, sampleSeed, prune };
  if (trials !== undefined) definition.trials = trials;
  if (timeBudgetSeconds !== undefined) definition.timeBudgetSeconds = timeBudgetSeconds;
  const [problem] = sweepProblems(definition);
  if (problem !== undefined) {
    throw new UsageError(t('The trial {0} cannot run: {1}', choiceFlags(axes, problem.choice), problem.problems.join(' ')));
  }
  const options: SweepOptions = { definition, parallel: parallel ?? cores, allowDownload };
  if (timeBudgetSeconds !== undefined) options.timeBudgetSeconds = timeBudgetSeconds;
  if (dataDir !== undefined) options.dataDir = dataDir[0];
  return { help: false, options };
}

/**
 * The settings every trial shares, read by the train parser from the flags given once. When those alone do
 * not make a run (a dropout list meant for the swept layers), they are read with each axis at its first
 * alternative, and a problem then is the first trial's.
 */
function baseParameters(occurrences: ReadonlyMap<string, string[]>, axes: readonly SweepAxis[]): HyperParameters {
  const argvOf = (withAxes: boolean) =>
    [...occurrences].flatMap(([flag, texts]) => {
      if (texts.length > 1 && !withAxes) return [];
      return SWITCHES.has(flag) ? [flag] : [`${flag}=${texts[0]}`];
    });
  const parse = (argv: string[]) => {
    const parsed = parseTrainArgs(argv);
    if (parsed.help) throw new Error('--help is handled before the train flags are read.');
    return parsed.options.params;
  };
  // A value that is wrong on its own is the shared settings' problem, said as a run would say it.
  for (const [flag, texts] of occurrences) {
    const spec = FLAG_PARAMETERS.get(flag)?.[1];
    if (texts.length === 1 && spec !== undefined && spec.kind !== 'boolean') parseFlagValue(flag, spec, texts[0]);
  }
  try {
    return parse(argvOf(false));
  } catch {
    try {
      return parse(argvOf(true));
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      throw new UsageError(t('The trial {0} cannot run: {1}', choiceFlags(axes, axes.map(() => 0)), error.message));
    }
  }
}

/** An alternative as its flag takes it: `0.001`, `256,128`. */
export function alternativeText(value: SweepValue): string {
  return typeof value === 'number' ? String(value) : value.join(',');
}

/** The train flag that sets a swept parameter (`--layers`, `--early-stopping`). */
export function axisFlag(parameter: SweepableParameter): string {
  return HYPER_PARAMETER_SCHEMA[parameter].flag;
}

/** A grid point as the flags that make it: `--layers 64 --learning-rate 0.003`. */
export function choiceFlags(axes: readonly SweepAxis[], choice: readonly number[]): string {
  return axes.map((axis, a) => `${axisFlag(axis.parameter)} ${alternativeText(axis.values[choice[a]])}`).join(' ');
}
