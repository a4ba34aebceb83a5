/**
 * The dashboard webview in Chromium, outside VS Code: scripts/preview/ serves the real webview
 * bundle with fixture states (?theme=dark|light|hc &mode=finished|midrun|idle|loading|stopped|error
 * &locale=en|zh-cn) and VS Code's theme variables. Shared by the browser tests.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/preview/main.ts'), '--port', '0'], {
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

/** The looks a view is checked in (axe, screenshots): the three themes in English, and Chinese in the dark theme. */
export const THEMES_AND_LOCALES = [['dark', 'en'], ['light', 'en'], ['hc', 'en'], ['dark', 'zh-cn']] as const;

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

/**
 * The insight views as a keyboard user reaches them in the finished fixture: the evaluate cell's slider moved to
 * epoch 3 (Home, →, →), test image 3 opened with Enter (its detail and saliency map), pinned with Enter on Pin,
 * and first-layer unit 2 picked with →, →, Enter. `stage` runs after each, on the page as it is then.
 */
export async function openInsightViewsByKeyboard(page: Page, stage: (name: string) => Promise<void> = async () => undefined): Promise<void> {
  await page.waitForSelector('#epoch-slider-evaluate');
  await page.focus('#epoch-slider-evaluate');
  for (const key of ['Home', 'ArrowRight', 'ArrowRight']) await page.keyboard.press(key);
  await page.waitForFunction(() => [...document.querySelectorAll('.epoch-range')].every((i) => /\b3\b/.test(i.getAttribute('aria-valuetext') ?? '')));
  await stage('slider at epoch 3');
  await page.focus('.prediction-grid .tile >> nth=3');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.detail.open .saliency canvas.saliency-image');
  await stage('detail with saliency');
  await page.focus('.detail.open .detail-pin');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.pinned .pin .pin-chart');
  await page.waitForSelector('.pinned .pin-image.loaded');
  await stage('an image pinned');
  await page.focus('.first-layer .unit >> nth=0');
  for (const key of ['ArrowRight', 'ArrowRight', 'Enter']) await page.keyboard.press(key);
  await page.waitForSelector('.unit[aria-pressed="true"][data-focus-key="unit-2"]');
  await page.waitForFunction(() => document.querySelectorAll('.unit-tops canvas.loaded').length === 8);
  await stage('first-layer unit 2 selected');
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

let axeSource: string | undefined;

/**
 * axe's violations (WCAG 2.1 A and AA and its best practices) on the page as it is now, within `scope` (a
 * selector; the whole document by default), one line each: rule, impact, the elements, why.
 */
export async function axeViolations(page: Page, scope?: string): Promise<string[]> {
  axeSource ??= readFileSync(join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  // The harness's CSP allows only its own scripts, so axe goes in through the DevTools protocol, not a <script>.
  await page.evaluate(axeSource);
  const context = scope === undefined ? 'document' : `document.querySelector(${JSON.stringify(scope)})`;
  const found = (await page.evaluate(`axe.run(${context}, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    resultTypes: ['violations'],
  }).then((r) => r.violations)`)) as AxeViolation[];
  return found.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join(' | ')}`,
  );
}
