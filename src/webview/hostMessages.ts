/**
 * Checks what arrives through `window.onmessage` before the dashboard uses it. The host is trusted, but a
 * message may come from an older host version, and typed arrays may arrive as typed arrays, plain arrays or
 * JSON-serialised objects ({"0":1,"1":2,…}) depending on how VS Code transported them. Anything that does
 * not fit is dropped (the caller logs it) rather than half-rendered.
 */
import type { BatchProgress, EpochMetrics, OverfittingAnalysis, Predictions } from '../domain/metrics';
import type { ClassificationResult, ClassificationWarning } from '../domain/classification';
import type { EpochAnalysis, EpochPredictions } from '../domain/epochPredictions';
import type { FirstLayerSnapshot } from '../domain/firstLayer';
import type { ConvFiltersSnapshot, FeatureMapBlock, FeatureMaps } from '../domain/convInsight';
import { NUM_CLASSES, PIXELS } from '../domain/classes';
import { DASHBOARD_CELLS, isOneOf, RUN_STATUSES, type DashboardState, type FollowedFile, type HostToWebview } from '../protocol/webview';
import { SWEEP_VIEW_AXES, SWEEP_VIEW_PHASES } from '../protocol/sweepView';

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);
const isString = (v: unknown): v is string => typeof v === 'string';


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
  const count = Math.min(v.count, predicted.length, labels.length, Math.floor(probabilities.length / NUM_CLASSES));
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

/** Followed files as the host sends them: a path, epochs in order, and ten probabilities per epoch. */
function normalizeFollowed(v: unknown): FollowedFile[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.flatMap((f): FollowedFile[] => {
    if (!isObject(f) || !isString(f.file) || !Array.isArray(f.epochs) || !Array.isArray(f.probabilities)) return [];
    const epochs = f.epochs.filter((e): e is number => Number.isInteger(e) && (e as number) > 0);
    const probabilities = f.probabilities.filter((row): row is number[] => Array.isArray(row) && row.length === NUM_CLASSES && row.every(isNumber));
    return epochs.length === f.epochs.length && probabilities.length === epochs.length ? [{ file: f.file, epochs, probabilities }] : [];
  });
}

function normalizeState(v: unknown): DashboardState | undefined {
  if (!isObject(v) || !isOneOf(RUN_STATUSES, v.status) || !isObject(v.params) || !Array.isArray(v.history)) return undefined;
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
  if (v.followedFiles !== undefined) state.followedFiles = normalizeFollowed(v.followedFiles);
  if (v.error !== undefined && !(isObject(v.error) && isString(v.error.message))) state.error = undefined;
  if (v.sweep !== undefined && !validSweep(v.sweep)) state.sweep = undefined;
  return state;
}

/** The Sweep view's state: a known phase, its axes and trials with numbers where numbers belong. */
function validSweep(v: unknown): boolean {
  if (!isObject(v) || !isOneOf(SWEEP_VIEW_PHASES, v.phase) || !isObject(v.current) || !Array.isArray(v.axes) || !Array.isArray(v.trials)) return false;
  const axes = v.axes.length;
  if (!v.axes.every((axis) => isObject(axis) && isOneOf(SWEEP_VIEW_AXES, axis.parameter) && Array.isArray(axis.values) && axis.values.every(isNumber))) return false;
  if (!SWEEP_VIEW_AXES.every((axis) => isNumber((v.current as Record<string, unknown>)[axis]))) return false;
  return v.trials.every((row) => isObject(row) && isNumber(row.number) && isNumber(row.epoch) && isNumber(row.epochs) && isString(row.state) && Array.isArray(row.values) && row.values.length === axes && row.values.every(isNumber));
}

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isMatrix = (v: unknown): v is number[][] => Array.isArray(v) && v.length === NUM_CLASSES && v.every((row) => Array.isArray(row) && row.length === NUM_CLASSES && row.every(isCount));

