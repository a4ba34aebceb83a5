// The README's table of `npm run train` options (English and Chinese) follows the one hyper-parameter schema:
// every flag the schema gives the CLI has a row, and a range a row states is the schema's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HYPER_PARAMETER_SCHEMA } from '../../src/domain/hyperParameters';
import { MAX_POOLS } from '../../src/core/hyperParameters';

const root = join(__dirname, '..', '..');

function optionRows(file: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readFileSync(join(root, file), 'utf8').split('\n')) {
    const match = /^\| `(--[a-z0-9-]+)[^`]*` \|(.*)$/.exec(line);
    if (match) rows.set(match[1], match[2]);
  }
  return rows;
}

for (const file of ['README.md', 'README.zh-CN.md']) {
  test(`${file}: every CLI flag of the schema has a row, with the schema's range where the row states one`, () => {
    const rows = optionRows(file);
    for (const [name, spec] of Object.entries(HYPER_PARAMETER_SCHEMA)) {
      if (!('flag' in spec) || spec.flag === undefined) continue;
      const row = rows.get(spec.flag);
      assert.ok(row !== undefined, `${file} has no row for ${spec.flag} (${name})`);
      const range = /\((\d+(?:\.\d+)?)\.\.(\d+(?:\.\d+)?)\)/.exec(row);
      if (range && (spec.kind === 'integer' || spec.kind === 'number')) {
        assert.deepEqual([Number(range[1]), Number(range[2])], [spec.min, spec.max], `${file}: ${spec.flag}'s range`);
      }
      if (spec.kind === 'convList') {
        assert.ok(range, `${file}: ${spec.flag}'s row states the range of filters`);
        assert.deepEqual([Number(range[1]), Number(range[2])], [spec.filters.min, spec.filters.max], `${file}: ${spec.flag}'s filters`);
        assert.match(row, new RegExp(`${MAX_POOLS}`), `${file}: ${spec.flag}'s most blocks`);
      }
      const atMost = /≤ (\d+(?:\.\d+)?)/.exec(row);
      if (atMost && (spec.kind === 'integer' || spec.kind === 'number')) assert.equal(Number(atMost[1]), spec.max, `${file}: ${spec.flag}'s maximum`);
    }
  });
}
