/**
 * The checks on hyper-parameters, from the one schema (src/domain/hyperParameters.ts): whether a value fits,
 * the words for its bounds (shared by the settings, the CLI and the worker's messages), the whole-request
 * validation, and reading parameters back from a run record written by an older version.
 */
import {
  architectureFrom,
  fitsBounds,
  fitsSpec,
  DEFAULT_HYPER_PARAMETERS,
  HYPER_PARAMETER_SCHEMA,
  type HyperParameters,
  type ParameterName,
  type ParameterSpec,
} from '../domain/hyperParameters';
import { convSides, type Architecture, type ConvLayer } from '../domain/architecture';
import { parameterCount } from '../domain/networkLayers';
import { IMAGE_SIZE } from '../domain/classes';
import { TrainerError } from './errors';

export { fitsSpec };
import { t } from './text/l10n';

/** More weights than this do not train in the worker's memory (weights, Adam's two moments, gradients). */
export const MAX_PARAMETERS = 20_000_000;

/** "a whole number from 1 to 1000", "one of auto, node, wasm, cpu": what `spec` allows, localized. */
export function describeAllowed(spec: ParameterSpec): string {
  switch (spec.kind) {
    case 'integer':
      return t('a whole number from {0} to {1}', spec.min, spec.max);
    case 'number':
      return spec.exclusiveMin
        ? t('a number greater than {0} and at most {1}', spec.min, spec.max)
        : t('a number from {0} to {1}', spec.min, spec.max);
    case 'integerList':
      return t('{0} to {1} whole numbers from {2} to {3}, separated by commas', spec.minItems, spec.maxItems, spec.min, spec.max);
    case 'numberList':
      return t('one number from {0} to {1}, or one per hidden layer, separated by commas', spec.min, spec.max);
    case 'boolean':
      return t('true or false');
    case 'choice':
      return t('one of {0}', spec.values.join(', '));
    case 'convList':
      return t('up to {0} conv blocks FILTERS:KERNEL separated by commas, with {1} to {2} filters and a kernel of {3} to {4}', spec.maxItems, spec.filters.min, spec.filters.max, spec.kernelSize.min, spec.kernelSize.max);
  }
}

/** What each parameter is called in a sentence, localized. */
export function parameterLabel(name: ParameterName): string {
  switch (name) {
    case 'epochs': return t('The number of epochs');
    case 'batchSize': return t('The batch size');
    case 'learningRate': return t('The learning rate');
    case 'convLayers': return t('The conv blocks');
    case 'hiddenLayers': return t('The hidden layer widths');
    case 'hiddenUnits': return t('The number of hidden units');
    case 'dropout': return t('The dropout rate');
    case 'l2': return t('The L2 factor');
    case 'seed': return t('The seed');
    case 'backend': return t('The backend');
    case 'trainLimit': return t('The training image limit');
    case 'testLimit': return t('The test image limit');
    case 'validationSplit': return t('The validation split');
    case 'earlyStopping': return t('Early stopping');
    case 'patience': return t('The early stopping patience');
    case 'minDelta': return t('The early stopping min_delta');
    case 'monitor': return t('The monitored metric');
    case 'restoreBestWeights': return t('Restore best weights');
  }
}

function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

export { parameterCount };

/** The most conv blocks a 28×28 picture allows: each MaxPooling2D(2×2) halves its side, which must stay at least 1. */
export const MAX_POOLS = Math.floor(Math.log2(IMAGE_SIZE));

/**
 * The sentences saying what is wrong with conv blocks, one per problem: a block whose filters or kernel
 * are out of bounds, a kernel larger than the picture it sees at its depth, more pools than 28×28 allows.
 */
