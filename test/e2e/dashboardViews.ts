/**
 * The UI tests' steps for the views added with the experiments and insight features, driven in the real
 * workbench: the Runs view in the Explorer, the compare view, the epoch slider, a pinned image, the first
 * layer's weights and a saliency map. Each function is one step's body; test/e2e/dashboard.e2e.ts runs them
 * in order on its page (after its training run) and takes their screenshots in the three themes.
 */
import * as assert from 'node:assert/strict';
import type { FrameLocator, Locator, Page } from 'playwright-core';

/** What a step needs of the test's page. */
export interface Workbench {
  page: Page;
  dashboard(): FrameLocator;
  screenshot(name: string): Promise<void>;
}

// Cells off screen are not laid out (content-visibility: auto): their innerText is empty, so text is read
// with textContent unless the element was just scrolled into view.

/** Waits until `read` returns `expected` (or the time is up) and returns the last value read. */
async function poll<T>(page: Page, read: () => Promise<T>, expected: T, ms = 10_000): Promise<T> {
  let value = await read();
  for (let waited = 0; waited < ms && value !== expected; waited += 200) {
    await page.waitForTimeout(200);
    value = await read();
  }
  return value;
}

// ------------------------------------------------------------------------------------------- Runs view

/** The Explorer's "Fashion-MNIST Runs" section, expanded; returns its rows. */
export async function runsViewRows(page: Page): Promise<Locator> {
  const header = page.locator('.pane-header', { hasText: 'Fashion-MNIST Runs' });
  await header.waitFor({ timeout: 30_000 });
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  const pane = page.locator('.pane', { has: header });
  return pane.locator('.monaco-list-row');
}

/** The Runs view lists `count` runs (it refreshes when a run ends), each row with its settings and accuracy. */
export async function expectRuns(page: Page, count: number): Promise<Locator> {
  const rows = await runsViewRows(page);
  const shown = await poll(page, () => rows.count(), count, 30_000);
  assert.equal(shown, count, `the Runs view lists ${shown} runs, not ${count}`);
  for (let i = 0; i < count; i++) {
    // "87.3% · 12/01, 11:20" and the description "128 · 5/5 epochs".
    assert.match(await rows.nth(i).innerText(), /\d+(\.\d)?%[\s\S]*\d+ · \d+\/\d+ epochs/, `run row ${i}`);
  }
  return rows;
}

// ------------------------------------------------------------------------------------------ epoch views

const sliderTexts = (view: FrameLocator) => view.locator('.epoch-range').evaluateAll((inputs) => inputs.map((i) => i.getAttribute('aria-valuetext')));

/** Home, then one ArrowRight on the evaluate cell's slider: every epoch view shows epoch 2 and focus stays put. */
export async function moveEpochSliderByKeyboard(w: Workbench, epochs: number): Promise<void> {
  const view = w.dashboard();
  const slider = view.locator('#epoch-slider-evaluate');
  await slider.scrollIntoViewIfNeeded();
  const finalAccuracy = await view.locator('#cell-confusion .facts strong').textContent();
  assert.deepEqual(await sliderTexts(view), Array(3).fill(`Epoch ${epochs} of ${epochs}`));
  await slider.focus();
  await w.page.keyboard.press('Home');
  await w.page.keyboard.press('ArrowRight');
  const second = `Epoch 2 of ${epochs}`;
  const texts = await poll(w.page, async () => JSON.stringify(await sliderTexts(view)), JSON.stringify(Array(3).fill(second)));
  assert.equal(texts, JSON.stringify(Array(3).fill(second)), 'the three epoch views follow the slider');
  assert.equal(await slider.evaluate((el) => el === document.activeElement), true, 'focus stays on the slider');
  assert.match((await view.locator('#cell-predict .epoch-note').textContent()) ?? '', /after epoch 2/);
  assert.notEqual(await view.locator('#cell-confusion .facts strong').textContent(), finalAccuracy, 'the confusion matrix shows epoch 2');
}

