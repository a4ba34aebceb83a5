/**
 * The per-user run history, shared by the CLI and the extension: one folder per run
 * (`<root>/<id>/run.json`, its model in `<id>/model/`, the dashboard as it ended in `<id>/dashboard/` for a
 * run trained in the extension (core/runs/runSnapshot.ts), a `pinned` marker file), written atomically, so
 * two windows or a terminal can write at the same time without a lock. Records are small and read on
 * demand (`list` keeps only summaries); models and dashboards are kept for the latest `keepModels` runs and for
 * pinned runs, older ones are deleted. A file in the folder that is not a run record is skipped with a
 * warning, never fatal; deleting a run deletes only the files the history wrote.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import type { RunHistoryRecord, RunSummary } from '../../domain/runRecord';
import { TrainerError } from '../errors';
import { t } from '../text/l10n';
import { MODEL_FILE, OWNER_FILE, RECORD_FILE, WEIGHTS_FILE } from '../modelFiles/layout';
import { isOwnModelFolder } from '../modelFiles/saveLeftovers';
import { INTERRUPTED_AFTER_MS, inspectRecordlessRun, removeInterruptedRun, type RecordlessRun, type RunFolderLayout } from './interruptedRuns';
import { removeOwnEntries, writeFileAtomically } from './historyFiles';
import { READ_LIMITS, readRegularText, UnreadableFileError } from '../regularFile';
import { heldMetrics, parseRunRecord } from './runRecordFile';
import { RUN_ID_PATTERN } from './runRecordCheck';
import { SNAPSHOT_FILES } from './runSnapshot';
import { errorMessage } from '../../domain/errors';

export const RUN_FILE = 'run.json';
export const MODEL_FOLDER = 'model';
const SNAPSHOT_FOLDER = 'dashboard';
const SNAPSHOT_STATE = SNAPSHOT_FILES[0];
const PIN_FILE = 'pinned';
/** The folder of the sweep records (sweepStore.ts), beside the runs: not a run, so never listed as one. */
export const SWEEP_FOLDER = 'sweeps';
/** How many runs keep their model unless the user sets another number. */
export const DEFAULT_KEPT_MODELS = 5;

/** A run folder whose record cannot be used: listed as damaged, with why (a localized sentence naming the file). */
export interface DamagedRun {
  name: string;
  reason: string;
}

export interface RunList {
  /** Newest first. */
  runs: RunSummary[];
  /** Run folders whose record is damaged, foreign, from a newer version, or missing after an interrupted keep. */
  damaged: DamagedRun[];
  /** One localized sentence per entry that is not a run at all, or about the history folder itself. */
  warnings: string[];
}

/** What the folder of a run holds; interruptedRuns.ts proves a folder left by a crash against it. */
const LAYOUT: RunFolderLayout = { runFile: RUN_FILE, modelFolder: MODEL_FOLDER, snapshotFolder: SNAPSHOT_FOLDER, pinFile: PIN_FILE };
/** Every file a model folder of the history holds (what pruning may delete, and nothing else). */
const MODEL_FILES = [MODEL_FILE, WEIGHTS_FILE, RECORD_FILE, OWNER_FILE];

