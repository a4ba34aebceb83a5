/**
 * What a run is asked to do, and the one schema of every hyper-parameter: its type, bounds and default,
 * the `fashionMnist.*` setting and the CLI flag that set it. The manifest (package.json
 * `contributes.configuration`, compared by a unit test), the host's settings check, the CLI parser, the
 * core's validation and the dashboard's controls all read this table; a bound is written here only.
 */
import { TUTORIAL_ARCHITECTURE, type Architecture, type ConvLayer } from './architecture';
import type { NativeBackendProblem } from './nativeBackend';
import { TEST_IMAGES, TRAIN_IMAGES } from './classes';

/** What the user asks for. `auto` takes tfjs-node when it loads, else wasm, else cpu. */
export const BACKEND_CHOICES = ['auto', 'node', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** The tfjs backend that actually runs (`tensorflow` is the name tfjs-node registers). */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  requested: BackendChoice;
  name: BackendName;
  /** Human-readable, localized: why this backend (e.g. "tfjs-node is not installed; using wasm"). */
  reason: string;
  /** Set when tfjs-node was looked for and not used: the host offers to set it up. */
  nativeProblem?: NativeBackendProblem;
}

/** What early stopping and the best epoch watch: Keras's names (the held-out images' loss or accuracy). */
export const MONITOR_CHOICES = ['val_loss', 'val_accuracy'] as const;
export type MonitorChoice = (typeof MONITOR_CHOICES)[number];

export interface HyperParameters {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** The network: conv blocks before Flatten, then hidden layers, dropout, L2 up to the 10-way softmax. */
  architecture: Architecture;
  /** Seed for weight initialisation, shuffling and dropout; the same seed gives the same run. */
  seed: number;
  backend: BackendChoice;
  /** Use only the first N training images (quick runs and tests); undefined = all 60,000. */
  trainLimit?: number;
  /** Use only the first N test images; undefined = all 10,000. */
  testLimit?: number;
  /**
   * Keras's `validation_split`: the last fraction of the training images (after `trainLimit`, before
   * shuffling) is held out and evaluated after every epoch. 0 = off (the tutorial's setting).
   */
  validationSplit: number;
  /** Keras's EarlyStopping callback, on or off; `patience`, `minDelta` and `monitor` are its arguments. */
  earlyStopping: boolean;
  patience: number;
  minDelta: number;
  monitor: MonitorChoice;
  /** Keras's `restore_best_weights`: the model ends with the weights of the best epoch, not the last. */
  restoreBestWeights: boolean;
}

interface BaseSpec {
  /** The key under `fashionMnist.` in the settings, if the extension has a setting for it. */
  setting?: string;
  /** The `npm run train` flag, if the CLI has one. */
  flag?: string;
}

export interface NumberSpec extends BaseSpec {
  kind: 'integer' | 'number';
  min: number;
  max: number;
  /** The minimum itself is not allowed (learning rate > 0). */
  exclusiveMin?: boolean;
  /** No default: the parameter is absent unless asked for (the setting then says 0 = all). */
  optional?: boolean;
  default: number;
  /**
   * How far one press of the dashboard's up/down arrows moves a fractional number (integers move by 1;
   * without it, the browser's own). Only the arrows: any value within the bounds is still allowed.
   */
  step?: number;
}

export interface ListSpec extends BaseSpec {
  kind: 'integerList' | 'numberList';
  /** Bounds of each item. */
  min: number;
  max: number;
  minItems: number;
  maxItems: number;
  default: readonly number[];
}

export interface BooleanSpec extends BaseSpec {
  kind: 'boolean';
  default: boolean;
}

export interface ChoiceSpec extends BaseSpec {
  kind: 'choice';
  values: readonly string[];
  default: string;
}

