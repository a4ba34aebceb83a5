// What a conv network learned, in Chromium (preview harness, its "conv" mode: the tfjs example's ConvNet):
// the first-layer view shows the first Conv2D's 5 × 5 filters with a caption that says so, a filter picked by
// keyboard shows its legend, bias and weights; an opened test image (and a classified file) shows its feature
// maps after each conv block, labelled by block and filter, reachable by keyboard. An MLP's views stay as they
// were. axe-core finds nothing; screenshots in dark, light, high contrast and Chinese go to
// test-output/conv-insight/ for a person to look at.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { requireOrSkip } from '../requirements';
import { axeViolations, openDashboard, root, startHarness, THEMES_AND_LOCALES, unavailable, type PreviewHarness } from './previewHarness';

const screenshotDir = join(root, 'test-output', 'conv-insight');
let harness: PreviewHarness | undefined;

before(async () => {
  if (unavailable) return;
  mkdirSync(screenshotDir, { recursive: true });
  harness = await startHarness();
});

after(async () => {
  await harness?.close();
});

/** The fixture's filter `f` weights as the harness sent them (typed arrays as base64). */
const fixtureFilter = (f: number) => `(() => {
  const fixture = window.__previewFixture.convFilters;
  const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const floats = (v) => Array.from(new Float32Array(bytes(v.$f32).buffer));
  return { weights: floats(fixture.weights).slice(${f} * 25, ${f + 1} * 25), scale: floats(fixture.scale)[${f}], bias: floats(fixture.bias)[${f}] };
})()`;

const signed = (w: number) => `${w >= 0 ? '+' : '−'}${Math.abs(w).toFixed(3)}`;

test('a conv model\'s first layer is its 5 x 5 filters: captioned, picked by keyboard, with legend, bias and weights; axe finds nothing', async (context) => {
  if (!requireOrSkip(context, unavailable) || !harness) return;
  for (const [theme, locale] of THEMES_AND_LOCALES) {
    const { page, problems } = await openDashboard(harness, { mode: 'conv', theme, locale });
    try {
      await page.waitForSelector('.first-layer .conv-filter');
      assert.equal(await page.$$eval('.first-layer .conv-filter', (buttons) => buttons.length), 8);
      assert.equal(await page.$$eval('.first-layer .conv-filter canvas', (canvases) => canvases.every((c) => (c as HTMLCanvasElement).width === 5 && (c as HTMLCanvasElement).height === 5)), true);
      assert.equal(await page.$$eval('.first-layer .unit-tops', (tops) => tops.length), 0, 'no Dense-unit detail');
      // The summary is the settings' network (the harness's conv mode holds the ConvNet preset), before any model is built.
      const layers = await page.$$eval('#cell-model .summary-table tbody th', (cells) => cells.map((cell) => cell.textContent));
      assert.deepEqual(layers, ['reshape (Reshape)', 'conv2d (Conv2D)', 'max_pooling2d (MaxPooling2D)', 'conv2d_1 (Conv2D)', 'max_pooling2d_1 (MaxPooling2D)', 'flatten (Flatten)', 'dense (Dense)', 'dense_1 (Dense)']);
      assert.match((await page.textContent('#cell-model')) ?? '', /54,314/);
      const caption = (await page.textContent('.conv-filters-caption')) ?? '';
      assert.equal(caption, locale === 'en' ? '8 filters, 5 × 5, of the first Conv2D layer' : '第一个 Conv2D 层的 8 个过滤器（卷积核），5 × 5');
      await page.focus('.first-layer .conv-filter >> nth=0');
      for (const key of ['ArrowRight', 'ArrowRight', 'Enter']) await page.keyboard.press(key);
      await page.waitForSelector('.conv-filter[aria-pressed="true"][data-focus-key="filter-2"]');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-focus-key')), 'filter-2', 'focus stays on the filter');
      const filter = (await page.evaluate(fixtureFilter(2))) as { weights: number[]; scale: number; bias: number };
      assert.equal(await page.textContent('.first-layer .unit-detail h4'), locale === 'en' ? 'Filter 3' : '过滤器 3');
      assert.equal(await page.textContent('.first-layer .weight-legend-labels span:last-child'), `+${filter.scale.toFixed(3)}`);
      assert.match((await page.textContent('.first-layer .unit-detail')) ?? '', new RegExp(signed(filter.bias).replace('+', '\\+')));
      const cells = await page.$$eval('.conv-filter-weights tbody td', (tds) => tds.map((td) => td.textContent));
      assert.deepEqual(cells, filter.weights.map(signed), 'the weights table is the filter, row by row');
      assert.match((await page.getAttribute('.first-layer canvas.unit-large', 'aria-label')) ?? '', /5 × 5/);
      assert.deepEqual(await axeViolations(page, '#cell-model'), []);
      await page.locator('#cell-model .first-layer').screenshot({ path: join(screenshotDir, `${theme}-${locale}-conv-filters.png`) });
      assert.deepEqual(problems, []);
    } finally {
      await page.context().close();
    }
  }
});

