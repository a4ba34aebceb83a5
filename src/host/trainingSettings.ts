/**
 * The `fashionMnist.*` settings as a training request, checked before a run starts. VS Code validates the
 * Settings UI against the manifest's schema, but settings.json accepts anything (it only underlines it), so
 * every value is checked again here and a bad one becomes a sentence naming the setting.
 *
 * No `vscode` import: the caller passes a getter, so the rules are unit-tested in plain Node. Every rule
 * comes from the schema in src/domain/hyperParameters.ts, which `contributes.configuration` in package.json
 * follows (a unit test compares them).
 */
import { expandHome } from '../core/userPath';
import { isAbsolute, join, normalize } from 'node:path';
import { homedir } from 'node:os';
import { defaultRunHistoryDir } from '../core/runs/historyLocation';
import { resolveUserFolder } from '../core/nativeBackend/nativeBackendFolders';
import { t } from '../core/text/l10n';
import { describeAllowed, fitsSpec, architectureProblems, dropoutProblem } from '../core/hyperParameters';
import {
  architectureFrom,
  BACKEND_CHOICES,
  DEFAULT_HYPER_PARAMETERS,
  dropoutList,
  HYPER_PARAMETER_SCHEMA,
  type HyperParameters,
  type ParameterName,
  type ParameterSpec,
} from '../domain/hyperParameters';
import { type EditableSetting, type SettingValue } from '../protocol/webview';
import { DEFAULT_KEPT_MODELS } from '../core/runs/runHistory';

export { BACKEND_CHOICES };

/** The parameters with a `fashionMnist.*` setting, as [parameter, setting key, spec]. */
export const SETTING_PARAMETERS: readonly [ParameterName, string, ParameterSpec][] = Object.entries(HYPER_PARAMETER_SCHEMA).flatMap(
  ([name, spec]) => ('setting' in spec && spec.setting !== undefined ? [[name as ParameterName, spec.setting, spec as ParameterSpec]] : []),
);

/**
 * The spec a setting is checked against. A parameter that is absent unless asked for (the image limits)
 * has a setting from 0, which means "all".
 */
export function settingSpec(key: string): ParameterSpec | undefined {
  const entry = SETTING_PARAMETERS.find(([, setting]) => setting === key);
  if (entry === undefined) return undefined;
  const spec = entry[2];
  return spec.kind === 'integer' && spec.optional ? { ...spec, min: 0, default: 0 } : spec;
}

/**
 * A run's parameters as the settings that ask for them, one per schema entry with a setting: what the Runs
 * view's re-run writes, so that reading the settings back gives the same parameters (an image limit that is
 * absent, "all", is the setting's 0).
 */
export function settingValuesOf(params: HyperParameters): [setting: string, value: SettingValue][] {
  const fields = params as unknown as Record<string, SettingValue | undefined>;
  return SETTING_PARAMETERS.map(([name, setting]) => {
    switch (name) {
      case 'hiddenLayers':
        return [setting, params.architecture.hiddenLayers.map((layer) => layer.units)];
      case 'dropout':
        return [setting, dropoutList(params.architecture)];
      case 'l2':
        return [setting, params.architecture.l2];
      default:
        return [setting, fields[name] ?? 0];
    }
  });
}

/** What the settings ask for, ready to become a `StartRequest` (the caller adds the folders and locale). */
export interface TrainingSettings {
  params: HyperParameters;
  /** The folder the user named (as written; the caller resolves `~` and relative paths); undefined = automatic. */
  dataDirectory?: string;
  allowDownload: boolean;
  /** The run history: the folder the user named (as written; empty = the per-user default) and how many models to keep. */
  runHistory: { directory?: string; keepModels: number };
}

/** How many runs keep their model at most (the latest ones; pinned runs always keep theirs). */
export const MAX_KEPT_MODELS = 100;

export type SettingsResult = { ok: true; settings: TrainingSettings } | { ok: false; problems: string[] };

function describeSetting(key: string, spec: ParameterSpec, value: unknown): string {
  return t('The setting fashionMnist.{0} is {1}; it must be {2}.', key, JSON.stringify(value) ?? String(value), describeAllowed(spec));
}

/**
 * A value for one of the settings the panel may change, or undefined when it does not fit. Used for
 * `setSetting` messages from the webview, which are never trusted.
 */
