import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BACKEND_CONTROLS, NUMBER_CONTROLS } from '../../src/webview/settingControls';
import { BACKEND_CHOICES, EDITABLE_SETTINGS, NUMBER_RULES } from '../../src/host/trainingSettings';

test('the Train cell offers every editable setting, with the settings’ own bounds', () => {
  const keys = [...NUMBER_CONTROLS.map((c) => c.key), 'backend'];
  assert.deepEqual([...keys].sort(), [...EDITABLE_SETTINGS].sort());
  for (const control of NUMBER_CONTROLS) {
    const rule: { kind: string; min: number; max: number; exclusiveMin?: boolean } = NUMBER_RULES[control.key];
    assert.equal(control.max, rule.max, `${control.key} max`);
    if (rule.exclusiveMin) assert.ok(control.min > rule.min, `${control.key} min must exclude ${rule.min}`);
    else assert.equal(control.min, rule.min, `${control.key} min`);
    assert.equal(control.step === 1, rule.kind === 'integer', `${control.key} step`);
  }
  assert.deepEqual(BACKEND_CONTROLS.map((b) => b.value), [...BACKEND_CHOICES]);
});
