// The CLI speaks the terminal's language: `node dist/cli.js` (built by `npm test`) under LANG and LC_ALL.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertCliBuilt, cliRunner } from './cliProcess';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const readJson = (file: string): Record<string, string> => JSON.parse(readFileSync(join(root, file), 'utf8'));
const hasChinese = (text: string): boolean => /[\u4e00-\u9fff]/.test(text);

// The locale variables are the test's alone: each call gives LANG, LC_ALL or both.
const { runSync: runCli } = cliRunner({});

before(assertCliBuilt);

test('the CLI prints its help in Chinese under LANG=zh_CN.UTF-8, and in English under LANG=C', () => {
  const chinese = readJson('l10n/bundle.l10n.zh-cn.json');
  const usage = 'Usage: node dist/cli.js <command> [options]';
  const zh = runCli(['--help'], { LANG: 'zh_CN.UTF-8' });
  assert.equal(zh.status, 0, zh.stderr);
  assert.ok(zh.stdout.includes(chinese[usage]), zh.stdout);
  assert.ok(zh.stdout.includes(chinese['Commands:']), zh.stdout);
  assert.ok(!zh.stdout.includes(usage), zh.stdout);
  const en = runCli(['--help'], { LANG: 'C.UTF-8' });
  assert.equal(en.status, 0, en.stderr);
  assert.ok(en.stdout.includes(usage), en.stdout);
  assert.ok(!hasChinese(en.stdout), en.stdout);
});

test('the CLI reports a usage error in Chinese when LC_ALL asks for zh_CN, whatever LANG says', () => {
  const result = runCli(['dance'], { LANG: 'en_US.UTF-8', LC_ALL: 'zh_CN.UTF-8' });
  assert.equal(result.status, 2);
  const chinese = readJson('l10n/bundle.l10n.zh-cn.json');
  const unknown = chinese['Unknown command "{0}"; use train, sweep, classify, runs, bench, setup-native or export-notebook.'].replace('{0}', 'dance');
  const expected = chinese['Error: {0}'].replace('{0}', unknown);
  assert.ok(result.stderr.startsWith(expected), result.stderr);
});

