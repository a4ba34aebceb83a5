/**
 * The saved model as files, for the extension host: is there one, what does its run record say, is a folder
 * someone wants to import a Fashion-MNIST classifier, and copy it safely. Plain fs and JSON only: tfjs never
 * loads on the host's thread (the worker loads models to classify).
 *
 * Layout (the tfjs "layers-model" format the worker writes): `model.json` (topology + weights manifest),
 * the weight files it lists (normally `weights.bin`), and `run.json` (the `RunRecord`, optional on import).
 */
import { existsSync, promises as fs, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize } from 'node:path';
import { TrainerError } from '../core/errors';
import { t } from '../core/l10n';
import { IMAGE_SIZE, NUM_CLASSES, PIXELS, type RunRecord, type SavedModelInfo } from '../shared/messages';

export const MODEL_JSON = 'model.json';
export const RUN_RECORD = 'run.json';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Cheap check used on activation: a model.json is there (nothing is read). */
export function hasSavedModel(dir: string): boolean {
  return existsSync(join(dir, MODEL_JSON));
}

/** The run record beside the model, or undefined when it is missing or unreadable (an imported model may have none). */
export function readRunRecord(dir: string): RunRecord | undefined {
  try {
    const record: unknown = JSON.parse(readFileSync(join(dir, RUN_RECORD), 'utf8'));
    if (!isObject(record) || !isObject(record.params)) return undefined;
    if (typeof record.testAccuracy !== 'number' || typeof record.trainAccuracy !== 'number') return undefined;
    return record as unknown as RunRecord;
  } catch {
    return undefined;
  }
}

/** The saved model in `dir` with its run record, or undefined when there is no model or no record. */
export function findSavedModel(dir: string): SavedModelInfo | undefined {
  if (!hasSavedModel(dir)) return undefined;
  const record = readRunRecord(dir);
  return record ? { directory: dir, record } : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Architecture check (model.json only)
// ---------------------------------------------------------------------------------------------------

interface LayerJson {
  className: string;
  name: string;
  config: Json;
}

function layersOf(topology: Json): { layers: LayerJson[]; config: Json } | undefined {
  // Keras-converted files nest the model under model_config; tfjs writes it directly.
  const model = isObject(topology.model_config) ? topology.model_config : topology;
  const config = model.config;
  // Old Keras Sequential configs are the layer list itself.
  const list = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(list)) return undefined;
  const layers = list.filter(isObject).map((layer) => {
    const layerConfig = isObject(layer.config) ? layer.config : {};
    return {
      className: typeof layer.class_name === 'string' ? layer.class_name : '?',
      name: typeof layer.name === 'string' ? layer.name : typeof layerConfig.name === 'string' ? layerConfig.name : '',
      config: layerConfig,
    };
  });
  return { layers, config: isObject(config) ? config : {} };
}

/** Name of the first input or output layer a functional model lists (`[[name, 0, 0]]`). */
function endpointName(spec: unknown): string | undefined {
  if (!Array.isArray(spec) || spec.length === 0) return undefined;
  const first: unknown = Array.isArray(spec[0]) ? spec[0][0] : spec[0];
  return typeof first === 'string' ? first : undefined;
}

function inputShape(layer: LayerJson | undefined): unknown[] | undefined {
  const shape = layer?.config.batch_input_shape ?? layer?.config.batch_shape;
  return Array.isArray(shape) ? shape : undefined;
}