export function convProblems(convLayers: unknown): string[] {
  const spec = HYPER_PARAMETER_SCHEMA.convLayers;
  if (!Array.isArray(convLayers)) return [t('{0} must be {1} (got {2}).', parameterLabel('convLayers'), describeAllowed(spec), shown(convLayers))];
  const problems: string[] = [];
  if (convLayers.length > MAX_POOLS) {
    problems.push(
      t('{0} conv blocks are too many for a 28 x 28 picture: each 2 x 2 max pooling halves its side ({1}), so at most {2} blocks fit.',
        convLayers.length, convSides(Array(MAX_POOLS).fill({ filters: 1, kernelSize: 1 })).join(', '), MAX_POOLS),
    );
    return problems;
  }
  const sides = convSides(convLayers as ConvLayer[]);
  convLayers.forEach((item: unknown, index) => {
    const conv = (typeof item === 'object' && item !== null ? item : {}) as Partial<ConvLayer>;
    const block = index + 1;
    if (!fitsBounds(conv.filters, spec.filters, true)) {
      problems.push(t('Conv block {0} has {1} filters; a conv layer needs a whole number of filters from {2} to {3}.', block, shown(conv.filters), spec.filters.min, spec.filters.max));
    }
    if (!fitsBounds(conv.kernelSize, spec.kernelSize, true)) {
      problems.push(t('Conv block {0} has a kernel size of {1}; it must be a whole number from {2} to {3}.', block, shown(conv.kernelSize), spec.kernelSize.min, spec.kernelSize.max));
    } else if ((conv.kernelSize as number) > sides[index]) {
      problems.push(
        t('Conv block {0}\'s {1} x {1} kernel is larger than the {2} x {2} picture it sees at that depth (after {3} poolings); use a kernel of at most {2}.',
          block, conv.kernelSize as number, sides[index], index),
      );
    }
  });
  return problems;
}

/** The sentences saying what is wrong with an architecture; empty when it can be built and trained. */
export function architectureProblems(architecture: Architecture): string[] {
  const problems: string[] = [];
  const layers = HYPER_PARAMETER_SCHEMA.hiddenLayers;
  const widths = Array.isArray(architecture?.hiddenLayers) ? architecture.hiddenLayers.map((layer) => layer?.units) : undefined;
  if (!fitsSpec(layers, widths)) {
    problems.push(t('{0} must be {1} (got {2}).', parameterLabel('hiddenLayers'), describeAllowed(layers), shown(widths)));
  }
  const rates = Array.isArray(architecture?.hiddenLayers) ? architecture.hiddenLayers.map((layer) => layer?.dropout) : [];
  if (!rates.every((rate) => fitsBounds(rate, HYPER_PARAMETER_SCHEMA.dropout, false))) {
    problems.push(t('{0} must be {1} (got {2}).', parameterLabel('dropout'), describeAllowed(HYPER_PARAMETER_SCHEMA.dropout), shown(rates)));
  }
  if (architecture?.convLayers !== undefined) problems.push(...convProblems(architecture.convLayers));
  if (!fitsSpec(HYPER_PARAMETER_SCHEMA.l2, architecture?.l2)) {
    problems.push(t('{0} must be {1} (got {2}).', parameterLabel('l2'), describeAllowed(HYPER_PARAMETER_SCHEMA.l2), shown(architecture?.l2)));
  }
  if (problems.length === 0 && parameterCount(architecture) > MAX_PARAMETERS) {
    problems.push(
      t('The network has {0} weights, more than the {1} that fit in memory for training; use fewer or narrower hidden layers.',
        parameterCount(architecture).toLocaleString('en-US'), MAX_PARAMETERS.toLocaleString('en-US')),
    );
  }
  return problems;
}

/**
 * Dropout rates go with the hidden layers as Keras's `--dropout` reads them: none, one rate for every
 * layer, or one per layer. The sentence saying otherwise, or undefined.
 */
export function dropoutProblem(widths: readonly number[], rates: readonly number[]): string | undefined {
  if (rates.length <= 1 || rates.length === widths.length) return undefined;
  return t('{0} dropout rates were given for {1} hidden layers; give one rate for all layers or one per layer.', rates.length, widths.length);
}

