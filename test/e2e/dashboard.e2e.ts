/**
 * The packaged extension, through the clicks a user makes, in a real VS Code workbench (code-server) driven
 * by Chromium: palette -> Train -> the dashboard's progress, charts and over-fitting indicator -> a prediction
 * tile's 10 probabilities -> a confusion-matrix cell filters the grid -> Explorer right-click -> Classify ->
 * Export as Notebook (opened in VS Code's notebook editor) -> the walkthrough with the steps done checked; and the
 * views of the experiments and insight features (test/e2e/dashboardViews.ts): the Runs view, the epoch slider, a
 * pinned image, a saliency map, the first layer's weights, and a second run typed into the dashboard compared
 * with the first; then a conv network picked by its preset (test/e2e/convRun.ts), its filters and feature maps.
 * Started by scripts/vscode-e2e.mjs, which packages and installs the .vsix and starts code-server; the steps
 * run in order on one page, and once a step fails the later ones are skipped (they depend on it).
 * Screenshots of every step land in test-output/e2e (dark theme, then light and high contrast).
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import { testImagePng } from '../vscode/fixtureImage';
import { validateWithPython } from '../unit/notebookPython';
import { buildNotebook, serializeNotebook } from '../../src/core/notebook/notebook';
import { notebookStrings } from '../../src/core/notebook/notebookStrings';
import { notebookRunFromRecord } from '../../src/core/notebook/runSources';
import { configureLocale } from '../../src/core/text/l10n';
import { runCommand } from './commandPalette';
import { e2eSetting as env, launchWorkbenchBrowser, workbenchUrl } from './workbenchBrowser';
import { DEFAULT_HYPER_PARAMETERS } from '../../src/domain/hyperParameters';
import {
  compareTwoRuns, widenSideBar, expectComparison, expectRuns, expectSaliency, expectScaleFollowsTheme, insightScreenshots, moveEpochSliderByKeyboard,
  pinTestImage, selectFirstLayerUnit, setDashboardSetting, sliderToLastEpoch, trainFromDashboard, type Workbench,
} from './dashboardViews';
import { convScreenshots, expectConvFilters, expectFeatureMaps, pickConvNetPreset } from './convRun';

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

/** The dashboard's document: the webview iframe on screen, then VS Code's inner frame that holds the page. */
function dashboard(): FrameLocator {
  return page.frameLocator('iframe.webview.ready:visible').frameLocator('#active-frame');
}

/** The document of the webview (of those open) that shows `text`: the notebook editor's outputs, say. */
async function notebookWebview(text: string): Promise<FrameLocator> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const count = await page.locator('iframe.webview.ready').count();
    for (let i = 0; i < count; i++) {
      const inner = page.frameLocator(`iframe.webview.ready >> nth=${i}`).frameLocator('#active-frame');
      if ((await inner.getByText(text).count().catch(() => 0)) > 0) return inner;
    }
    await page.waitForTimeout(500);
  }
  throw new Error(`no webview shows "${text}"`);
}

async function screenshot(name: string): Promise<void> {
  shot += 1;
  await page.screenshot({ path: join(OUTPUT, `${String(shot).padStart(2, '0')}-${name}.png`) });
}

/** The page as the steps in dashboardViews.ts use it. */
const workbench: Workbench = {
  get page() {
    return page;
  },
  dashboard,
  screenshot,
};

/** The three themes the views are seen in: the palette's label and the class VS Code gives the workbench. */
const THEMES = [['dark', 'Dark Modern', 'vs-dark'], ['light', 'Light Modern', 'vs'], ['high-contrast', 'Dark High Contrast', 'hc-black']] as const;

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

/** Palette -> "Welcome: Open Walkthrough..." -> ours; returns its steps. */
async function openWalkthrough() {
  await runCommand(page, 'Welcome: Open Walkthrough...');
  await page.locator('.quick-input-widget input.input').fill('Fashion-MNIST');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Learn image classification with Fashion-MNIST' }).first().click();
  const steps = page.locator('.gettingStartedSlideDetails .getting-started-step');
  await steps.first().waitFor({ timeout: 30_000 });
  return steps;
}