/** A new run id for a run started at `date`. */
export function newRunId(date: Date): string {
  const stamp = date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/**
 * Newest first: by start time to the millisecond, then by id. An id is stamped only to the second, so two
 * runs started within one second (two short CLI runs) would otherwise be ordered by their random suffixes.
 */
export function newestStartFirst(a: { id: string; startedAt: string }, b: { id: string; startedAt: string }): number {
  return Date.parse(b.startedAt) - Date.parse(a.startedAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export function isRunId(text: string): boolean {
  return RUN_ID_PATTERN.test(text);
}

function historyError(root: string, error: unknown): TrainerError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    return new TrainerError('RUN_HISTORY', t('The run history folder {0} is a file, not a folder, so the run was not kept.', root), root,
      t('Move that file away, or choose another folder in the setting fashionMnist.runHistoryDirectory (CLI: FASHION_MNIST_RUNS).'));
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new TrainerError('RUN_HISTORY', t('The run history folder {0} cannot be written (permission denied), so the run was not kept.', root), root,
      t('Make the folder writable, or choose another folder in the setting fashionMnist.runHistoryDirectory (CLI: FASHION_MNIST_RUNS).'));
  }
  const detail = errorMessage(error);
  return new TrainerError('RUN_HISTORY', t('The run could not be written to the run history {0}: {1}', root, detail), root,
    t('Check the folder and the free disk space; the run itself is not affected.'));
}

function summaryOf(record: RunHistoryRecord, pinned: boolean, hasModel: boolean, hasSnapshot: boolean): RunSummary {
  const held = heldMetrics(record);
  const summary: RunSummary = {
    id: record.id,
    startedAt: record.startedAt,
    params: record.params,
    end: record.outcome.end,
    epochsRun: record.outcome.epochsRun,
    pinned,
    hasModel,
    hasSnapshot,
  };
  if (record.outcome.bestEpoch !== undefined) summary.bestEpoch = record.outcome.bestEpoch;
  if (record.sweepId !== undefined) summary.sweepId = record.sweepId;
  if (held !== undefined) {
    summary.testAccuracy = held.testAccuracy;
    summary.trainAccuracy = held.accuracy;
  }
  return summary;
}

async function exists(path: string): Promise<boolean> {
  try {
    await fsp.stat(path);
    return true;
  } catch {
    return false;
  }
}

export class RunHistory {
  constructor(
    readonly root: string,
    private readonly keepModels = DEFAULT_KEPT_MODELS,
    /** How long a run folder without a record must be untouched to count as left by a crash (tests shorten it). */
    private readonly interruptedAfterMs = INTERRUPTED_AFTER_MS,
  ) {}

  runDir(id: string): string {
    return join(this.root, id);
  }

  modelDir(id: string): string {
    return join(this.root, id, MODEL_FOLDER);
  }

  /** Where the extension keeps the run's dashboard as it ended (runSnapshot.ts). */
  snapshotDir(id: string): string {
    return join(this.root, id, SNAPSHOT_FOLDER);
  }

  /**
   * Makes the folder of a new run and returns its id. The folder is created exclusively: two writers
   * that pick the same id (same second, same random suffix) cannot both get it.
   */
  async createRun(startedAt: Date): Promise<string> {
    try {
      await fsp.mkdir(this.root, { recursive: true });
      for (let attempt = 0; ; attempt++) {
        const id = newRunId(startedAt);
        try {
          await fsp.mkdir(this.runDir(id));
          return id;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 20) throw error;
        }
      }
    } catch (error) {
      throw historyError(this.root, error);
    }
  }

  /**
   * After keeping run `id` failed (a full disk, say): removes what was written of it (only the history's own
   * files; the folder when that empties it) and returns the error to report, which says what really happened.
   */
  async abandonRun(id: string, error: unknown): Promise<TrainerError> {
    await removeInterruptedRun(this.runDir(id), LAYOUT, MODEL_FILES).catch(() => false);
    if (error instanceof TrainerError && error.code === 'RUN_HISTORY') return error;
    // A failed model save says "the previous model was kept": not true here, where there was none.
    const detail = error instanceof Error ? error.message : String(error);
    return new TrainerError('RUN_HISTORY', t('The run could not be written to the run history {0}: {1}', this.root, detail), this.root,
      t('Check the folder and the free disk space; the run itself is not affected.'));
  }

  /** Writes (or replaces) the record of a run made by createRun, atomically. */
  async writeRecord(record: RunHistoryRecord): Promise<void> {
    try {
      await writeFileAtomically(join(this.runDir(record.id), RUN_FILE), JSON.stringify(record));
    } catch (error) {
      throw historyError(this.root, error);
    }
  }

  /** The runs in the history, newest first, reading only what a summary needs to keep. */
  async list(): Promise<RunList> {
    const warnings: string[] = [];
    const damaged: DamagedRun[] = [];
    let names: string[];
    try {
      names = await fsp.readdir(this.root);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { runs: [], damaged, warnings };
      if (code === 'ENOTDIR') return { runs: [], damaged, warnings: [t('The run history folder {0} is a file, not a folder; no runs can be listed.', this.root)] };
      throw historyError(this.root, error);
    }
    const runs: RunSummary[] = [];
    for (const name of names.sort().reverse()) {
      if (name.startsWith('.') || name === SWEEP_FOLDER) continue;
      const loaded = await this.read(name);
      if ('warning' in loaded) {
        const recordless = loaded.warning === undefined && isRunId(name) ? await this.inspectRecordless(name) : 'inProgress';
        if (recordless === 'interrupted') {
          damaged.push({ name, reason: t('{0} was left by a run that was interrupted while it was being kept (it has no record); the next training run removes it.', this.runDir(name)) });
        } else if (recordless === 'foreign') {
          damaged.push({ name, reason: t('{0} has no run record and holds files the run history did not write; it is left as it is for you to look at.', this.runDir(name)) });
        } else if (loaded.warning !== undefined) {
          if (isRunId(name)) damaged.push({ name, reason: loaded.warning });
          else warnings.push(loaded.warning);
        }
        continue;
      }
      const [pinned, hasModel, hasSnapshot] = await Promise.all([
        exists(join(this.runDir(name), PIN_FILE)),
        exists(join(this.modelDir(name), MODEL_FILE)),
        exists(join(this.snapshotDir(name), SNAPSHOT_STATE)),
      ]);
      runs.push(summaryOf(loaded.record, pinned, hasModel, hasSnapshot));
    }
    return { runs: runs.sort(newestStartFirst), damaged, warnings };
  }

  /** One run's whole record; a TrainerError saying what to do when there is no such run. */
  async load(id: string): Promise<RunHistoryRecord> {
    const loaded = isRunId(id) ? await this.read(id) : { warning: undefined };
    if ('record' in loaded) return loaded.record;
    throw new TrainerError('NO_RUN', loaded.warning ?? t('There is no run {0} in the run history {1}.', id, this.root), join(this.root, id),
      t('List the runs with npm run runs (or the Runs view) and use one of their ids.'));
  }

  /** A run's record, or the warning why the entry is skipped (undefined: an entry that is plainly not a run). */
  private async read(name: string): Promise<{ record: RunHistoryRecord } | { warning: string | undefined }> {
    const file = join(this.runDir(name), RUN_FILE);
    let text: string;
    try {
      // A folder linked in from elsewhere is not the history's own.
      if (!lstatSync(this.runDir(name)).isDirectory()) throw new UnreadableFileError('missing', file, '');
      text = await readRegularText(file, READ_LIMITS.runRecord);
    } catch (error) {
      // A run folder still being written (its record comes at the end) or a file that is no run folder.
      const missing = !(error instanceof UnreadableFileError) || error.reason === 'missing';
      if (missing) return { warning: isRunId(name) ? undefined : t('{0} in the run history is not a run; skipped.', join(this.root, name)) };
      return { warning: t('{0} could not be read ({1}); skipped.', file, error.message) };
    }
    const parsed = parseRunRecord(text);
    if ('record' in parsed) {
      return parsed.record.id === name ? parsed : { warning: t('{0} is damaged: {1}; skipped.', file, t('its id {0} is not its folder name', parsed.record.id)) };
    }
    if (parsed.problem === 'fields') return { warning: t('{0} is damaged: {1}; skipped.', file, parsed.reason) };
    if (parsed.problem === 'version') return { warning: t('{0} was written by a newer version of the extension; skipped.', file) };
    if (parsed.problem === 'foreign') return { warning: t('{0} is not a run record of this extension; skipped.', file) };
    return { warning: t('{0} is damaged (not a complete run record); skipped.', file) };
  }

  private inspectRecordless(name: string): Promise<RecordlessRun> {
    return inspectRecordlessRun(this.runDir(name), LAYOUT, Date.now(), this.interruptedAfterMs);
  }

  /** Removes the run folders that an interrupted keep left (no record, only the history's own files, untouched for long). */
  async removeInterrupted(): Promise<string[]> {
    const { damaged } = await this.list();
    const removed: string[] = [];
    for (const { name } of damaged) {
      if ((await this.inspectRecordless(name)) === 'interrupted' && (await removeInterruptedRun(this.runDir(name), LAYOUT, MODEL_FILES))) removed.push(name);
    }
    return removed;
  }

  async setPinned(id: string, pinned: boolean): Promise<void> {
    await this.load(id);
    const marker = join(this.runDir(id), PIN_FILE);
    try {
      if (pinned) await writeFileAtomically(marker, '');
      else await fsp.rm(marker, { force: true });
    } catch (error) {
      throw historyError(this.root, error);
    }
    if (!pinned) await this.pruneModels();
  }

  /** Deletes a run: its record, pin, model and dashboard. Files someone else put in its folder stay (and so does the folder). */
  async delete(id: string): Promise<void> {
    await this.load(id);
    try {
      await removeOwnEntries(this.modelDir(id), MODEL_FILES);
      await removeOwnEntries(this.snapshotDir(id), SNAPSHOT_FILES);
      await removeOwnEntries(this.runDir(id), [RUN_FILE, PIN_FILE]);
    } catch (error) {
      throw historyError(this.root, error);
    }
  }

  /**
   * Deletes the models and dashboards of runs beyond the latest `keepModels` that are not pinned; their records
   * stay. A model folder is deleted only when it is provably one the history saved (a real folder, not a link
   * to one elsewhere, holding only model files and the tool's marker). Folders left by an interrupted keep go too.
   */
  async pruneModels(): Promise<string[]> {
    await this.removeInterrupted();
    const { runs } = await this.list();
    const removed: string[] = [];
    let kept = 0;
    for (const run of runs) {
      if (!run.hasModel && !run.hasSnapshot) continue;
      if (run.pinned) continue;
      kept += 1;
      if (kept <= this.keepModels) continue;
      if (await isOwnModelFolder(this.modelDir(run.id))) await removeOwnEntries(this.modelDir(run.id), MODEL_FILES);
      await removeOwnEntries(this.snapshotDir(run.id), SNAPSHOT_FILES);
      removed.push(run.id);
    }
    return removed;
  }
}
