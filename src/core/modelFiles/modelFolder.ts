/**
 * Reading a saved model as plain files, with no tfjs: model.json parsed and checked (a Fashion-MNIST
 * classifier, weight files inside its folder and present), the run record, and the saved-by record that
 * marks a folder as the tool's own. The model store (load with tfjs) and the extension host (whose thread
 * must never load tfjs) share this one implementation, so a model the host accepts for import is exactly
 * one the worker can load.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { RunRecord } from '../../domain/runRecord';
import { TrainerError } from '../errors';
import { normalizeHyperParameters } from '../hyperParameters';
import { t } from '../text/l10n';
import { checkModelArchitecture } from './architecture';
import { invalidModel, missingWeights } from './modelErrors';
import { MODEL_FILE, OWNER_FILE, OWNER_TAG, RECORD_FILE } from './layout';
import { errorMessage } from '../../domain/errors';



interface ModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: unknown[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

/** A model folder whose model.json was read and checked, and whose weight files are all there. */
export interface ModelFolder {
  /** The model.json read (someone importing may pick one with another name; copies name it model.json). */
  modelPath: string;
  directory: string;
  json: ModelJson;
  /** The weight file names model.json lists, each directly inside `directory`, without repeats. */
  weightFiles: string[];
  /** Whether a run.json lies beside it (an imported model may have none). */
  hasRunRecord: boolean;
}

/**
 * Reads the model in `path` (a model folder, or a model.json inside one) and checks it before anything
 * uses it: the JSON parses, the weights manifest is well formed, the architecture is a Fashion-MNIST
 * classifier, and every weight file it lists lies in the model's folder and exists. Throws NO_MODEL or
 * MODEL_INVALID naming the file.
 */
export function readModelFolder(path: string): ModelFolder {
  const given = resolve(path);
  const isFile = existsSync(given) ? statSync(given).isFile() : given.endsWith('.json');
  const modelPath = isFile ? given : join(given, MODEL_FILE);
  const directory = dirname(modelPath);
  if (!existsSync(modelPath)) {
    throw new TrainerError(
      'NO_MODEL',
      t('No trained model was found in {0}.', directory),
      modelPath,
      t('Train a model first, or choose a folder that holds model.json and its weights.'),
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(modelPath, 'utf8'));
  } catch (error) {
    throw invalidModel(modelPath, t('{0} could not be read as JSON: {1}', modelPath, errorMessage(error)));
  }
  const json = parsed as Partial<ModelJson> | null;
  const manifestOk =
    json !== null &&
    Array.isArray(json.weightsManifest) &&
    json.weightsManifest.every((g) => Array.isArray(g?.paths) && g.paths.every((p) => typeof p === 'string') && Array.isArray(g.weights));
  if (!manifestOk) throw invalidModel(modelPath, t('{0} has no valid weights manifest.', modelPath));
  checkModelArchitecture(json, modelPath);

  const weightFiles = [...new Set((json as ModelJson).weightsManifest.flatMap((g) => g.paths))];
  for (const name of weightFiles) {
    const file = resolve(directory, name);
    // Weight files live in the model's folder; a manifest pointing elsewhere (../../etc/passwd) is refused.
    if (dirname(file) !== directory) throw invalidModel(modelPath, t('{0} names a weight file outside its folder: {1}.', basename(modelPath), name));
    if (!existsSync(file)) throw missingWeights(file);
  }
  return {
    modelPath,
    directory,
    json: json as ModelJson,
    weightFiles: weightFiles.map((name) => basename(name)),
    hasRunRecord: existsSync(join(directory, RECORD_FILE)),
  };
}

/** The run record beside a saved model, or undefined when there is none or it is unreadable. Plain fs. */
export function readRunRecord(dir: string): RunRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, RECORD_FILE), 'utf8')) as Partial<RunRecord>;
    const valid =
      typeof parsed === 'object' &&
      parsed !== null &&
      typeof parsed.date === 'string' &&
      typeof parsed.params === 'object' &&
      parsed.params !== null &&
      typeof parsed.backend === 'string' &&
      typeof parsed.trainAccuracy === 'number' &&
      typeof parsed.testAccuracy === 'number' &&
      typeof parsed.dataChecksum === 'string' &&
      typeof parsed.trainCount === 'number' &&
      typeof parsed.testCount === 'number';
    if (!valid) return undefined;
    // A record of an older version names one hidden width (hiddenUnits): read it as that architecture.
    const params = normalizeHyperParameters(parsed.params);
    return params === undefined ? undefined : ({ ...parsed, params } as RunRecord);
  } catch {
    return undefined;
  }
}



/** What saved-by.json holds: who wrote the folder, and when. */
export interface OwnerRecord {
  savedBy: typeof OWNER_TAG;
  date: string;
}

export function ownerRecordText(date: Date = new Date()): string {
  const record: OwnerRecord = { savedBy: OWNER_TAG, date: date.toISOString() };
  return JSON.stringify(record, null, 2) + '\n';
}

/** The saved-by record in `dir`, or undefined when there is none or it is not this tool's. */
export function readOwnerRecord(dir: string): OwnerRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as Partial<OwnerRecord> | null;
    return parsed !== null && parsed.savedBy === OWNER_TAG && typeof parsed.date === 'string' ? (parsed as OwnerRecord) : undefined;
  } catch {
    return undefined;
  }
}
