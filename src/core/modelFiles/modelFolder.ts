/**
 * The saved model as plain files, with no tfjs: the folder layout (model.json + weight files + run.json),
 * reading and checking a model.json (a Fashion-MNIST classifier, weight files inside its folder and
 * present), the run record, and replacing a folder atomically. The model store (save/load with tfjs) and
 * the extension host (whose thread must never load tfjs) share this one implementation, so a model the
 * host accepts for import is exactly one the worker can load.
 *
 * A folder is never half-written: everything goes into a temporary folder beside the target, which
 * then replaces the target by renames (old -> backup, new -> target, backup deleted). If any step
 * fails, the previous model is put back and the temporary folder removed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { RunRecord } from '../../domain/runRecord';
import { IMAGE_SIZE, NUM_CLASSES, PIXELS } from '../../domain/classes';
import { TrainerError } from '../errors';
import { normalizeHyperParameters } from '../hyperParameters';
import { t } from '../text/l10n';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
export const RECORD_FILE = 'run.json';

/** The file operations the store uses; tests replace some to make a save fail at a chosen step. */
export interface StoreFileSystem {
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  rm(path: string): Promise<void>;
  copyFile(from: string, to: string): Promise<void>;
}

/** Writes with a flush to disk, so a power cut after the rename cannot leave empty files behind. */
async function writeFileDurably(path: string, data: Uint8Array | string): Promise<void> {
  const handle = await fsp.open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export const nodeFileSystem: StoreFileSystem = {
  writeFile: writeFileDurably,
  rename: (from, to) => fsp.rename(from, to),
  mkdir: async (path) => {
    await fsp.mkdir(path, { recursive: true });
  },
  rm: (path) => fsp.rm(path, { recursive: true, force: true }),
  copyFile: (from, to) => fsp.copyFile(from, to),
};

/**
 * Fills a fresh temporary folder beside `target` with `fill`, then swaps it in: target -> backup,
 * temporary -> target, backup removed. On any failure the backup goes back to `target` and the
 * temporary folder is removed, so the previous content survives.
 */
export async function replaceFolder(target: string, fileSystem: StoreFileSystem, fill: (temp: string) => Promise<void>): Promise<void> {
  const parent = dirname(target);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = join(parent, `.${basename(target)}.tmp-${tag}`);
  const backup = join(parent, `.${basename(target)}.old-${tag}`);
  let movedAside = false;
  try {
    await fileSystem.mkdir(parent);
    await fileSystem.mkdir(temp);
    await fill(temp);
    if (existsSync(target)) {
      await fileSystem.rename(target, backup);
      movedAside = true;
    }
    await fileSystem.rename(temp, target);
  } catch (error) {
    if (movedAside) {
      try {
        if (existsSync(target)) await fileSystem.rm(target);
        await fileSystem.rename(backup, target);
      } catch {
        // Leave the backup where it is rather than lose it; the error below names the target.
      }
    }
    await fileSystem.rm(temp).catch(() => undefined);
    throw saveError(target, error);
  }
  // The new model is in place; an old copy that cannot be removed is only clutter.
  if (movedAside) await fileSystem.rm(backup).catch(() => undefined);
}

/**
 * Puts back a model whose save was cut off between its two renames (a crash or power cut after the old
 * folder was moved aside and before the new one arrived): when `target` is missing and a backup of it
 * exists beside it, the newest backup becomes `target` again. Called before every load and save.
 */
export function recoverInterruptedSave(target: string): void {
  if (existsSync(target)) return;
  const parent = dirname(target);
  const prefix = `.${basename(target)}.old-`;
  let backups: string[];
  try {
    backups = readdirSync(parent).filter((name) => name.startsWith(prefix));
  } catch {
    return;
  }
  const newest = backups
    .map((name) => join(parent, name))
    .filter((path) => existsSync(join(path, MODEL_FILE)))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (newest === undefined) return;
  try {
    renameSync(newest, target);
  } catch {
    // Another process may have restored it first; loading then finds the model or reports NO_MODEL.
  }
}

export function saveError(target: string, error: unknown): TrainerError {
  if (error instanceof TrainerError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new TrainerError(
    'MODEL_SAVE',
    t('The model could not be saved to {0}: {1}', target, reason),
    target,
    t('Check that the folder is writable and the disk has space; the previous model, if any, was kept.'),
  );
}

// ---------------------------------------------------------------------------------------------------
// Read and check a model folder
// ---------------------------------------------------------------------------------------------------

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
    throw invalidModel(modelPath, t('{0} could not be read as JSON: {1}', modelPath, error instanceof Error ? error.message : String(error)));
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

/** A weight file model.json lists is not there (or cannot be read). */
export function missingWeights(file: string): TrainerError {
  return invalidModel(file, t('The weights file {0} is missing or unreadable.', file));
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

// ---------------------------------------------------------------------------------------------------
// Architecture check (plain JSON, no tfjs)
// ---------------------------------------------------------------------------------------------------

interface LayerJson {
  class_name?: string;
  name?: string;
  config?: Record<string, unknown>;
  inbound_nodes?: unknown;
}

/**
 * Checks a model.json (or its `modelTopology`) for the shape this extension needs: one input of 28x28
 * pixels (batch_input_shape [null, 28, 28], [null, 28, 28, 1] or [null, 784]) and one output, a Dense
 * layer of 10 units. Sequential and functional models are read. Throws MODEL_INVALID saying what differs.
 */
export function checkModelArchitecture(modelJson: unknown, file?: string): void {
  const root = asObject(modelJson);
  const topology = asObject(root?.modelTopology ?? modelJson);
  // Keras writes {class_name, config}, sometimes wrapped in {model_config: ...} (a full Keras save).
  const modelConfig = asObject(topology?.model_config) ?? topology;
  const className = modelConfig?.class_name;
  if (modelConfig === undefined || typeof className !== 'string') {
    throw invalidModel(file, t('model.json does not describe a Keras/tfjs layers model (no model topology was found).'));
  }
  if (className !== 'Sequential' && className !== 'Model' && className !== 'Functional') {
    throw invalidModel(file, t('The model is a {0}; only Sequential and functional layers models can be used.', className));
  }
  const config = modelConfig.config;
  // Old Sequential files keep the layers as the config itself.
  const listed = Array.isArray(config) ? config : asObject(config)?.layers;
  // Entries that are not objects describe no layer; dropping them keeps a damaged file from crashing the check.
  const layers = Array.isArray(listed) ? (listed.filter((layer) => asObject(layer) !== undefined) as LayerJson[]) : [];
  if (layers.length === 0) throw invalidModel(file, t('model.json lists no layers.'));

  let inputShape: unknown;
  let outputLayer: LayerJson | undefined;
  if (className === 'Sequential') {
    const first = layers[0];
    inputShape = first?.config?.batch_input_shape ?? first?.config?.batch_shape ?? asObject(config)?.build_input_shape;
    outputLayer = layers[layers.length - 1];
  } else {
    const cfg = asObject(config) ?? {};
    const inputs = cfg.input_layers as unknown[] | undefined;
    const outputs = cfg.output_layers as unknown[] | undefined;
    if (!Array.isArray(inputs) || inputs.length !== 1) throw invalidModel(file, t('The model must have exactly one input, but it has {0}.', Array.isArray(inputs) ? inputs.length : 0));
    if (!Array.isArray(outputs) || outputs.length !== 1) throw invalidModel(file, t('The model must have exactly one output, but it has {0}.', Array.isArray(outputs) ? outputs.length : 0));
    const inputName = endpointName(inputs[0]);
    const outputName = endpointName(outputs[0]);
    const inputLayer = layerNamed(layers, inputName);
    inputShape = inputLayer?.config?.batch_input_shape ?? inputLayer?.config?.batch_shape;
    outputLayer = layerNamed(layers, outputName);
  }

  if (!Array.isArray(inputShape)) {
    throw invalidModel(file, t('The model does not declare its input shape; it must take 28 x 28 pixels ([null, 28, 28]) or 784 values ([null, 784]).'));
  }
  if (!isPictureShape(inputShape)) {
    throw invalidModel(
      file,
      t('The model takes inputs of shape {0}, but it must take 28 x 28 pixels ([null, 28, 28]) or 784 values ([null, 784]).', describeShape(inputShape)),
    );
  }
  // The last layer with units decides the number of classes (an Activation or Softmax layer may follow it).
  const lastIndex = outputLayer === undefined ? -1 : layers.indexOf(outputLayer);
  const denseLike = [...layers.slice(0, lastIndex + 1)].reverse().find((l) => typeof l.config?.units === 'number');
  if (outputLayer === undefined || denseLike === undefined) {
    throw invalidModel(file, t('The model has no Dense output layer; it must end in a Dense layer with 10 units.'));
  }
  const units = denseLike.config?.units as number;
  if (units !== NUM_CLASSES) {
    throw invalidModel(file, t('The model ends in a layer with {0} units, but it must output 10 class probabilities.', units));
  }
}

/** The layer name in a functional model's input or output entry (`[name, nodeIndex, tensorIndex]`). */
function endpointName(entry: unknown): string | undefined {
  const name: unknown = Array.isArray(entry) ? entry[0] : undefined;
  return typeof name === 'string' ? name : undefined;
}

function layerNamed(layers: LayerJson[], name: string | undefined): LayerJson | undefined {
  return name === undefined ? undefined : layers.find((l) => l.name === name || l.config?.name === name);
}

function isPictureShape(shape: unknown): boolean {
  if (!Array.isArray(shape)) return false;
  const [batch, ...rest] = shape as unknown[];
  if (batch !== null && batch !== undefined && typeof batch !== 'number') return false;
  const dims = rest.join(',');
  return dims === `${PIXELS}` || dims === `${IMAGE_SIZE},${IMAGE_SIZE}` || dims === `${IMAGE_SIZE},${IMAGE_SIZE},1`;
}

function describeShape(shape: unknown[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function invalidModel(file: string | undefined, message: string): TrainerError {
  return new TrainerError('MODEL_INVALID', message, file, t('Choose a model trained on Fashion-MNIST by this extension or the tutorial (28 x 28 input, 10 outputs), or train a new one.'));
}

// ---------------------------------------------------------------------------------------------------
// Copy (import / export)
// ---------------------------------------------------------------------------------------------------

/**
 * Copies a saved model (model.json, its weight files, run.json when present) from `from` (a folder or a
 * model.json) to the folder `to`, atomically as a save is: the previous content of `to` survives a failed
 * copy. The source is checked first (`readModelFolder`), so a bad model is refused before anything changes.
 */
export async function copyModelFolder(from: string, to: string, fileSystem: StoreFileSystem = nodeFileSystem): Promise<void> {
  const source = readModelFolder(from);
  const target = resolve(to);
  if (source.directory === target && basename(source.modelPath) === MODEL_FILE) return;
  const extra = source.hasRunRecord ? [RECORD_FILE] : [];
  await replaceFolder(target, fileSystem, async (temp) => {
    for (const name of [...source.weightFiles, ...extra]) {
      await fileSystem.copyFile(join(source.directory, name), join(temp, name));
    }
    // model.json last: a folder with model.json is a folder whose other files are complete.
    await fileSystem.copyFile(source.modelPath, join(temp, MODEL_FILE));
  });
}