function validAnalysis(v: unknown): v is EpochAnalysis {
  return (
    isObject(v) &&
    ['epoch', 'accuracy', 'learned', 'forgotten', 'misclassified'].every((k) => isNumber(v[k])) &&
    isMatrix(v.confusion) &&
    Array.isArray(v.perClassAccuracy) &&
    v.perClassAccuracy.every(isNumber) &&
    Array.isArray(v.confusedPairs) &&
    v.confusedPairs.every((p) => isObject(p) && isCount(p.trueClass) && isCount(p.predicted) && isCount(p.count))
  );
}

/** The per-epoch predictions with consistent sizes, or undefined. */
function normalizeEpochPredictions(v: unknown): EpochPredictions | undefined {
  if (!isObject(v) || !isCount(v.count) || !Array.isArray(v.epochs) || !v.epochs.every(isCount)) return undefined;
  const labels = toUint8(v.labels);
  const predicted = toUint8(v.predicted);
  const probabilities = toUint8(v.probabilities);
  const analyses = Array.isArray(v.analyses) ? v.analyses : [];
  const n = v.epochs.length;
  if (!labels || !predicted || !probabilities || labels.length < v.count) return undefined;
  if (predicted.length !== n * v.count || probabilities.length !== n * v.count * NUM_CLASSES) return undefined;
  if (analyses.length !== n || !analyses.every(validAnalysis)) return undefined;
  return { count: v.count, labels, epochs: v.epochs, predicted, probabilities, analyses };
}

/** The first layer's snapshot with consistent sizes, or undefined. */
function normalizeFirstLayer(v: unknown): FirstLayerSnapshot | undefined {
  if (!isObject(v) || !isCount(v.units) || !isCount(v.nextUnits) || !isCount(v.topK) || !isNumber(v.epoch)) return undefined;
  const weights = numbersFrom(v.weights);
  const unitScale = toFloat32(v.unitScale);
  const next = toFloat32(v.next);
  const topImages = numbersFrom(v.topImages);
  if (!weights || !unitScale || !next || !topImages) return undefined;
  const { units, nextUnits, topK } = v;
  if (weights.length !== PIXELS * units || unitScale.length !== units || next.length !== units * nextUnits || topImages.length !== units * topK) return undefined;
  return {
    epoch: v.epoch,
    units,
    weights: weights instanceof Int8Array ? weights : Int8Array.from(weights),
    unitScale,
    next,
    nextUnits,
    nextIsClasses: v.nextIsClasses === true,
    topImages: topImages instanceof Uint16Array ? topImages : Uint16Array.from(topImages),
    topK,
  };
}

/** A conv network's first-layer filters with consistent sizes, or undefined. */
function normalizeConvFilters(v: unknown): ConvFiltersSnapshot | undefined {
  if (!isObject(v) || !isCount(v.kernelSize) || !isCount(v.filters) || !isNumber(v.epoch)) return undefined;
  const [weights, scale, bias] = [toFloat32(v.weights), toFloat32(v.scale), toFloat32(v.bias)];
  const { kernelSize, filters } = v;
  if (!weights || !scale || !bias || weights.length !== filters * kernelSize * kernelSize || scale.length !== filters || bias.length !== filters) return undefined;
  return { epoch: v.epoch, kernelSize, filters, weights, scale, bias };
}

/** A picture's feature maps with consistent sizes (every block whole), or undefined. */
function normalizeFeatureMaps(v: unknown): FeatureMaps | undefined {
  if (!isObject(v) || !Array.isArray(v.blocks)) return undefined;
  const blocks: FeatureMapBlock[] = [];
  for (const block of v.blocks as unknown[]) {
    if (!isObject(block) || !isCount(block.side) || !isCount(block.filters)) return undefined;
    const [values, scale] = [toUint8(block.values), toFloat32(block.scale)];
    if (!values || !scale || values.length !== block.filters * block.side * block.side || scale.length !== block.filters) return undefined;
    blocks.push({ side: block.side, filters: block.filters, values, scale });
  }
  return { blocks };
}

