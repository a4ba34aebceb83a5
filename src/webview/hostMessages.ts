/**
 * Checks what arrives through `window.onmessage` before the dashboard uses it. The host is trusted, but a
 * message may come from an older host version, and typed arrays may arrive as typed arrays, plain arrays or
 * JSON-serialised objects ({"0":1,"1":2,…}) depending on how VS Code transported them. Anything that does
 * not fit is dropped (the caller logs it) rather than half-rendered.
 */
import type { BatchProgress, EpochMetrics, OverfittingAnalysis, Predictions } from '../domain/metrics';
import type { ClassificationResult, ClassificationWarning } from '../domain/classification';
import type { DashboardCell, DashboardState, HostToWebview, RunStatus } from '../protocol/webview';

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);
const isString = (v: unknown): v is string => typeof v === 'string';

const STATUSES: readonly RunStatus[] = ['idle', 'loading', 'training', 'finished', 'stopped', 'error'];
const CELLS: readonly DashboardCell[] = ['data', 'preprocess', 'model', 'train', 'evaluate', 'predict', 'confusion', 'classify'];

/** Plain numbers from a typed array, an array, or a JSON-serialised typed array; undefined if none fit. */
function numbersFrom(v: unknown): ArrayLike<number> | undefined {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return v as unknown as ArrayLike<number>;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (Array.isArray(v)) return v.every(isNumber) ? v : undefined;
  if (isObject(v)) {
    // {"0":…,"1":…} from JSON.stringify of a typed array; also {type:'Buffer', data:[…]}.
    if (Array.isArray(v.data)) return numbersFrom(v.data);
    const keys = Object.keys(v);
    if (keys.length === 0) return [];
    const out = new Array<number>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const value = v[String(i)];
      if (!isNumber(value)) return undefined;
      out[i] = value;
    }
    return out;
  }
  return undefined;
}

export function toUint8(v: unknown): Uint8Array | undefined {
  if (v instanceof Uint8Array) return v;
  const numbers = numbersFrom(v);
  return numbers ? Uint8Array.from(numbers as ArrayLike<number>) : undefined;
}

export function toFloat32(v: unknown): Float32Array | undefined {
  if (v instanceof Float32Array) return v;
  const numbers = numbersFrom(v);
  return numbers ? Float32Array.from(numbers as ArrayLike<number>) : undefined;
}

function validProgress(v: unknown): v is BatchProgress {
  return isObject(v) && ['epoch', 'epochs', 'batch', 'batchesPerEpoch', 'loss', 'accuracy', 'etaSeconds', 'samplesPerSecond'].every((k) => isNumber(v[k]));
}

function validMetrics(v: unknown): v is EpochMetrics {
  return isObject(v) && ['epoch', 'loss', 'accuracy', 'testLoss', 'testAccuracy', 'seconds'].every((k) => isNumber(v[k]));
}

function validOverfitting(v: unknown): v is OverfittingAnalysis {
  return isObject(v) && ['notEnoughData', 'generalising', 'overfitting'].includes(v.state as string) && Array.isArray(v.gapPoints);
}

function normalizePredictions(v: unknown): Predictions | undefined {
  if (!isObject(v) || !isNumber(v.count)) return undefined;
  const probabilities = toFloat32(v.probabilities);
  const predicted = toUint8(v.predicted);
  const labels = toUint8(v.labels);
  if (!probabilities || !predicted || !labels) return undefined;
  const count = Math.min(v.count, predicted.length, labels.length, Math.floor(probabilities.length / 10));
  return { probabilities, predicted, labels, count, predictMs: isNumber(v.predictMs) ? v.predictMs : 0 };
}

