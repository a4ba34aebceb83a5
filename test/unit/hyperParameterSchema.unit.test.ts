// The one hyper-parameter schema and everything that follows it: the manifest's settings, the CLI's flags,
// the host's settings check, the core's validation, and the records of older versions. (The dashboard's
// controls: webview-settingControls.unit.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  architectureFrom,
  BACKEND_CHOICES,
  DEFAULT_HYPER_PARAMETERS,
  fitsSpec,
  HYPER_PARAMETER_SCHEMA,
  type HyperParameters,
  type ParameterSpec,
} from '../../src/domain/hyperParameters';
import { normalizeHyperParameters, splitCounts, validateHyperParameters } from '../../src/core/hyperParameters';
import { TrainerError } from '../../src/core/errors';
import { TUTORIAL_ARCHITECTURE } from '../../src/domain/architecture';
import { parseTrainArgs, UsageError } from '../../src/cli/args';
import { MAX_KEPT_MODELS, readTrainingSettings, settingSpec } from '../../src/host/trainingSettings';
import { DEFAULT_KEPT_MODELS } from '../../src/core/runs/runHistory';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const properties: Record<string, Record<string, unknown>> = manifest.contributes.configuration.properties;

test('every setting in the schema is in the manifest with the same type, bounds and default', () => {
  const withSetting = Object.entries(HYPER_PARAMETER_SCHEMA).filter(([, spec]) => 'setting' in spec) as [string, ParameterSpec & { setting: string }][];
  assert.ok(withSetting.length >= 15);
  for (const [name, spec] of withSetting) {
    const property = properties[`fashionMnist.${spec.setting}`];
    assert.ok(property, `package.json has no fashionMnist.${spec.setting} (${name})`);
    const where = `fashionMnist.${spec.setting}`;
    switch (spec.kind) {
      case 'integer':
      case 'number': {
        assert.equal(property.type, spec.kind, `${where} type`);
        assert.equal(property.maximum, spec.max, `${where} maximum`);
        // An optional parameter's setting starts at 0, which means "all".
        const min = spec.optional ? 0 : spec.min;
        if (spec.exclusiveMin) assert.equal(property.exclusiveMinimum, min, `${where} exclusiveMinimum`);
        else assert.equal(property.minimum, min, `${where} minimum`);
        assert.equal(property.default, spec.optional ? 0 : spec.default, `${where} default`);
        break;
      }
      case 'integerList':
      case 'numberList': {
        const items = property.items as Record<string, unknown>;
        assert.equal(property.type, 'array', `${where} type`);
        assert.equal(items.type, spec.kind === 'integerList' ? 'integer' : 'number', `${where} item type`);
        assert.equal(items.minimum, spec.min, `${where} item minimum`);
        assert.equal(items.maximum, spec.max, `${where} item maximum`);
        assert.equal(property.minItems, spec.minItems, `${where} minItems`);
        assert.equal(property.maxItems, spec.maxItems, `${where} maxItems`);
        assert.deepEqual(property.default, spec.default, `${where} default`);
        break;
      }
      case 'convList': {
        const items = property.items as { type: string; properties: Record<string, Record<string, unknown>>; required: string[] };
        assert.equal(property.type, 'array', `${where} type`);
        assert.equal(items.type, 'object', `${where} item type`);
        assert.deepEqual(items.required, ['filters', 'kernelSize'], `${where} item fields`);
        for (const field of ['filters', 'kernelSize'] as const) {
          assert.equal(items.properties[field].type, 'integer', `${where}.${field} type`);
          assert.equal(items.properties[field].minimum, spec[field].min, `${where}.${field} minimum`);
          assert.equal(items.properties[field].maximum, spec[field].max, `${where}.${field} maximum`);
        }
        assert.equal(property.minItems, spec.minItems, `${where} minItems`);
        assert.equal(property.maxItems, spec.maxItems, `${where} maxItems`);
        assert.deepEqual(property.default, spec.default, `${where} default`);
        break;
      }
      case 'boolean':
        assert.equal(property.type, 'boolean', `${where} type`);
        assert.equal(property.default, spec.default, `${where} default`);
        break;
      case 'choice':
        assert.equal(property.type, 'string', `${where} type`);
        assert.deepEqual(property.enum, [...spec.values], `${where} enum`);
        assert.equal((property.enumDescriptions as string[]).length, spec.values.length, `${where} enumDescriptions`);
        assert.equal(property.default, spec.default, `${where} default`);
        break;
    }
  }
  assert.deepEqual(properties['fashionMnist.backend'].enum, [...BACKEND_CHOICES]);
});