/** A translation bundle: English text -> translation; entries that are not text are dropped. */
function normalizeBundle(v: unknown): Record<string, string> | undefined {
  if (!isObject(v)) return undefined;
  return Object.fromEntries(Object.entries(v).filter((entry): entry is [string, string] => isString(entry[1])));
}

/** The message in a shape the dashboard can use, or undefined when it is not a host message we know. */
export function parseHostMessage(raw: unknown): HostToWebview | undefined {
  if (!isObject(raw) || !isString(raw.type)) return undefined;
  switch (raw.type) {
    case 'l10n': {
      const bundle = normalizeBundle(raw.bundle);
      return { type: 'l10n', locale: isString(raw.locale) ? raw.locale : 'en', ...(bundle ? { bundle } : {}) };
    }
    case 'state': {
      const state = normalizeState(raw.state);
      return state ? { type: 'state', state } : undefined;
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
      if (!indices || !pixels || pixels.length !== indices.length * PIXELS) return undefined;
      return { type: 'images', indices: Array.from(indices), pixels };
    }
    case 'classification': {
      const results = normalizeClassifications(raw.results);
      return results ? { type: 'classification', results } : undefined;
    }
    case 'firstLayer': {
      const layer = raw.layer === undefined || raw.layer === null ? undefined : normalizeFirstLayer(raw.layer);
      const filters = raw.filters === undefined || raw.filters === null ? undefined : normalizeConvFilters(raw.filters);
      if ((layer === undefined && raw.layer !== undefined && raw.layer !== null) || (filters === undefined && raw.filters !== undefined && raw.filters !== null)) return undefined;
      return filters ? { type: 'firstLayer', layer, filters } : { type: 'firstLayer', layer };
    }
    case 'saliency': {
      const target = isObject(raw.target) ? raw.target : undefined;
      const parsed = target?.kind === 'test' && isCount(target.index) ? { kind: 'test' as const, index: target.index } : target?.kind === 'file' && isString(target.file) ? { kind: 'file' as const, file: target.file } : undefined;
      if (!parsed) return undefined;
      const map = isObject(raw.saliency) ? raw.saliency : undefined;
      const values = map ? toFloat32(map.values) : undefined;
      if (map && values && values.length === PIXELS && isCount(map.predicted) && isNumber(map.probability) && isNumber(map.scale)) {
        const saliency = { predicted: map.predicted, probability: map.probability, values, scale: map.scale };
        const featureMaps = normalizeFeatureMaps(raw.featureMaps);
        return featureMaps ? { type: 'saliency', target: parsed, saliency, featureMaps } : { type: 'saliency', target: parsed, saliency };
      }
      const error = isObject(raw.error) && isString(raw.error.message) ? { code: isString(raw.error.code) ? raw.error.code : 'INTERNAL', message: raw.error.message } : { code: 'INTERNAL', message: '' };
      return { type: 'saliency', target: parsed, error: error as import('../domain/errors').UserError };
    }
    case 'followedFiles': {
      const files = normalizeFollowed(raw.files);
      return files ? { type: 'followedFiles', files } : undefined;
    }
    case 'pins': {
      const pins = numbersFrom(raw.pins);
      return pins && Array.from(pins).every((n) => Number.isInteger(n) && n >= 0) ? { type: 'pins', pins: Array.from(pins) } : undefined;
    }
    case 'epochPredictions': {
      if (raw.data === undefined || raw.data === null) return { type: 'epochPredictions', replace: true, data: undefined };
      const data = normalizeEpochPredictions(raw.data);
      return data ? { type: 'epochPredictions', replace: raw.replace === true, data } : undefined;
    }
    case 'reveal':
      return isOneOf(DASHBOARD_CELLS, raw.cell) ? { type: 'reveal', cell: raw.cell } : undefined;
    default:
      return undefined;
  }
}
