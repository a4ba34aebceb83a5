/**
 * Saves and loads the trained model as a folder in the tfjs format (model.json + weights.bin) with the
 * run's record (run.json), using plain tfjs only: the artifacts are captured with a save handler and
 * written by us, and read back with an in-memory IO handler, so it works on any backend and a model
 * trained on one backend loads on another.
 *
 * The folder itself (layout, checks, run record, atomic replacement, copies) is `modelFolder.ts`, which
 * has no tfjs so that the extension host uses the same code; this module adds what needs tfjs.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import * as fsp from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RunRecord, SavedModelInfo } from '../domain/runRecord';
import type { Tf } from './backend';
import { t } from '../core/text/l10n';
import { MODEL_FILE, RECORD_FILE, WEIGHTS_FILE } from '../core/modelFiles/layout';
import { invalidModel, missingWeights } from '../core/modelFiles/modelErrors';
import { readModelFolder, readRunRecord } from '../core/modelFiles/modelFolder';
import { nodeFileSystem, replaceFolder, saveError, tidyModelFolder, type ReplaceOptions, type StoreFileSystem } from '../core/modelFiles/folderReplace';
import { TrainerError } from '../core/errors';
import { errorMessage } from '../domain/errors';

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
  options: ReplaceOptions = {},
): Promise<SavedModelInfo> {
  const target = resolve(dir);
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
  const written = await replaceFolder(
    target,
    fileSystem,
    async (temp) => {
      await fileSystem.writeFile(join(temp, WEIGHTS_FILE), artifacts.weightData);
      await fileSystem.writeFile(join(temp, RECORD_FILE), JSON.stringify(record, null, 2) + '\n');
      // model.json last: a folder with model.json is a folder whose other files are complete.
      await fileSystem.writeFile(join(temp, MODEL_FILE), JSON.stringify(modelJson));
    },
    options,
  );
  return { directory: written, record };
}

/**
 * Saves to `dir`; when that fails at the end of a run, keeps the trained model in `rescueDir` instead, and
 * the error says where it went (or says plainly that it was not kept), so a bad target never costs the run.
 */
export async function saveModelOrKeep(tf: Tf, model: LayersModel, record: RunRecord, dir: string, rescueDir: string): Promise<SavedModelInfo> {
  try {
    return await saveModel(tf, model, record, dir);
  } catch (error) {
    const failure = saveError(resolve(dir), error);
    let kept: string | undefined;
    try {
      kept = (await saveModel(tf, model, record, rescueDir)).directory;
    } catch {
      kept = undefined;
    }
    throw new TrainerError(
      failure.code,
      kept === undefined
        ? t('{0} The trained model could not be kept anywhere else either, so it was not kept.', failure.message)
        : t('{0} The trained model was kept in {1} instead.', failure.message, kept),
      failure.file,
      kept === undefined
        ? failure.action
        : t('Copy that folder where you want the model, or use it as it is (for the command line: --model {0}).', kept),
    );
  }
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

// ---------------------------------------------------------------------------------------------------
// Load
// ---------------------------------------------------------------------------------------------------

/** Loads the model in `dir` (model.json + its weight files) and its run record, if any. */
export async function loadModel(tf: Tf, dir: string): Promise<{ model: LayersModel; record?: RunRecord }> {
  const folder = resolve(dir);
  // An interrupted save is finished first: its model put back, its leftovers removed.
  await tidyModelFolder(folder);
  // Checked before tfjs sees it: architecture, weight files inside the folder and present.
  const { modelPath, json, directory } = readModelFolder(folder);

  const weightSpecs: unknown[] = [];
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const path of group.paths) {
      const file = resolve(directory, path);
      try {
        parts.push(await fsp.readFile(file));
      } catch {
        throw missingWeights(file);
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
    throw invalidModel(modelPath, t('tfjs could not build the model from {0}: {1}', modelPath, errorMessage(error)));
  }
  const record = readRunRecord(directory);
  return record === undefined ? { model } : { model, record };
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