test('every manifest setting of a hyper-parameter is in the schema (or is the deprecated hiddenUnits)', () => {
  const settings = new Set<string>(Object.values(HYPER_PARAMETER_SCHEMA).flatMap((spec) => ('setting' in spec ? [spec.setting] : [])));
  const others = new Set(['dataDirectory', 'allowDownload', 'hiddenUnits', 'runHistoryDirectory', 'keptModels', 'nativeBackendFolder']);
  for (const key of Object.keys(properties)) {
    const name = key.replace('fashionMnist.', '');
    assert.ok(settings.has(name) || others.has(name), `${key} is not in the schema`);
  }
  assert.ok(properties['fashionMnist.hiddenUnits'].markdownDeprecationMessage);
  assert.equal(properties['fashionMnist.hiddenUnits'].default, undefined, 'a deprecated setting has no default that would hide hiddenLayers');
});

test('the manifest\'s other settings agree with their one home: the deprecated hiddenUnits, keptModels', () => {
  const legacy = properties['fashionMnist.hiddenUnits'];
  assert.equal(legacy.type, 'integer');
  assert.equal(legacy.minimum, HYPER_PARAMETER_SCHEMA.hiddenUnits.min);
  assert.equal(legacy.maximum, HYPER_PARAMETER_SCHEMA.hiddenUnits.max);
  const kept = properties['fashionMnist.keptModels'];
  assert.equal(kept.maximum, MAX_KEPT_MODELS);
  assert.equal(kept.default, DEFAULT_KEPT_MODELS);
});

test('the defaults are the tutorial\'s network and a valid run', () => {
  const { hiddenLayers, dropout, l2, hiddenUnits } = HYPER_PARAMETER_SCHEMA;
  assert.deepEqual(architectureFrom(hiddenLayers.default, dropout.default, l2.default), TUTORIAL_ARCHITECTURE);
  assert.deepEqual(DEFAULT_HYPER_PARAMETERS.architecture, TUTORIAL_ARCHITECTURE);
  assert.deepEqual([hiddenUnits.default], hiddenLayers.default);
  for (const [name, spec] of Object.entries(HYPER_PARAMETER_SCHEMA) as [string, ParameterSpec][]) {
    assert.ok(fitsSpec(spec, spec.default), `${name}'s default fits its own bounds`);
  }
  validateHyperParameters(DEFAULT_HYPER_PARAMETERS, 60000);
});

