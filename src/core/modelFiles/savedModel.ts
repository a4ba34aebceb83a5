/**
 * The saved model as files, for the extension host: is there one, and what does its run record say.
 * Reading and checking a model folder is modelFolder.ts, the same code the worker loads models with; it has
 * no tfjs, which never loads on the host's thread. Where a model may be written is saveTarget.ts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_FILE } from './layout';
import { readRunRecord } from './modelFolder';
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
