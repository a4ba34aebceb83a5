// Fuzz of the two loaders that read what anyone can write: the run-record loader and the image decoders,
// over deterministically mutated inputs (fuzzInputs.ts), in a child process whose heap is bounded and whose
// resident memory the driver checks after every case. The time limit only guards against a hang; no timing
// is asserted. Each input must end as a value or a clean TrainerError, and stdout must carry nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const HANG_GUARD_MS = 15 * 60_000;

test('mutated run records and images end as a value or a clean error, within the memory bound, printing nothing', () => {
  const result = spawnSync(process.execPath, ['--max-old-space-size=512', '--import', 'tsx', join(__dirname, 'fuzzInputs.ts'), '400', '40'], {
    encoding: 'utf8',
    timeout: HANG_GUARD_MS,
    maxBuffer: 16 * 1048576,
  });
  assert.equal(result.signal, null, `the fuzz driver was killed (${result.signal}): a hang or a crash\n${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `only the summary on stdout; got:\n${result.stdout.slice(0, 2000)}`);
  const summary = JSON.parse(lines[0]) as { failure?: string; detail?: string; records?: { accepted: number; refused: number }; images?: { accepted: number; refused: number } };
  assert.equal(summary.failure, undefined, `${summary.failure}\n${summary.detail}`);
  assert.equal(result.status, 0, result.stderr);
  // The mutations reach both sides: some inputs still load, many are refused.
  assert.ok(summary.records && summary.records.refused > 0 && summary.records.accepted > 0, JSON.stringify(summary.records));
  assert.ok(summary.images && summary.images.refused > 0 && summary.images.accepted > 0, JSON.stringify(summary.images));
});
