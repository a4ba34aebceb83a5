/**
 * What a test needs from the machine (the real dataset, Chromium): on a developer's machine without it the
 * test is skipped with the reason; under CI, which installs everything (.ci/run), a missing requirement is a
 * failure, so no part of the suite can pass by skipping there.
 */
import assert from 'node:assert/strict';

/** The options object for node:test: skip with `missing` locally, run (and fail) under CI. */
export function requires(missing: string | false | undefined): { skip: string | false } {
  return { skip: missing && !process.env.CI ? missing : false };
}

/** Inside a test: fails under CI when `missing` names what is missing, else skips the test. */
export function requireOrSkip(context: { skip(reason: string): void }, missing: string | false | undefined): boolean {
  if (!missing) return true;
  assert.ok(!process.env.CI, `${missing} (CI installs it: .ci/run)`);
  context.skip(missing);
  return false;
}