const formatShape = (shape: unknown[] | undefined): string =>
  shape === undefined ? '?' : `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;

/**
 * Checks that a parsed model.json is a classifier this extension can use: input 28x28 (or 784 flattened),
 * a last Dense layer of 10 units. Throws MODEL_INVALID saying what is wrong.
 */
export function checkModelJson(modelJson: unknown, file: string): void {
  const fail = (message: string): never => {
    throw new TrainerError(
      'MODEL_INVALID',
      message,
      file,
      t('Choose a TensorFlow.js layers model (model.json with its weight files) that takes 28 × 28 images and outputs 10 classes, such as one exported by this extension.'),
    );
  };
  if (!isObject(modelJson) || !isObject(modelJson.modelTopology)) {
    return fail(t('{0} is not a TensorFlow.js layers model: it has no modelTopology.', basename(file)));
  }
  if (!Array.isArray(modelJson.weightsManifest)) {
    return fail(t('{0} lists no weights (weightsManifest is missing).', basename(file)));
  }
  const parsed = layersOf(modelJson.modelTopology);
  if (!parsed || parsed.layers.length === 0) {
    return fail(t('{0} describes no layers this extension can read.', basename(file)));
  }
  const { layers, config } = parsed;
  const byName = (name: string | undefined) => layers.find((layer) => layer.name === name);

  const firstLayer = byName(endpointName(config.input_layers)) ?? layers[0];
  const shape = inputShape(firstLayer);
  const dims = shape?.slice(1);
  const fitsImage =
    dims !== undefined &&
    ((dims.length === 2 && dims[0] === IMAGE_SIZE && dims[1] === IMAGE_SIZE) || (dims.length === 1 && dims[0] === PIXELS));
  if (!fitsImage) {
    return fail(t('The model expects input of shape {0}, but Fashion-MNIST images are 28 × 28 ([null, 28, 28] or [null, 784]).', formatShape(shape)));
  }

  // The output: the named output layer (functional) or the last layer; softmax/activation layers after
  // the last Dense do not change the number of classes, so look back to the nearest layer with units.
  const outputIndex = Math.max(0, layers.indexOf(byName(endpointName(config.output_layers)) ?? layers[layers.length - 1]));
  const dense = layers.slice(0, outputIndex + 1).reverse().find((layer) => typeof layer.config.units === 'number');
  if (!dense) return fail(t('The model has no Dense output layer, so it cannot give one probability per class.'));
  if (dense.config.units !== NUM_CLASSES) {
    return fail(t('The model outputs {0} classes, but Fashion-MNIST has 10.', String(dense.config.units)));
  }
}

/** The weight file names model.json lists, refusing paths that leave the model's folder. */
function weightFiles(modelJson: Json, file: string): string[] {
  const names: string[] = [];
  for (const group of modelJson.weightsManifest as unknown[]) {
    const paths = isObject(group) && Array.isArray(group.paths) ? group.paths : [];
    for (const path of paths) {
      const clean = typeof path === 'string' ? normalize(path) : '';
      if (clean === '' || isAbsolute(clean) || clean.startsWith('..')) {
        throw new TrainerError('MODEL_INVALID', t('{0} names a weight file outside its folder: {1}.', basename(file), String(path)), file);
      }
      names.push(clean);
    }
  }
  return names;
}

export interface ModelFolder {
  /** The model.json chosen (it may have another name; it is copied as model.json). */
  modelJson: string;
  directory: string;
  /** Weight files, relative to `directory`. */
  weights: string[];
  hasRunRecord: boolean;
}

/**
 * Checks a folder (or a model.json inside one) the user wants to import: readable JSON, the right
 * architecture, every weight file present. Throws NO_MODEL / MODEL_INVALID naming the file.
 */
export function inspectModelFolder(path: string): ModelFolder {
  const isFolder = existsSync(path) && statSync(path).isDirectory();
  const modelJson = isFolder ? join(path, MODEL_JSON) : path;
  const directory = dirname(modelJson);
  if (!existsSync(modelJson)) {
    throw new TrainerError(
      'NO_MODEL',
      t('There is no model.json in {0}.', isFolder ? path : directory),
      modelJson,
      t('Choose the folder that holds model.json and its weight files.'),
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(modelJson, 'utf8'));
  } catch (error) {
    throw new TrainerError(
      'MODEL_INVALID',
      t('{0} could not be read as JSON: {1}', modelJson, error instanceof Error ? error.message : String(error)),
      modelJson,
    );
  }
  checkModelJson(parsed, modelJson);
  const weights = weightFiles(parsed as Json, modelJson);
  for (const weight of weights) {
    if (!existsSync(join(directory, weight))) {
      throw new TrainerError(
        'MODEL_INVALID',
        t('The weight file {0} that model.json lists is missing.', join(directory, weight)),
        join(directory, weight),
        t('Copy the weight files together with model.json, or export the model again.'),
      );
    }
  }
  return { modelJson, directory, weights, hasRunRecord: existsSync(join(directory, RUN_RECORD)) };
}

/**
 * Copies a model into `target` so that `target` holds either the old model or the whole new one, never a
 * mix: copy into a temporary sibling, move the old folder aside, rename the new one in, delete the old.
 * On failure the old folder is put back.
 */
export async function copyModelFolder(source: ModelFolder, target: string): Promise<void> {
  const stamp = `${process.pid}-${Date.now()}`;
  const staging = `${target}.importing-${stamp}`;
  const backup = `${target}.previous-${stamp}`;
  await fs.mkdir(dirname(target), { recursive: true });
  try {
    await fs.mkdir(staging, { recursive: true });
    await fs.copyFile(source.modelJson, join(staging, MODEL_JSON));
    for (const weight of source.weights) {
      await fs.mkdir(dirname(join(staging, weight)), { recursive: true });
      await fs.copyFile(join(source.directory, weight), join(staging, weight));
    }
    if (source.hasRunRecord) await fs.copyFile(join(source.directory, RUN_RECORD), join(staging, RUN_RECORD));
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    throw new TrainerError(
      'MODEL_SAVE',
      t('The model could not be copied to {0}: {1}', target, error instanceof Error ? error.message : String(error)),
      target,
      t('Check that the folder is writable and the disk has room, then try again.'),
    );
  }
  const hadOld = existsSync(target);
  try {
    if (hadOld) await fs.rename(target, backup);
    await fs.rename(staging, target);
  } catch (error) {
    if (hadOld && !existsSync(target) && existsSync(backup)) await fs.rename(backup, target);
    await fs.rm(staging, { recursive: true, force: true });
    throw new TrainerError(
      'MODEL_SAVE',
      t('The model could not be moved into {0}: {1}', target, error instanceof Error ? error.message : String(error)),
      target,
      t('Check that the folder is writable and not open in another program, then try again.'),
    );
  }
  if (hadOld) await fs.rm(backup, { recursive: true, force: true });
}

/** Files a model folder may hold; an export may replace a folder that holds nothing else. */
const MODEL_FILE = /^(model\.json|run\.json|.*\.bin)$/;

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
  if (entries.some((entry) => !MODEL_FILE.test(entry))) problem();
}
