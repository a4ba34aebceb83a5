import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeLocale, terminalLocale } from '../../src/core/l10n';

test('normalizeLocale maps the usual spellings of Simplified Chinese to zh-cn', () => {
  for (const l of ['zh_CN.UTF-8', 'zh-CN', 'zh-cn', 'zh-Hans', 'zh']) assert.equal(normalizeLocale(l), 'zh-cn', l);
  assert.equal(normalizeLocale('en_US.UTF-8'), 'en-us');
  assert.equal(normalizeLocale(undefined), 'en');
});

test('terminalLocale prefers LC_ALL over LANG', () => {
  assert.equal(terminalLocale({ LC_ALL: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' }), 'zh-cn');
  assert.equal(terminalLocale({ LANG: 'C.UTF-8' }), 'c');
});
