import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BACKEND_CONTROLS, L2_CONTROL, NUMBER_CONTROLS, parseNumberList, SWITCH_CONTROLS } from '../../src/webview/settingControls';
import { BACKEND_CHOICES, EDITABLE_SETTINGS, settingSpec } from '../../src/host/trainingSettings';
import { MODEL_PRESETS, presetOf } from '../../src/domain/modelPresets';
import { architectureProblems } from '../../src/core/hyperParameters';
import { TUTORIAL_ARCHITECTURE } from '../../src/domain/architecture';

test('the dashboard offers every editable setting, with the settings’ own bounds', () => {
  const keys = [...NUMBER_CONTROLS.map((c) => c.key), L2_CONTROL.key, ...SWITCH_CONTROLS.map((c) => c.key), 'backend', 'hiddenLayers', 'dropout'];
  assert.deepEqual([...keys].sort(), [...EDITABLE_SETTINGS].sort());
  for (const control of [...NUMBER_CONTROLS, L2_CONTROL]) {
    const spec = settingSpec(control.key);
    assert.ok(spec && (spec.kind === 'integer' || spec.kind === 'number'), `${control.key} is a number setting`);
    assert.equal(control.max, spec.max, `${control.key} max`);
    if (spec.exclusiveMin) assert.ok(control.min > spec.min, `${control.key} min must exclude ${spec.min}`);
    else assert.equal(control.min, spec.min, `${control.key} min`);
    assert.equal(control.step === 1, spec.kind === 'integer', `${control.key} step`);
  }
  assert.deepEqual(BACKEND_CONTROLS.map((b) => b.value), [...BACKEND_CHOICES]);
});

test('the model presets are valid networks, the first is the tutorial, each is recognised again', () => {
  assert.deepEqual(MODEL_PRESETS[0].architecture, TUTORIAL_ARCHITECTURE);
  for (const preset of MODEL_PRESETS) {
    assert.deepEqual(architectureProblems(preset.architecture), [], preset.id);
    assert.equal(presetOf(structuredClone(preset.architecture)), preset.id);
  }
  assert.equal(presetOf({ hiddenLayers: [{ units: 100, dropout: 0 }], l2: 0 }), undefined);
});

test('list boxes read commas, spaces and Chinese commas; anything else is not a list', () => {
  assert.deepEqual(parseNumberList('512, 256'), [512, 256]);
  assert.deepEqual(parseNumberList('0.2，0.1'), [0.2, 0.1]);
  assert.deepEqual(parseNumberList('  '), []);
  assert.equal(parseNumberList('12, abc'), undefined);
});
