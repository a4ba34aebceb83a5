/**
 * Checks every message the dashboard webview posts before the host acts on it. The webview runs web
 * content; whatever arrives is untrusted data until it has the exact shape of a `WebviewToHost` message:
 * a known `type`, values of the right type and in range. Anything else is dropped (the caller logs it).
 *
 * No `vscode` import, so every branch is unit-tested in plain Node.
 */
import { BARE_INTENTS, EDITABLE_SETTINGS, EXPORTABLE_CHARTS, isOneOf, type EditableSetting, type SettingValue, type WebviewToHost } from '../protocol/webview';
import { checkEditableValue } from './trainingSettings';
import { MAX_VIEW_ALTERNATIVES, MAX_VIEW_PARALLEL, SWEEP_VIEW_AXES, type SweepViewAxis } from '../protocol/sweepView';
import { TEST_IMAGES } from '../domain/classes';

/**
 * The grid shows 100 tiles a page and a confusion cell holds at most a class's 1,000 images; a larger
 * request is not something the dashboard sends, so it is refused rather than served (7.8 MB of pixels).
 */
export const MAX_REQUESTED_IMAGES = 1_000;

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseSetting(key: unknown, value: unknown): { key: EditableSetting; value: SettingValue } | undefined {
  if (!isOneOf(EDITABLE_SETTINGS, key)) return undefined;
  const checked = checkEditableValue(key, value);
  return checked === undefined ? undefined : { key, value: checked };
}

function parseIndices(value: unknown): number[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_REQUESTED_IMAGES) return undefined;
  const indices: number[] = [];
  for (const item of value) {
    if (typeof item !== 'number' || !Number.isInteger(item) || item < 0 || item >= TEST_IMAGES) return undefined;
    indices.push(item);
  }
  return indices;
}

/** The message as a typed `WebviewToHost`, or undefined when it is not one exactly. Returns fresh objects. */
export function parseWebviewMessage(message: unknown): WebviewToHost | undefined {
  if (!isFields(message) || typeof message.type !== 'string') return undefined;
  const type = message.type;
  if (isOneOf(BARE_INTENTS, type)) return { type };
  switch (type) {
    case 'setSetting': {
      const setting = parseSetting(message.key, message.value);
      return setting === undefined ? undefined : { type, ...setting };
    }
    case 'setSettings': {
      if (!Array.isArray(message.values) || message.values.length === 0 || message.values.length > EDITABLE_SETTINGS.length) return undefined;
      const values: { key: EditableSetting; value: SettingValue }[] = [];
      for (const item of message.values) {
        const setting = isFields(item) ? parseSetting(item.key, item.value) : undefined;
        if (setting === undefined) return undefined;
        values.push(setting);
      }
      return { type, values };
    }
    case 'requestImages': {
      const indices = parseIndices(message.indices);
      return indices === undefined ? undefined : { type, indices };
    }
    case 'requestSaliency': {
      const target = message.target;
      if (!isFields(target)) return undefined;
      if (target.kind === 'test' && typeof target.index === 'number' && Number.isInteger(target.index) && target.index >= 0 && target.index < TEST_IMAGES) {
        return { type, target: { kind: 'test', index: target.index } };
      }
      if (target.kind === 'file' && typeof target.file === 'string' && target.file.length > 0 && target.file.length < 4096) return { type, target: { kind: 'file', file: target.file } };
      return undefined;
    }
    case 'setPin': {
      const index = message.index;
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= TEST_IMAGES) return undefined;
      return typeof message.pinned === 'boolean' ? { type, index, pinned: message.pinned } : undefined;
    }
    case 'setFilePin': {
      const file = message.file;
      if (typeof file !== 'string' || file.length === 0 || file.length >= 4096) return undefined;
      return typeof message.pinned === 'boolean' ? { type, file, pinned: message.pinned } : undefined;
    }
    case 'exportChart': {
      const chart = message.chart;
      return isOneOf(EXPORTABLE_CHARTS, chart) ? { type, chart } : undefined;
    }
    case 'startSweep': {
      const axes = parseSweepAxes(message.axes);
      const parallel = message.parallel;
      if (axes === undefined || typeof message.prune !== 'boolean' || typeof parallel !== 'number' || !Number.isInteger(parallel) || parallel < 1 || parallel > MAX_VIEW_PARALLEL) return undefined;
      return { type, axes, prune: message.prune, parallel };
    }
    case 'openRuns': {
      const ids = message.ids;
      if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100) return undefined;
      if (!ids.every((id): id is string => typeof id === 'string' && /^[\w-]{1,100}$/.test(id))) return undefined;
      return { type, ids: [...ids] };
    }
    default:
      return undefined;
  }
}

/** The Sweep view's axes: known settings, each once, each with 1 to MAX_VIEW_ALTERNATIVES finite numbers. */
function parseSweepAxes(value: unknown): { parameter: SweepViewAxis; values: number[] }[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > SWEEP_VIEW_AXES.length) return undefined;
  const axes: { parameter: SweepViewAxis; values: number[] }[] = [];
  for (const item of value) {
    if (!isFields(item) || !isOneOf(SWEEP_VIEW_AXES, item.parameter) || axes.some((axis) => axis.parameter === item.parameter)) return undefined;
    const values = item.values;
    if (!Array.isArray(values) || values.length === 0 || values.length > MAX_VIEW_ALTERNATIVES) return undefined;
    if (!values.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) return undefined;
    axes.push({ parameter: item.parameter, values: [...values] });
  }
  return axes;
}

