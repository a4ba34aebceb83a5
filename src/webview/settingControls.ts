/**
 * The hyper-parameter controls of the Train and Model cells, built from the one schema
 * (src/domain/hyperParameters.ts), so the browser flags an out-of-range value before the host has to
 * refuse it. Pure data, no DOM.
 */
import { BACKEND_CHOICES, HYPER_PARAMETER_SCHEMA, type BackendChoice, type NumberSpec } from '../domain/hyperParameters';
import type { EditableSetting } from '../protocol/webview';
import type { DashboardStringKey } from '../protocol/dashboardStringKeys';

export type NumberParameter = 'epochs' | 'batchSize' | 'learningRate' | 'validationSplit' | 'patience' | 'l2';

export interface NumberControl {
  /** The setting it writes. */
  key: EditableSetting;
  /** The field of HyperParameters it shows. */
  param: NumberParameter;
  label: DashboardStringKey;
  min: number;
  max: number;
  step: number | 'any';
}

function numberControl(param: NumberParameter, label: DashboardStringKey, step?: number): NumberControl {
  const spec: NumberSpec = HYPER_PARAMETER_SCHEMA[param];
  return {
    key: spec.setting as EditableSetting,
    param,
    label,
    // An excluded minimum (learning rate > 0): the smallest value anyone would type is far above this.
    min: spec.exclusiveMin ? spec.min + 1e-6 : spec.min,
    max: spec.max,
    step: spec.kind === 'integer' ? 1 : (step ?? 'any'),
  };
}

/** The Train cell's numbers. */
export const NUMBER_CONTROLS: readonly NumberControl[] = [
  numberControl('epochs', 'paramEpochs'),
  numberControl('batchSize', 'paramBatchSize'),
  numberControl('learningRate', 'paramLearningRate'),
  numberControl('validationSplit', 'paramValidationSplit', 0.05),
  numberControl('patience', 'paramPatience'),
];

/** The Model cell's L2 factor (its hidden layers and dropout are lists, typed as text). */
export const L2_CONTROL: NumberControl = numberControl('l2', 'paramL2');

/** The Train cell's switches. */
export const SWITCH_CONTROLS: readonly { key: EditableSetting; param: 'earlyStopping' | 'restoreBestWeights'; label: DashboardStringKey }[] = [
  { key: HYPER_PARAMETER_SCHEMA.earlyStopping.setting, param: 'earlyStopping', label: 'paramEarlyStopping' },
  { key: HYPER_PARAMETER_SCHEMA.restoreBestWeights.setting, param: 'restoreBestWeights', label: 'paramRestoreBest' },
];

const BACKEND_LABELS: Record<BackendChoice, DashboardStringKey> = { auto: 'backendAuto', node: 'backendNode', wasm: 'backendWasm', cpu: 'backendCpu' };

export const BACKEND_CONTROLS: readonly { value: BackendChoice; label: DashboardStringKey }[] = BACKEND_CHOICES.map((value) => ({
  value,
  label: BACKEND_LABELS[value],
}));

/** "512, 256" or "0.2" as numbers; undefined when a part is not a number (bounds are checked by the caller). */
export function parseNumberList(text: string): number[] | undefined {
  if (text.trim() === '') return [];
  const values = text.split(/[,，\s]+/).filter((part) => part !== '').map(Number);
  return values.every((value) => Number.isFinite(value)) ? values : undefined;
}
