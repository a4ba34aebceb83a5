/**
 * A run's dashboard as it ended: the dashboard state when a run finished or was stopped, which test images its
 * prediction grid shows, and its predictions after every epoch (the epoch slider). Kept twice:
 * - the last run, in the extension's global storage (`last-run/`), across a window reload or a restart (a
 *   reload restarts the extension host; without it the revived panel would say "no run yet");
 * - each run of the run history that keeps its model (`<run>/dashboard/`), so a past run opens whole.
 *
 * Files: `state.json` (the state, typed arrays as base64), `test-images.json` (the checksum of the run's data
 * and how many test images it used: the images themselves are read again from the data, not copied into every
 * run; `test-images.bin`, count x 784 bytes, only when the data's checksum is unknown, and from before 0.2)
 * `epoch-predictions.json`, and the first layer's pictures: `first-layer.json` (a Dense layer over the pixels) or
 * `conv-filters.json` (a conv network's first Conv2D filters; a snapshot from before conv networks has none). Each is written atomically, so a crash mid-write leaves the previous snapshot or
 * none, never half of one.
 */
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { PIXELS } from '../../domain/classes';
import type { EpochPredictions } from '../../domain/epochPredictions';
import { PIXELS as INPUTS } from '../../domain/classes';
import type { FirstLayerSnapshot } from '../../domain/firstLayer';
import type { ConvFiltersSnapshot } from '../../domain/convInsight';
import { type DashboardState } from '../../protocol/webview';
import { writeFileAtomically } from '../atomicWrite';
import { READ_LIMITS, readRegularFileSync, readRegularTextSync } from '../regularFile';
import { removeOwnEntries } from './historyFiles';
import type { TestSetReference } from '../data/publishedTestImages';

const STATE_FILE = 'state.json';
const IMAGES_FILE = 'test-images.bin';
/** Which test images the run showed, by its data's checksum (see core/data/publishedTestImages.ts). */
const TEST_SET_FILE = 'test-images.json';
/** The per-epoch predictions (bounded: at most MAX_HELD_EPOCHS × 110 KB of arrays, as base64 JSON). */
const EPOCHS_FILE = 'epoch-predictions.json';
/** The first layer's weights after the last epoch (about 100 KB for 128 units). */
const FIRST_LAYER_FILE = 'first-layer.json';
/** A conv network's first Conv2D filters after the last epoch (a few KB). */
const CONV_FILTERS_FILE = 'conv-filters.json';
/** Every file a snapshot writes: what deleting one may remove (and nothing else in its folder). */
export const SNAPSHOT_FILES = [STATE_FILE, IMAGES_FILE, TEST_SET_FILE, EPOCHS_FILE, FIRST_LAYER_FILE, CONV_FILTERS_FILE] as const;
/** Bumped when the snapshot's shape changes; an older snapshot is ignored rather than misread. */
const SNAPSHOT_VERSION = 1;

export interface RunSnapshot {
  state: DashboardState;
  /** The test images, while they are in memory (kept on disk only when `testSet` cannot name them). */
  testImages?: { images: Uint8Array; count: number };
  /** Which test images the run showed: the first `count` of the data with this checksum. */
  testSet?: TestSetReference;
  /** Analyses are not kept: the store recomputes them from the predictions. */
  epochPredictions?: Pick<EpochPredictions, 'count' | 'labels' | 'epochs' | 'predicted' | 'probabilities'>;
  /** The first layer's weights after the last epoch, for its pictures. */
  firstLayer?: FirstLayerSnapshot;
  /** A conv network's first Conv2D filters after the last epoch, for their pictures. */
  convFilters?: ConvFiltersSnapshot;
}

/** The typed arrays a snapshot holds, by the name their encoding records. */
const TYPED_ARRAYS = { Uint8Array, Int8Array, Uint16Array, Float32Array } as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;
type SnapshotArray = InstanceType<(typeof TYPED_ARRAYS)[TypedArrayName]>;
interface EncodedArray {
  $typed: TypedArrayName;
  base64: string;
}

function isEncodedArray(value: unknown): value is EncodedArray {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<EncodedArray>;
  return typeof candidate.$typed === 'string' && Object.hasOwn(TYPED_ARRAYS, candidate.$typed) && typeof candidate.base64 === 'string';
}

function typedArrayName(value: unknown): TypedArrayName | undefined {
  return (Object.keys(TYPED_ARRAYS) as TypedArrayName[]).find((name) => value instanceof TYPED_ARRAYS[name]);
}

/** The state as JSON text; typed-array fields become base64 (JSON would write them as {"0":…}). */
export function encodeState(state: DashboardState): string {
  return encodeTyped({ version: SNAPSHOT_VERSION, state });
}

