/**
 * The packaged extension, through the clicks a user makes, in a real VS Code workbench (code-server) driven
 * by Chromium: palette -> Train -> the dashboard's progress, charts and over-fitting indicator -> a prediction
 * tile's 10 probabilities -> a confusion-matrix cell filters the grid -> Explorer right-click -> Classify.
 * Started by scripts/vscode-e2e.mjs, which packages and installs the .vsix and starts code-server; the steps
 * run in order on one page, and once a step fails the later ones are skipped (they depend on it).
 * Screenshots of every step land in test-output/e2e (dark theme, then light).
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { type BrowserContext, chromium, type FrameLocator, type Page } from 'playwright-core';
import { testImagePng } from '../vscode/fixtureImage';
import { runCommand } from './commandPalette';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the UI tests with \`npm run test:e2e\``);
  return value;
};

const SERVER = env('FMT_E2E_URL');
const WORKSPACE = env('FMT_E2E_WORKSPACE');
const OUTPUT = env('FMT_E2E_OUTPUT');
const USER_SETTINGS = env('FMT_E2E_USER_SETTINGS');
const EPOCHS = Number(JSON.parse(readFileSync(USER_SETTINGS, 'utf8'))['fashionMnist.epochs'] ?? 5);
const FIXTURE = 'ankle-boot.png';

let context: BrowserContext;
let page: Page;
let broken: string | undefined;
let shot = 0;
/** Test image 0's ten probabilities as the dashboard's detail shows them; the fixture is that same image. */
let testImageZeroPercents: string[] = [];

/** The dashboard's document: the webview iframe, then VS Code's inner frame that holds the page. */
function dashboard(): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

async function screenshot(name: string): Promise<void> {
  shot += 1;
  await page.screenshot({ path: join(OUTPUT, `${String(shot).padStart(2, '0')}-${name}.png`) });
}

/** Runs one step; a failure keeps a screenshot and makes the steps after it skip with the reason. */
function step(name: string, body: () => Promise<void>): void {
  it(name, async (t: TestContext) => {
    if (broken) {
      t.skip(`an earlier step failed: ${broken}`);
      return;
    }
    try {
      await body();
    } catch (error) {
      broken = name;
      await screenshot(`FAILED-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`).catch(() => undefined);
      throw error;
    }
  });
}

/** Picks a color theme the way a user does: palette -> "Preferences: Color Theme" -> the theme's row. */
async function selectColorTheme(label: string, workbenchClass: string): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input.input');
  await input.fill(label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`.monaco-workbench.${workbenchClass}`).waitFor();
}