/** The ids of the walkthrough steps shown as done (VS Code marks the check icon `complete`). */
async function completedSteps(): Promise<string[]> {
  const steps = page.locator('.gettingStartedSlideDetails .getting-started-step');
  const states = await steps.evaluateAll((elements) =>
    elements.map((e) => [e.getAttribute('data-step-id') ?? '', e.querySelector('.codicon.complete') !== null] as const));
  return states.filter(([, done]) => done).map(([id]) => id.split('#').pop() ?? id);
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
    mkdirSync(WORKSPACE, { recursive: true });
    writeFileSync(join(WORKSPACE, FIXTURE), testImagePng(0).png);
    ({ context, page } = await launchWorkbenchBrowser(OUTPUT, '.chromium-profile'));
  });

  after(async () => {
    await context?.close();
  });

  step('the workbench opens the workspace', async () => {
    await page.goto(workbenchUrl(SERVER, WORKSPACE));
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FIXTURE }).waitFor({ timeout: 90_000 });
    // The user's theme (dark, from settings.json) is applied a moment after the Explorer shows.
    await page.locator('.monaco-workbench.vs-dark').waitFor();
    await screenshot('workbench');
  });

  step('the walkthrough lists seven steps, none done yet', async () => {
    // On first install VS Code opens it by itself (workbench.welcomePage.walkthroughs.openOnInstall, off in the
    // test profile); a user opens it from the palette just the same. Opening it also starts VS Code's
    // getting-started service, which counts the steps' completion events from then on, as after an install.
    const steps = await openWalkthrough();
    assert.equal(await steps.count(), 7);
    assert.deepEqual(await completedSteps(), []);
    await screenshot('walkthrough-dark');
    await runCommand(page, 'View: Close Editor');
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

  step('the Explorer\'s Runs view lists the run', async () => {
    await expectRuns(page, 1);
    await screenshot('runs-view-one-run-dark');
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

  step('the epoch slider moves by keyboard and the evaluate, prediction and confusion views follow', async () => {
    await moveEpochSliderByKeyboard(workbench, EPOCHS);
  });

  step('a pinned test image charts its ten probabilities across the epochs', async () => {
    await pinTestImage(workbench, 0);
  });

  step('the open test image shows its saliency map', async () => {
    await expectSaliency(workbench);
  });

  step('the first layer\'s weights: a unit chosen by keyboard shows its picture, class weights and top images', async () => {
    await selectFirstLayerUnit(workbench);
    await expectScaleFollowsTheme(workbench);
  });

  step('the epoch slider, the pinned image, the saliency map and the first layer in dark, light and high contrast', async () => {
    for (const [name, label, workbenchClass] of THEMES) {
      if (name !== 'dark') await selectColorTheme(label, workbenchClass);
      await page.waitForTimeout(500);
      // Canvases drawn on the theme's scale are redrawn for the new theme.
      await expectScaleFollowsTheme(workbench);
      await insightScreenshots(workbench, name);
    }
    await selectColorTheme('Dark Modern', 'vs-dark');
    await sliderToLastEpoch(workbench, EPOCHS);
  });

  step('clicking a confusion-matrix cell filters the grid to those images', async () => {
    // Switch to the light theme here, so both themes are seen (the webview follows VS Code's theme).
    await selectColorTheme('Light Modern', 'vs');
    const view = dashboard();
    const cell = view.locator('.confusion-matrix .confusion-cell.off-diagonal:not(.empty)').first();
    await cell.scrollIntoViewIfNeeded();
    const count = Number(((await cell.textContent()) ?? '').replace(/\D/g, ''));
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

  step('"Save Metrics as CSV…" and the confusion matrix\'s "Save SVG…" write where the save dialog says', async () => {
    await selectColorTheme('Dark Modern', 'vs-dark');
    const view = dashboard();
    const saveThrough = async (button: Locator, name: string): Promise<Buffer> => {
      await button.scrollIntoViewIfNeeded();
      await button.click();
      const input = page.locator('.quick-input-widget input.input');
      await input.waitFor({ state: 'visible' });
      for (let waited = 0; waited < 10_000 && !(await input.inputValue()).endsWith(name); waited += 100) await page.waitForTimeout(100);
      assert.match(await input.inputValue(), new RegExp(`e2e-workspace/${name.replace('.', '\\.')}$`));
      await page.keyboard.press('Enter');
      const file = join(WORKSPACE, name);
      for (let waited = 0; waited < 20_000 && !existsSync(file); waited += 200) await page.waitForTimeout(200);
      assert.ok(existsSync(file), `${file} was not written`);
      return readFileSync(file);
    };
    const csv = (await saveThrough(view.locator('[data-focus-key="save-csv"]'), 'fashion-mnist-epochs.csv')).toString('utf8').trimEnd().split('\r\n');
    assert.equal(csv[0], 'epoch,loss,accuracy,val_loss,val_accuracy,seconds,samples_per_second');
    assert.equal(csv.length, EPOCHS + 1, 'one row per epoch');
    const svg = (await saveThrough(view.locator('[data-focus-key="save-confusion-svg"]'), 'fashion-mnist-confusion.svg')).toString('utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* role="img"/);
    assert.match(svg, />Predicted class<\/text>/, 'the notebook\'s picture, labelled');
  });

  step('"Export as Notebook…" writes a notebook that VS Code\'s notebook editor opens with the run\'s outputs', async () => {
    await selectColorTheme('Dark Modern', 'vs-dark');
    const view = dashboard();
    const button = view.locator('[data-focus-key="export-notebook"]');
    await button.scrollIntoViewIfNeeded();
    await button.click();
    // code-server's save dialog is VS Code's simple file dialog: the path in a quick input, the suggestion filled in.
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible' });
    // The dialog shows the folder first and fills in the suggested name a moment later.
    let suggested = '';
    for (let waited = 0; waited < 10_000 && !suggested.endsWith('fashion-mnist-run.ipynb'); waited += 100) {
      suggested = await input.inputValue();
      if (!suggested.endsWith('fashion-mnist-run.ipynb')) await page.waitForTimeout(100);
    }
    assert.match(suggested, /e2e-workspace\/fashion-mnist-run\.ipynb$/);
    await screenshot('notebook-save-dialog-dark');
    await page.keyboard.press('Enter');
    const file = join(WORKSPACE, 'fashion-mnist-run.ipynb');
    for (let waited = 0; waited < 20_000 && !existsSync(file); waited += 200) await page.waitForTimeout(200);
    assert.ok(existsSync(file), `${file} was not written`);
    validateWithPython(readFileSync(file, 'utf8'));

    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'fashion-mnist-run.ipynb' });
    await row.waitFor();
    await row.dblclick();
    // The notebook editor's cells (virtualised: only those on screen exist).
    await page.locator('.notebook-editor .code-cell-row:visible').first().waitFor({ timeout: 60_000 });
    // Markdown and outputs are drawn in the notebook's own webview; the dashboard's (hidden now) is the other one.
    const outputs = await notebookWebview('Settings of this run');
    // The charts are SVG outputs, which VS Code's renderer draws inline (role=img, as charts.ts writes them).
    await outputs.locator('svg[role="img"]').first().waitFor({ timeout: 60_000 }).catch(() => undefined);
    await screenshot('notebook-open-dark');
    // Down to the training log and the charts (outputs off screen still count as visible, so by position).
    await page.locator('.notebook-editor .code-cell-row:visible').first().hover();
    const scrollTo = async (target: Locator): Promise<boolean> => {
      for (let i = 0; i < 60; i++) {
        const box = await target.boundingBox().catch(() => null);
        if (box && box.y > 120 && box.y < 520) return true;
        await page.mouse.wheel(0, box && box.y < 120 ? -300 : 300);
        await page.waitForTimeout(150);
      }
      return false;
    };
    assert.ok(await scrollTo(outputs.getByText(`Epoch ${EPOCHS}/${EPOCHS}`).first()), 'the epoch log is not the training cell\'s output');
    await page.waitForTimeout(400);
    await screenshot('notebook-epoch-log-dark');
    const chart = outputs.locator('svg[role="img"]').first();
    assert.ok(await scrollTo(chart), 'the accuracy chart is not shown');
    const box = await chart.boundingBox();
    assert.ok(box && box.width > 200, `the accuracy chart is not drawn (box ${JSON.stringify(box)})`);
    await page.waitForTimeout(500);
    await screenshot('notebook-charts-dark');
  });

  step('the walkthrough checks the steps done: train, classify, export', async () => {
    await openWalkthrough();
    await page.waitForTimeout(1000);
    await screenshot('walkthrough-done-dark');
    const completed = await completedSteps();
    for (const id of ['train', 'classify', 'exportNotebook']) assert.ok(completed.includes(id), `step ${id} is not checked (checked: ${completed.join(', ') || 'none'})`);
    // The step pictures take their colours from the theme.
    await selectColorTheme('Light Modern', 'vs');
    await page.waitForTimeout(800);
    await screenshot('walkthrough-light');
    await selectColorTheme('Dark High Contrast', 'hc-black');
    await page.waitForTimeout(800);
    await screenshot('walkthrough-high-contrast');
    await selectColorTheme('Dark Modern', 'vs-dark');
  });

  step('a notebook exported in Chinese reads in Chinese in the notebook editor', async () => {
    // The workbench here is English (code-server has no language pack offline); the notebook's prose follows
    // the language it was exported in, so it is built here as the Chinese UI would build it.
    const l10nDir = join(__dirname, '..', '..', 'l10n');
    configureLocale('zh-cn', l10nDir);
    const exported = JSON.parse(readFileSync(join(WORKSPACE, 'fashion-mnist-run.ipynb'), 'utf8')) as { cells: { cell_type: string }[] };
    assert.ok(exported.cells.length > 10);
    const run = notebookRunFromRecord({
      date: '2026-12-01T08:00:00Z', params: { ...DEFAULT_HYPER_PARAMETERS, epochs: 5 },
      backend: 'wasm', trainAccuracy: 0.89, testAccuracy: 0.87, dataChecksum: 'e2e', trainCount: 60000, testCount: 2000,
    });
    const text = serializeNotebook(buildNotebook(run, notebookStrings(), 'e2e'));
    configureLocale('en', l10nDir);
    writeFileSync(join(WORKSPACE, 'fashion-mnist-run-zh.ipynb'), text);
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'fashion-mnist-run-zh.ipynb' });
    await row.waitFor({ timeout: 30_000 });
    await row.dblclick();
    const outputs = await notebookWebview('这次运行的设置');
    await outputs.getByText('导入 Fashion-MNIST 数据集').first().waitFor({ state: 'attached' });
    await page.waitForTimeout(500);
    await screenshot('notebook-zh-dark');
  });

  step('a second run with other settings typed into the dashboard (64 hidden units, 2 epochs)', async () => {
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Fashion-MNIST: Open Dashboard');
    const view = dashboard();
    await view.locator('#cell-train').waitFor({ timeout: 60_000 });
    // The reopened dashboard still shows the first run, its epoch views and its pin.
    await view.locator('#epoch-slider-evaluate').waitFor({ timeout: 30_000 });
    await view.locator('.pinned .pin').waitFor();
    assert.equal(await view.locator('.epoch-table tbody tr').count(), EPOCHS);
    await setDashboardSetting(workbench, 'param-hiddenLayers', '64');
    await setDashboardSetting(workbench, 'param-epochs', '2');
    await trainFromDashboard(workbench, 2);
    await expectRuns(page, 2);
  });

  step('Runs view: two runs selected -> "Compare Runs" shows them side by side in the dashboard', async () => {
    await compareTwoRuns(workbench);
    await expectComparison(workbench, { hiddenLayers: ['128', '64'], epochs: [EPOCHS, 2] });
  });

  step('the Runs view and the compare view in dark, light and high contrast', async () => {
    const view = dashboard();
    await widenSideBar(page, 560);
    for (const [name, label, workbenchClass] of THEMES) {
      if (name !== 'dark') await selectColorTheme(label, workbenchClass);
      await page.waitForTimeout(800);
      await view.locator('#cell-compare .cell-header').scrollIntoViewIfNeeded();
      await view.locator('#cell-compare').evaluate((cell) => cell.scrollIntoView({ block: 'start' }));
      await screenshot(`compare-and-runs-view-${name}`);
      await view.locator('#cell-compare .compare-table').last().scrollIntoViewIfNeeded();
      await screenshot(`compare-tables-${name}`);
    }
    await selectColorTheme('Dark Modern', 'vs-dark');
  });

  step('a third run: the "ConvNet (tfjs example)" preset picked in the Model cell trains a conv network for one epoch', async () => {
    await pickConvNetPreset(workbench);
    await setDashboardSetting(workbench, 'param-epochs', '1');
    await trainFromDashboard(workbench, 1);
    await expectRuns(page, 3);
  });

  step('the conv network\'s first layer shows its 5 × 5 filters, and an opened test image its feature maps', async () => {
    await expectConvFilters(workbench);
    await expectFeatureMaps(workbench);
  });

  step('the filters and the feature maps in dark, light and high contrast', async () => {
    for (const [name, label, workbenchClass] of THEMES) {
      if (name !== 'dark') await selectColorTheme(label, workbenchClass);
      await page.waitForTimeout(500);
      await convScreenshots(workbench, name);
    }
    await selectColorTheme('Dark Modern', 'vs-dark');
  });
});
