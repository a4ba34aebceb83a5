/**
 * The hyper-parameter controls of the Train cell and their bounds. The bounds mirror the settings'
 * (src/host/trainingSettings.ts, package.json) so the browser flags an out-of-range value before the host
 * has to refuse it; a unit test keeps the two equal. Pure data, no DOM.
 */
import type { BackendChoice } from '../domain/hyperParameters';
import type { EditableSetting } from '../protocol/webview';
import type { DashboardStringKey } from '../protocol/dashboardStringKeys';

export interface NumberControl {
  key: Exclude<EditableSetting, 'backend'>;
  label: DashboardStringKey;
  min: number;
  max: number;
  step: number | 'any';
}

export const NUMBER_CONTROLS: readonly NumberControl[] = [
  { key: 'epochs', label: 'paramEpochs', min: 1, max: 200, step: 1 },
  { key: 'batchSize', label: 'paramBatchSize', min: 1, max: 8192, step: 1 },
  // The setting excludes 0 itself; the smallest rate anyone would type is far above this.
  { key: 'learningRate', label: 'paramLearningRate', min: 0.000001, max: 1, step: 'any' },
  { key: 'hiddenUnits', label: 'paramHiddenUnits', min: 1, max: 4096, step: 1 },
];

export const BACKEND_CONTROLS: readonly { value: BackendChoice; label: DashboardStringKey }[] = [
  { value: 'auto', label: 'backendAuto' },
  { value: 'node', label: 'backendNode' },
  { value: 'wasm', label: 'backendWasm' },
  { value: 'cpu', label: 'backendCpu' },
];
