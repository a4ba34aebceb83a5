/**
 * What every UI test starts from: the settings scripts/vscode-e2e.mjs hands over (the code-server URL, the
 * workspace, the output folder...) and a headless Chromium on a profile of its own, one page, VS Code's size.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** A setting of the run; without it the test was not started by `npm run test:e2e`, and says so. */
export function e2eSetting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the UI tests with \`npm run test:e2e\``);
  return value;
}

/** Chromium (CHROMIUM_PATH, else the system's) with a profile in `output`/`profileName`, and its first page. */
export async function launchWorkbenchBrowser(output: string, profileName: string): Promise<{ context: BrowserContext; page: Page }> {
  mkdirSync(output, { recursive: true });
  const context = await chromium.launchPersistentContext(join(output, profileName), {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1600, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(30_000);
  return { context, page };
}

/** The workbench of code-server at `server` with `workspace` open. */
export function workbenchUrl(server: string, workspace: string): string {
  return `${server}/?folder=${encodeURIComponent(workspace)}`;
}
