import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrainerError } from '../../src/core/errors';
import { checkModelArchitecture } from '../../src/core/modelFiles/architecture';
import { readModelFolder } from '../../src/core/modelFiles/modelFolder';
import { copyModelFolder } from '../../src/core/modelFiles/modelCopy';
import { nodeFileSystem } from '../../src/core/modelFiles/folderReplace';
import { findSavedModel } from '../../src/core/modelFiles/savedModel';
import { SAVED_RUN_RECORD } from './runRecordFixture';
import { inScratch } from './scratchFolder';

/** A model.json shaped like the one tfjs writes for the tutorial model (topology only matters here). */
function modelJson(options: { input?: (number | null)[]; units?: number; functional?: boolean; weights?: string[] } = {}) {
  const layers = [
    { class_name: 'Flatten', config: { name: 'flatten', batch_input_shape: options.input ?? [null, 28, 28] } },
    { class_name: 'Dense', config: { name: 'dense', units: 128, activation: 'relu' } },
    { class_name: 'Dense', config: { name: 'dense_1', units: options.units ?? 10, activation: 'softmax' } },
  ];
  const topology = options.functional
    ? {
        class_name: 'Functional',
        config: {
          name: 'model',
          layers: [{ class_name: 'InputLayer', name: 'input', config: { name: 'input', batch_input_shape: options.input ?? [null, 784] } }, ...layers.slice(1).map((l) => ({ ...l, name: l.config.name }))],
          input_layers: [['input', 0, 0]],
          output_layers: [['dense_1', 0, 0]],
        },
      }
    : { class_name: 'Sequential', config: { name: 'sequential', layers } };
  return { format: 'layers-model', modelTopology: topology, weightsManifest: [{ paths: options.weights ?? ['weights.bin'], weights: [] }] };
}

const record = SAVED_RUN_RECORD;

function writeModel(dir: string, json: unknown = modelJson(), weights = 'W1'): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  writeFileSync(join(dir, 'weights.bin'), weights);
  writeFileSync(join(dir, 'run.json'), JSON.stringify(record));
}

function modelError(fn: () => unknown): TrainerError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof TrainerError, String(error));
    return error;
  }
  assert.fail('expected a TrainerError');
}

// The host checks imports with the same code the worker loads models with (core/modelFolder), on
// hand-written model.json files here; modelStore.test.ts checks files that tfjs itself wrote.
test('the tutorial model passes the architecture check, sequential or functional, 28x28 or 784', () => {
  checkModelArchitecture(modelJson(), 'model.json');
  checkModelArchitecture(modelJson({ input: [null, 784] }), 'model.json');
  checkModelArchitecture(modelJson({ functional: true }), 'model.json');
  // Keras-converted files nest the model under model_config.
  checkModelArchitecture({ modelTopology: { model_config: modelJson().modelTopology }, weightsManifest: [] }, 'model.json');
});

test('the architecture check says what is wrong', () => {
  const wrongInput = modelError(() => checkModelArchitecture(modelJson({ input: [null, 32, 32, 3] }), '/m/model.json'));
  assert.equal(wrongInput.code, 'MODEL_INVALID');
  assert.match(wrongInput.message, /\[null, 32, 32, 3\]/);
  assert.equal(wrongInput.file, '/m/model.json');
  assert.ok(wrongInput.action);

  const wrongOutput = modelError(() => checkModelArchitecture(modelJson({ units: 100 }), 'model.json'));
  assert.match(wrongOutput.message, /100 units/);
  const functionalOutput = modelError(() => checkModelArchitecture(modelJson({ functional: true, units: 2 }), 'model.json'));
  assert.match(functionalOutput.message, /2 units/);

  assert.match(modelError(() => checkModelArchitecture({ weightsManifest: [] }, 'model.json')).message, /no model topology/);
  const noLayers = { modelTopology: { class_name: 'Sequential', config: {} }, weightsManifest: [] };
  assert.match(modelError(() => checkModelArchitecture(noLayers, 'model.json')).message, /no layers/);
  // A damaged functional model (no input name, null layers) is refused with a TrainerError, not a crash.
  const damaged = modelJson({ functional: true });
  Object.assign(damaged.modelTopology.config, { input_layers: [null], layers: [null, ...damaged.modelTopology.config.layers] });
  assert.equal(modelError(() => checkModelArchitecture(damaged, 'model.json')).code, 'MODEL_INVALID');
});

test('a model.json without a weights manifest is refused when its folder is read', () => {
  return inScratch('fmt-host-manifest-', async (dir) => {
    writeModel(dir, { modelTopology: modelJson().modelTopology });
    const error = modelError(() => readModelFolder(dir));
    assert.equal(error.code, 'MODEL_INVALID');
    assert.match(error.message, /no valid weights manifest/);
    assert.equal(error.file, join(dir, 'model.json'));
  });
});