test('an opened test image shows its feature maps after each conv block, labelled by block and filter and keyboard reachable; a classified file too; axe finds nothing', async (context) => {
  if (!requireOrSkip(context, unavailable) || !harness) return;
  for (const [theme, locale] of THEMES_AND_LOCALES) {
    const { page, problems } = await openDashboard(harness, { mode: 'conv', theme, locale });
    try {
      await page.waitForSelector('#cell-predict .epoch-range');
      await page.focus('.prediction-grid .tile >> nth=0');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.detail .feature-maps .feature-map');
      const blocks = await page.$$eval('.detail .feature-map-grid', (grids) => grids.map((g) => [g.getAttribute('aria-label'), g.querySelectorAll('canvas').length]));
      assert.deepEqual(blocks.map(([, n]) => n), [8, 16], 'one picture per filter per block');
      if (locale === 'en') assert.deepEqual(blocks.map(([label]) => label), ['Feature maps of conv block 1', 'Feature maps of conv block 2']);
      const titles = await page.$$eval('.detail .feature-map-block-title', (ps) => ps.map((p) => p.textContent));
      if (locale === 'en') assert.deepEqual(titles, ['Conv block 1: 8 feature maps, 28 × 28', 'Conv block 2: 16 feature maps, 14 × 14']);
      const labels = await page.$$eval('.detail .feature-map', (buttons) => buttons.map((b) => b.getAttribute('aria-label') ?? ''));
      if (locale === 'en') assert.match(labels[9], /^Block 2, filter 2: largest activation \d+\.\d{3}$/);
      // Keyboard: Tab from the first block's maps reaches the second block's; arrows move; Enter shows it large.
      await page.focus('.detail .feature-map-grid >> nth=1 >> .feature-map >> nth=0');
      for (const key of ['ArrowRight', 'ArrowRight', 'Enter']) await page.keyboard.press(key);
      await page.waitForSelector('.feature-map[aria-pressed="true"][data-focus-key="map-1-2"]');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-focus-key')), 'map-1-2', 'focus stays on the map');
      assert.equal(await page.getAttribute('.feature-map-detail canvas', 'aria-label'), labels[10]);
      assert.equal(await page.$$eval('.detail .feature-map-grid', (grids) => grids.map((g) => g.querySelectorAll('[tabindex="0"]').length).join()), '1,1', 'one Tab stop per block');
      assert.deepEqual(await axeViolations(page, '#cell-predict .detail'), []);
      await page.locator('#cell-predict .detail').screenshot({ path: join(screenshotDir, `${theme}-${locale}-feature-maps.png`) });
      if (theme === 'dark' && locale === 'en') {
        await page.waitForSelector('#cell-classify .feature-maps .feature-map');
        assert.equal(await page.$$eval('#cell-classify .feature-maps', (sections) => sections.length), 2, 'one per classified file (the failed one has none)');
        assert.deepEqual(await axeViolations(page, '#cell-classify'), []);
        await page.locator('#cell-classify').screenshot({ path: join(screenshotDir, `${theme}-${locale}-classify-feature-maps.png`) });
      }
      assert.deepEqual(problems, []);
    } finally {
      await page.context().close();
    }
  }
});

test('an MLP\'s first layer and detail are unchanged: hidden units, no filters, no feature maps', async (context) => {
  if (!requireOrSkip(context, unavailable) || !harness) return;
  const { page, problems } = await openDashboard(harness, { mode: 'finished' });
  try {
    await page.waitForSelector('.first-layer .unit');
    assert.equal(await page.$$eval('.first-layer .conv-filter', (b) => b.length), 0);
    assert.equal(await page.$$eval('.first-layer .unit', (b) => b.length), 128);
    await page.click('.prediction-grid .tile >> nth=0');
    await page.waitForSelector('.detail .saliency canvas.saliency-image');
    assert.equal(await page.$$eval('.detail .feature-maps', (s) => s.length), 0);
    assert.equal(await page.$$eval('.detail .feature-maps-slot', (s) => s.every((slot) => slot.childElementCount === 0)), true);
    assert.deepEqual(problems, []);
  } finally {
    await page.context().close();
  }
});
