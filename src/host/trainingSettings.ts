/**
 * The `fashionMnist.*` settings as a training request, checked before a run starts. VS Code validates the
 * Settings UI against the manifest's schema, but settings.json accepts anything (it only underlines it), so
 * every value is checked again here and a bad one becomes a sentence naming the setting.
 *
 * No `vscode` import: the caller passes a getter, so the rules are unit-tested in plain Node. The bounds
 * must match `contributes.configuration` in package.json (a unit test compares them).
 */
import { expandHome } from '../core/userPath';
import { isAbsolute, join, normalize } from 'node:path';
import { resolveUserFolder } from '../core/nativeBackend/nativeBackendFolders';
import { t } from '../core/text/l10n';
import { DEFAULT_HYPER_PARAMETERS, type BackendChoice, type HyperParameters } from '../domain/hyperParameters';
import { type EditableSetting } from '../protocol/webview';

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'node', 'wasm', 'cpu'];

interface NumberRule {
  kind: 'integer' | 'number';
  min: number;
  max: number;
  /** The minimum itself is not allowed (learning rate > 0). */
  exclusiveMin?: boolean;
}

/** Numeric settings and their bounds (the same as package.json). */
export const NUMBER_RULES = {
  epochs: { kind: 'integer', min: 1, max: 200 },
  batchSize: { kind: 'integer', min: 1, max: 8192 },
  learningRate: { kind: 'number', min: 0, max: 1, exclusiveMin: true },
  hiddenUnits: { kind: 'integer', min: 1, max: 4096 },
  trainSubset: { kind: 'integer', min: 0, max: 60000 },
  testSubset: { kind: 'integer', min: 0, max: 10000 },
} as const satisfies Record<string, NumberRule>;

export type NumberSetting = keyof typeof NUMBER_RULES;

export const EDITABLE_SETTINGS: readonly EditableSetting[] = ['epochs', 'batchSize', 'learningRate', 'hiddenUnits', 'backend'];

/** What the settings ask for, ready to become a `StartRequest` (the caller adds the folders and locale). */
export interface TrainingSettings {
  params: HyperParameters;
  /** The folder the user named (as written; the caller resolves `~` and relative paths); undefined = automatic. */
  dataDirectory?: string;
  allowDownload: boolean;
}

export type SettingsResult = { ok: true; settings: TrainingSettings } | { ok: false; problems: string[] };

/** True when `value` fits the rule; the check behind both the run's settings and the panel's controls. */
function fitsRule(value: unknown, rule: NumberRule): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (rule.kind === 'integer' && !Number.isInteger(value)) return false;
  if (rule.exclusiveMin ? value <= rule.min : value < rule.min) return false;
  return value <= rule.max;
}

function describeRule(key: NumberSetting, rule: NumberRule, value: unknown): string {
  const shown = JSON.stringify(value) ?? String(value);
  if (rule.exclusiveMin) {
    return t('The setting fashionMnist.{0} is {1}; it must be a number greater than {2} and at most {3}.', key, shown, rule.min, rule.max);
  }
  if (rule.kind === 'integer') {
    return t('The setting fashionMnist.{0} is {1}; it must be a whole number from {2} to {3}.', key, shown, rule.min, rule.max);
  }
  return t('The setting fashionMnist.{0} is {1}; it must be a number from {2} to {3}.', key, shown, rule.min, rule.max);
}

/**
 * A value for one of the settings the panel may change, or undefined when it does not fit. Used for
 * `setSetting` messages from the webview, which are never trusted.
 */
export function checkEditableValue(key: EditableSetting, value: unknown): number | string | undefined {
  if (key === 'backend') {
    return typeof value === 'string' && (BACKEND_CHOICES as readonly string[]).includes(value) ? value : undefined;
  }
  return fitsRule(value, NUMBER_RULES[key]) ? value : undefined;
}

/**
 * Reads and checks every setting a run needs. `get(key)` returns the effective value of
 * `fashionMnist.<key>` (undefined when unset; the manifest's defaults normally fill it in).
 */
