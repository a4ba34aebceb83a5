// The README's test command: build, then the unit tests (plain Node). The in-VS-Code suite and the UI
// tests join here when a VS Code host is available (see test/vscode and test/e2e).
import { spawnSync } from 'node:child_process';

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run('node', ['esbuild.mjs', '--quiet']);
run('npm', ['run', '--silent', 'test:unit']);
