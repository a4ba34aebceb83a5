/**
 * What the preview server hands the page about the fixture it shows (as JSON, with typed arrays as base64),
 * and how each side turns typed arrays into JSON and back. Used by the server (Node) and the fake host (browser).
 */
import type { EpochPredictions } from '../../src/domain/epochPredictions';
import type { FirstLayerSnapshot } from '../../src/domain/firstLayer';
import type { ConvFiltersSnapshot } from '../../src/domain/convInsight';
import type { EpochMetrics, OverfittingAnalysis } from '../../src/domain/metrics';
import type { DashboardState } from '../../src/protocol/webview';

export interface PreviewFixture {
  mode: string;
  locale: string;
  state: DashboardState;
  /** What `vscode.l10n.bundle` holds for the locale (none for English). */
  bundle?: Record<string, string>;
  history: EpochMetrics[];
  overfittingByEpoch: OverfittingAnalysis[];
  /** The state the midrun mode ends in. */
  finished?: DashboardState;
  epochs: EpochPredictions;
  firstLayer?: FirstLayerSnapshot;
  /** The conv mode's first-layer filters (its saliency answers carry feature maps). */
  convFilters?: ConvFiltersSnapshot;
}

const TYPED = { $u8: Uint8Array, $f32: Float32Array, $i8: Int8Array, $u16: Uint16Array } as const;
type TypedTag = keyof typeof TYPED;

function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** JSON with typed arrays as `{ $u8: base64 }` (and $f32, $i8, $u16). */
export function encodeTyped(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    for (const [tag, type] of Object.entries(TYPED)) {
      if (v instanceof type) return { [tag]: base64Of(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
    }
    return v;
  });
}

/** The value `encodeTyped` wrote, parsed already, with its typed arrays back. */
export function decodeTyped(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeTyped);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const tag = (Object.keys(TYPED) as TypedTag[]).find((t) => typeof record[t] === 'string');
  if (tag !== undefined) {
    const binary = atob(record[tag] as string);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return tag === '$u8' ? bytes : new TYPED[tag](bytes.buffer);
  }
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decodeTyped(v)]));
}
