/**
 * The dashboard webview in Chromium, outside VS Code: scripts/preview-dashboard.mjs serves the real webview
 * bundle with fixture states (?theme=dark|light|hc &mode=finished|midrun|idle|loading|stopped|error
 * &locale=en|zh-cn) and VS Code's theme variables. Shared by the browser tests.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const root = join(__dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
/** Why the browser tests cannot run here, or undefined. */
export const unavailable = !existsSync(CHROMIUM) ? `${CHROMIUM} is not installed (apt install chromium)` : undefined;

export interface PreviewHarness {
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startHarness(): Promise<PreviewHarness> {
  // Port 0: the harness picks a free port and prints its URL. It bundles the webview from src itself.
  const child: ChildProcess = spawn(process.execPath, [join(root, 'scripts/preview-dashboard.mjs'), '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const url = output.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (url) resolve(url[0]);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`the preview harness exited (${code}):\n${output}`)));
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    baseUrl,
    browser,
    close: async () => {
      await browser.close();
      child.kill();
    },
  };
}

export interface OpenOptions {
  mode: string;
  theme?: 'dark' | 'light' | 'hc';
  locale?: 'en' | 'zh-cn';
  width?: number;
}

/** A fresh page with the dashboard in the given state; `problems` collects page errors and console errors. */
export async function openDashboard(harness: PreviewHarness, options: OpenOptions): Promise<{ page: Page; problems: string[] }> {
  assert.ok(harness.browser);
  const context = await harness.browser.newContext({ viewport: { width: options.width ?? 1100, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.goto(`${harness.baseUrl}/?theme=${options.theme ?? 'dark'}&mode=${options.mode}&locale=${options.locale ?? 'en'}`);
  await page.waitForSelector('.cell h2');
  return { page, problems };
}
