/**
 * Saves and loads the trained model as a folder in the tfjs format (model.json + weights.bin) with the
 * run's record (run.json), using plain tfjs only: the artifacts are captured with a save handler and
 * written by us, and read back with an in-memory IO handler, so it works on any backend and a model
 * trained on one backend loads on another.
 *
 * A folder is never half-written: everything goes into a temporary folder beside the target, which
 * then replaces the target by renames (old -> backup, new -> target, backup deleted). If any step
 * fails, the previous model is put back and the temporary folder removed.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { RunRecord, SavedModelInfo } from '../shared/messages';
import { IMAGE_SIZE, NUM_CLASSES, PIXELS } from '../shared/messages';
import type { Tf } from './backend';
import { TrainerError } from './errors';
import { t } from './l10n';

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

// ---------------------------------------------------------------------------------------------------
// Save
// ---------------------------------------------------------------------------------------------------

interface CapturedArtifacts {
  modelTopology: unknown;
  weightSpecs: unknown[];
  weightData: Uint8Array;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

/** Saves `model` and `record` into `dir`, replacing what was there only once the new copy is complete. */
export async function saveModel(
  tf: Tf,
  model: LayersModel,
  record: RunRecord,
  dir: string,
  fileSystem: StoreFileSystem = nodeFileSystem,
): Promise<SavedModelInfo> {
  const target = resolve(dir);
  recoverInterruptedSave(target);
  let captured: CapturedArtifacts | undefined;
  try {
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        captured = {
          modelTopology: artifacts.modelTopology,
          weightSpecs: artifacts.weightSpecs ?? [],
          weightData: weightBytes(artifacts.weightData),
          format: artifacts.format,
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy,
        };
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
  } catch (error) {
    throw saveError(target, error);
  }
  if (captured === undefined) throw saveError(target, new Error('no artifacts'));
  const artifacts = captured;

  const modelJson = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
  };
  await replaceFolder(target, fileSystem, async (temp) => {
    await fileSystem.writeFile(join(temp, WEIGHTS_FILE), artifacts.weightData);
    await fileSystem.writeFile(join(temp, RECORD_FILE), JSON.stringify(record, null, 2) + '\n');
    // model.json last: a folder with model.json is a folder whose other files are complete.
    await fileSystem.writeFile(join(temp, MODEL_FILE), JSON.stringify(modelJson));
  });
  return { directory: target, record };
}

function weightBytes(data: ArrayBuffer | ArrayBuffer[] | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  if (!Array.isArray(data)) return new Uint8Array(data.slice(0));
  const total = data.reduce((sum, part) => sum + part.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of data) {
    out.set(new Uint8Array(part), offset);
    offset += part.byteLength;
  }
  return out;
}

/**
 * Fills a fresh temporary folder beside `target` with `fill`, then swaps it in: target -> backup,
 * temporary -> target, backup removed. On any failure the backup goes back to `target` and the
 * temporary folder is removed, so the previous content survives.
 */
async function replaceFolder(target: string, fileSystem: StoreFileSystem, fill: (temp: string) => Promise<void>): Promise<void> {
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

function saveError(target: string, error: unknown): TrainerError {
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
// Load
// ---------------------------------------------------------------------------------------------------

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: unknown[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

/** Loads the model in `dir` (model.json + its weight files) and its run record, if any. */
export async function loadModel(tf: Tf, dir: string): Promise<{ model: LayersModel; record?: RunRecord }> {
  const folder = resolve(dir);
  recoverInterruptedSave(folder);
  const modelPath = join(folder, MODEL_FILE);
  const json = readModelJson(folder);
  checkModelArchitecture(json, modelPath);

  const weightSpecs: unknown[] = [];
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const path of group.paths) {
      const file = resolve(folder, path);
      // Weight files live in the model's folder; a manifest pointing elsewhere is refused.
      if (dirname(file) !== folder) throw invalidModel(modelPath, t('model.json names a weights file outside its folder: {0}.', path));
      try {
        parts.push(await fsp.readFile(file));
      } catch {
        throw invalidModel(file, t('The weights file {0} is missing or unreadable.', file));
      }
    }
  }
  const weightData = concatenate(parts);
  const expected = expectedWeightBytes(weightSpecs);
  if (expected !== undefined && expected !== weightData.byteLength) {
    throw invalidModel(
      modelPath,
      t('The weights files hold {0} bytes but model.json describes {1} bytes; the model is incomplete or damaged.', weightData.byteLength, expected),
    );
  }

  let model: LayersModel;
  try {
    model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology as object,
        weightSpecs: weightSpecs as never,
        weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength) as ArrayBuffer,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
      }),
    );
  } catch (error) {
    throw invalidModel(modelPath, t('tfjs could not build the model from {0}: {1}', modelPath, error instanceof Error ? error.message : String(error)));
  }
  const record = readRunRecord(folder);
  return record === undefined ? { model } : { model, record };
}

