/**
 * The UI test's conv-network steps, driven in the real workbench as a user does: the Model cell's
 * "ConvNet (tfjs example)" preset, one epoch trained from the dashboard, then what the conv layers learned:
 * the first Conv2D's 5 × 5 filters in the first-layer view and an opened test image's feature maps after
 * each conv block. test/e2e/dashboard.e2e.ts runs them after its MLP runs and takes the screenshots in the
 * three themes.
 */
import * as assert from 'node:assert/strict';
import type { Workbench } from './dashboardViews';

/** Picks the preset in the Model cell's select and waits for the rebuilt cell to show its conv blocks. */
export async function pickConvNetPreset(w: Workbench): Promise<void> {
  const view = w.dashboard();
  const preset = view.locator('#param-preset');
  await preset.scrollIntoViewIfNeeded();
  await preset.selectOption('convnet');
  // The host writes the settings and sends the new state: the summary then counts the preset's parameters.
  await view.locator('#cell-model', { hasText: '54,314' }).waitFor({ timeout: 20_000 });
  assert.equal(await view.locator('#param-preset').inputValue(), 'convnet');
}

/** The first layer shows the 8 filters of 5 × 5; one picked by keyboard shows its 5 × 5 weights. */
export async function expectConvFilters(w: Workbench): Promise<void> {
  const view = w.dashboard();
  const filters = view.locator('.first-layer .conv-filter');
  await filters.first().waitFor({ timeout: 60_000 });
  assert.equal(await filters.count(), 8, 'one picture per filter of the first Conv2D');
  assert.match((await view.locator('.first-layer .conv-filters-caption').textContent()) ?? '', /8 filters, 5 × 5/);
  await filters.first().scrollIntoViewIfNeeded();
  await filters.first().focus();
  await w.page.keyboard.press('ArrowRight');
  await w.page.keyboard.press('Enter');
  await view.locator('.first-layer .conv-filter[aria-pressed="true"]').nth(0).waitFor();
  assert.equal(await view.locator('.first-layer .unit-detail tbody tr').count(), 5, 'the picked filter\'s 5 rows of weights');
}

/** Clicking test image 0 opens it with its feature maps: 8 after block 1 (28 × 28), 16 after block 2 (14 × 14). */
export async function expectFeatureMaps(w: Workbench): Promise<void> {
  const view = w.dashboard();
  const tile = view.locator('.prediction-grid .tile[data-index="0"]');
  await tile.scrollIntoViewIfNeeded();
  await tile.click();
  const maps = view.locator('.detail.open .feature-maps');
  await maps.locator('.feature-map-grid').nth(1).waitFor({ timeout: 60_000 });
  assert.equal(await maps.locator('.feature-map-grid').nth(0).locator('.feature-map').count(), 8);
  assert.equal(await maps.locator('.feature-map-grid').nth(1).locator('.feature-map').count(), 16);
  const titles = await maps.locator('.feature-map-block-title').allTextContents();
  assert.deepEqual(titles.map((t) => t.replace(/\s+/g, ' ').trim()), ['Conv block 1: 8 feature maps, 28 × 28', 'Conv block 2: 16 feature maps, 14 × 14']);
  // The saliency map of a conv model is there too (it failed on the worker's wasm backend before).
  await view.locator('.detail.open .saliency canvas.saliency-image').waitFor({ timeout: 60_000 });
}

/** Screenshots of the filters and the feature maps in the current theme. */
export async function convScreenshots(w: Workbench, theme: string): Promise<void> {
  const view = w.dashboard();
  await view.locator('#cell-model .first-layer').scrollIntoViewIfNeeded();
  await view.locator('#cell-model .first-layer').evaluate((section) => section.scrollIntoView({ block: 'start' }));
  await w.screenshot(`conv-filters-${theme}`);
  await view.locator('.detail.open .feature-maps').scrollIntoViewIfNeeded();
  await view.locator('.detail.open .feature-maps').evaluate((section) => section.scrollIntoView({ block: 'start' }));
  await w.screenshot(`feature-maps-${theme}`);
}
