// The house rule, enforced: no file of src/ or scripts/ is over 400 lines (a reader holds a file in mind; one
// that grows past this has more than one duty). The failure lists every offender with its length.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');
const MAX_LINES = 400;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Lines as an editor numbers them: a final newline does not start another. */
function lineCount(text: string): number {
  return text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

test(`no file in src/ or scripts/ is over ${MAX_LINES} lines`, () => {
  const offenders = ['src', 'scripts']
    .flatMap((dir) => files(join(root, dir)))
    .map((file) => ({ file: relative(root, file), lines: lineCount(readFileSync(file, 'utf8')) }))
    .filter(({ lines }) => lines > MAX_LINES);
  const list = offenders.map(({ file, lines }) => `${file}: ${lines} lines`).join('\n');
  assert.deepEqual(offenders, [], `over ${MAX_LINES} lines:\n${list}`);
});

test('the line count is an editor\'s', () => {
  assert.deepEqual(['', 'a', 'a\n', 'a\nb', 'a\nb\n', '\n\n'].map(lineCount), [0, 1, 1, 2, 2, 2]);
});
