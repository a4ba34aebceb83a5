/**
 * Keeps the last run's results across a window reload or a restart: the dashboard state when a run
 * finished or was stopped, and the test images its prediction grid shows. A reload restarts the extension
 * host, so without this the revived panel would say "no run yet" while the trained model sits on disk.
 *
 * Files in the extension's global storage: `last-run/state.json` (the state, typed arrays as base64) and
 * `last-run/test-images.bin` (count x 784 bytes). Each is written to a temporary name and renamed, so a
 * crash mid-write leaves the previous snapshot or none, never half of one. No `vscode` import.
 */
import { writeFileAtomically } from '../core/atomicWrite';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PIXELS } from '../domain/classes';
import { type DashboardState } from '../protocol/webview';
import type { EpochPredictions } from '../domain/epochPredictions';

const STATE_FILE = 'state.json';
const IMAGES_FILE = 'test-images.bin';
/** The per-epoch predictions (bounded: at most MAX_HELD_EPOCHS × 110 KB of arrays, as base64 JSON). */
const EPOCHS_FILE = 'epoch-predictions.json';
/** Bumped when the snapshot's shape changes; an older snapshot is ignored rather than misread. */
const SNAPSHOT_VERSION = 1;

export interface RunSnapshot {
  state: DashboardState;
  testImages?: { images: Uint8Array; count: number };
  /** Analyses are not kept: the store recomputes them from the predictions. */
  epochPredictions?: Pick<EpochPredictions, 'count' | 'labels' | 'epochs' | 'predicted' | 'probabilities'>;
}

type TypedArrayName = 'Uint8Array' | 'Float32Array';
interface EncodedArray {
  $typed: TypedArrayName;
  base64: string;
}

function isEncodedArray(value: unknown): value is EncodedArray {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<EncodedArray>;
  return (candidate.$typed === 'Uint8Array' || candidate.$typed === 'Float32Array') && typeof candidate.base64 === 'string';
}

/** The state as JSON text; Uint8Array and Float32Array fields become base64 (JSON would write them as {"0":…}). */
export function encodeState(state: DashboardState): string {
  return encodeTyped({ version: SNAPSHOT_VERSION, state });
}

/** Any JSON-like value as text, typed arrays as base64. */
function encodeTyped(value: unknown): string {
  return JSON.stringify(value, (_key, value: unknown) => {
    if (value instanceof Uint8Array || value instanceof Float32Array) {
      const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      return { $typed: value instanceof Uint8Array ? 'Uint8Array' : 'Float32Array', base64: bytes.toString('base64') };
    }
    return value;
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
      return value.$typed === 'Uint8Array' ? copy : new Float32Array(copy.buffer, 0, Math.floor(copy.length / 4));
    });
  } catch {
    return undefined;
  }
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

export class LastRunStore {
  constructor(private readonly dir: string) {}

  /** Saves a finished or stopped run; the images file is written first, so a state never points at missing images. */
  async save(snapshot: RunSnapshot): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const imagesFile = join(this.dir, IMAGES_FILE);
    if (snapshot.testImages) {
      const { images, count } = snapshot.testImages;
      await writeFileAtomically(imagesFile, images.subarray(0, count * PIXELS));
    } else {
      await fs.rm(imagesFile, { force: true });
    }
    const epochsFile = join(this.dir, EPOCHS_FILE);
    if (snapshot.epochPredictions) {
      const { count, labels, epochs, predicted, probabilities } = snapshot.epochPredictions;
      await writeFileAtomically(epochsFile, encodeTyped({ version: SNAPSHOT_VERSION, epochs: { count, labels, epochs, predicted, probabilities } }));
    } else {
      await fs.rm(epochsFile, { force: true });
    }
    await writeFileAtomically(join(this.dir, STATE_FILE), encodeState(snapshot.state));
  }

  /** The saved run, or undefined when there is none or it cannot be read. Synchronous: small, and read once. */
  load(): RunSnapshot | undefined {
    const stateFile = join(this.dir, STATE_FILE);
    if (!existsSync(stateFile)) return undefined;
    let state: DashboardState | undefined;
    try {
      state = decodeState(readFileSync(stateFile, 'utf8'));
    } catch {
      return undefined;
    }
    if (!state) return undefined;
    const snapshot: RunSnapshot = { state };
    const imagesFile = join(this.dir, IMAGES_FILE);
    if (existsSync(imagesFile)) {
      try {
        const images = new Uint8Array(readFileSync(imagesFile));
        snapshot.testImages = { images, count: Math.floor(images.length / PIXELS) };
      } catch {
        // The grid shows no pictures then; the numbers are still right.
      }
    }
    const epochsFile = join(this.dir, EPOCHS_FILE);
    if (existsSync(epochsFile)) {
      try {
        snapshot.epochPredictions = decodeEpochPredictions(readFileSync(epochsFile, 'utf8'));
      } catch {
        // The epoch slider is not offered then; the final results still are.
      }
    }
    return snapshot;
  }

  /** Forgets the saved run (a new run has started: its results replace the old ones). */
  async clear(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
