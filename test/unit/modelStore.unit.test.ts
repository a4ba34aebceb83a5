import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LayersModel } from '@tensorflow/tfjs';
import * as tfjs from '@tensorflow/tfjs';
import { selectBackend, type Tf } from '../../src/training/backend';
import { TrainerError } from '../../src/core/errors';
import { buildTutorialModel } from '../../src/training/model';
import { loadModel, saveModel, saveModelOrKeep } from '../../src/training/modelStore';
import { checkModelArchitecture } from '../../src/core/modelFiles/architecture';
import { nodeFileSystem, type StoreFileSystem } from '../../src/core/modelFiles/folderReplace';
import { copyModelFolder } from '../../src/core/modelFiles/modelCopy';
import { readRunRecord } from '../../src/core/modelFiles/modelFolder';
import { DEFAULT_HYPER_PARAMETERS } from '../../src/domain/hyperParameters';
import { type RunRecord } from '../../src/domain/runRecord';
import { readOriginals } from './imageFixtures';

const originals = readOriginals();

function record(testAccuracy: number): RunRecord {
  return {
    date: '2026-11-27T19:00:00.000Z',
    params: { ...DEFAULT_HYPER_PARAMETERS, seed: 5 },
    backend: 'cpu',
    trainAccuracy: 0.9,
    testAccuracy,
    dataChecksum: 'abc123',
    trainCount: 60000,
    testCount: 10000,
  };
}

function predict(tf: Tf, model: LayersModel): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor3d(Float32Array.from(originals.pixels, (v) => v / 255), [10, 28, 28]);
    return (model.predict(x) as tfjs.Tensor).dataSync() as Float32Array;
  });
}

/** Every file in a folder with its bytes, to prove a folder did not change. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name)).toString('base64')]));
}

/** Folders beside the target: a failed save must leave no temporary or backup folder behind. */
function strays(parent: string): string[] {
  return readdirSync(parent).filter((name) => name.includes('.tmp-') || name.includes('.old-'));
}

function expectError(fn: () => unknown, code: string, pattern: RegExp): void {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof TrainerError, String(error));
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return;
  }
  assert.fail(`expected ${code}`);
}

/** The id of a process that has ended (a save that died). */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '']).pid;
  assert.ok(pid !== undefined);
  return pid;
}

const temp = mkdtempSync(join(tmpdir(), 'fmnist-store-'));
after(() => rmSync(temp, { recursive: true, force: true }));