function readModelJson(folder: string): ModelJson {
  const modelPath = join(folder, MODEL_FILE);
  if (!existsSync(modelPath)) {
    throw new TrainerError(
      'NO_MODEL',
      t('No trained model was found in {0}.', folder),
      modelPath,
      t('Train a model first, or choose a folder that holds model.json and its weights.'),
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(modelPath, 'utf8'));
  } catch {
    throw invalidModel(modelPath, t('{0} is not valid JSON.', modelPath));
  }
  const json = parsed as Partial<ModelJson>;
  const manifestOk =
    Array.isArray(json.weightsManifest) &&
    json.weightsManifest.every((g) => Array.isArray(g?.paths) && g.paths.every((p) => typeof p === 'string') && Array.isArray(g.weights));
  if (!manifestOk) throw invalidModel(modelPath, t('{0} has no valid weights manifest.', modelPath));
  return json as ModelJson;
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Bytes the specs describe, or undefined when they are quantized or of a type we do not size. */
function expectedWeightBytes(specs: unknown[]): number | undefined {
  let total = 0;
  for (const spec of specs) {
    const s = spec as { shape?: number[]; dtype?: string; quantization?: unknown };
    if (s.quantization !== undefined || !Array.isArray(s.shape)) return undefined;
    const bytes = DTYPE_BYTES[s.dtype ?? 'float32'];
    if (bytes === undefined) return undefined;
    total += s.shape.reduce((a, b) => a * b, 1) * bytes;
  }
  return total;
}

function concatenate(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
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
    return valid ? (parsed as RunRecord) : undefined;
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
  const layers = (Array.isArray(config) ? config : asObject(config)?.layers) as LayerJson[] | undefined;
  if (!Array.isArray(layers) || layers.length === 0) throw invalidModel(file, t('model.json lists no layers.'));

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
    const inputName = (inputs[0] as unknown[])[0];
    const outputName = (outputs[0] as unknown[])[0];
    const inputLayer = layers.find((l) => l.name === inputName || l.config?.name === inputName);
    inputShape = inputLayer?.config?.batch_input_shape ?? inputLayer?.config?.batch_shape;
    outputLayer = layers.find((l) => l.name === outputName || l.config?.name === outputName);
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

function invalidModel(file: string | undefined, message: string): TrainerError {
  return new TrainerError('MODEL_INVALID', message, file, t('Choose a model trained on Fashion-MNIST by this extension or the tutorial (28 x 28 input, 10 outputs), or train a new one.'));
}

// ---------------------------------------------------------------------------------------------------
// Import / export
// ---------------------------------------------------------------------------------------------------

/**
 * Copies a saved model (model.json, its weight files, run.json when present) from `from` to `to`,
 * atomically as `saveModel` does: the previous content of `to` survives a failed copy. The source is
 * checked first (architecture and weight files), so a bad model is refused before anything changes.
 */
export async function copyModelFolder(from: string, to: string, fileSystem: StoreFileSystem = nodeFileSystem): Promise<void> {
  const source = resolve(from);
  const target = resolve(to);
  const json = readModelJson(source);
  checkModelArchitecture(json, join(source, MODEL_FILE));
  const weightFiles = [...new Set(json.weightsManifest.flatMap((g) => g.paths))];
  for (const path of weightFiles) {
    const file = resolve(source, path);
    if (dirname(file) !== source) throw invalidModel(join(source, MODEL_FILE), t('model.json names a weights file outside its folder: {0}.', path));
    if (!existsSync(file)) throw invalidModel(file, t('The weights file {0} is missing or unreadable.', file));
  }
  if (source === target) return;
  const extra = existsSync(join(source, RECORD_FILE)) ? [RECORD_FILE] : [];
  await replaceFolder(target, fileSystem, async (temp) => {
    for (const name of [...weightFiles.map((p) => basename(p)), ...extra]) {
      await fileSystem.copyFile(join(source, name), join(temp, name));
    }
    await fileSystem.copyFile(join(source, MODEL_FILE), join(temp, MODEL_FILE));
  });
}
