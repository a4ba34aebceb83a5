import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARD_STRING_KEYS } from '../../src/protocol/dashboardStringKeys';
import { fillPlaceholders, Strings } from '../../src/webview/strings';
// @ts-expect-error plain ESM script without types
import { dashboardEnglishStrings } from '../../scripts/l10n-strings.mjs';
import { CLASS_NAMES } from '../../src/domain/classes';

const root = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** key -> English text, read from the host's `key: vscode.l10n.t('English')` lines. */
function hostStrings(): Map<string, string> {
  return dashboardEnglishStrings(root);
}

test('the host localizes every key in the list, and nothing else', () => {
  const host = hostStrings();
  assert.deepEqual([...host.keys()].sort(), [...DASHBOARD_STRING_KEYS].sort());
  assert.equal(new Set(DASHBOARD_STRING_KEYS).size, DASHBOARD_STRING_KEYS.length, 'no duplicate keys');
});

test('the class names sent to the webview are the dataset names, in label order', () => {
  const host = hostStrings();
  CLASS_NAMES.forEach((name, i) => assert.equal(host.get(`class${i}`), name));
});

test('the webview uses only known keys, and every key is used somewhere', () => {
  // The compiler already types every lookup as DashboardStringKey; this also catches unused keys.
  const known = new Set<string>(DASHBOARD_STRING_KEYS);
  const used = new Set<string>();
  const unknown: string[] = [];
  for (const file of files(join(root, 'src/webview'))) {
    if (file.endsWith('stringKeys.ts')) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\.t\('(\w+)'/g)) if (!known.has(m[1])) unknown.push(`${file}: ${m[1]}`);
    for (const m of text.matchAll(/'(\w+)'/g)) if (known.has(m[1])) used.add(m[1]);
  }
  assert.deepEqual(unknown, []);
  const unused = DASHBOARD_STRING_KEYS.filter((k) => !used.has(k) && !/^class\d$/.test(k));
  assert.deepEqual(unused, [], 'every key the host sends is shown somewhere');
});

test('the webview source holds no English sentence (its text comes from the host)', () => {
  const suspicious: string[] = [];
  for (const file of files(join(root, 'src/webview'))) {
    if (file.endsWith('codeSnippets.ts')) continue; // code is code, not prose
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    for (const m of text.matchAll(/(['`])([A-Z][a-z]+(?: [a-z]+){2,}[^'`]*)\1/g)) suspicious.push(`${file}: ${m[2]}`);
  }
  // console.warn diagnostics are for developers, not users.
  assert.deepEqual(suspicious.filter((line) => !line.includes('fashion-mnist dashboard:')), []);
});

test('placeholders are filled in order, and missing keys show themselves', () => {
  assert.equal(fillPlaceholders('Epoch {0} of {1}', [3, 10]), 'Epoch 3 of 10');
  assert.equal(fillPlaceholders('第 {1} 轮中的第 {0} 轮', [3, 10]), '第 10 轮中的第 3 轮');
  assert.equal(fillPlaceholders('{0} and {2}', ['a']), 'a and {2}');
  const s = new Strings({ progressEpoch: 'Epoch {0} of {1}' }, 'en');
  assert.equal(s.t('progressEpoch', 1, 2), 'Epoch 1 of 2');
  assert.equal(s.t('buttonTrain'), '⟦buttonTrain⟧');
  assert.equal(s.className(3), '⟦class3⟧');
});

test('numbers follow the locale, and a bad locale falls back to English', () => {
  const en = new Strings({ durationMinutes: '{0} min {1} s', durationSeconds: '{0} s' }, 'en');
  assert.equal(en.percent(0.8812), '88.1%');
  assert.equal(en.int(60000), '60,000');
  assert.equal(en.duration(125), '2 min 5 s');
  assert.equal(en.duration(42.4), '42 s');
  assert.equal(en.signedPoints(1.64), '+1.6');
  assert.equal(en.signedPoints(-0.4), '−0.4');
  const de = new Strings({}, 'de');
  assert.equal(de.int(60000), '60.000');
  assert.equal(new Strings({}, 'not a locale!').locale, 'en');
});
