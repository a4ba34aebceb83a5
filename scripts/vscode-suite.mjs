// Runs the mocha suite in test/vscode inside a real VS Code extension host, on whichever host is here:
// - `@vscode/test-electron` when VSCODE_EXECUTABLE names a desktop VS Code (or FMT_VSCODE_HOST=electron,
//   which lets test-electron download one where the network allows it);
// - code-server otherwise (installed into the cache folder on first use), with the suite injected through
//   the workbench URL and its console and exit code read through Chromium.
// Prints `vscode suite on <host>: N passed, N failed, N skipped` and exits non-zero when a test failed.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { fileURLToPath } from 'node:url';
import {
  cacheDir,
  CHROMIUM,
  CHROMIUM_ARGS,
  log,
  repoRoot,
  startCodeServer,
  workbenchUrl,
} from './vscode-env.mjs';

const outDir = join(repoRoot, 'out', 'test', 'vscode');
const testIndex = join(outDir, 'index');
const outputDir = join(repoRoot, 'test-output');
// One folder per run (profile, browser, workspace, results), so two runs at once never share a profile.
const runDir = join(cacheDir, 'run', `integration-${process.pid}`);
const workspace = join(runDir, 'workspace');
const resultsFile = join(runDir, 'results.json');
const SUITE_TIMEOUT_MS = 15 * 60_000;

/** Bundles the suite (mocha included) into one CommonJS file the extension host can require. */
export async function buildSuite() {
  rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: { index: join(repoRoot, 'test/vscode/index.ts') },
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode'],
    logLevel: 'warning',
    // mocha's parallel mode resolves a worker file at run time; the suite runs serially and never needs it.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
}

function prepareRunDir() {
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(workspace, { recursive: true });
  mkdirSync(outputDir, { recursive: true });
}

function readResults(logLines) {
  if (existsSync(resultsFile)) return JSON.parse(readFileSync(resultsFile, 'utf8'));
  // The host could not write the file (e.g. another file system): fall back to the suite's summary line.
  const line = [...logLines].reverse().find((l) => /\[vscode-suite\] \d+ passed/.test(l));
  const m = line?.match(/(\d+) passed, (\d+) failed, (\d+) skipped/);
  return m ? { passed: +m[1], failed: +m[2], skipped: +m[3] } : undefined;
}

async function runOnElectron() {
  const { runTests } = await import('@vscode/test-electron');
  const userDataDir = join(runDir, 'electron-user-data');
  const exitCode = await runTests({
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: testIndex,
    extensionTestsEnv: { FMT_VSCODE_RESULTS: resultsFile },
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
      '--user-data-dir', userDataDir],
  }).catch((error) => {
    console.error(String(error));
    return 1;
  });
  return { exitCode, logLines: [] };
}

async function runOnCodeServer() {
  const { chromium } = await import('playwright-core');
  const server = await startCodeServer({
    profileDir: join(runDir, 'code-server'),
    env: { FMT_VSCODE_RESULTS: resultsFile },
  });
  let browser;
  const logLines = [];
  try {
    browser = await chromium.launchPersistentContext(join(runDir, 'chromium'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const page = browser.pages()[0] ?? (await browser.newPage());
    let settle;
    const exited = new Promise((resolve) => (settle = resolve));
    // The extension host's console arrives here while the suite runs; exit comes once, with run()'s outcome.
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      // Mocha's reporters log with printf-style format strings; format them as the console would.
      const text = Array.isArray(args) ? format(...args) : String(args);
      for (const line of text.split('\n')) {
        logLines.push(line);
        // The workbench's own stack traces (offline marketplace look-ups) say nothing about the suite.
        if (!/^\s*at .*\/workbench\.js:/.test(line)) console.log(`  ${line}`);
      }
    });
    await page.exposeFunction('codeAutomationExit', (code) => settle(Number(code)));
    const url = workbenchUrl({ ...server, folder: workspace, extensionDevelopmentPath: repoRoot, extensionTestsPath: testIndex });
    await page.goto(url);
    const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), SUITE_TIMEOUT_MS).unref());
    const exitCode = await Promise.race([exited, timeout]);
    if (exitCode === 'timeout') {
      console.error(`the suite did not finish within ${SUITE_TIMEOUT_MS / 60_000} minutes; code-server log: ${server.logFile}`);
      await page.screenshot({ path: join(outputDir, 'vscode-suite-timeout.png') }).catch(() => undefined);
      return { exitCode: 1, logLines };
    }
    return { exitCode, logLines };
  } finally {
    await browser?.close().catch(() => undefined);
    server.stop();
  }
}

export function pickHost() {
  const wanted = process.env.FMT_VSCODE_HOST;
  if (wanted === 'electron' || wanted === 'code-server') return wanted;
  return process.env.VSCODE_EXECUTABLE ? 'electron' : 'code-server';
}

/** Runs the suite; returns { host, passed, failed, skipped }. */
export async function runVscodeSuite() {
  const host = pickHost();
  log(`in-VS-Code suite on ${host === 'electron' ? '@vscode/test-electron' : 'code-server'}`);
  await buildSuite();
  prepareRunDir();
  const { exitCode, logLines } = host === 'electron' ? await runOnElectron() : await runOnCodeServer();
  const results = readResults(logLines) ?? { passed: 0, failed: 1, skipped: 0 };
  // Keep the run folder (code-server's log, the profile) only when something went wrong.
  if (exitCode === 0 && results.failed === 0) rmSync(runDir, { recursive: true, force: true });
  else console.log(`  kept ${runDir} (code-server log, profile) for a look`);
  // A crash before mocha reported anything still has to count as a failure.
  if (exitCode !== 0 && results.failed === 0) results.failed = 1;
  for (const failure of results.failures ?? []) console.log(`  FAILED ${failure.title}\n    ${failure.error.split('\n')[0]}`);
  console.log(`vscode suite on ${host}: ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
  return { host, ...results };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const results = await runVscodeSuite();
  process.exit(results.failed > 0 ? 1 : 0);
}
