/**
 * The CLI as a user runs it, for the tests of test/cli: `node dist/cli.js ...` (built by `npm test`) in a child
 * process, in the C locale unless a test asks for another, with the environment a test file gives it (its
 * private cache folder, so no test reads or writes the user's model and data cache).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** TEST_CLI_PATH lets the suites run against another build of the CLI (its worker.js must sit beside it). */
export const cliPath = resolve(process.env.TEST_CLI_PATH ?? 'dist/cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from start to exit. */
  ms: number;
}

/** For a `before()`: the suite cannot run without the built CLI, and says how to build it. */
export function assertCliBuilt(): void {
  assert.ok(existsSync(cliPath), `${cliPath} is missing: run "npm run build" (npm test builds it).`);
}

/** Runs the CLI with `base` (a test file's environment) over the C locale and the test process's environment. */
export function cliRunner(base: NodeJS.ProcessEnv) {
  const environment = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...process.env, LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', ...base, ...env });
  const start = (args: string[], env: NodeJS.ProcessEnv = {}): ChildProcessWithoutNullStreams =>
    spawn(process.execPath, [cliPath, ...args], { env: environment(env) });

  /**
   * Collects a started process's output until it exits; `onStdout` sees the whole stdout so far after each
   * chunk (a test that signals the process mid-run); `closeStdout` reads nothing, as `| head -0` does.
   */
  const collect = (
    child: ChildProcessWithoutNullStreams,
    options: { closeStdout?: boolean; onStdout?: (stdout: string) => void } = {},
  ): Promise<CliResult> =>
    new Promise((resolveRun, reject) => {
      const started = Date.now();
      let stdout = '';
      let stderr = '';
      if (options.closeStdout) child.stdout.destroy();
      else
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          options.onStdout?.(stdout);
        });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolveRun({ code, stdout, stderr, ms: Date.now() - started }));
    });

  /** Runs to exit and collects the output. */
  const run = (args: string[], env: NodeJS.ProcessEnv = {}, options: { closeStdout?: boolean } = {}): Promise<CliResult> =>
    collect(start(args, env), options);

  /** The same, waiting in place (for quick commands). */
  const runSync = (args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } => {
    const result = spawnSync(process.execPath, [cliPath, ...args], { env: environment(env), encoding: 'utf8' });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  /** The running process, for a test that talks to it (a signal mid-run). */
  return { run, runSync, start, collect };
}
