/**
 * Runs the built CLI as a user does (`node dist/cli.js ...`) with a private cache folder (so a test neither
 * reads nor writes the user's model, data cache or run history) and English output; its exit code and output.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

// TEST_CLI_PATH lets a suite run against another build of the CLI (its worker.js must sit beside it).
export const cliPath = resolve(process.env.TEST_CLI_PATH ?? 'dist/cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node cliPath ...args` with XDG_CACHE_HOME in `scratch` and the run history in its default place there. */
export function runCli(scratch: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: '', XDG_CACHE_HOME: join(scratch, 'cache'), FASHION_MNIST_RUNS: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
  });
}