/** Back to the last epoch (the later steps read the final predictions). */
export async function sliderToLastEpoch(w: Workbench, epochs: number): Promise<void> {
  const view = w.dashboard();
  await view.locator('#epoch-slider-evaluate').focus();
  await w.page.keyboard.press('End');
  const last = JSON.stringify(Array(3).fill(`Epoch ${epochs} of ${epochs}`));
  assert.equal(await poll(w.page, async () => JSON.stringify(await sliderTexts(view)), last), last);
}

/** Opens test image `index`'s detail and pins it by keyboard; the pinned row charts its ten probabilities per epoch. */
export async function pinTestImage(w: Workbench, index: number): Promise<void> {
  const view = w.dashboard();
  const tile = view.locator(`.prediction-grid .tile[data-index="${index}"]`);
  await tile.scrollIntoViewIfNeeded();
  await tile.focus();
  await w.page.keyboard.press('Enter');
  const pin = view.locator('.detail.open .detail-pin');
  await pin.focus();
  await w.page.keyboard.press('Enter');
  await view.locator('.pinned .pin').first().waitFor();
  assert.equal((await view.locator('.detail-pin').textContent())?.trim(), 'Unpin');
  assert.match((await view.locator('.pin figcaption').first().textContent()) ?? '', new RegExp(`^Test image ${index}: the probability of its true class, .+, went from [\\d.]+% after epoch 1 to [\\d.]+% after epoch \\d+\\.$`));
  assert.equal(await view.locator('.pinned .pin-chart').first().locator('polyline').count(), 10, 'ten probabilities');
  await view.locator('.pin .pin-image.loaded').first().waitFor();
}

/** The open detail's saliency map for its test image, drawn from the saved model. */
export async function expectSaliency(w: Workbench): Promise<void> {
  const view = w.dashboard();
  const map = view.locator('.detail.open .saliency canvas.saliency-image');
  await map.waitFor({ timeout: 60_000 });
  assert.match((await view.locator('.detail.open .saliency').textContent()) ?? '', /scale ±\d\.\d{4}/);
}

/** Unit 2 of the first layer, chosen by keyboard: its large picture, legend, class weights and top images. */
export async function selectFirstLayerUnit(w: Workbench): Promise<void> {
  const view = w.dashboard();
  const first = view.locator('.first-layer .unit').first();
  await first.scrollIntoViewIfNeeded();
  assert.equal(await view.locator('.first-layer .unit').count(), 128, 'one picture per hidden unit');
  await first.focus();
  await w.page.keyboard.press('ArrowRight');
  await w.page.keyboard.press('ArrowRight');
  await w.page.keyboard.press('Enter');
  await view.locator('.unit[aria-pressed="true"][data-focus-key="unit-2"]').waitFor();
  assert.equal((await view.locator('.unit-detail h4').textContent())?.trim(), 'Unit 2');
  assert.equal(await view.locator('.unit-next tbody tr').count(), 10, 'its weights into the ten classes');
  await view.locator('.unit-tops canvas.loaded').first().waitFor();
}

/**
 * The canvases drawn on the theme's diverging scale (first-layer legend, saliency map) use the current theme's
 * background for 0: the legend's middle pixel and the saliency map's corner (a black pixel of the test image,
 * so its gradient × input is exactly 0). Fails when a theme switch leaves them in the previous theme's colours.
 */
