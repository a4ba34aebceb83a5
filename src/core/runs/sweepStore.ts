/**
 * Sweep records in the run history: `<root>/sweeps/<id>.json`, one per sweep, written atomically after every
 * trial that ends, so a sweep cut short (Ctrl+C, a crash, a power cut) can be resumed from its record. A
 * record is read back only when it says so (format, version) and every field holds: its settings by the
 * run's own schema, its axes within the sweepable parameters and their bounds, its trials on the grid.
 */
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import { TrainerError } from '../errors';
import { READ_LIMITS, readRegularText, UnreadableFileError } from '../regularFile';
import { fitsSpec, normalizeHyperParameters } from '../hyperParameters';
import { t } from '../text/l10n';
import { writeFileAtomically } from './historyFiles';
import { newestStartFirst, newRunId, SWEEP_FOLDER } from './runHistory';
import { gridSize, MAX_GRID_POINTS } from './sweepGrid';
import { HYPER_PARAMETER_SCHEMA } from '../../domain/hyperParameters';
import {
  SWEEP_RECORD_FORMAT,
  SWEEP_RECORD_VERSION,
  SWEEPABLE_PARAMETERS,
  TRIAL_STATES,
  type SweepAxis,
  type SweepDefinition,
  type SweepRecord,
  type SweepTrial,
} from '../../domain/sweep';
import { errorMessage } from '../../domain/errors';

const ID_PATTERN = /^sweep-\d{8}-\d{6}-[0-9a-f]{4}$/;
const RECORD_EXTENSION = '.json';

/** A new sweep id for a sweep started at `date`: `sweep-` and a run-like stamp. */
export function newSweepId(date: Date): string {
  return `sweep-${newRunId(date)}`;
}

export function isSweepId(text: string): boolean {
  return ID_PATTERN.test(text);
}

function isAxis(value: unknown): value is SweepAxis {
  if (typeof value !== 'object' || value === null) return false;
  const axis = value as Record<string, unknown>;
  const parameter = axis.parameter as SweepAxis['parameter'];
  if (!SWEEPABLE_PARAMETERS.includes(parameter) || !Array.isArray(axis.values) || axis.values.length === 0) return false;
  return axis.values.every((item) => fitsSpec(HYPER_PARAMETER_SCHEMA[parameter], item));
}

function isDefinition(value: unknown): value is SweepDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as Record<string, unknown>;
  return (
    normalizeHyperParameters(d.base) !== undefined &&
    Array.isArray(d.axes) &&
    d.axes.every(isAxis) &&
    gridSize(d.axes as SweepAxis[]) <= MAX_GRID_POINTS &&
    (d.trials === undefined || (Number.isInteger(d.trials) && (d.trials as number) >= 1)) &&
    Number.isInteger(d.sampleSeed) &&
    typeof d.prune === 'boolean' &&
    (d.timeBudgetSeconds === undefined || (typeof d.timeBudgetSeconds === 'number' && d.timeBudgetSeconds > 0))
  );
}

function isTrial(value: unknown, axes: readonly SweepAxis[]): value is SweepTrial {
  if (typeof value !== 'object' || value === null) return false;
  const trial = value as Record<string, unknown>;
  return (
    Number.isInteger(trial.point) &&
    (trial.point as number) >= 0 &&
    (trial.point as number) < gridSize(axes) &&
    Array.isArray(trial.choice) &&
    trial.choice.length === axes.length &&
    trial.choice.every((index, a) => Number.isInteger(index) && index >= 0 && index < axes[a].values.length) &&
    TRIAL_STATES.includes(trial.state as SweepTrial['state']) &&
    (trial.runId === undefined || typeof trial.runId === 'string') &&
    (trial.error === undefined || typeof trial.error === 'string')
  );
}