/** Conv blocks: a list of (filters, kernel size), each within its bounds. */
export interface ConvListSpec extends BaseSpec {
  kind: 'convList';
  filters: { min: number; max: number };
  kernelSize: { min: number; max: number };
  minItems: number;
  maxItems: number;
  default: readonly ConvLayer[];
}

export type ParameterSpec = NumberSpec | ListSpec | BooleanSpec | ChoiceSpec | ConvListSpec;

/** The most hidden layers a network may have. */
export const MAX_HIDDEN_LAYERS = 8;

/** The most conv blocks a network may list (the 28×28 picture allows only so many pools: see convSides). */
export const MAX_CONV_LAYERS = 8;

/**
 * Every hyper-parameter. `convLayers`, `hiddenLayers`, `dropout` and `l2` make up `architecture`; `hiddenUnits` is the
 * CLI's older way to ask for one hidden layer. The others are fields of HyperParameters of the same name.
 */
export const HYPER_PARAMETER_SCHEMA = {
  epochs: { kind: 'integer', min: 1, max: 1000, default: 10, setting: 'epochs', flag: '--epochs' },
  batchSize: { kind: 'integer', min: 1, max: 8192, default: 32, setting: 'batchSize', flag: '--batch-size' },
  learningRate: { kind: 'number', min: 0, max: 1, exclusiveMin: true, default: 0.001, setting: 'learningRate', flag: '--learning-rate' },
  convLayers: {
    kind: 'convList', filters: { min: 1, max: 256 }, kernelSize: { min: 1, max: 28 }, minItems: 0, maxItems: MAX_CONV_LAYERS,
    default: [], setting: 'convLayers', flag: '--conv',
  },
  hiddenLayers: {
    kind: 'integerList', min: 1, max: 4096, minItems: 1, maxItems: MAX_HIDDEN_LAYERS,
    default: TUTORIAL_ARCHITECTURE.hiddenLayers.map((layer) => layer.units), setting: 'hiddenLayers', flag: '--layers',
  },
  hiddenUnits: { kind: 'integer', min: 1, max: 4096, default: TUTORIAL_ARCHITECTURE.hiddenLayers[0].units, flag: '--hidden-units' },
  dropout: {
    kind: 'numberList', min: 0, max: 0.9, minItems: 0, maxItems: MAX_HIDDEN_LAYERS,
    default: [], setting: 'dropout', flag: '--dropout',
  },
  l2: { kind: 'number', min: 0, max: 1, default: TUTORIAL_ARCHITECTURE.l2, setting: 'l2', flag: '--l2' },
  seed: { kind: 'integer', min: 0, max: 2 ** 31 - 1, default: 42, setting: 'seed', flag: '--seed' },
  backend: { kind: 'choice', values: BACKEND_CHOICES, default: 'auto', setting: 'backend', flag: '--backend' },
  trainLimit: { kind: 'integer', min: 1, max: TRAIN_IMAGES, optional: true, default: TRAIN_IMAGES, setting: 'trainSubset', flag: '--train-limit' },
  testLimit: { kind: 'integer', min: 1, max: TEST_IMAGES, optional: true, default: TEST_IMAGES, setting: 'testSubset', flag: '--test-limit' },
  validationSplit: { kind: 'number', min: 0, max: 0.5, default: 0, step: 0.05, setting: 'validationSplit', flag: '--validation-split' },
  earlyStopping: { kind: 'boolean', default: false, setting: 'earlyStopping' },
  patience: { kind: 'integer', min: 0, max: 1000, default: 3, setting: 'earlyStoppingPatience', flag: '--early-stopping' },
  minDelta: { kind: 'number', min: 0, max: 1, default: 0, setting: 'earlyStoppingMinDelta', flag: '--min-delta' },
  monitor: { kind: 'choice', values: MONITOR_CHOICES, default: 'val_loss', setting: 'earlyStoppingMonitor', flag: '--monitor' },
  restoreBestWeights: { kind: 'boolean', default: false, setting: 'restoreBestWeights', flag: '--restore-best' },
} as const satisfies Record<string, ParameterSpec>;