export async function expectScaleFollowsTheme(w: Workbench): Promise<void> {
  const view = w.dashboard();
  // Browser code as a string: the test's TypeScript transform would name its inner functions with a helper
  // the page does not have.
  const found = (await view.locator('body').evaluate(`(() => {
    const probe = document.createElement('canvas').getContext('2d');
    probe.fillStyle = getComputedStyle(document.body).getPropertyValue('--vscode-editor-background').trim();
    const pixel = (canvas, x, y) => {
      const data = canvas && canvas.getContext('2d').getImageData(x, y, 1, 1).data;
      return data ? '#' + [data[0], data[1], data[2]].map((v) => v.toString(16).padStart(2, '0')).join('') : 'missing';
    };
    return {
      background: String(probe.fillStyle),
      legend: pixel(document.querySelector('.first-layer .weight-legend-bar'), 50, 0),
      saliency: pixel(document.querySelector('.detail.open .saliency-image'), 0, 0),
    };
  })()`)) as { background: string; legend: string; saliency: string };
  assert.equal(found.legend, found.background, `the first layer's legend is drawn for another theme (${JSON.stringify(found)})`);
  assert.equal(found.saliency, found.background, `the saliency map is drawn for another theme (${JSON.stringify(found)})`);
}

/** Screenshots of the slider, the pinned image, the saliency map and the first layer, in the current theme. */
export async function insightScreenshots(w: Workbench, theme: string): Promise<void> {
  const view = w.dashboard();
  await view.locator('#cell-evaluate .epoch-slider').scrollIntoViewIfNeeded();
  await w.screenshot(`epoch-slider-evaluate-${theme}`);
  await view.locator('#cell-confusion .confusion-matrix').scrollIntoViewIfNeeded();
  await w.screenshot(`epoch-slider-confusion-${theme}`);
  await view.locator('#cell-predict .pinned').scrollIntoViewIfNeeded();
  await w.screenshot(`pinned-image-${theme}`);
  await view.locator('#cell-predict .detail.open .saliency').scrollIntoViewIfNeeded();
  await w.screenshot(`saliency-${theme}`);
  await view.locator('#cell-model .unit-detail').scrollIntoViewIfNeeded();
  await w.screenshot(`first-layer-${theme}`);
}

// --------------------------------------------------------------------------------------- second run

/**
 * Types a setting into the dashboard's control as a user does (the change is sent when the field is left). The
 * host writes the user setting and sends the new state, which rebuilds the cells: a rebuilt control (without
 * the mark put on the typed one) must come to hold the value. A state sent just before may rebuild it first with
 * the earlier value (a preset picked a moment earlier writes its settings one by one, each with its state), so
 * the rebuilt control is read until it holds the value or 20 s pass. A rebuild in the middle of typing is retried.
 */
export async function setDashboardSetting(w: Workbench, id: string, value: string): Promise<void> {
  const view = w.dashboard();
  for (let attempt = 1; ; attempt++) {
    try {
      const input = view.locator(`#${id}`);
      await input.scrollIntoViewIfNeeded({ timeout: 5000 });
      await input.evaluate((element) => element.setAttribute('data-e2e-typed', ''), undefined, { timeout: 5000 });
      await input.fill(value, { timeout: 5000 });
      await input.press('Tab', { timeout: 5000 });
      break;
    } catch (error) {
      if (attempt === 5) throw error;
      await w.page.waitForTimeout(500);
    }
  }
  const rebuilt = view.locator(`#${id}:not([data-e2e-typed])`);
  await rebuilt.waitFor({ timeout: 20_000 });
  const kept = await poll(w.page, () => rebuilt.inputValue().catch(() => ''), value, 20_000);
  assert.equal(kept, value, `${id} did not keep ${value}`);
}

/** Train from the dashboard's button and wait for the run's `epochs` rows and its predictions. */
export async function trainFromDashboard(w: Workbench, epochs: number): Promise<void> {
  const view = w.dashboard();
  const train = view.locator('#cell-train [data-focus-key="train"]');
  await train.scrollIntoViewIfNeeded();
  await train.click();
  // The new run clears the last one's results first; then its epochs come in.
  await view.locator('#cell-train [data-focus-key="stop"]:not([disabled])').waitFor({ timeout: 60_000 });
  await view.locator('#cell-train [data-focus-key="train"]:not([disabled])').waitFor({ timeout: 300_000 });
  assert.equal(await view.locator('.epoch-table tbody tr').count(), epochs);
  await view.locator('.prediction-grid .tile').first().waitFor({ timeout: 60_000 });
}

