import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkEditableValue, readTrainingSettings, resolveDataDirectory, settingValuesOf } from '../../src/host/trainingSettings';
import { architectureFrom, DEFAULT_HYPER_PARAMETERS, type HyperParameters } from '../../src/domain/hyperParameters';
import { hasImageExtension, IMAGE_EXTENSIONS } from '../../src/domain/imageFormats';
import { COMMANDS } from '../../src/host/commands/commandIds';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8'));
const properties: Record<string, Record<string, unknown>> = manifest.contributes.configuration.properties;

const getter = (values: Record<string, unknown>) => (key: string) => values[key];

test('unset settings give the tutorial: 10 epochs, batch 32, Adam 0.001, 128 units, all the data', () => {
  const result = readTrainingSettings(getter({}));
  assert.ok(result.ok);
  assert.deepEqual(result.settings.params, DEFAULT_HYPER_PARAMETERS);
  assert.equal(result.settings.params.trainLimit, undefined);
  assert.equal(result.settings.dataDirectory, undefined);
  assert.equal(result.settings.allowDownload, true);
});

test('the manifest defaults read as the tutorial too', () => {
  const defaults = Object.fromEntries(Object.entries(properties).map(([key, p]) => [key.replace('fashionMnist.', ''), p.default]));
  const result = readTrainingSettings(getter(defaults));
  assert.ok(result.ok, result.ok ? '' : result.problems.join('\n'));
  assert.deepEqual(result.settings.params, DEFAULT_HYPER_PARAMETERS);
});

test('valid settings become the run’s parameters; subsets become limits and a blank folder means automatic', () => {
  const result = readTrainingSettings(
    getter({
      epochs: 2, batchSize: 64, learningRate: 0.01, hiddenLayers: [256, 64], dropout: [0.2, 0.1], l2: 0.0001, backend: 'cpu',
      trainSubset: 3000, testSubset: 500, dataDirectory: '  /data/fm  ', allowDownload: false, validationSplit: 0.1,
      earlyStopping: true, earlyStoppingPatience: 2, earlyStoppingMinDelta: 0.01, earlyStoppingMonitor: 'val_accuracy', restoreBestWeights: true, seed: 9,
    }),
  );
  assert.ok(result.ok, result.ok ? '' : result.problems.join('\n'));
  assert.deepEqual(result.settings.params, {
    ...DEFAULT_HYPER_PARAMETERS,
    epochs: 2,
    batchSize: 64,
    learningRate: 0.01,
    architecture: { hiddenLayers: [{ units: 256, dropout: 0.2 }, { units: 64, dropout: 0.1 }], l2: 0.0001 },
    backend: 'cpu',
    trainLimit: 3000,
    testLimit: 500,
    validationSplit: 0.1,
    earlyStopping: true,
    patience: 2,
    minDelta: 0.01,
    monitor: 'val_accuracy',
    restoreBestWeights: true,
    seed: 9,
  });
  assert.equal(result.settings.dataDirectory, '/data/fm');
  assert.equal(result.settings.allowDownload, false);
  const blank = readTrainingSettings(getter({ dataDirectory: '   ' }));
  assert.ok(blank.ok);
  assert.equal(blank.settings.dataDirectory, undefined);
});

test('a run\u2019s parameters written as settings (the Runs view\u2019s re-run) read back as the same parameters', () => {
  const runs: HyperParameters[] = [
    DEFAULT_HYPER_PARAMETERS,
    {
      ...DEFAULT_HYPER_PARAMETERS,
      epochs: 7,
      batchSize: 64,
      learningRate: 0.0005,
      architecture: architectureFrom([256, 128], [0.2, 0.1], 0.0001),
      seed: 7,
      backend: 'cpu',
      trainLimit: 5000,
      validationSplit: 0.1,
      earlyStopping: true,
      patience: 2,
      minDelta: 0.001,
      monitor: 'val_accuracy',
      restoreBestWeights: true,
    },
  ];
  for (const params of runs) {
    const written = new Map(settingValuesOf(params));
    assert.equal(written.get('earlyStoppingPatience'), params.patience, 'each parameter is written to the setting its schema entry names');
    const read = readTrainingSettings((key) => written.get(key));
    assert.ok(read.ok, JSON.stringify(read));
    assert.deepEqual(read.settings.params, params);
  }
});

test('every bad value is reported, naming the setting and the value', () => {
  const result = readTrainingSettings(
    getter({ epochs: 0, batchSize: 'big', learningRate: 0, hiddenLayers: [1.5], backend: 'gpu', trainSubset: 70000, testSubset: -1, dataDirectory: 3, allowDownload: 'yes', dropout: [0.95], validationSplit: 1 }),
  );
  assert.equal(result.ok, false);
  const problems = result.ok ? [] : result.problems;
  assert.equal(problems.length, 11, problems.join('\n'));
  for (const key of ['epochs', 'batchSize', 'learningRate', 'hiddenLayers', 'backend', 'trainSubset', 'testSubset', 'dataDirectory', 'allowDownload', 'dropout', 'validationSplit']) {
    assert.ok(problems.some((p) => p.includes(`fashionMnist.${key}`)), `no problem names fashionMnist.${key}`);
  }
  assert.ok(problems.some((p) => p.includes('"gpu"') && p.includes('auto, node, wasm, cpu')));
  assert.ok(problems.some((p) => p.includes('fashionMnist.epochs is 0') && p.includes('1 to 1000')));
});

