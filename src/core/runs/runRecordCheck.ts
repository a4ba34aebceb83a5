/**
 * A run history record is data from outside: anyone can edit run.json. Before any code uses one, every field
 * the record type declares is checked here (type, range, length), and the fields are checked against each
 * other (as many epochs as the run says it ran, epochs numbered 1..n, a 10 x 10 confusion matrix that counts
 * at most the test images). What fails is a sentence naming the field, so the run is listed as damaged with
 * its reason instead of crashing a view (an epoch number of 1e9 once made `runs show` run out of memory).
 *
 * One home: RECORD_FIELDS has one check per field of RunHistoryRecord, and TypeScript refuses the table when
 * the record gains a field without a check (a `sweepId`, say: add `sweepId: optional(text(64))`). Parameters
 * (the architecture included: dense or conv layers) are checked by the hyper-parameter schema itself.
 */
import { NUM_CLASSES } from '../../domain/classes';
import { MONITOR_CHOICES, type BackendName } from '../../domain/hyperParameters';
import type { EpochMetrics, RunOutcome } from '../../domain/metrics';
import { RUN_HISTORY_FORMAT, RUN_HISTORY_VERSION, type RunHistoryRecord } from '../../domain/runRecord';
import { normalizeHyperParameters } from '../hyperParameters';
import { t } from '../text/l10n';

/** A check of one value: undefined when it is fine, else what is wrong (a phrase, localized). */
type Check = (value: unknown) => string | undefined;
interface FieldCheck {
  optional: boolean;
  check: Check;
}

const required = (check: Check): FieldCheck => ({ optional: false, check });
const optional = (check: Check): FieldCheck => ({ optional: true, check });

/** A run id: start time to the second (UTC) and a random suffix; its folder name in the history. Lists sort by the record's start time (newestStartFirst). */
export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{4}$/;
/** A sweep id (sweepStore.ts): `sweep-` and a run-like stamp. */
const SWEEP_ID_PATTERN = new RegExp(`^sweep-${RUN_ID_PATTERN.source.slice(1)}`);

const MAX_IMAGES = 70_000;
const MAX_EPOCHS = 100_000;

export const text =
  (maxLength: number, pattern?: RegExp): Check =>
  (value) =>
    typeof value !== 'string' ? t('is not text') : value.length > maxLength ? t('is longer than {0} characters', maxLength) : pattern !== undefined && !pattern.test(value) ? t('is not in the expected form') : undefined;

export const number =
  (min: number, max: number, integer = false): Check =>
  (value) =>
    typeof value !== 'number' || !Number.isFinite(value)
      ? t('is not a number')
      : integer && !Number.isInteger(value)
        ? t('is not a whole number')
        : value < min || value > max
          ? t('is {0}, outside {1} to {2}', value, min, max)
          : undefined;

export const oneOf =
  (values: readonly string[]): Check =>
  (value) =>
    typeof value === 'string' && values.includes(value) ? undefined : t('is not one of {0}', values.join(', '));

const date: Check = (value) => text(40)(value) ?? (Number.isNaN(Date.parse(value as string)) ? t('is not a date') : undefined);

/** A list of at most `maxLength` items, each passing `item`; the first bad item is named by its position. */
export const list =
  (item: Check, maxLength: number, exactLength?: number): Check =>
  (value) => {
    if (!Array.isArray(value)) return t('is not a list');
    if (value.length > maxLength || (exactLength !== undefined && value.length !== exactLength)) return t('has {0} items', value.length);
    for (let i = 0; i < value.length; i++) {
      const problem = item(value[i]);
      if (problem !== undefined) return t('item {0} {1}', i + 1, problem);
    }
    return undefined;
  };

/** An object whose fields each pass their check (fields not listed are ignored). */
export const object =
  (fields: Record<string, FieldCheck>): Check =>
  (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return t('is not an object');
    for (const [name, { optional: isOptional, check }] of Object.entries(fields)) {
      const field = (value as Record<string, unknown>)[name];
      if (field === undefined) {
        if (isOptional) continue;
        return t('has no {0}', name);
      }
      const problem = check(field);
      if (problem !== undefined) return `${name} ${problem}`;
    }
    return undefined;
  };

const fraction = number(0, 1);
const loss = number(0, Number.MAX_VALUE);

const EPOCH_FIELDS: { [K in keyof EpochMetrics]-?: FieldCheck } = {
  epoch: required(number(1, MAX_EPOCHS, true)),
  loss: required(loss),
  accuracy: required(fraction),
  testLoss: required(loss),
  testAccuracy: required(fraction),
  valLoss: optional(loss),
  valAccuracy: optional(fraction),
  seconds: required(number(0, 1e9)),
  // Not written by the first records of this version.
  samplesPerSecond: optional(number(0, 1e12)),
};