export type ParameterName = keyof typeof HYPER_PARAMETER_SCHEMA;

/** The TensorFlow tutorial's run; frozen, as its architecture is (copy it with a spread to change a field). */
export const DEFAULT_HYPER_PARAMETERS: HyperParameters = Object.freeze({
  epochs: HYPER_PARAMETER_SCHEMA.epochs.default,
  batchSize: HYPER_PARAMETER_SCHEMA.batchSize.default,
  learningRate: HYPER_PARAMETER_SCHEMA.learningRate.default,
  architecture: TUTORIAL_ARCHITECTURE,
  seed: HYPER_PARAMETER_SCHEMA.seed.default,
  backend: HYPER_PARAMETER_SCHEMA.backend.default,
  validationSplit: HYPER_PARAMETER_SCHEMA.validationSplit.default,
  earlyStopping: HYPER_PARAMETER_SCHEMA.earlyStopping.default,
  patience: HYPER_PARAMETER_SCHEMA.patience.default,
  minDelta: HYPER_PARAMETER_SCHEMA.minDelta.default,
  monitor: HYPER_PARAMETER_SCHEMA.monitor.default,
  restoreBestWeights: HYPER_PARAMETER_SCHEMA.restoreBestWeights.default,
});

/**
 * The hidden widths and the per-layer dropout rates (one rate applies to every layer), and the conv blocks
 * before them, as one Architecture. An MLP has no `convLayers` field at all (as records before conv had).
 */
export function architectureFrom(widths: readonly number[], dropout: readonly number[], l2: number, convLayers: readonly ConvLayer[] = []): Architecture {
  const architecture: Architecture = {
    hiddenLayers: widths.map((units, index) => ({ units, dropout: dropout.length === 1 ? dropout[0] : (dropout[index] ?? 0) })),
    l2,
  };
  if (convLayers.length > 0) architecture.convLayers = convLayers.map((conv) => ({ filters: conv.filters, kernelSize: conv.kernelSize }));
  return architecture;
}

/** The dropout rates as a setting holds them: [] for none, one rate when all layers share it. */
export function dropoutList(architecture: Architecture): number[] {
  const rates = architecture.hiddenLayers.map((layer) => layer.dropout);
  if (rates.every((rate) => rate === 0)) return [];
  if (rates.every((rate) => rate === rates[0])) return [rates[0]];
  return rates;
}

/** Whether a number is within bounds (and whole, when `integer`). */
export function fitsBounds(value: unknown, spec: Pick<NumberSpec, 'min' | 'max' | 'exclusiveMin'>, integer: boolean): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (integer && !Number.isInteger(value)) return false;
  if (spec.exclusiveMin ? value <= spec.min : value < spec.min) return false;
  return value <= spec.max;
}

/** True when `value` is allowed for `spec` (a list: its length and every item). */
export function fitsSpec(spec: ParameterSpec, value: unknown): boolean {
  switch (spec.kind) {
    case 'integer':
    case 'number':
      return fitsBounds(value, spec, spec.kind === 'integer');
    case 'integerList':
    case 'numberList':
      return (
        Array.isArray(value) &&
        value.length >= spec.minItems &&
        value.length <= spec.maxItems &&
        value.every((item) => fitsBounds(item, spec, spec.kind === 'integerList'))
      );
    case 'boolean':
      return typeof value === 'boolean';
    case 'choice':
      return typeof value === 'string' && spec.values.includes(value);
    case 'convList':
      return (
        Array.isArray(value) &&
        value.length >= spec.minItems &&
        value.length <= spec.maxItems &&
        value.every(
          (item: unknown) =>
            typeof item === 'object' && item !== null &&
            fitsBounds((item as ConvLayer).filters, spec.filters, true) &&
            fitsBounds((item as ConvLayer).kernelSize, spec.kernelSize, true),
        )
      );
  }
}