/** Values just inside and just outside a spec's bounds: [allowed, refused]. Lists of one item (dropout rates must match the layers). */
function boundaryProbes(spec: ParameterSpec): [unknown[], unknown[]] {
  switch (spec.kind) {
    case 'integer':
    case 'number': {
      const beyond = spec.kind === 'integer' ? 1 : 1e-6;
      const allowed: unknown[] = [spec.max];
      const refused: unknown[] = [spec.max + beyond, spec.min - beyond];
      if (spec.exclusiveMin) refused.push(spec.min);
      else allowed.push(spec.min);
      if (spec.kind === 'integer') refused.push(spec.min + 0.5);
      return [allowed, refused];
    }
    case 'integerList':
    case 'numberList': {
      const beyond = spec.kind === 'integerList' ? 1 : 1e-6;
      const allowed: unknown[] = [[spec.min], [spec.max]];
      const refused: unknown[] = [[spec.max + beyond], [spec.min - beyond]];
      if (spec === HYPER_PARAMETER_SCHEMA.hiddenLayers) {
        allowed.push(Array(spec.maxItems).fill(spec.min));
        refused.push(Array(spec.maxItems + 1).fill(spec.min));
      }
      return [allowed, refused];
    }
    case 'choice':
      return [[...spec.values], ['nope']];
    case 'boolean':
      return [[true, false], ['yes']];
    case 'convList': {
      const { filters, kernelSize } = spec;
      const conv = (f: number, k: number) => ({ filters: f, kernelSize: k });
      return [
        [[], [conv(filters.min, kernelSize.min)], [conv(filters.max, kernelSize.max)], [conv(8, 5), conv(16, 5), conv(8, 3), conv(8, 1)]],
        [[conv(filters.min - 1, 5)], [conv(filters.max + 1, 5)], [conv(8, kernelSize.min - 1)], [conv(8, kernelSize.max + 1)], [conv(8, 5), conv(8, 15)], Array(5).fill(conv(1, 1))],
      ];
    }
  }
}

test('the CLI\'s flags take each parameter\'s bounds from the schema', () => {
  let probed = 0;
  for (const [name, spec] of Object.entries(HYPER_PARAMETER_SCHEMA) as [string, ParameterSpec & { flag?: string }][]) {
    if (spec.flag === undefined || spec.kind === 'boolean') continue;
    // A batch of 1 fits the smallest image limit.
    const others = spec.flag === '--batch-size' ? [] : ['--batch-size', '1'];
    const item = (value: unknown) => (typeof value === 'object' && value !== null ? `${(value as { filters: number }).filters}:${(value as { kernelSize: number }).kernelSize}` : String(value));
    const text = (value: unknown) => (Array.isArray(value) ? value.map(item).join(',') : String(value));
    const [allowed, refused] = boundaryProbes(spec);
    for (const value of allowed) {
      assert.doesNotThrow(() => parseTrainArgs([...others, spec.flag as string, text(value)]), `${name}: ${spec.flag} ${text(value)} is allowed`);
    }
    for (const value of refused) {
      assert.throws(
        () => parseTrainArgs([...others, spec.flag as string, text(value)]),
        (error: unknown) => error instanceof UsageError && error.message.includes(spec.flag as string),
        `${name}: ${spec.flag} ${text(value)} is refused`,
      );
    }
    probed++;
  }
  assert.ok(probed >= 14, `${probed} flags probed`);
});

test('the host\'s settings check takes each setting\'s bounds from the schema (an image limit from 0, meaning all)', () => {
  let probed = 0;
  for (const [name, schemaSpec] of Object.entries(HYPER_PARAMETER_SCHEMA) as [string, ParameterSpec & { setting?: string }][]) {
    const key = schemaSpec.setting;
    if (key === undefined) continue;
    const spec = settingSpec(key) as ParameterSpec;
    if (schemaSpec.kind === 'integer' && schemaSpec.optional) assert.deepEqual(spec, { ...schemaSpec, min: 0, default: 0 });
    else assert.equal(spec, schemaSpec, `${key} is checked against the schema itself`);
    const [allowed, refused] = boundaryProbes(spec);
    for (const value of allowed) {
      const result = readTrainingSettings((asked) => (asked === key ? value : undefined));
      assert.ok(result.ok, `${name}: fashionMnist.${key} = ${JSON.stringify(value)} is allowed: ${result.ok ? '' : result.problems.join(' ')}`);
    }
    for (const value of refused) {
      const result = readTrainingSettings((asked) => (asked === key ? value : undefined));
      assert.ok(!result.ok && result.problems.some((p) => p.includes(`fashionMnist.${key}`)), `${name}: fashionMnist.${key} = ${JSON.stringify(value)} is refused`);
    }
    probed++;
  }
  assert.ok(probed >= 15, `${probed} settings probed`);
});

