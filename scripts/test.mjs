// The README's test command (`npm test`):
//   1. build the four bundles;
//   2. the unit tests (plain Node, test/unit);
//   3. the CLI as a user runs it (the built dist/cli.js, test/cli);
//   4. the dashboard webview in Chromium, served by the preview harness (test/browser);
//   5. the mocha suite inside a real VS Code extension host (test/vscode), on @vscode/test-electron when
//      VSCODE_EXECUTABLE names a desktop VS Code, else on code-server (installed into a cache on first use);
//   6. the UI tests (test/e2e): Playwright + Chromium against the packaged .vsix installed in code-server.
// It says which host ran, and ends with one line `N passed, N failed, N skipped` over all parts.
// FMT_TEST_PARTS=unit,cli,browser,vscode,e2e picks parts (default: all). Without a VS Code host (no Node 24/
// code-server and no VSCODE_EXECUTABLE) the last two are skipped with the reason, except under CI, where that fails.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const parts = new Set((process.env.FMT_TEST_PARTS || 'unit,cli,browser,vscode,e2e').split(',').map((p) => p.trim()));
const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = [];
const started = Date.now();

function add(part, counts) {
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  summary.push(`${part}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped${counts.note ? ` (${counts.note})` : ''}`);
}

function finish() {
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(`\n== test summary (${minutes} min) ==`);
  for (const line of summary) console.log(line);
  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(totals.failed > 0 ? 1 : 0);
}

/** Runs a command, echoing its output, and returns its exit code and the whole stdout. */
function runEcho(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

/** Counts from node's test runner, in its TAP (piped) or spec (terminal) summary. */
function nodeTestCounts(out, code) {
  const count = (name) => {
    const m = out.match(new RegExp(`^(?:#|ℹ) ${name} (\\d+)\\s*$`, 'm'));
    return m ? Number(m[1]) : 0;
  };
  const counts = { passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo') };
  if (code !== 0 && counts.failed === 0) counts.failed = 1; // crashed before it could report
  return counts;
}

const build = spawnSync('node', ['esbuild.mjs', '--quiet'], { stdio: 'inherit' });
if (build.status !== 0) {
  add('build', { passed: 0, failed: 1, skipped: 0 });
  finish();
}

const NODE_TEST_PARTS = [
  ['unit', 'unit tests (node --test, test/unit)'],
  ['cli', 'the CLI as a user runs it (dist/cli.js, test/cli)'],
  ['browser', 'the dashboard webview in Chromium (test/browser)'],
];
for (const [part, title] of NODE_TEST_PARTS) {
  if (!parts.has(part)) continue;
  console.log(`\n== ${title} ==`);
  const { code, out } = await runEcho('node', ['scripts/node-tests.mjs', `test/${part}`]);
  add(part, nodeTestCounts(out, code));
}

// code-server is needed for the UI tests always, and for the suite unless a desktop VS Code is named.
const needsCodeServer = parts.has('e2e') || (parts.has('vscode') && !process.env.VSCODE_EXECUTABLE);
let hostProblem;
if (needsCodeServer) {
  try {
    const { ensureCodeServer } = await import('./vscode-env.mjs');
    ensureCodeServer();
  } catch (error) {
    hostProblem = `no VS Code host: ${error instanceof Error ? error.message : String(error)}`;
  }
}

if (parts.has('vscode')) {
  console.log('\n== in-VS-Code suite (mocha in a real extension host, test/vscode) ==');
  if (hostProblem && !process.env.VSCODE_EXECUTABLE) {
    add('vscode', { passed: 0, failed: process.env.CI ? 1 : 0, skipped: 1, note: hostProblem });
  } else {
    const { runVscodeSuite } = await import('./vscode-suite.mjs');
    const result = await runVscodeSuite().catch((error) => {
      console.error(error);
      return { host: 'code-server', passed: 0, failed: 1, skipped: 0 };
    });
    add('vscode', { ...result, note: `host: ${result.host === 'electron' ? '@vscode/test-electron' : 'code-server'}` });
  }
}

if (parts.has('e2e')) {
  console.log('\n== UI tests (Playwright + Chromium on code-server with the packaged .vsix, test/e2e) ==');
  if (hostProblem || !existsSync(process.env.CHROMIUM_PATH || '/usr/bin/chromium')) {
    const note = hostProblem ?? 'no Chromium at /usr/bin/chromium';
    add('e2e', { passed: 0, failed: process.env.CI ? 1 : 0, skipped: 1, note });
  } else {
    const { code, out } = await runEcho('node', ['scripts/vscode-e2e.mjs']);
    add('e2e', { ...nodeTestCounts(out, code), note: 'host: code-server + Chromium, screenshots in test-output/e2e' });
  }
}

finish();