/** Any JSON-like value as text, typed arrays as base64. */
function encodeTyped(value: unknown): string {
  return JSON.stringify(value, (_key, value: unknown) => {
    const name = typedArrayName(value);
    if (name === undefined) return value;
    const array = value as SnapshotArray;
    return { $typed: name, base64: Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64') };
  });
}

/** The state from `encodeState`'s text, or undefined when it is not a snapshot this version can read. */
export function decodeState(text: string): DashboardState | undefined {
  const parsed = decodeTyped(text);
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { version, state } = parsed as { version?: unknown; state?: Partial<DashboardState> };
  if (version !== SNAPSHOT_VERSION || typeof state !== 'object' || state === null) return undefined;
  if (state.status !== 'finished' && state.status !== 'stopped') return undefined;
  if (!Array.isArray(state.history) || typeof state.params !== 'object') return undefined;
  return state as DashboardState;
}

/** `encodeTyped`'s text back, or undefined when it is not JSON. */
function decodeTyped(text: string): unknown {
  try {
    return JSON.parse(text, (_key, value: unknown) => {
      if (!isEncodedArray(value)) return value;
      const bytes = Buffer.from(value.base64, 'base64');
      // Copy into a fresh, aligned buffer: a Float32Array view needs a 4-byte aligned offset.
      const copy = new Uint8Array(bytes.length);
      copy.set(bytes);
      const Type = TYPED_ARRAYS[value.$typed];
      return new Type(copy.buffer, 0, Math.floor(copy.length / Type.BYTES_PER_ELEMENT));
    });
  } catch {
    return undefined;
  }
}

/** The first layer's weights from their file's text, or undefined when they are not well-formed. */
export function decodeFirstLayer(text: string): FirstLayerSnapshot | undefined {
  const parsed = decodeTyped(text) as { version?: unknown; layer?: Partial<FirstLayerSnapshot> } | undefined;
  const l = parsed?.layer;
  if (parsed?.version !== SNAPSHOT_VERSION || typeof l !== 'object' || l === null) return undefined;
  const { epoch, units, nextUnits, topK } = l;
  if (![epoch, units, nextUnits, topK].every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)) return undefined;
  const [u, next, k] = [units as number, nextUnits as number, topK as number];
  if (!(l.weights instanceof Int8Array && l.weights.length === INPUTS * u)) return undefined;
  if (!(l.unitScale instanceof Float32Array && l.unitScale.length === u)) return undefined;
  if (!(l.next instanceof Float32Array && l.next.length === u * next)) return undefined;
  if (!(l.topImages instanceof Uint16Array && l.topImages.length === u * k) || typeof l.nextIsClasses !== 'boolean') return undefined;
  return l as FirstLayerSnapshot;
}

/** A conv network's filters from their file's text, or undefined when they are not well-formed. */
export function decodeConvFilters(text: string): ConvFiltersSnapshot | undefined {
  const parsed = decodeTyped(text) as { version?: unknown; filters?: Partial<ConvFiltersSnapshot> } | undefined;
  const f = parsed?.filters;
  if (parsed?.version !== SNAPSHOT_VERSION || typeof f !== 'object' || f === null) return undefined;
  const { epoch, kernelSize, filters } = f;
  if (![epoch, kernelSize, filters].every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)) return undefined;
  const [k, count] = [kernelSize as number, filters as number];
  if (!(f.weights instanceof Float32Array && f.weights.length === count * k * k)) return undefined;
  if (!(f.scale instanceof Float32Array && f.scale.length === count && f.bias instanceof Float32Array && f.bias.length === count)) return undefined;
  return f as ConvFiltersSnapshot;
}

/** The per-epoch predictions from their file's text, or undefined when they are not well-formed. */
export function decodeEpochPredictions(text: string): RunSnapshot['epochPredictions'] {
  const parsed = decodeTyped(text) as { version?: unknown; epochs?: Partial<NonNullable<RunSnapshot['epochPredictions']>> } | undefined;
  const e = parsed?.epochs;
  if (parsed?.version !== SNAPSHOT_VERSION || typeof e !== 'object' || e === null) return undefined;
  if (typeof e.count !== 'number' || !Array.isArray(e.epochs) || !e.epochs.every((n) => Number.isInteger(n))) return undefined;
  if (!(e.labels instanceof Uint8Array && e.predicted instanceof Uint8Array && e.probabilities instanceof Uint8Array)) return undefined;
  return { count: e.count, epochs: e.epochs, labels: e.labels, predicted: e.predicted, probabilities: e.probabilities };
}

export class RunSnapshotStore {
  constructor(private readonly dir: string) {}