const ENDS: Record<RunOutcome['end'], true> = { completed: true, earlyStopped: true, stopped: true, failed: true };
const OUTCOME_FIELDS: { [K in keyof RunOutcome]-?: FieldCheck } = {
  end: required(oneOf(Object.keys(ENDS))),
  epochsRun: required(number(0, MAX_EPOCHS, true)),
  monitor: optional(oneOf(MONITOR_CHOICES)),
  monitoredOn: optional(oneOf(['validation', 'test'])),
  bestEpoch: optional(number(1, MAX_EPOCHS, true)),
  weights: required(oneOf(['best', 'last'])),
  patience: optional(number(0, MAX_EPOCHS, true)),
};

const BACKENDS: Record<BackendName, true> = { tensorflow: true, wasm: true, cpu: true };

/** The parameters as the hyper-parameter schema reads them; a field present but outside its bounds is a problem, not a default. */
const params: Check = (value) => {
  const normalized = normalizeHyperParameters(value);
  if (normalized === undefined) return t('are not training parameters');
  const raw = value as Record<string, unknown>;
  const differing = Object.keys(normalized).find((key) => raw[key] !== undefined && JSON.stringify(raw[key]) !== JSON.stringify((normalized as unknown as Record<string, unknown>)[key]));
  return differing === undefined ? undefined : t('{0} is outside what the settings allow', differing);
};

/** One check per field the record declares; `satisfies` makes a new field of RunHistoryRecord a compile error here until it has one. */
export const RECORD_FIELDS = {
  format: required(oneOf([RUN_HISTORY_FORMAT])),
  version: required(number(RUN_HISTORY_VERSION, RUN_HISTORY_VERSION, true)),
  id: required(text(32, RUN_ID_PATTERN)),
  startedAt: required(date),
  durationSeconds: required(number(0, 1e9)),
  params: required(params),
  backend: required(oneOf(Object.keys(BACKENDS))),
  tfjsVersion: required(text(32, /^[\w.+-]+$/)),
  dataChecksum: required(text(256)),
  trainCount: required(number(0, MAX_IMAGES, true)),
  validationCount: required(number(0, MAX_IMAGES, true)),
  testCount: required(number(0, MAX_IMAGES, true)),
  history: required(list(object(EPOCH_FIELDS), MAX_EPOCHS)),
  outcome: required(object(OUTCOME_FIELDS)),
  confusion: optional(list(list(number(0, MAX_IMAGES, true), NUM_CLASSES, NUM_CLASSES), NUM_CLASSES, NUM_CLASSES)),
  perClassAccuracy: optional(list(fraction, NUM_CLASSES, NUM_CLASSES)),
  sweepId: optional(text(40, SWEEP_ID_PATTERN)),
} satisfies { [K in keyof RunHistoryRecord]-?: FieldCheck };

/** What ties the fields together, once each is well formed. */
function consistency(record: RunHistoryRecord): string | undefined {
  const { history, outcome, params: p } = record;
  if (history.length !== outcome.epochsRun) return t('outcome.epochsRun is {0} but the history holds {1} epochs', outcome.epochsRun, history.length);
  if (outcome.epochsRun > p.epochs) return t('{0} epochs ran of the {1} asked for', outcome.epochsRun, p.epochs);
  const misnumbered = history.findIndex((m, i) => m.epoch !== i + 1);
  if (misnumbered >= 0) return t('history item {0} is numbered epoch {1}', misnumbered + 1, history[misnumbered].epoch);
  if (outcome.bestEpoch !== undefined && outcome.bestEpoch > history.length) return t('outcome.bestEpoch is {0}, after the last epoch', outcome.bestEpoch);
  const counted = record.confusion?.flat().reduce((sum, n) => sum + n, 0);
  if (counted !== undefined && counted > record.testCount) return t('the confusion matrix counts {0} images of {1}', counted, record.testCount);
  return undefined;
}

export type RecordProblem = { problem: 'json' | 'foreign' | 'version' } | { problem: 'fields'; reason: string };

/** The record in `text`, or why it is not one this version reads (for a damaged one, the first field that is wrong). */
export function checkRunRecord(text: string): { record: RunHistoryRecord } | RecordProblem {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'json' };
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { format?: unknown }).format !== RUN_HISTORY_FORMAT) return { problem: 'foreign' };
  if ((parsed as { version?: unknown }).version !== RUN_HISTORY_VERSION) return { problem: 'version' };
  const problem = object(RECORD_FIELDS)(parsed);
  if (problem !== undefined) return { problem: 'fields', reason: problem };
  const raw = parsed as RunHistoryRecord;
  const record: RunHistoryRecord = { ...raw, params: normalizeHyperParameters(raw.params) ?? raw.params };
  const inconsistent = consistency(record);
  return inconsistent === undefined ? { record } : { problem: 'fields', reason: inconsistent };
}