describe('Fashion-MNIST dashboard in VS Code (packaged .vsix)', () => {
  before(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    mkdirSync(WORKSPACE, { recursive: true });
    writeFileSync(join(WORKSPACE, FIXTURE), testImagePng(0).png);
    context = await chromium.launchPersistentContext(join(OUTPUT, '.chromium-profile'), {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1600, height: 1000 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30_000);
  });

  after(async () => {
    await context?.close();
  });

  step('the workbench opens the workspace', async () => {
    await page.goto(`${SERVER}/?folder=${encodeURIComponent(WORKSPACE)}`);
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FIXTURE }).waitFor({ timeout: 90_000 });
    // The user's theme (dark, from settings.json) is applied a moment after the Explorer shows.
    await page.locator('.monaco-workbench.vs-dark').waitFor();
    await screenshot('workbench');
  });

  step('palette -> "Train Fashion-MNIST" opens the dashboard and shows epoch progress', async () => {
    await runCommand(page, 'Train Fashion-MNIST');
    const view = dashboard();
    await view.locator('#cell-train').waitFor({ timeout: 60_000 });
    // Live progress: the overall bar is seen part-way (neither empty nor full) while the run goes.
    const bar = view.locator('#cell-train progress').first();
    const deadline = Date.now() + 120_000;
    let seen = -1;
    while (Date.now() < deadline) {
      seen = await bar.evaluate((el: HTMLProgressElement) => el.value / el.max).catch(() => -1);
      if (seen > 0 && seen < 1) break;
      await page.waitForTimeout(100);
    }
    await view.locator('#cell-train .progress-box').scrollIntoViewIfNeeded().catch(() => undefined);
    await screenshot('training-progress-dark');
    assert.ok(seen > 0 && seen < 1, `the progress bar was never seen part-way (last value ${seen})`);
  });

  step('the run finishes with one row per epoch', async () => {
    const view = dashboard();
    await view.locator('.epoch-table tbody tr').nth(EPOCHS - 1).waitFor({ timeout: 240_000 });
    await view.locator('.prediction-grid .tile').first().waitFor({ timeout: 60_000 });
    assert.equal(await view.locator('.epoch-table tbody tr').count(), EPOCHS);
    await screenshot('finished-dark');
  });

  step('the over-fitting indicator and the accuracy chart are there', async () => {
    const view = dashboard();
    const indicator = view.locator('#cell-evaluate .indicator');
    await indicator.scrollIntoViewIfNeeded();
    assert.ok((await indicator.innerText()).trim().length > 0, 'the over-fitting indicator is empty');
    const chart = view.locator('#cell-train .chart-box canvas').first();
    await chart.scrollIntoViewIfNeeded();
    const box = await chart.boundingBox();
    assert.ok(box && box.width > 100 && box.height > 50, `the accuracy chart is not drawn (box ${JSON.stringify(box)})`);
    // Chart.js draws into the canvas: a blank canvas would mean the chart never rendered.
    const inked = await chart.evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
      return data ? data.some((v, i) => i % 4 === 3 && v > 0) : false;
    });
    assert.ok(inked, 'the accuracy chart canvas is blank');
    await screenshot('evaluate-and-chart-dark');
  });

  step('clicking a prediction tile shows its 10 probabilities', async () => {
    const view = dashboard();
    const tile = view.locator('.prediction-grid .tile[data-index="0"]');
    await tile.scrollIntoViewIfNeeded();
    await tile.click();
    const rows = view.locator('.detail.open .probability-bars tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 10);
    const percents = await view.locator('.detail.open .probability-bars tbody td.num').allInnerTexts();
    testImageZeroPercents = percents;
    const sum = percents.map((p) => Number.parseFloat(p.replace(',', '.'))).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 100) < 2, `the 10 probabilities add up to ${sum}%`);
    await view.locator('.detail.open').scrollIntoViewIfNeeded();
    await screenshot('prediction-detail-dark');
  });

  step('clicking a confusion-matrix cell filters the grid to those images', async () => {
    // Switch to the light theme here, so both themes are seen (the webview follows VS Code's theme).
    await selectColorTheme('Light Modern', 'vs');
    const view = dashboard();
    const cell = view.locator('.confusion-matrix .confusion-cell.off-diagonal:not(.empty)').first();
    await cell.scrollIntoViewIfNeeded();
    const count = Number((await cell.innerText()).replace(/\D/g, ''));
    assert.ok(count > 0, 'no off-diagonal cell with images');
    await cell.click();
    const tiles = view.locator('.prediction-grid .tile');
    const expected = Math.min(count, 100); // the grid pages 100 at a time
    let shown = -1;
    for (let waited = 0; waited < 10_000 && shown !== expected; waited += 100) {
      shown = await tiles.count();
      if (shown !== expected) await page.waitForTimeout(100);
    }
    assert.equal(shown, expected, 'the grid does not show exactly the cell\'s images');
    // Every tile of an off-diagonal cell is a mistake.
    assert.equal(await view.locator('.prediction-grid .tile.tile-correct').count(), 0);
    await view.locator('.prediction-grid').scrollIntoViewIfNeeded();
    await screenshot('confusion-filter-light');
  });

  step('Explorer right-click -> "Classify with Fashion-MNIST Model" shows the result in the dashboard', async () => {
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: FIXTURE });
    await row.click({ button: 'right' });
    const item = page.getByRole('menuitem', { name: 'Classify with Fashion-MNIST Model' });
    await item.waitFor();
    // VS Code arms a context-menu item's mouse-up 100 ms after it renders; an earlier click is ignored.
    await page.waitForTimeout(300);
    await item.click();
    const view = dashboard();
    const result = view.locator('#cell-classify .classify-result', { hasText: FIXTURE });
    await result.waitFor({ timeout: 60_000 });
    await result.scrollIntoViewIfNeeded();
    assert.equal(await result.locator('.probability-bars tbody tr').count(), 10);
    assert.match(await result.locator('.classify-verdict').innerText(), /\d/);
    // The file is test image 0 as a PNG, so the packaged worker's image path must give what the model gave it.
    const percents = await result.locator('.probability-bars tbody td.num').allInnerTexts();
    assert.deepEqual(percents, testImageZeroPercents, 'the file and the same test image got different probabilities');
    await screenshot('classify-light');
  });

  step('in a high-contrast theme the dashboard is still there to read', async () => {
    await selectColorTheme('Dark High Contrast', 'hc-black');
    const view = dashboard();
    // The webview follows VS Code's theme through the body class VS Code sets on the page.
    await view.locator('body.vscode-high-contrast').waitFor();
    await view.locator('#cell-evaluate .indicator').scrollIntoViewIfNeeded();
    await screenshot('evaluate-high-contrast');
    await view.locator('.confusion-matrix').scrollIntoViewIfNeeded();
    await screenshot('confusion-high-contrast');
  });
});
