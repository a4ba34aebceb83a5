// Runs the UI tests in test/e2e against the PACKAGED extension, the way a user gets it:
// `npm run package` (vsce) -> dist-vsix/*.vsix -> `code-server --install-extension` -> code-server on
// 127.0.0.1 with short training settings -> `node --test test/e2e/*.e2e.ts` drives it with Chromium.
// The test files read the server's address and folders from FMT_E2E_* variables. code-server is stopped
// at the end, also when a test fails or the run is interrupted.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, installVsix, log, repoRoot, startCodeServer } from './vscode-env.mjs';

const vsixDir = join(repoRoot, 'dist-vsix');
const outputDir = join(repoRoot, 'test-output', 'e2e');
const workspace = join(repoRoot, 'test-output', 'e2e-workspace');
// A profile per run, so two runs at once never share one.
const profileDir = join(cacheDir, 'run', `e2e-${process.pid}`);

/**
 * Short settings, as a user would type them into settings.json: 5 epochs on all 60,000 images take seconds
 * (about 1 s an epoch here), yet last long enough for the test to see the progress bar mid-run; 2,000 test
 * images keep the grid small.
 */
const E2E_SETTINGS = {
  // FMT_E2E_EPOCHS=10 gives the whole tutorial run (about a minute more), e.g. for the README's screenshot.
  'fashionMnist.epochs': Number(process.env.FMT_E2E_EPOCHS || 5),
  'fashionMnist.trainSubset': 0,
  'fashionMnist.testSubset': 2000,
  'fashionMnist.batchSize': 32,
  'fashionMnist.allowDownload': false,
  'workbench.colorTheme': 'Dark Modern',
  // The dashboard and the Explorer side by side, nothing else competing for the window.
  'workbench.activityBar.location': 'default',
  'window.commandCenter': false,
};

function packageVsix() {
  rmSync(vsixDir, { recursive: true, force: true });
  log('packaging the extension with vsce (npm run package)');
  const result = spawnSync('npm', ['run', '--silent', 'package'], { stdio: 'inherit', cwd: repoRoot });
  if (result.status !== 0) throw new Error('npm run package failed');
  const vsix = readdirSync(vsixDir).find((f) => f.endsWith('.vsix'));
  if (!vsix) throw new Error(`no .vsix in ${vsixDir}`);
  return join(vsixDir, vsix);
}

function testFiles() {
  const dir = join(repoRoot, 'test', 'e2e');
  return readdirSync(dir).filter((f) => f.endsWith('.e2e.ts')).sort().map((f) => join(dir, f));
}

async function main() {
  const vsix = packageVsix();
  rmSync(profileDir, { recursive: true, force: true });
  installVsix(vsix, { profileDir });
  rmSync(outputDir, { recursive: true, force: true });
  mkdirSync(outputDir, { recursive: true });
  rmSync(workspace, { recursive: true, force: true });
  mkdirSync(workspace, { recursive: true });
  const server = await startCodeServer({ profileDir, settings: E2E_SETTINGS, fresh: false });
  log(`code-server ${server.url} with ${vsix} installed`);
  try {
    const code = await new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=900000', ...testFiles()], {
        stdio: 'inherit',
        cwd: repoRoot,
        env: {
          ...process.env,
          FMT_E2E_URL: server.url,
          FMT_E2E_WORKSPACE: workspace,
          FMT_E2E_OUTPUT: outputDir,
          FMT_E2E_USER_SETTINGS: join(server.userDataDir, 'User', 'settings.json'),
          FMT_E2E_PROFILE: profileDir,
          FMT_E2E_VSIX: vsix,
        },
      });
      child.on('close', (c) => resolve(c ?? 1));
    });
    if (code === 0) rmSync(profileDir, { recursive: true, force: true });
    else log(`kept ${profileDir} (code-server log, profile) for a look`);
    return code;
  } finally {
    server.stop();
  }
}

const code = await main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  // node's test runner never reported: say so in its own summary words, so the caller counts one failure.
  console.log('# fail 1');
  return 1;
});
process.exit(code);