test('dropout rates must be none, one for all layers, or one per layer', () => {
  const mismatch = readTrainingSettings(getter({ hiddenLayers: [64, 32, 16], dropout: [0.1, 0.2] }));
  assert.equal(mismatch.ok, false);
  assert.match(mismatch.ok ? '' : mismatch.problems.join(' '), /fashionMnist\.dropout.*2 dropout rates.*3 hidden layers/);
  const one = readTrainingSettings(getter({ hiddenLayers: [64, 32], dropout: [0.3] }));
  assert.ok(one.ok);
  assert.deepEqual(one.settings.params.architecture.hiddenLayers.map((l) => l.dropout), [0.3, 0.3]);
});

test('a network too large for memory is refused with a sentence saying what to do', () => {
  const result = readTrainingSettings(getter({ hiddenLayers: [4096, 4096, 4096] }));
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.problems.join(' '), /weights.*fewer or narrower hidden layers/);
});

test('the deprecated hiddenUnits setting still gives one hidden layer until hiddenLayers is set', () => {
  const legacy = readTrainingSettings(getter({ hiddenUnits: 32 }));
  assert.ok(legacy.ok);
  assert.deepEqual(legacy.settings.params.architecture, { hiddenLayers: [{ units: 32, dropout: 0 }], l2: 0 });
  const both = readTrainingSettings(getter({ hiddenUnits: 32, hiddenLayers: [64, 64] }));
  assert.ok(both.ok);
  assert.deepEqual(both.settings.params.architecture.hiddenLayers.map((l) => l.units), [64, 64]);
});

test('the panel may set lists and switches within the schema, nothing else', () => {
  assert.deepEqual(checkEditableValue('hiddenLayers', [512, 256]), [512, 256]);
  assert.equal(checkEditableValue('hiddenLayers', []), undefined);
  assert.equal(checkEditableValue('hiddenLayers', [0]), undefined);
  assert.equal(checkEditableValue('dropout', [1]), undefined);
  assert.deepEqual(checkEditableValue('dropout', []), []);
  assert.equal(checkEditableValue('earlyStopping', true), true);
  assert.equal(checkEditableValue('earlyStopping', 'yes'), undefined);
  assert.equal(checkEditableValue('validationSplit', 0.6), undefined);
});

test('every manifest string is a %key% that package.nls.json defines', () => {
  const used = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      const match = /^%(.+)%$/.exec(value);
      if (match) used.add(match[1]);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(manifest.contributes);
  visit(manifest.capabilities);
  visit({ displayName: manifest.displayName, description: manifest.description });
  for (const key of used) assert.equal(typeof nls[key], 'string', `package.nls.json lacks ${key}`);
  assert.deepEqual(manifest.contributes.commands.map((c: { command: string }) => c.command).sort(), Object.values(COMMANDS).sort());
  for (const command of manifest.contributes.commands) {
    assert.match(command.title, /^%.+%$/, `${command.command} has a hard-coded title`);
    assert.equal(command.category, '%category%');
  }
  for (const [key, property] of Object.entries(properties)) {
    assert.match(String(property.markdownDescription), /^%.+%$/, `${key} has no localized markdownDescription`);
  }
  assert.equal(nls['command.train'], 'Train Fashion-MNIST', 'the palette must find the command by its tutorial name');
  // Restricted Mode must not let a workspace point training at another folder.
  assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['fashionMnist.dataDirectory', 'fashionMnist.nativeBackendFolder']);
  // A folder whose code the worker loads is a per-machine choice, never a workspace's.
  assert.equal(properties['fashionMnist.nativeBackendFolder'].scope, 'machine');
});

test('every classify menu offers exactly the image formats of src/domain/imageFormats.ts, case-insensitively', () => {
  const menus = manifest.contributes.menus as Record<string, { command: string; when?: string }[]>;
  const whens = Object.values(menus).flat().filter((m) => m.command === 'fashionMnist.classifyImage').map((m) => m.when ?? '');
  assert.equal(whens.length, 3, 'Explorer, editor title and editor tab menus');
  for (const when of whens) {
    const match = /resourceExtname =~ \/(.+)\/([a-z]*)/.exec(when);
    assert.ok(match, `no resourceExtname regex in ${when}`);
    const regex = new RegExp(match[1], match[2]);
    for (const ext of IMAGE_EXTENSIONS) {
      assert.ok(regex.test(`.${ext}`) && regex.test(`.${ext.toUpperCase()}`), `${when} does not offer .${ext}`);
      assert.ok(hasImageExtension(`shirt.${ext.toUpperCase()}`));
    }
    for (const ext of ['.svg', '.tiff', '.json', '.png.txt', '.xpng', '', '.jpe', '.dib']) assert.ok(!regex.test(ext), `${when} offers ${ext}`);
  }
  for (const path of ['shirt.svg', 'png', 'folder.png/readme', 'x.png.txt']) assert.ok(!hasImageExtension(path), path);
  assert.match(whens[0], /!explorerResourceIsFolder/);
  assert.ok(menus['editor/title'].some((m) => m.command === 'fashionMnist.classifyImage'));
  const stop = menus.commandPalette.find((m) => m.command === 'fashionMnist.stop');
  assert.equal(stop?.when, 'fashionMnist.training');
});

test('data folders: home, workspace variable, relative and absolute paths', () => {
  assert.equal(resolveDataDirectory('~/fm', '/home/u', undefined), '/home/u/fm');
  assert.equal(resolveDataDirectory('~', '/home/u', undefined), '/home/u');
  assert.equal(resolveDataDirectory('${workspaceFolder}/data', '/home/u', '/ws'), '/ws/data');
  assert.equal(resolveDataDirectory('${workspaceFolder}/data', '/home/u', undefined), undefined);
  assert.equal(resolveDataDirectory('data/fm', '/home/u', '/ws'), '/ws/data/fm');
  assert.equal(resolveDataDirectory('data/fm', '/home/u', undefined), undefined);
  assert.equal(resolveDataDirectory('/srv/fm/../fm', '/home/u', '/ws'), '/srv/fm');
});
