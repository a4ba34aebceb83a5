/**
 * Reading a run history record back: a file is a record only when it says so (`format`, a version this
 * code reads) and every field passes its check (runRecordCheck.ts); anything else is foreign or damaged.
 */
import type { RunHistoryRecord } from '../../domain/runRecord';
import type { EpochMetrics } from '../../domain/metrics';
import { checkRunRecord } from './runRecordCheck';

/** Why `text` is not a record this version reads (a damaged one with the reason), or the record. The checks: runRecordCheck.ts. */
export const parseRunRecord = checkRunRecord;

/** The epoch whose weights the run's model holds: the best one when restored, else the last. */
export function heldMetrics(record: Pick<RunHistoryRecord, 'history' | 'outcome'>): EpochMetrics | undefined {
  const { outcome, history } = record;
  if (outcome.weights === 'best' && outcome.bestEpoch !== undefined) return history.find((m) => m.epoch === outcome.bestEpoch);
  return history[history.length - 1];
}