test('a folder to import: missing model.json, bad JSON, missing weights and escaping paths are refused', () => {
  return inScratch('fmt-host-model-', async (dir) => {
    const none = modelError(() => readModelFolder(dir));
    assert.equal(none.code, 'NO_MODEL');
    assert.ok(none.message.includes(dir));

    writeFileSync(join(dir, 'model.json'), '{not json');
    assert.equal(modelError(() => readModelFolder(dir)).code, 'MODEL_INVALID');

    writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson()));
    const missing = modelError(() => readModelFolder(dir));
    assert.match(missing.message, /weights\.bin/);

    writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson({ weights: ['../../etc/passwd'] })));
    assert.match(modelError(() => readModelFolder(dir)).message, /outside its folder/);

    writeModel(dir);
    const folder = readModelFolder(join(dir, 'model.json'));
    assert.deepEqual(folder.weightFiles, ['weights.bin']);
    assert.equal(folder.hasRunRecord, true);
    assert.deepEqual(readModelFolder(dir).weightFiles, ['weights.bin']);
  });
});

test('copying a model replaces the target whole, and leaves no staging folders behind', async () => {
  return inScratch('fmt-host-copy-', async (root) => {
    const source = join(root, 'source');
    const target = join(root, 'models', 'latest');
    writeModel(source, modelJson(), 'NEW');
    writeModel(target, modelJson(), 'OLD');
    writeFileSync(join(target, 'stale.bin'), 'from the old model');

    await copyModelFolder(source, target);
    assert.equal(readFileSync(join(target, 'weights.bin'), 'utf8'), 'NEW');
    assert.equal(existsSync(join(target, 'stale.bin')), false, 'the old model’s files are gone, not mixed in');
    assert.deepEqual(readdirSync(join(root, 'models')), ['latest']);
    assert.equal(findSavedModel(target)?.record.testAccuracy, 0.88);
  });
});

test('a failed copy leaves the previous model intact', async () => {
  return inScratch('fmt-host-fail-', async (root) => {
    const source = join(root, 'source');
    const target = join(root, 'latest');
    writeModel(source, modelJson(), 'NEW');
    writeModel(target, modelJson(), 'OLD');
    // The weights vanish between the check and the copy (another program deletes them).
    const vanishing = {
      ...nodeFileSystem,
      copyFile: async (from: string, to: string) => {
        if (from.endsWith('weights.bin')) rmSync(from, { force: true });
        await nodeFileSystem.copyFile(from, to);
      },
    };
    await assert.rejects(copyModelFolder(source, target, vanishing), (error: unknown) => error instanceof TrainerError && error.code === 'MODEL_SAVE');
    assert.equal(readFileSync(join(target, 'weights.bin'), 'utf8'), 'OLD');
    assert.deepEqual(readdirSync(root).sort(), ['latest', 'source']);
  });
});

test('an export or import never replaces a file or a folder that holds other files, and leaves them as they were', async () => {
  return inScratch('fmt-host-export-', async (root) => {
    const source = join(root, 'source');
    writeModel(source, modelJson(), 'NEW');
    await copyModelFolder(source, join(root, 'new-folder'));
    assert.equal(readFileSync(join(root, 'new-folder', 'weights.bin'), 'utf8'), 'NEW');
    writeModel(join(root, 'old-export'), modelJson(), 'OLD');
    await copyModelFolder(source, join(root, 'old-export'));
    assert.equal(readFileSync(join(root, 'old-export', 'weights.bin'), 'utf8'), 'NEW');

    mkdirSync(join(root, 'project'));
    writeFileSync(join(root, 'project', 'notes.txt'), 'mine');
    await assert.rejects(copyModelFolder(source, join(root, 'project')), (e: unknown) => e instanceof TrainerError && e.code === 'MODEL_SAVE' && /notes\.txt/.test(e.message));
    assert.deepEqual(readdirSync(join(root, 'project')), ['notes.txt']);
    writeFileSync(join(root, 'file.txt'), 'a file');
    await assert.rejects(copyModelFolder(source, join(root, 'file.txt')), (e: unknown) => e instanceof TrainerError && e.code === 'MODEL_SAVE' && /is a file/.test(e.message));
    assert.equal(readFileSync(join(root, 'file.txt'), 'utf8'), 'a file');
    // A model folder someone else wrote (no run record, no saved-by.json) is theirs.
    mkdirSync(join(root, 'their-model'));
    writeFileSync(join(root, 'their-model', 'model.json'), JSON.stringify(modelJson()));
    writeFileSync(join(root, 'their-model', 'weights.bin'), 'THEIRS');
    await assert.rejects(copyModelFolder(source, join(root, 'their-model')), (e: unknown) => e instanceof TrainerError && /did not save/.test(e.message));
    assert.equal(readFileSync(join(root, 'their-model', 'weights.bin'), 'utf8'), 'THEIRS');
    // An import of that model (no run record) can be replaced later: the copy carries saved-by.json.
    await copyModelFolder(join(root, 'their-model'), join(root, 'imported'));
    await copyModelFolder(source, join(root, 'imported'));
    assert.equal(readFileSync(join(root, 'imported', 'weights.bin'), 'utf8'), 'NEW');
    assert.deepEqual(readdirSync(root).filter((name) => name.startsWith('.')), [], 'no staging folders or locks left');
  });
});

test('findSavedModel needs both the model and a readable run record', () => {
  return inScratch('fmt-host-find-', async (root) => {
    assert.equal(findSavedModel(root), undefined);
    writeModel(root);
    assert.deepEqual(findSavedModel(root), { directory: root, record });
    writeFileSync(join(root, 'run.json'), '{"broken"');
    assert.equal(findSavedModel(root), undefined);
  });
});