function normalizeClassification(v: unknown): ClassificationResult | undefined {
  if (!isObject(v) || !isString(v.file)) return undefined;
  if (v.ok === false) {
    return isObject(v.error) && isString(v.error.message) ? (v as unknown as ClassificationResult) : undefined;
  }
  const input = toUint8(v.input);
  const thumbnail = isObject(v.thumbnail) ? v.thumbnail : undefined;
  const rgba = thumbnail ? toUint8(thumbnail.rgba) : undefined;
  const probabilities = numbersFrom(v.probabilities);
  if (!input || !thumbnail || !rgba || !probabilities || !isNumber(v.predicted)) return undefined;
  if (!isNumber(thumbnail.width) || !isNumber(thumbnail.height)) return undefined;
  return {
    ok: true,
    file: v.file,
    probabilities: Array.from(probabilities),
    predicted: v.predicted,
    input,
    thumbnail: { width: thumbnail.width, height: thumbnail.height, rgba },
    inverted: v.inverted === true,
    warnings: Array.isArray(v.warnings) ? v.warnings.filter((w): w is ClassificationWarning => w === 'lowConfidence' || w === 'unlikeDataset' || w === 'softmaxApplied') : [],
  };
}

function normalizeClassifications(v: unknown): ClassificationResult[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.map(normalizeClassification).filter((r): r is ClassificationResult => r !== undefined);
}

function normalizeState(v: unknown): DashboardState | undefined {
  if (!isObject(v) || !STATUSES.includes(v.status as RunStatus) || !isObject(v.params) || !Array.isArray(v.history)) return undefined;
  const state = { ...v, history: v.history.filter(validMetrics) } as unknown as DashboardState;
  if (isObject(v.data)) {
    const sampleImages = toUint8(v.data.sampleImages);
    const sampleLabels = toUint8(v.data.sampleLabels);
    state.data = sampleImages && sampleLabels ? { ...(v.data as unknown as DashboardState['data'] & object), sampleImages, sampleLabels } : undefined;
  }
  if (v.predictions !== undefined) state.predictions = normalizePredictions(v.predictions);
  if (v.progress !== undefined && !validProgress(v.progress)) state.progress = undefined;
  if (v.overfitting !== undefined && !validOverfitting(v.overfitting)) state.overfitting = undefined;
  if (v.classifications !== undefined) state.classifications = normalizeClassifications(v.classifications);
  if (v.error !== undefined && !(isObject(v.error) && isString(v.error.message))) state.error = undefined;
  return state;
}

function normalizeStrings(v: unknown): Record<string, string> | undefined {
  if (!isObject(v)) return undefined;
  return Object.fromEntries(Object.entries(v).filter((entry): entry is [string, string] => isString(entry[1])));
}

/** The message in a shape the dashboard can use, or undefined when it is not a host message we know. */
export function parseHostMessage(raw: unknown): HostToWebview | undefined {
  if (!isObject(raw) || !isString(raw.type)) return undefined;
  switch (raw.type) {
    case 'state': {
      const state = normalizeState(raw.state);
      const strings = normalizeStrings(raw.strings);
      if (!state || !strings) return undefined;
      return { type: 'state', state, strings, locale: isString(raw.locale) ? raw.locale : 'en' };
    }
    case 'progress':
      return validProgress(raw.progress) ? { type: 'progress', progress: raw.progress } : undefined;
    case 'epoch':
      return validMetrics(raw.metrics) && validOverfitting(raw.overfitting)
        ? { type: 'epoch', metrics: raw.metrics, overfitting: raw.overfitting, ...(isNumber(raw.bestEpoch) ? { bestEpoch: raw.bestEpoch } : {}) }
        : undefined;
    case 'images': {
      const indices = numbersFrom(raw.indices);
      const pixels = toUint8(raw.pixels);
      if (!indices || !pixels || pixels.length !== indices.length * 784) return undefined;
      return { type: 'images', indices: Array.from(indices), pixels };
    }
    case 'classification': {
      const results = normalizeClassifications(raw.results);
      return results ? { type: 'classification', results } : undefined;
    }
    case 'reveal':
      return CELLS.includes(raw.cell as DashboardCell) ? { type: 'reveal', cell: raw.cell as DashboardCell } : undefined;
    default:
      return undefined;
  }
}