// ------------------------------------------------------------------------------------------ compare

/** Drags the side bar's edge (its sash) to `width` pixels, so the Runs view's descriptions show whole (for the screenshots). */
export async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const edge = box.x + box.width;
  const sashes = await page.locator('.monaco-sash.vertical').evaluateAll((elements) =>
    elements.map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 100).map((r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 })));
  const sash = sashes.sort((a, b) => Math.abs(a.x - edge) - Math.abs(b.x - edge))[0];
  if (!sash || Math.abs(sash.x - edge) > 10) return;
  await page.mouse.move(sash.x, sash.y);
  await page.waitForTimeout(300);
  await page.mouse.down();
  await page.mouse.move(box.x + width, sash.y, { steps: 10 });
  await page.mouse.up();
}

/**
 * Selects the Runs view's two rows (click, Ctrl+click) and picks "Compare Runs" from their context menu. A click
 * on a row also opens that run alone (Open Run), titled by its id.
 */
export async function compareTwoRuns(w: Workbench): Promise<void> {
  const rows = await expectRuns(w.page, 2);
  // A click opens the run whole (the dashboard kept it in the history): the note says which run, with the way back.
  await rows.nth(0).click();
  const note = w.dashboard().locator('.past-run');
  const opened = await poll(w.page, async () => (await note.count()) > 0 && /from the run history/.test((await note.textContent({ timeout: 2000 })) ?? ''), true, 20_000);
  assert.ok(opened, 'a click on a run opens it whole in the dashboard, with the past-run note');
  assert.equal(await note.getByRole('button', { name: 'Show the latest run' }).count(), 1);
  await note.scrollIntoViewIfNeeded();
  // The whole dashboard was just redrawn with the past run: let its cells lay out and paint before the picture.
  await w.dashboard().locator('#cell-data .cell-output').first().waitFor({ state: 'visible' });
  await w.page.waitForTimeout(800);
  await w.screenshot('past-run-opened-dark');
  await rows.nth(1).click({ modifiers: ['Control'] });
  const selected = await rows.evaluateAll((all) => all.filter((row) => row.getAttribute('aria-selected') === 'true').length);
  assert.equal(selected, 2, 'both runs are selected');
  await rows.nth(1).click({ button: 'right' });
  const item = w.page.getByRole('menuitem', { name: 'Compare Runs' });
  await item.waitFor();
  // VS Code arms a context-menu item's mouse-up 100 ms after it renders; an earlier click is ignored.
  await w.page.waitForTimeout(300);
  await item.click();
}

/** The compare view: two runs, the settings that differ (hidden layers and epochs), both charts drawn. */
export async function expectComparison(w: Workbench, settings: { epochs: number[]; hiddenLayers: string[] }): Promise<void> {
  const view = w.dashboard();
  const cell = view.locator('#cell-compare');
  await cell.waitFor({ timeout: 60_000 });
  // The comparison opens above the run the click showed.
  const title = await poll(w.page, async () => (await cell.locator('h2').textContent())?.trim(), 'Compare 2 runs', 20_000);
  assert.equal(title, 'Compare 2 runs');
  assert.equal(await cell.locator('.compare-runs li').count(), 2);
  const differences = await cell.locator('.compare-table').first().locator('tbody tr').evaluateAll((rows) =>
    rows.map((row) => [...row.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? '')));
  const row = (label: string) => differences.find((cells) => cells[0] === label);
  assert.deepEqual(row('Hidden layers'), ['Hidden layers', ...settings.hiddenLayers], JSON.stringify(differences));
  assert.deepEqual(row('Epochs'), ['Epochs', ...settings.epochs.map(String)], JSON.stringify(differences));
  for (const canvas of await cell.locator('.chart-box canvas').all()) {
    const inked = await canvas.evaluate((c: HTMLCanvasElement) => c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0) ?? false);
    assert.ok(inked, 'a compare chart is blank');
  }
}
