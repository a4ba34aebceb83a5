import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BACKEND_CONTROLS, L2_CONTROL, NUMBER_CONTROLS, parseConvList, parseNumberList, presetSettings, SWITCH_CONTROLS } from '../../src/webview/settingControls';
import { parameterCount } from '../../src/domain/networkLayers';
import { checkEditableValue } from '../../src/host/trainingSettings';
import { EDITABLE_SETTINGS } from '../../src/protocol/webview';
import { MODEL_PRESETS, presetOf } from '../../src/domain/modelPresets';
import { architectureProblems } from '../../src/core/hyperParameters';
import { TUTORIAL_ARCHITECTURE } from '../../src/domain/architecture';
import { fitsSpec, HYPER_PARAMETER_SCHEMA, type NumberSpec } from '../../src/domain/hyperParameters';

test('the dashboard offers every editable setting', () => {
  const keys = [...NUMBER_CONTROLS.map((c) => c.key), L2_CONTROL.key, ...SWITCH_CONTROLS.map((c) => c.key), 'backend', 'convLayers', 'hiddenLayers', 'dropout'];
  assert.deepEqual([...keys].sort(), [...EDITABLE_SETTINGS].sort());
});

test('each number box has the schema’s bounds and step, and takes exactly the values the schema and the host take', () => {
  for (const control of [...NUMBER_CONTROLS, L2_CONTROL]) {
    const spec: NumberSpec = HYPER_PARAMETER_SCHEMA[control.param];
    const where = control.param;
    assert.equal(control.key, spec.setting, `${where} setting`);
    assert.equal(control.min, spec.min, `${where} min`);
    assert.equal(control.max, spec.max, `${where} max`);
    assert.equal(control.step, spec.kind === 'integer' ? 1 : (spec.step ?? 'any'), `${where} step`);
    const span = spec.max - spec.min;
    const probes = [spec.min, spec.max, spec.min - 1, spec.max + 1, spec.min + span / 3, spec.min + span * 1e-6, spec.max - span * 1e-6, spec.max + span * 1e-6, (spec.min + spec.max) / 2 + 0.5, Number.NaN];
    if (typeof control.step === 'number') probes.push(spec.min + control.step / 3);
    for (const value of probes) {
      assert.equal(control.accepts(value), fitsSpec(spec, value), `${where} accepts ${value} as the schema does`);
      assert.equal(control.accepts(value), checkEditableValue(control.key, value) !== undefined, `${where} accepts ${value} as the host does`);
    }
  }
  // What the schema says, seen through the boxes: the learning rate's 0 is refused, a validation split between steps is not.
  const byParam = new Map(NUMBER_CONTROLS.map((c) => [c.param, c]));
  assert.equal(byParam.get('learningRate')?.accepts(0), false);
  assert.equal(byParam.get('learningRate')?.accepts(1e-7), true);
  assert.equal(byParam.get('validationSplit')?.accepts(0.12), true);
  assert.equal(byParam.get('epochs')?.accepts(2.5), false);
});

test('the backend choices and switches are the schema’s', () => {
  assert.deepEqual(BACKEND_CONTROLS.map((b) => b.value), [...HYPER_PARAMETER_SCHEMA.backend.values]);
  for (const control of SWITCH_CONTROLS) assert.equal(control.key, HYPER_PARAMETER_SCHEMA[control.param].setting);
});

test('the model presets are valid networks, the first is the tutorial, each is recognised again', () => {
  assert.deepEqual(MODEL_PRESETS[0].architecture, TUTORIAL_ARCHITECTURE);
  for (const preset of MODEL_PRESETS) {
    assert.deepEqual(architectureProblems(preset.architecture), [], preset.id);
    assert.equal(presetOf(structuredClone(preset.architecture)), preset.id);
  }
  assert.equal(presetOf({ hiddenLayers: [{ units: 100, dropout: 0 }], l2: 0 }), undefined);
});

test('a preset sets only values within the schema, which the host accepts unchanged', () => {
  for (const preset of MODEL_PRESETS) {
    const values = presetSettings(preset.architecture);
    assert.deepEqual(values.map((v) => v.key), ['convLayers', 'hiddenLayers', 'dropout', 'l2']);
    for (const { key, value } of values) {
      assert.ok(fitsSpec(HYPER_PARAMETER_SCHEMA[key], value), `${preset.id}: ${key} ${JSON.stringify(value)} fits the schema`);
      assert.deepEqual(checkEditableValue(key, value), value, `${preset.id}: the host takes ${key}`);
    }
  }
  assert.deepEqual(presetSettings(MODEL_PRESETS[3].architecture), [
    { key: 'convLayers', value: [] },
    { key: 'hiddenLayers', value: [256, 128] },
    { key: 'dropout', value: [0.2] },
    { key: 'l2', value: 0.0001 },
  ]);
});

test('the conv presets are the issue\'s two CNNs, and choosing one sets its conv blocks', () => {
  const convnet = MODEL_PRESETS.find((preset) => preset.id === 'convnet');
  const cnn = MODEL_PRESETS.find((preset) => preset.id === 'cnn');
  assert.ok(convnet && cnn);
  assert.equal(parameterCount(convnet.architecture), 54_314);
  assert.equal(parameterCount(cnn.architecture), 421_642);
  assert.deepEqual(presetSettings(convnet.architecture)[0], { key: 'convLayers', value: [{ filters: 8, kernelSize: 5 }, { filters: 16, kernelSize: 5 }] });
  assert.deepEqual(parseConvList('8:5, 16：5'), [{ filters: 8, kernelSize: 5 }, { filters: 16, kernelSize: 5 }]);
  assert.deepEqual(parseConvList(' '), []);
  assert.equal(parseConvList('8x5'), undefined);
});

test('list boxes read commas, spaces and Chinese commas; anything else is not a list', () => {
  assert.deepEqual(parseNumberList('512, 256'), [512, 256]);
  assert.deepEqual(parseNumberList('0.2，0.1'), [0.2, 0.1]);
  assert.deepEqual(parseNumberList('  '), []);
  assert.equal(parseNumberList('12, abc'), undefined);
});