/** The record in `text`, or why it is not one this version reads. */
export function parseSweepRecord(text: string): { record: SweepRecord } | { problem: 'json' | 'foreign' | 'version' | 'fields' } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'json' };
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { format?: unknown }).format !== SWEEP_RECORD_FORMAT) return { problem: 'foreign' };
  const raw = parsed as Record<string, unknown>;
  if (raw.version !== SWEEP_RECORD_VERSION) return { problem: 'version' };
  if (typeof raw.id !== 'string' || !isSweepId(raw.id) || typeof raw.startedAt !== 'string' || !isDefinition(raw.definition)) return { problem: 'fields' };
  const definition = raw.definition;
  if (!Array.isArray(raw.trials) || !raw.trials.every((trial) => isTrial(trial, definition.axes))) return { problem: 'fields' };
  const base = normalizeHyperParameters(definition.base)!;
  return { record: { ...(raw as unknown as SweepRecord), definition: { ...definition, base } } };
}

export class SweepStore {
  constructor(readonly root: string) {}

  private file(id: string): string {
    return join(this.root, SWEEP_FOLDER, id + RECORD_EXTENSION);
  }

  /** Writes (or replaces) a sweep's record atomically. */
  async save(record: SweepRecord): Promise<void> {
    try {
      await fsp.mkdir(join(this.root, SWEEP_FOLDER), { recursive: true });
      await writeFileAtomically(this.file(record.id), JSON.stringify(record));
    } catch (error) {
      const detail = errorMessage(error);
      throw new TrainerError('RUN_HISTORY', t('The sweep could not be written to the run history {0}: {1}', this.root, detail), this.file(record.id),
        t('Check the folder and the free disk space; the runs of its trials are kept apart from it.'));
    }
  }

  /** A sweep's record; a TrainerError saying what to do when there is no such sweep or it cannot be read. */
  async load(id: string): Promise<SweepRecord> {
    const advice = t('npm run runs lists each trial with its sweep id; use one of those.');
    if (!isSweepId(id)) throw new TrainerError('NO_RUN', t('{0} is not a sweep id (they look like sweep-20261206-121500-ab12).', id), undefined, advice);
    let text: string;
    try {
      // Bounded, regular files only: a pipe or a huge file where the record should be fails at once.
      text = await readRegularText(this.file(id), READ_LIMITS.runRecord);
    } catch (error) {
      if (error instanceof UnreadableFileError && error.reason !== 'missing') throw new TrainerError('NO_RUN', error.message, this.file(id), advice);
      throw new TrainerError('NO_RUN', t('There is no sweep {0} in the run history {1}.', id, this.root), this.file(id), advice);
    }
    const parsed = parseSweepRecord(text);
    if ('record' in parsed && parsed.record.id === id) return parsed.record;
    const message = 'problem' in parsed && parsed.problem === 'version'
      ? t('{0} was written by a newer version of the extension.', this.file(id))
      : t('{0} is damaged (not a complete sweep record).', this.file(id));
    throw new TrainerError('NO_RUN', message, this.file(id), advice);
  }

  /** The sweeps in the history, newest first; records that cannot be read are left out with a warning each. */
  async list(): Promise<{ sweeps: SweepRecord[]; warnings: string[] }> {
    let names: string[];
    try {
      names = await fsp.readdir(join(this.root, SWEEP_FOLDER));
    } catch {
      return { sweeps: [], warnings: [] };
    }
    const sweeps: SweepRecord[] = [];
    const warnings: string[] = [];
    for (const name of names.sort().reverse()) {
      const id = name.slice(0, -RECORD_EXTENSION.length);
      if (!name.endsWith(RECORD_EXTENSION) || !isSweepId(id)) continue;
      try {
        sweeps.push(await this.load(id));
      } catch (error) {
        warnings.push(errorMessage(error));
      }
    }
    return { sweeps: sweeps.sort(newestStartFirst), warnings };
  }
}

/** A new sweep's record: every trial pending, in run order. */
export function newSweepRecord(id: string, startedAt: Date, definition: SweepDefinition, points: readonly { point: number; choice: number[] }[]): SweepRecord {
  return {
    format: SWEEP_RECORD_FORMAT,
    version: SWEEP_RECORD_VERSION,
    id,
    startedAt: startedAt.toISOString(),
    definition,
    trials: points.map(({ point, choice }) => ({ point, choice, state: 'pending' })),
  };
}