describe('saveModel and loadModel', () => {
  let tf: Tf;
  let model: LayersModel;
  let other: LayersModel;

  before(async () => {
    ({ tf } = await selectBackend('cpu', () => undefined));
    model = buildTutorialModel(tf, { hiddenUnits: 16, learningRate: 0.001, seed: 1 });
    other = buildTutorialModel(tf, { hiddenUnits: 16, learningRate: 0.001, seed: 99 });
  });

  test('save -> load gives the same predictions and the run record', async () => {
    const dir = join(temp, 'roundtrip');
    const info = await saveModel(tf, model, record(0.88), dir);
    assert.equal(info.directory, dir);
    assert.deepEqual(readdirSync(dir).sort(), ['model.json', 'run.json', 'saved-by.json', 'weights.bin']);
    const loaded = await loadModel(tf, dir);
    assert.deepEqual(predict(tf, loaded.model), predict(tf, model));
    assert.deepEqual(loaded.record, record(0.88));
    assert.deepEqual(readRunRecord(dir), record(0.88));
    loaded.model.dispose();
  });

  test('a model saved on the cpu backend loads on wasm with the same predictions', async () => {
    const dir = join(temp, 'cross-backend');
    await saveModel(tf, model, record(0.5), dir);
    const expected = predict(tf, model);
    const { tf: wasm } = await selectBackend('wasm', () => undefined);
    try {
      assert.equal(wasm.getBackend(), 'wasm');
      const loaded = await loadModel(wasm, dir);
      const got = predict(wasm, loaded.model);
      got.forEach((p, i) => assert.ok(Math.abs(p - expected[i]) < 1e-5, `probability ${i}`));
      loaded.model.dispose();
    } finally {
      await selectBackend('cpu', () => undefined);
    }
  });

  test('saving again replaces the previous model completely, but never a file the user put in its folder', async () => {
    const dir = join(temp, 'replace');
    await saveModel(tf, model, record(0.1), dir);
    writeFileSync(join(dir, 'stale.bin'), 'an old weights file');
    await saveModel(tf, other, record(0.2), dir);
    assert.deepEqual(readdirSync(dir).sort(), ['model.json', 'run.json', 'saved-by.json', 'weights.bin']);
    writeFileSync(join(dir, 'notes.txt'), 'the user wrote this');
    const before = snapshot(dir);
    await assert.rejects(saveModel(tf, model, record(0.3), dir), (e: unknown) => e instanceof TrainerError && e.code === 'MODEL_SAVE' && /notes\.txt/.test(e.message));
    assert.deepEqual(snapshot(dir), before);
    rmSync(join(dir, 'notes.txt'));
    const loaded = await loadModel(tf, dir);
    assert.deepEqual(predict(tf, loaded.model), predict(tf, other));
    assert.equal(loaded.record?.testAccuracy, 0.2);
    assert.deepEqual(strays(temp), []);
    loaded.model.dispose();
  });

  // Each failing step of a save; the previous model must survive all of them, byte for byte.
  const failures: [string, (fs: StoreFileSystem) => StoreFileSystem][] = [
    ['writing weights.bin fails (disk full)', (fs) => ({ ...fs, writeFile: async (path, data) => (path.endsWith('weights.bin') ? Promise.reject(new Error('ENOSPC: no space left on device')) : fs.writeFile(path, data)) })],
    ['moving the new folder into place fails', (fs) => ({ ...fs, rename: async (from, to) => (from.includes('.tmp-') ? Promise.reject(new Error('EXDEV: rename failed')) : fs.rename(from, to)) })],
    ['moving the old folder aside fails', (fs) => ({ ...fs, rename: async (from, to) => (to.includes('.old-') ? Promise.reject(new Error('EBUSY: resource busy')) : fs.rename(from, to)) })],
  ];
  for (const [what, inject] of failures) {
    test(`a failed save leaves the previous model intact: ${what}`, async () => {
      const dir = join(temp, `fail-${what.split(' ')[0]}-${what.length}`);
      await saveModel(tf, model, record(0.77), dir);
      const before = snapshot(dir);
      await assert.rejects(saveModel(tf, other, record(0.99), dir, inject(nodeFileSystem)), (error: unknown) => {
        assert.ok(error instanceof TrainerError);
        assert.equal(error.code, 'MODEL_SAVE');
        assert.equal(error.file, dir);
        assert.match(error.message, /(ENOSPC|EXDEV|EBUSY)/);
        return true;
      });
      assert.deepEqual(snapshot(dir), before);
      assert.deepEqual(strays(temp), []);
      const loaded = await loadModel(tf, dir);
      assert.deepEqual(predict(tf, loaded.model), predict(tf, model));
      assert.equal(loaded.record?.testAccuracy, 0.77);
      loaded.model.dispose();
    });
  }

  test('a save cut off between its two renames (old folder moved aside, new one not yet in place) is loaded from its backup, which the next save puts back', async () => {
    const dir = join(temp, 'interrupted');
    await saveModel(tf, model, record(0.66), dir);
    // What a crash at that moment leaves: the previous model under its backup name, nothing at the target,
    // and the dead save's lock naming that backup.
    const backup = join(temp, '.interrupted.old-1234-abcd');
    renameSync(dir, backup);
    writeFileSync(join(temp, '.interrupted.lock'), JSON.stringify({ pid: deadPid(), tag: '1234-abcd', date: new Date().toISOString() }));
    const loaded = await loadModel(tf, dir);
    assert.deepEqual(predict(tf, loaded.model), predict(tf, model));
    assert.equal(loaded.record?.testAccuracy, 0.66);
    loaded.model.dispose();
    // Loading is read-only: the backup and the dead save's lock are where they were.
    assert.ok(existsSync(backup));
    assert.ok(existsSync(join(temp, '.interrupted.lock')));
    await saveModel(tf, model, record(0.67), dir);
    assert.ok(!existsSync(backup));
    assert.ok(!existsSync(join(temp, '.interrupted.lock')));
    assert.equal((await loadModel(tf, dir).then((l) => (l.model.dispose(), l.record)))?.testAccuracy, 0.67);
  });

  test('a save whose target cannot be created fails with MODEL_SAVE and creates nothing', async () => {
    const blocker = join(temp, 'a-file');
    writeFileSync(blocker, 'not a folder');
    await assert.rejects(saveModel(tf, model, record(0.5), join(blocker, 'model')), (error: unknown) => error instanceof TrainerError && error.code === 'MODEL_SAVE');
    assert.equal(readFileSync(blocker, 'utf8'), 'not a folder');
  });

  test('a save that fails at the end of a run keeps the model elsewhere and says where, or says it was not kept', async () => {
    const blocker = join(temp, 'blocking-file');
    writeFileSync(blocker, 'a file');
    const rescue = join(temp, 'rescued', 'model-1');
    await assert.rejects(saveModelOrKeep(tf, model, record(0.5), join(blocker, 'model'), rescue), (error: unknown) => {
      assert.ok(error instanceof TrainerError);
      assert.equal(error.code, 'MODEL_SAVE');
      assert.ok(error.message.includes(`kept in ${rescue} instead`), error.message);
      assert.ok(error.action?.includes(`--model ${rescue}`));
      return true;
    });
    const loaded = await loadModel(tf, rescue);
    assert.deepEqual(predict(tf, loaded.model), predict(tf, model));
    loaded.model.dispose();
    await assert.rejects(saveModelOrKeep(tf, model, record(0.5), join(blocker, 'model'), join(blocker, 'rescue')), (error: unknown) => error instanceof TrainerError && /so it was not kept/.test(error.message));
    assert.equal(readFileSync(blocker, 'utf8'), 'a file');
  });

  test('loading: no model.json is NO_MODEL; damaged weights or JSON is MODEL_INVALID', async () => {
    await assert.rejects(loadModel(tf, join(temp, 'nothing-here')), (e: unknown) => e instanceof TrainerError && e.code === 'NO_MODEL');

    const truncated = join(temp, 'truncated');
    await saveModel(tf, model, record(0.5), truncated);
    truncateSync(join(truncated, 'weights.bin'), 100);
    await assert.rejects(loadModel(tf, truncated), (e: unknown) => e instanceof TrainerError && e.code === 'MODEL_INVALID' && /bytes/.test(e.message));

    const missing = join(temp, 'missing-weights');
    await saveModel(tf, model, record(0.5), missing);
    rmSync(join(missing, 'weights.bin'));
    await assert.rejects(loadModel(tf, missing), (e: unknown) => e instanceof TrainerError && e.code === 'MODEL_INVALID' && /weights\.bin/.test(e.message));

    const garbage = join(temp, 'garbage');
    mkdirSync(garbage);
    writeFileSync(join(garbage, 'model.json'), '{ not json');
    await assert.rejects(loadModel(tf, garbage), (e: unknown) => e instanceof TrainerError && e.code === 'MODEL_INVALID');
  });

  test('readRunRecord: undefined for a missing or malformed run.json', () => {
    const dir = join(temp, 'records');
    mkdirSync(dir);
    assert.equal(readRunRecord(dir), undefined);
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ date: 'x', testAccuracy: 'high' }));
    assert.equal(readRunRecord(dir), undefined);
    writeFileSync(join(dir, 'run.json'), JSON.stringify(record(0.3)));
    assert.deepEqual(readRunRecord(dir), record(0.3));
  });

  test('copyModelFolder copies a model atomically and refuses a wrong one, leaving the target as it was', async () => {
    const source = join(temp, 'export-source');
    const target = join(temp, 'export-target');
    await saveModel(tf, model, record(0.6), source);
    await copyModelFolder(source, target);
    const withoutOwner = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).filter(([name]) => name !== 'saved-by.json'));
    assert.deepEqual(withoutOwner(snapshot(target)), withoutOwner(snapshot(source)));

    const wrong = join(temp, 'wrong-model');
    const five = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28] }), tf.layers.dense({ units: 5 })] });
    await saveModel(tf, five, record(0.1), wrong);
    five.dispose();
    const before = snapshot(target);
    await assert.rejects(copyModelFolder(wrong, target), (e: unknown) => e instanceof TrainerError && e.code === 'MODEL_INVALID' && /5 units/.test(e.message));
    assert.deepEqual(snapshot(target), before);
    assert.deepEqual(strays(temp), []);
  });

  test('saving and loading leave no tensors behind', async () => {
    const dir = join(temp, 'tensors');
    await saveModel(tf, model, record(0.5), dir);
    const loaded = await loadModel(tf, dir);
    loaded.model.dispose();
    const before = tf.memory().numTensors;
    await saveModel(tf, model, record(0.5), dir);
    const again = await loadModel(tf, dir);
    again.model.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});

