/**
 * Reading a run history record back: a file is a record only when it says so (`format`, a version this
 * code reads) and has the fields the history needs; anything else is foreign or damaged and is skipped.
 */
import { RUN_HISTORY_FORMAT, RUN_HISTORY_VERSION, type RunHistoryRecord } from '../../domain/runRecord';
import type { EpochMetrics, RunOutcome } from '../../domain/metrics';
import { normalizeHyperParameters } from '../hyperParameters';

const ENDS: readonly RunOutcome['end'][] = ['completed', 'earlyStopped', 'stopped', 'failed'];

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isEpoch(value: unknown): value is EpochMetrics {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return ['epoch', 'loss', 'accuracy', 'testLoss', 'testAccuracy', 'seconds'].every((key) => isNumber(m[key]));
}

function isOutcome(value: unknown): value is RunOutcome {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  return ENDS.includes(o.end as RunOutcome['end']) && isNumber(o.epochsRun) && (o.weights === 'best' || o.weights === 'last');
}

/** Why `text` is not a record this version reads, or the record. */
export function parseRunRecord(text: string): { record: RunHistoryRecord } | { problem: 'json' | 'foreign' | 'version' | 'fields' } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'json' };
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { format?: unknown }).format !== RUN_HISTORY_FORMAT) return { problem: 'foreign' };
  const raw = parsed as Record<string, unknown>;
  if (raw.version !== RUN_HISTORY_VERSION) return { problem: 'version' };
  const params = normalizeHyperParameters(raw.params);
  const valid =
    typeof raw.id === 'string' &&
    typeof raw.startedAt === 'string' &&
    isNumber(raw.durationSeconds) &&
    params !== undefined &&
    typeof raw.backend === 'string' &&
    typeof raw.tfjsVersion === 'string' &&
    typeof raw.dataChecksum === 'string' &&
    isNumber(raw.trainCount) &&
    isNumber(raw.validationCount) &&
    isNumber(raw.testCount) &&
    Array.isArray(raw.history) &&
    raw.history.every(isEpoch) &&
    isOutcome(raw.outcome) &&
    (raw.sweepId === undefined || typeof raw.sweepId === 'string');
  if (!valid) return { problem: 'fields' };
  return { record: { ...(raw as unknown as RunHistoryRecord), params } };
}

/** The epoch whose weights the run's model holds: the best one when restored, else the last. */
export function heldMetrics(record: Pick<RunHistoryRecord, 'history' | 'outcome'>): EpochMetrics | undefined {
  const { outcome, history } = record;
  if (outcome.weights === 'best' && outcome.bestEpoch !== undefined) return history.find((m) => m.epoch === outcome.bestEpoch);
  return history[history.length - 1];
}
