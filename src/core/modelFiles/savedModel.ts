/**
 * The saved model as files, for the extension host: is there one, what does its run record say, and may an
 * export go to a folder. Reading, checking and copying a model folder is `core/modelFolder.ts`, the same code
 * the worker loads models with; it has no tfjs, which never loads on the host's thread.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TrainerError } from '../errors';
import { t } from '../text/l10n';
import { MODEL_FILE, readRunRecord } from './modelFolder';
import type { SavedModelInfo } from '../../domain/runRecord';

/** Cheap check used on activation: a model.json is there (nothing is read). */
export function hasSavedModel(dir: string): boolean {
  return existsSync(join(dir, MODEL_FILE));
}

/** The saved model in `dir` with its run record, or undefined when there is no model or no record. */
export function findSavedModel(dir: string): SavedModelInfo | undefined {
  if (!hasSavedModel(dir)) return undefined;
  const record = readRunRecord(dir);
  return record ? { directory: dir, record } : undefined;
}

/** Files a model folder may hold; an export may replace a folder that holds nothing else. */
const MODEL_FOLDER_ENTRY = /^(model\.json|run\.json|.*\.bin)$/;

/**
 * Refuses an export target that would lose someone's files: it must not exist yet, or be empty, or hold
 * only an earlier model. (The save dialog's "replace?" prompt is about a file, not a folder's contents.)
 */
export function checkExportTarget(target: string): void {
  if (!existsSync(target)) return;
  const problem = (): never => {
    throw new TrainerError(
      'MODEL_SAVE',
      t('{0} already exists and holds other files, so the model was not exported there.', target),
      target,
      t('Choose a new folder name; the export creates the folder.'),
    );
  };
  if (!statSync(target).isDirectory()) return problem();
  const entries = readdirSync(target);
  if (entries.some((entry) => !MODEL_FOLDER_ENTRY.test(entry))) problem();
}