describe('checkModelArchitecture', () => {
  let tf: Tf;
  before(async () => {
    ({ tf } = await selectBackend('cpu', () => undefined));
  });

  async function topologyOf(model: LayersModel): Promise<unknown> {
    let topology: unknown;
    await model.save(tf.io.withSaveHandler(async (artifacts) => {
      topology = artifacts.modelTopology;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    model.dispose();
    return { modelTopology: topology, weightsManifest: [] };
  }

  test('accepts the tutorial model, a 784-input model and a functional model', async () => {
    checkModelArchitecture(await topologyOf(buildTutorialModel(tf, { hiddenUnits: 8, learningRate: 0.001, seed: 1 })));
    checkModelArchitecture(await topologyOf(tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 10, activation: 'softmax' })] })));
    const input = tf.input({ shape: [28, 28] });
    const hidden = tf.layers.dense({ units: 32, activation: 'relu' }).apply(tf.layers.flatten().apply(input));
    const output = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(hidden) as tfjs.SymbolicTensor;
    checkModelArchitecture(await topologyOf(tf.model({ inputs: input, outputs: output })));
  });

  test('accepts a Keras 3 style topology (batch_shape) and a Dense followed by a Softmax layer', () => {
    checkModelArchitecture({
      modelTopology: {
        class_name: 'Sequential',
        config: {
          layers: [
            { class_name: 'InputLayer', config: { batch_shape: [null, 28, 28], name: 'input' } },
            { class_name: 'Flatten', config: { name: 'flatten' } },
            { class_name: 'Dense', config: { units: 10, name: 'logits' } },
            { class_name: 'Softmax', config: { name: 'softmax' } },
          ],
        },
      },
    });
  });

  test('says what is wrong: input size, number of outputs, missing topology, unknown model type', async () => {
    const colour = await topologyOf(tf.sequential({ layers: [tf.layers.flatten({ inputShape: [32, 32, 3] }), tf.layers.dense({ units: 10 })] }));
    expectError(() => checkModelArchitecture(colour), 'MODEL_INVALID', /\[null, 32, 32, 3\].*28 x 28/);

    const fiveClasses = await topologyOf(tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28] }), tf.layers.dense({ units: 5 })] }));
    expectError(() => checkModelArchitecture(fiveClasses), 'MODEL_INVALID', /5 units.*10/);

    expectError(
      () => checkModelArchitecture({ modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { units: 10 } }] } } }),
      'MODEL_INVALID',
      /does not declare its input shape/,
    );
    expectError(() => checkModelArchitecture({ weightsManifest: [] }), 'MODEL_INVALID', /no model topology/);
    expectError(() => checkModelArchitecture('a string'), 'MODEL_INVALID', /no model topology/);
    expectError(() => checkModelArchitecture({ modelTopology: { class_name: 'Sequential', config: { layers: [] } } }), 'MODEL_INVALID', /no layers/);
    expectError(() => checkModelArchitecture({ modelTopology: { class_name: 'GraphModel', config: {} } }), 'MODEL_INVALID', /GraphModel/);
    assert.ok(existsSync(temp));
  });
});