export function checkEditableValue(key: EditableSetting, value: unknown): SettingValue | undefined {
  const spec = settingSpec(key);
  if (spec === undefined || !fitsSpec(spec, value)) return undefined;
  return Array.isArray(value) ? value.slice() : (value as SettingValue);
}

/** The deprecated `hiddenUnits` setting (before hidden layers): honoured while hiddenLayers keeps its default. */
const LEGACY_HIDDEN_UNITS = 'hiddenUnits';

/**
 * Reads and checks every setting a run needs. `get(key)` returns the value someone set for
 * `fashionMnist.<key>`, undefined when nobody did: the schema's default (which the manifest repeats) applies.
 */
export function readTrainingSettings(get: (key: string) => unknown): SettingsResult {
  const problems: string[] = [];
  const values: Partial<Record<ParameterName, unknown>> = {};
  for (const [name, key] of SETTING_PARAMETERS) {
    const spec = settingSpec(key) as ParameterSpec;
    const value = get(key) ?? spec.default;
    if (fitsSpec(spec, value)) values[name] = value;
    else problems.push(describeSetting(key, spec, value));
  }

  let widths = (values.hiddenLayers ?? HYPER_PARAMETER_SCHEMA.hiddenLayers.default) as number[];
  const legacy = get(LEGACY_HIDDEN_UNITS);
  if (legacy !== undefined && JSON.stringify(widths) === JSON.stringify(HYPER_PARAMETER_SCHEMA.hiddenLayers.default)) {
    if (fitsSpec(HYPER_PARAMETER_SCHEMA.hiddenUnits, legacy)) widths = [legacy as number];
    else problems.push(describeSetting(LEGACY_HIDDEN_UNITS, HYPER_PARAMETER_SCHEMA.hiddenUnits, legacy));
  }
  const rates = (values.dropout ?? []) as number[];
  const l2 = (values.l2 ?? 0) as number;
  const dropoutMismatch = dropoutProblem(widths, rates);
  if (dropoutMismatch !== undefined) problems.push(t('The setting fashionMnist.dropout: {0}', dropoutMismatch));
  const architecture = architectureFrom(widths, rates, l2);
  if (dropoutMismatch === undefined && values.hiddenLayers !== undefined) problems.push(...architectureProblems(architecture));

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

  const historyValue = get('runHistoryDirectory') ?? '';
  if (typeof historyValue !== 'string') problems.push(t('The setting fashionMnist.runHistoryDirectory must be a folder path (text), or empty for the per-user default.'));
  const keepValue = get('keptModels') ?? DEFAULT_KEPT_MODELS;
  const keepSpec = { kind: 'integer', min: 0, max: MAX_KEPT_MODELS, default: DEFAULT_KEPT_MODELS } as const;
  if (!fitsSpec(keepSpec, keepValue)) problems.push(describeSetting('keptModels', keepSpec, keepValue));

  if (problems.length > 0) return { ok: false, problems };
  const params: HyperParameters = { ...DEFAULT_HYPER_PARAMETERS, architecture };
  const fields = params as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(values)) {
    if (name === 'hiddenLayers' || name === 'dropout' || name === 'l2') continue;
    // An image limit of 0 is "all": the parameter stays absent.
    if ((name === 'trainLimit' || name === 'testLimit') && value === 0) continue;
    fields[name] = value;
  }
  const runHistory: TrainingSettings['runHistory'] = { keepModels: keepValue as number };
  if (typeof historyValue === 'string' && historyValue.trim() !== '') runHistory.directory = historyValue.trim();
  const settings: TrainingSettings = { params, allowDownload: downloadValue === true, runHistory };
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
 * The run history folder the settings name, absolute: `~` is the home folder; empty is the per-user default
 * the CLI uses too. A relative path is taken from the home folder (the history is per user, not per workspace).
 */
export function runHistoryDirectory(settings: Pick<TrainingSettings, 'runHistory'>, home = homedir()): string {
  const named = settings.runHistory.directory;
  if (named === undefined) return defaultRunHistoryDir();
  let path = named;
  if (path === '~' || path.startsWith('~/') || path.startsWith('~\\')) path = home + path.slice(1);
  return isAbsolute(path) ? normalize(path) : join(home, path);
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