/** The parameters that are plain fields of HyperParameters (the architecture's three are checked together). */
const FIELD_PARAMETERS = [
  'epochs', 'batchSize', 'learningRate', 'seed', 'backend', 'trainLimit', 'testLimit',
  'validationSplit', 'earlyStopping', 'patience', 'minDelta', 'monitor', 'restoreBestWeights',
] as const satisfies readonly (ParameterName & keyof HyperParameters)[];

/**
 * Throws INVALID_PARAMS listing every problem, one sentence each. `trainCount` is the number of
 * training images available (before `trainLimit`); when given, the batch must fit in the images trained on.
 */
export function validateHyperParameters(p: HyperParameters, trainCount?: number): void {
  const problems: string[] = [];
  for (const name of FIELD_PARAMETERS) {
    const spec: ParameterSpec = HYPER_PARAMETER_SCHEMA[name];
    const value = p[name];
    if (value === undefined && 'optional' in spec && spec.optional) continue;
    if (!fitsSpec(spec, value)) problems.push(t('{0} must be {1} (got {2}).', parameterLabel(name), describeAllowed(spec), shown(value)));
  }
  problems.push(...architectureProblems(p.architecture));
  if (trainCount !== undefined && fitsSpec(HYPER_PARAMETER_SCHEMA.batchSize, p.batchSize)) {
    const available = trainingImageCount(p, trainCount);
    if (available === 0) {
      const used = p.trainLimit !== undefined ? Math.min(p.trainLimit, trainCount) : trainCount;
      problems.push(t('A validation split of {0} of the {1} training images used leaves none to train on; lower the validation split or use more training images.', p.validationSplit, used));
    } else if (p.batchSize > available) {
      problems.push(
        t('The batch size ({0}) is larger than the number of training images ({1}); choose a batch size of at most {1}.', p.batchSize, available),
      );
    }
  }
  if (problems.length > 0) {
    throw new TrainerError('INVALID_PARAMS', problems.join(' '), undefined, t('Correct the settings and start again.'));
  }
}

/** How Keras's validation_split divides `count` images: the first `train` train, the last `validation` validate. */
export function splitCounts(count: number, validationSplit: number): { train: number; validation: number } {
  if (validationSplit <= 0) return { train: count, validation: 0 };
  const train = Math.floor(count * (1 - validationSplit));
  return { train, validation: count - train };
}

/** The images the model trains on: the first `trainLimit`, less the validation split. */
export function trainingImageCount(p: Pick<HyperParameters, 'trainLimit' | 'validationSplit'>, available: number): number {
  const used = p.trainLimit !== undefined ? Math.min(p.trainLimit, available) : available;
  return splitCounts(used, p.validationSplit ?? 0).train;
}

/**
 * Parameters read back from a run record on disk: fields an older version did not write take their
 * defaults, and its `hiddenUnits` becomes one hidden layer. Undefined when they are not parameters at all.
 */
export function normalizeHyperParameters(raw: unknown): HyperParameters | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const source = raw as Partial<HyperParameters> & { hiddenUnits?: unknown };
  const params: HyperParameters = { ...DEFAULT_HYPER_PARAMETERS };
  for (const name of FIELD_PARAMETERS) {
    const value = source[name];
    if (value !== undefined && fitsSpec(HYPER_PARAMETER_SCHEMA[name], value)) (params as unknown as Record<string, unknown>)[name] = value;
  }
  if (source.architecture !== undefined && architectureProblems(source.architecture).length === 0) {
    params.architecture = source.architecture;
  } else if (typeof source.hiddenUnits === 'number' && fitsSpec(HYPER_PARAMETER_SCHEMA.hiddenUnits, source.hiddenUnits)) {
    params.architecture = architectureFrom([source.hiddenUnits], [], 0);
  } else if (source.architecture !== undefined) {
    return undefined;
  }
  if (typeof source.epochs !== 'number' || typeof source.learningRate !== 'number') return undefined;
  return params;
}