function rejects(params: Partial<HyperParameters>, pattern: RegExp, trainCount?: number): void {
  assert.throws(
    () => validateHyperParameters({ ...DEFAULT_HYPER_PARAMETERS, ...params }, trainCount),
    (error: unknown) => error instanceof TrainerError && error.code === 'INVALID_PARAMS' && pattern.test(error.message),
    `expected ${pattern}`,
  );
}

test('bad conv blocks are refused, one sentence each: no filters, a kernel larger than the picture at its depth, too many pools', () => {
  const withConv = (convLayers: { filters: number; kernelSize: number }[]) => ({ architecture: { ...TUTORIAL_ARCHITECTURE, convLayers } });
  validateHyperParameters({ ...DEFAULT_HYPER_PARAMETERS, ...withConv([{ filters: 8, kernelSize: 5 }, { filters: 16, kernelSize: 5 }]) });
  validateHyperParameters({ ...DEFAULT_HYPER_PARAMETERS, ...withConv(Array(4).fill({ filters: 2, kernelSize: 1 })) });
  rejects(withConv([{ filters: 0, kernelSize: 5 }]), /Conv block 1 has 0 filters; a conv layer needs a whole number of filters from 1 to 256\./);
  rejects(withConv([{ filters: 8, kernelSize: 5 }, { filters: 8, kernelSize: 5 }, { filters: 8, kernelSize: 5 }, { filters: 8, kernelSize: 5 }]),
    /Conv block 4's 5 x 5 kernel is larger than the 3 x 3 picture it sees at that depth \(after 3 poolings\); use a kernel of at most 3\./);
  rejects(withConv([{ filters: 8, kernelSize: 29 }]), /Conv block 1 has a kernel size of 29; it must be a whole number from 1 to 28\./);
  rejects(withConv(Array(5).fill({ filters: 1, kernelSize: 1 })), /5 conv blocks are too many for a 28 x 28 picture: each 2 x 2 max pooling halves its side \(28, 14, 7, 3, 1\), so at most 4 blocks fit\./);
  assert.deepEqual(parseTrainArgs(['--conv', '8:5,16:5', '--layers', '64']).help === false && parseTrainArgs(['--conv', '8:5,16:5', '--layers', '64']),
    { help: false, options: { params: { ...DEFAULT_HYPER_PARAMETERS, architecture: { convLayers: [{ filters: 8, kernelSize: 5 }, { filters: 16, kernelSize: 5 }], hiddenLayers: [{ units: 64, dropout: 0 }], l2: 0 } }, noSave: false, noHistory: false, allowDownload: true } });
  assert.throws(() => parseTrainArgs(['--conv', '8x5']), (e: unknown) => e instanceof UsageError && /--conv takes conv blocks as FILTERS:KERNEL .* "8x5" is not of that form/.test(e.message));
});

test('each bad hyper-parameter is refused with its own sentence, the bounds coming from the schema', () => {
  validateHyperParameters(DEFAULT_HYPER_PARAMETERS, 60000);
  rejects({ epochs: 0 }, /number of epochs must be a whole number from 1 to 1000 \(got 0\)/);
  rejects({ epochs: 2.5 }, /epochs/);
  rejects({ epochs: 1001 }, /epochs.*1000/);
  rejects({ batchSize: 0 }, /batch size must be a whole number/);
  rejects({ batchSize: 64 }, /batch size \(64\) is larger than the number of training images \(50\)/, 50);
  rejects({ batchSize: 64, trainLimit: 10 }, /\(10\)/, 60000);
  rejects({ learningRate: 0 }, /learning rate must be a number greater than 0 and at most 1/);
  rejects({ learningRate: 2 }, /learning rate/);
  rejects({ learningRate: Number.NaN }, /learning rate/);
  rejects({ architecture: { hiddenLayers: [{ units: 0, dropout: 0 }], l2: 0 } }, /hidden layer widths/);
  rejects({ architecture: { hiddenLayers: [], l2: 0 } }, /hidden layer widths/);
  rejects({ architecture: { hiddenLayers: [{ units: 8, dropout: 1 }], l2: 0 } }, /dropout rate/);
  rejects({ architecture: { hiddenLayers: [{ units: 8, dropout: 0 }], l2: -1 } }, /L2 factor/);
  rejects({ seed: 1.5 }, /seed/);
  rejects({ backend: 'gpu' as never }, /backend must be one of auto, node, wasm, cpu/);
  rejects({ trainLimit: 0 }, /training image limit/);
  rejects({ testLimit: -3 }, /test image limit/);
  rejects({ validationSplit: 0.7 }, /validation split/);
  rejects({ patience: -1 }, /patience/);
  rejects({ monitor: 'loss' as never }, /monitored metric/);
  // The validation split takes its images from the training images: the batch must fit in what is left.
  rejects({ batchSize: 60, trainLimit: 100, validationSplit: 0.5 }, /\(50\)/, 60000);
});

test('several problems are all named at once', () => {
  assert.throws(
    () => validateHyperParameters({ ...DEFAULT_HYPER_PARAMETERS, epochs: 0, learningRate: 0 }),
    (error: unknown) => error instanceof TrainerError && /epochs/.test(error.message) && /learning rate/.test(error.message),
  );
});

test('validation split as Keras takes it: floor(count × (1 − split)) train, the rest validate', () => {
  assert.deepEqual(splitCounts(60000, 0), { train: 60000, validation: 0 });
  assert.deepEqual(splitCounts(60000, 0.1), { train: 54000, validation: 6000 });
  assert.deepEqual(splitCounts(1001, 0.1), { train: 900, validation: 101 });
  assert.deepEqual(splitCounts(10, 0.25), { train: 7, validation: 3 });
});

test('a record of an older version reads back: hiddenUnits becomes one layer, new fields take defaults', () => {
  const old = { epochs: 3, batchSize: 64, learningRate: 0.01, hiddenUnits: 32, seed: 5, backend: 'cpu', trainLimit: 1000 };
  assert.deepEqual(normalizeHyperParameters(old), {
    ...DEFAULT_HYPER_PARAMETERS,
    epochs: 3,
    batchSize: 64,
    learningRate: 0.01,
    architecture: { hiddenLayers: [{ units: 32, dropout: 0 }], l2: 0 },
    seed: 5,
    backend: 'cpu',
    trainLimit: 1000,
  });
  assert.deepEqual(normalizeHyperParameters(DEFAULT_HYPER_PARAMETERS), DEFAULT_HYPER_PARAMETERS);
  assert.equal(normalizeHyperParameters('nope'), undefined);
  assert.equal(normalizeHyperParameters({ epochs: 1, learningRate: 0.1, architecture: { hiddenLayers: 'x' } }), undefined);
});

test('a spread copy of the defaults cannot change them: editing its shared architecture throws, and parsing leaves them alone', () => {
  const copy: HyperParameters = { ...DEFAULT_HYPER_PARAMETERS };
  assert.throws(() => { copy.architecture.hiddenLayers[0].units = 7; }, TypeError);
  assert.throws(() => { copy.architecture.hiddenLayers.push({ units: 3, dropout: 0 }); }, TypeError);
  assert.throws(() => { copy.architecture.l2 = 0.5; }, TypeError);
  assert.throws(() => { (DEFAULT_HYPER_PARAMETERS as { epochs: number }).epochs = 1; }, TypeError);
  copy.epochs = 3;
  const parsed = parseTrainArgs(['--layers', '64,32', '--dropout', '0.2', '--l2', '0.001', '--conv', '8:5']);
  assert.ok(!parsed.help && parsed.options.params.architecture.hiddenLayers.length === 2);
  assert.equal(DEFAULT_HYPER_PARAMETERS.epochs, 10);
  assert.deepEqual(DEFAULT_HYPER_PARAMETERS.architecture, { hiddenLayers: [{ units: 128, dropout: 0 }], l2: 0 });
  assert.equal(DEFAULT_HYPER_PARAMETERS.architecture, TUTORIAL_ARCHITECTURE);
});
