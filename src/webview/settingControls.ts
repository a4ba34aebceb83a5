/**
 * The hyper-parameter controls of the Train and Model cells, built from the one schema
 * (src/domain/hyperParameters.ts): their bounds, steps, choices and checks, so the dashboard flags an
 * out-of-range value before the host has to refuse it and takes every value the host takes. No DOM.
 */
import * as l10n from '@vscode/l10n';
import type { Architecture } from '../domain/architecture';
import { BACKEND_CHOICES, dropoutList, fitsSpec, HYPER_PARAMETER_SCHEMA, type BackendChoice, type NumberSpec } from '../domain/hyperParameters';
import type { EditableSetting, SettingValue } from '../protocol/webview';
import type { Label } from './strings';

export type NumberParameter = 'epochs' | 'batchSize' | 'learningRate' | 'validationSplit' | 'patience' | 'l2';

export interface NumberControl {
  /** The setting it writes. */
  key: EditableSetting;
  /** The field of HyperParameters it shows. */
  param: NumberParameter;
  label: Label;
  /** The input's min, max and step attributes: the schema's bounds, and the step of its arrows. */
  min: number;
  max: number;
  step: number | 'any';
  /**
   * Whether a typed value is one to send: the schema's own check, so the box takes what the host takes (an
   * excluded minimum such as the learning rate's 0, which an input's `min` cannot say, is refused here; a
   * value between the arrows' steps is accepted).
   */
  accepts(value: number): boolean;
}

function numberControl(param: NumberParameter, label: Label): NumberControl {
  const spec: NumberSpec = HYPER_PARAMETER_SCHEMA[param];
  return {
    key: spec.setting as EditableSetting,
    param,
    label,
    min: spec.min,
    max: spec.max,
    step: spec.kind === 'integer' ? 1 : (spec.step ?? 'any'),
    accepts: (value) => fitsSpec(spec, value),
  };
}

/** The Train cell's numbers. */
export const NUMBER_CONTROLS: readonly NumberControl[] = [
  numberControl('epochs', () => l10n.t('Epochs')),
  numberControl('batchSize', () => l10n.t('Batch size')),
  numberControl('learningRate', () => l10n.t('Learning rate')),
  numberControl('validationSplit', () => l10n.t('Validation split')),
  numberControl('patience', () => l10n.t('Patience (epochs)')),
];

/** The Model cell's L2 factor (its hidden layers and dropout are lists, typed as text). */
export const L2_CONTROL: NumberControl = numberControl('l2', () => l10n.t('L2'));

/** The Train cell's switches. */
export const SWITCH_CONTROLS: readonly { key: EditableSetting; param: 'earlyStopping' | 'restoreBestWeights'; label: Label }[] = [
  { key: HYPER_PARAMETER_SCHEMA.earlyStopping.setting, param: 'earlyStopping', label: () => l10n.t('Stop early') },
  { key: HYPER_PARAMETER_SCHEMA.restoreBestWeights.setting, param: 'restoreBestWeights', label: () => l10n.t('Keep the best epoch’s weights') },
];

const BACKEND_LABELS: Record<BackendChoice, Label> = { auto: () => l10n.t('auto (tfjs-node, else wasm, else cpu)'), node: () => l10n.t('node (tfjs-node)'), wasm: () => l10n.t('wasm (WebAssembly)'), cpu: () => l10n.t('cpu (plain JavaScript, slow)') };

export const BACKEND_CONTROLS: readonly { value: BackendChoice; label: Label }[] = BACKEND_CHOICES.map((value) => ({
  value,
  label: BACKEND_LABELS[value],
}));

/** "512, 256" or "0.2" as numbers; undefined when a part is not a number (bounds are checked by the caller). */
export function parseNumberList(text: string): number[] | undefined {
  if (text.trim() === '') return [];
  const values = text.split(/[,，\s]+/).filter((part) => part !== '').map(Number);
  return values.every((value) => Number.isFinite(value)) ? values : undefined;
}

/** The settings a model preset sets: its hidden widths, dropout rates (as the setting holds them) and L2 factor. */
export function presetSettings(architecture: Architecture): { key: 'hiddenLayers' | 'dropout' | 'l2'; value: SettingValue }[] {
  return [
    { key: 'hiddenLayers', value: architecture.hiddenLayers.map((layer) => layer.units) },
    { key: 'dropout', value: dropoutList(architecture) },
    { key: 'l2', value: architecture.l2 },
  ];
}
