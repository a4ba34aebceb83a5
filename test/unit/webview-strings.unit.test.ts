import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as l10n from '@vscode/l10n';
import { configureL10n, Strings } from '../../src/webview/strings';
// @ts-expect-error plain ESM script without types
import { dashboardEnglishStrings, extractStrings } from '../../scripts/l10n-strings.mjs';
import { CLASS_NAMES } from '../../src/domain/classes';

const root = join(import.meta.dirname, '..', '..');
const chinese: Record<string, string> = JSON.parse(readFileSync(join(root, 'l10n/bundle.l10n.zh-cn.json'), 'utf8'));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('every sentence the webview shows is localized where it is used, and the zh-cn bundle translates each one', () => {
  const { strings, problems } = extractStrings(root, 'src/webview') as { strings: Map<string, string[]>; problems: string[] };
  assert.deepEqual(problems, []);
  assert.ok(strings.size > 250, `only ${strings.size} webview strings found: is the extraction looking at l10n.t in src/webview?`);
  const untranslated = [...strings.keys()].filter((english) => typeof chinese[english] !== 'string');
  assert.deepEqual(untranslated, []);
  assert.equal((dashboardEnglishStrings(root) as Map<string, string>).size, strings.size);
});

test('the class names the webview shows are the dataset names, in label order, and Chinese with the zh-cn bundle', () => {
  configureL10n(undefined);
  const s = new Strings('en');
  CLASS_NAMES.forEach((name, i) => assert.equal(s.className(i), name));
  configureL10n(chinese);
  try {
    CLASS_NAMES.forEach((name, i) => assert.equal(s.className(i), chinese[name]));
    assert.equal(s.className(3), '连衣裙');
  } finally {
    configureL10n(undefined);
  }
});

test('the webview source holds no English sentence outside l10n.t (its text goes through localization)', () => {
  const suspicious: string[] = [];
  for (const file of files(join(root, 'src/webview'))) {
    if (file.endsWith('codeSnippets.ts')) continue; // code is code, not prose
    const text = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '')
      .replace(/l10n\.t\('(?:[^'\\]|\\.)*'/g, 'l10n.t(');
    for (const m of text.matchAll(/(['`])([A-Z][a-z]+(?: [a-z]+){2,}[^'`]*)\1/g)) suspicious.push(`${file}: ${m[2]}`);
  }
  // console.warn diagnostics are for developers, not users.
  assert.deepEqual(suspicious.filter((line) => !line.includes('fashion-mnist dashboard:')), []);
});

test('placeholders are filled in order, and a translation may reorder them', () => {
  configureL10n(undefined);
  assert.equal(l10n.t('Epoch {0} of {1}', 3, 10), 'Epoch 3 of 10');
  assert.equal(l10n.t('{0} and {2}', 'a'), 'a and {2}');
  configureL10n({ 'Epoch {0} of {1}': '第 {1} 轮中的第 {0} 轮' });
  try {
    assert.equal(l10n.t('Epoch {0} of {1}', 3, 10), '第 10 轮中的第 3 轮');
    assert.equal(l10n.t('Not in the bundle {0}', 1), 'Not in the bundle 1', 'a sentence the bundle lacks stays English');
  } finally {
    configureL10n(undefined);
  }
});

test('numbers follow the locale, and a bad locale falls back to English', () => {
  const en = new Strings('en');
  assert.equal(en.percent(0.8812), '88.1%');
  assert.equal(en.int(60000), '60,000');
  assert.equal(en.duration(125), '2 min 5 s');
  assert.equal(en.duration(42.4), '42 s');
  assert.equal(en.signedPoints(1.64), '+1.6');
  assert.equal(en.signedPoints(-0.4), '−0.4');
  const de = new Strings('de');
  assert.equal(de.int(60000), '60.000');
  assert.equal(new Strings('not a locale!').locale, 'en');
});
