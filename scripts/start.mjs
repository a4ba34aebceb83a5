// `npm start`: build, then open a VS Code with this extension loaded from the work tree, no packaging.
// - Desktop VS Code (`code` on PATH): `code --extensionDevelopmentPath=<repo> <sample folder>`.
// - Otherwise code-server on 127.0.0.1 (installed into the cache folder on first use), with the extension
//   passed in the workbench URL; the URL is printed, open it in a browser. Ctrl+C stops the server.
// FMT_START_HOST=code-server forces the second; FMT_PORT picks the port (default 8391, else a free one).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { cacheDir, freePort, log, repoRoot, startCodeServer, workbenchUrl } from './vscode-env.mjs';

const sampleFolder = join(repoRoot, 'test-output', 'try-it');

/** A few test-set images to right-click ("Classify with Fashion-MNIST Model") in the Explorer. */
async function writeSamples() {
  mkdirSync(sampleFolder, { recursive: true });
  const { testImagePng } = await tsImport('../test/vscode/fixtureImage.ts', import.meta.url);
  const names = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'ankle-boot'];
  const written = new Set();
  // The first test images cover most classes; one file per class is enough to try.
  for (let index = 0; index < 60 && written.size < 5; index++) {
    try {
      const { png, image } = testImagePng(index);
      if (written.has(image.label)) continue;
      written.add(image.label);
      writeFileSync(join(sampleFolder, `${names[image.label]}-${index}.png`), png);
    } catch (error) {
      log(`no sample images (${error instanceof Error ? error.message : error}); right-click any PNG or JPEG instead`);
      return;
    }
  }
}

function hasDesktopCode() {
  if (process.env.FMT_START_HOST === 'code-server') return false;
  return spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function portToUse() {
  const wanted = Number(process.env.FMT_PORT || 8391);
  const probe = await globalThis.fetch(`http://127.0.0.1:${wanted}/healthz`).then(() => true, () => false);
  return probe ? freePort() : wanted;
}

if (!process.argv.includes('--no-build')) {
  const build = spawnSync('node', ['esbuild.mjs'], { stdio: 'inherit', cwd: repoRoot });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
await writeSamples();

if (hasDesktopCode()) {
  log(`opening VS Code with the extension from ${repoRoot}`);
  const child = spawn('code', ['--new-window', `--extensionDevelopmentPath=${repoRoot}`, sampleFolder], { stdio: 'inherit' });
  child.on('close', (code) => process.exit(code ?? 0));
} else {
  const server = await startCodeServer({ profileDir: join(cacheDir, 'run', 'start'), fresh: false, port: await portToUse() });
  const url = workbenchUrl({ ...server, folder: existsSync(sampleFolder) ? sampleFolder : repoRoot, extensionDevelopmentPath: repoRoot });
  console.log(`
Fashion-MNIST Trainer is loaded in VS Code (code-server ${server.url}). Open this URL in a browser:

  ${url}

Then: F1 -> "Train Fashion-MNIST" (or "Fashion-MNIST: Open Dashboard"); right-click an image in the Explorer ->
"Classify with Fashion-MNIST Model". Notification toasts are hidden in this test mode; the bell in the status bar
lists them. Press Ctrl+C here to stop the server. (Server log: ${server.logFile})
`);
  // Stay in the foreground; the exit hooks in vscode-env.mjs stop code-server's whole process group.
  await new Promise((resolve) => server.child.on('exit', resolve));
  log('code-server exited');
}