export function readTrainingSettings(get: (key: string) => unknown): SettingsResult {
  const problems: string[] = [];

  const numberSetting = (key: NumberSetting, fallback: number): number => {
    const value = get(key) ?? fallback;
    if (fitsRule(value, NUMBER_RULES[key])) return value;
    problems.push(describeRule(key, NUMBER_RULES[key], value));
    return fallback;
  };

  const epochs = numberSetting('epochs', DEFAULT_HYPER_PARAMETERS.epochs);
  const batchSize = numberSetting('batchSize', DEFAULT_HYPER_PARAMETERS.batchSize);
  const learningRate = numberSetting('learningRate', DEFAULT_HYPER_PARAMETERS.learningRate);
  const hiddenUnits = numberSetting('hiddenUnits', DEFAULT_HYPER_PARAMETERS.hiddenUnits);
  const trainSubset = numberSetting('trainSubset', 0);
  const testSubset = numberSetting('testSubset', 0);

  const backendValue = get('backend') ?? DEFAULT_HYPER_PARAMETERS.backend;
  let backend: BackendChoice = DEFAULT_HYPER_PARAMETERS.backend;
  if (typeof backendValue === 'string' && (BACKEND_CHOICES as readonly string[]).includes(backendValue)) {
    backend = backendValue as BackendChoice;
  } else {
    problems.push(
      t('The setting fashionMnist.backend is {0}; it must be one of {1}.', JSON.stringify(backendValue) ?? String(backendValue), BACKEND_CHOICES.join(', ')),
    );
  }

  const dataValue = get('dataDirectory') ?? '';
  let dataDirectory: string | undefined;
  if (typeof dataValue !== 'string') {
    problems.push(t('The setting fashionMnist.dataDirectory must be a folder path (text), or empty to look for the data automatically.'));
  } else if (dataValue.trim() !== '') {
    dataDirectory = dataValue.trim();
  }

  const downloadValue = get('allowDownload') ?? true;
  if (typeof downloadValue !== 'boolean') {
    problems.push(t('The setting fashionMnist.allowDownload must be true or false.'));
  }

  if (problems.length > 0) return { ok: false, problems };
  const params: HyperParameters = { ...DEFAULT_HYPER_PARAMETERS, epochs, batchSize, learningRate, hiddenUnits, backend };
  if (trainSubset > 0) params.trainLimit = trainSubset;
  if (testSubset > 0) params.testLimit = testSubset;
  const settings: TrainingSettings = { params, allowDownload: downloadValue === true };
  if (dataDirectory !== undefined) settings.dataDirectory = dataDirectory;
  return { ok: true, settings };
}

/**
 * The data folder as an absolute path: `~` is the home folder, `${workspaceFolder}` and relative paths
 * are taken from the first workspace folder. Undefined when a relative path has no workspace to resolve
 * against (the caller says so rather than guessing).
 */
export function resolveDataDirectory(dir: string, home: string, workspaceFolder: string | undefined): string | undefined {
  let path = expandHome(dir, home);
  if (path.includes('${workspaceFolder}')) {
    if (workspaceFolder === undefined) return undefined;
    path = path.split('${workspaceFolder}').join(workspaceFolder);
  }
  if (isAbsolute(path)) return normalize(path);
  return workspaceFolder === undefined ? undefined : join(workspaceFolder, path);
}

/**
 * `fashionMnist.nativeBackendFolder` as an absolute path (`~` is the home folder). A value that cannot be
 * used is a problem to log, not a reason to refuse a run: the other search folders still apply.
 */
export function readNativeBackendFolder(value: unknown, home: string): { folder?: string; problem?: string } {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value !== 'string') {
    return { problem: t('The setting fashionMnist.nativeBackendFolder must be a folder path (text); it is ignored.') };
  }
  if (value.trim() === '') return {};
  const folder = resolveUserFolder(value, home);
  if (folder === undefined) {
    return { problem: t('The setting fashionMnist.nativeBackendFolder is "{0}", which is not an absolute path; it is ignored.', value) };
  }
  return { folder };
}
