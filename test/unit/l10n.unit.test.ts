import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configureLocale, normalizeLocale, t, terminalLocale } from '../../src/core/text/l10n';
// @ts-expect-error plain ESM script without types
import { englishBundle, extractStrings } from '../../scripts/l10n-strings.mjs';

const root = join(__dirname, '..', '..');
const readJson = (file: string): Record<string, string> => JSON.parse(readFileSync(join(root, file), 'utf8'));
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const hasChinese = (text: string): boolean => /[\u4e00-\u9fff]/.test(text);
// Chinese characters or Chinese (full-width) punctuation: "node（tfjs-node）" is translated, "node (tfjs-node)" is not.
const readsAsChinese = (text: string): boolean => /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/.test(text);

test('normalizeLocale maps the usual spellings of Simplified Chinese to zh-cn', () => {
  for (const l of ['zh_CN.UTF-8', 'zh-CN', 'zh-cn', 'zh-Hans', 'zh']) assert.equal(normalizeLocale(l), 'zh-cn', l);
  assert.equal(normalizeLocale('en_US.UTF-8'), 'en-us');
  assert.equal(normalizeLocale(undefined), 'en');
});

test('terminalLocale prefers LC_ALL over LANG', () => {
  assert.equal(terminalLocale({ LC_ALL: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' }), 'zh-cn');
  assert.equal(terminalLocale({ LANG: 'C.UTF-8' }), 'c');
});

test('every localize call has a literal English key, and l10n/bundle.l10n.json is current (run `npm run l10n`)', () => {
  const { strings, problems } = extractStrings(root);
  assert.deepEqual(problems, []);
  assert.ok(strings.size > 50, `only ${strings.size} strings found: is the extraction looking in src/?`);
  assert.deepEqual(readJson('l10n/bundle.l10n.json'), englishBundle(strings));
});

test('the zh-cn bundle translates exactly the English keys, keeping every placeholder', () => {
  const english = readJson('l10n/bundle.l10n.json');
  const chinese = readJson('l10n/bundle.l10n.zh-cn.json');
  assert.deepEqual(Object.keys(chinese).filter((k) => !(k in english)), [], 'keys no longer used');
  assert.deepEqual(Object.keys(english).filter((k) => !(k in chinese)), [], 'keys not translated');
  for (const [key, value] of Object.entries(chinese)) {
    assert.equal(typeof value, 'string', key);
    assert.notEqual(value.trim(), '', `empty translation for ${key}`);
    assert.deepEqual(placeholders(value), placeholders(key), `placeholders differ for ${key}`);
  }
});

// A key pasted in as its own "translation" passes the checks above; this catches it. Only names that stay
// the same in Chinese may be left without Chinese characters.
// Names, and the sentence joiner (English puts a space between two sentences, Chinese puts none).
const SAME_IN_CHINESE = new Set(['Fashion-MNIST', '{0} {1}', 'Dropout', 'L2', 'L2 {0}', '{0} − 1', 'dropout {0}']);

test('every zh-cn value is actually Chinese, apart from names that read the same in both languages', () => {
  const chinese = readJson('l10n/bundle.l10n.zh-cn.json');
  const untranslated = Object.entries(chinese)
    .filter(([key, value]) => !SAME_IN_CHINESE.has(key) && !readsAsChinese(value))
    .map(([key]) => key);
  assert.deepEqual(untranslated, []);
});

/**
 * Words the user must read or type exactly as they are: settings ids, command-line flags, npm and apt
 * commands, file names, package names, code in backticks. A translation may move them, never change them.
 */
function technicalTokens(text: string): string[] {
  const patterns = [
    /fashionMnist\.[\w{}]+/g,
    /(?<![\w-])--[a-z][a-z-]*/g,
    /npm (?:run|install) [\w@/.-]+/g,
    /sudo apt install(?: --reinstall)? [\w-]+/g,
    /[\w./-]+\.(?:json|gz|py|wasm)\b/g,
    /@tensorflow\/[\w-]+/g,
    /\b(?:tfjs-node|dataset-fashion-mnist|python3-torch|weightsManifest|modelTopology|SHA-256)\b/g,
    /`[^`]+`/g,
    /\[null, [\d, ]+\]/g,
    /\bCtrl\+C\b/g,
  ];
  return patterns.flatMap((pattern) => text.match(pattern) ?? []);
}

test('the zh-cn bundle keeps settings ids, flags, commands, file names and code exactly', () => {
  const chinese = readJson('l10n/bundle.l10n.zh-cn.json');
  const changed: string[] = [];
  for (const [key, value] of Object.entries(chinese)) {
    for (const token of technicalTokens(key)) if (!value.includes(token)) changed.push(`${token}  in  ${key}`);
  }
  assert.deepEqual(changed, []);
});

test('the class names are the ones the Chinese tutorial uses', () => {
  const chinese = readJson('l10n/bundle.l10n.zh-cn.json');
  const english = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
  assert.deepEqual(
    english.map((name) => chinese[name]),
    ['T恤/上衣', '裤子', '套头衫', '连衣裙', '外套', '凉鞋', '衬衫', '运动鞋', '包', '短靴'],
  );
});

test('the manifest strings exist in English and Chinese, and every %key% in package.json is defined', () => {
  const english = readJson('package.nls.json');
  const chinese = readJson('package.nls.zh-cn.json');
  assert.deepEqual(Object.keys(chinese).sort(), Object.keys(english).sort());
  const manifest = readFileSync(join(root, 'package.json'), 'utf8');
  const used = [...manifest.matchAll(/"%([^"%]+)%"/g)].map((m) => m[1]);
  assert.ok(used.length > 10);
  assert.deepEqual(used.filter((key) => !(key in english)), []);
  for (const [key, value] of Object.entries(chinese)) {
    assert.notEqual(String(value).trim(), '', key);
    if (english[key] !== value) assert.ok(hasChinese(value), `${key} is not translated`);
    for (const token of technicalTokens(english[key])) assert.ok(value.includes(token), `${key} lost ${token}`);
  }
});

test('the train command stays findable by its English name in the Chinese command palette', () => {
  const english = readJson('package.nls.json');
  const chinese = readJson('package.nls.zh-cn.json');
  assert.ok(chinese['command.train'].includes(english['command.train']), chinese['command.train']);
  assert.ok(hasChinese(chinese['command.train']));
});

test('the core speaks Chinese when the locale is zh_CN, English otherwise', () => {
  const l10nDir = join(root, 'l10n');
  try {
    configureLocale('zh_CN.UTF-8', l10nDir);
    const chinese = t('Unexpected error: {0}', 'x');
    assert.notEqual(chinese, 'Unexpected error: x');
    assert.ok(hasChinese(chinese), chinese);
    assert.match(chinese, /x/);
    configureLocale('en', l10nDir);
    assert.equal(t('Unexpected error: {0}', 'x'), 'Unexpected error: x');
  } finally {
    configureLocale('en', l10nDir);
  }
});

test('the CLI joins an error and its action as each language does: a space in English, none in Chinese', () => {
  const l10nDir = join(root, 'l10n');
  try {
    configureLocale('zh_CN.UTF-8', l10nDir);
    assert.equal(t('{0} {1}', '数据不完整。', '请重新下载。'), '数据不完整。请重新下载。');
    assert.equal(t('{0}m {1}s', 1, '05'), '1 分 05 秒');
    configureLocale('en', l10nDir);
    assert.equal(t('{0} {1}', 'Data is incomplete.', 'Download it again.'), 'Data is incomplete. Download it again.');
  } finally {
    configureLocale('en', l10nDir);
  }
});