  /** Saves a finished or stopped run; the images' files are written first, so a state never points at missing images. */
  async save(snapshot: RunSnapshot): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const imagesFile = join(this.dir, IMAGES_FILE);
    const testSetFile = join(this.dir, TEST_SET_FILE);
    if (snapshot.testSet) {
      const { checksum, count } = snapshot.testSet;
      await writeFileAtomically(testSetFile, JSON.stringify({ version: SNAPSHOT_VERSION, checksum, count }));
      await fs.rm(imagesFile, { force: true });
    } else if (snapshot.testImages) {
      const { images, count } = snapshot.testImages;
      await writeFileAtomically(imagesFile, images.subarray(0, count * PIXELS));
      await fs.rm(testSetFile, { force: true });
    } else {
      await fs.rm(imagesFile, { force: true });
      await fs.rm(testSetFile, { force: true });
    }
    const epochsFile = join(this.dir, EPOCHS_FILE);
    if (snapshot.epochPredictions) {
      const { count, labels, epochs, predicted, probabilities } = snapshot.epochPredictions;
      await writeFileAtomically(epochsFile, encodeTyped({ version: SNAPSHOT_VERSION, epochs: { count, labels, epochs, predicted, probabilities } }));
    } else {
      await fs.rm(epochsFile, { force: true });
    }
    const layerFile = join(this.dir, FIRST_LAYER_FILE);
    if (snapshot.firstLayer) await writeFileAtomically(layerFile, encodeTyped({ version: SNAPSHOT_VERSION, layer: snapshot.firstLayer }));
    else await fs.rm(layerFile, { force: true });
    const filtersFile = join(this.dir, CONV_FILTERS_FILE);
    if (snapshot.convFilters) await writeFileAtomically(filtersFile, encodeTyped({ version: SNAPSHOT_VERSION, filters: snapshot.convFilters }));
    else await fs.rm(filtersFile, { force: true });
    await writeFileAtomically(join(this.dir, STATE_FILE), encodeState(snapshot.state));
  }

  /** The saved run, or undefined when there is none or it cannot be read. Synchronous: small, and read once. */
  load(): RunSnapshot | undefined {
    const stateFile = join(this.dir, STATE_FILE);
    if (!existsSync(stateFile)) return undefined;
    let state: DashboardState | undefined;
    try {
      state = decodeState(readRegularTextSync(stateFile, READ_LIMITS.snapshotFile));
    } catch {
      return undefined;
    }
    if (!state) return undefined;
    const snapshot: RunSnapshot = { state };
    const imagesFile = join(this.dir, IMAGES_FILE);
    if (existsSync(imagesFile)) {
      try {
        const images = new Uint8Array(readRegularFileSync(imagesFile, READ_LIMITS.snapshotFile));
        snapshot.testImages = { images, count: Math.floor(images.length / PIXELS) };
      } catch {
        // The grid shows no pictures then; the numbers are still right.
      }
    }
    const testSetFile = join(this.dir, TEST_SET_FILE);
    if (existsSync(testSetFile)) {
      try {
        const parsed = JSON.parse(readRegularTextSync(testSetFile, READ_LIMITS.snapshotFile)) as { version?: unknown; checksum?: unknown; count?: unknown };
        if (parsed.version === SNAPSHOT_VERSION && typeof parsed.checksum === 'string' && Number.isInteger(parsed.count) && (parsed.count as number) > 0) {
          snapshot.testSet = { checksum: parsed.checksum, count: parsed.count as number };
        }
      } catch {
        // The grid shows no pictures then; the numbers are still right.
      }
    }
    const epochsFile = join(this.dir, EPOCHS_FILE);
    if (existsSync(epochsFile)) {
      try {
        snapshot.epochPredictions = decodeEpochPredictions(readRegularTextSync(epochsFile, READ_LIMITS.snapshotFile));
      } catch {
        // The epoch slider is not offered then; the final results still are.
      }
    }
    const layerFile = join(this.dir, FIRST_LAYER_FILE);
    if (existsSync(layerFile)) {
      try {
        snapshot.firstLayer = decodeFirstLayer(readRegularTextSync(layerFile, READ_LIMITS.snapshotFile));
      } catch {
        // The first layer's pictures are not shown then.
      }
    }
    const filtersFile = join(this.dir, CONV_FILTERS_FILE);
    if (existsSync(filtersFile)) {
      try {
        const filters = decodeConvFilters(readRegularTextSync(filtersFile, READ_LIMITS.snapshotFile));
        if (filters) snapshot.convFilters = filters;
      } catch {
        // The filters' pictures are not shown then.
      }
    }
    return snapshot;
  }

  /** Forgets the saved run (a new run has started: its results replace the old ones); other files in its folder stay. */
  async clear(): Promise<void> {
    await removeOwnEntries(this.dir, SNAPSHOT_FILES);
  }
}
