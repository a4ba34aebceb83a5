// Switching VS Code's colour theme while the dashboard is open: VS Code swaps the page's theme variables and the
// body's class in place (the page is not reloaded), so what the dashboard drew on canvas with the old theme's
// colours must be drawn again. Checked on the canvases drawn on the diverging weight scale, whose 0 is the
// editor background: the first layer's legend (its middle pixel) and a saliency map (a black pixel of the test
// image, whose gradient × input is exactly 0), from dark to light and to high contrast.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { requireOrSkip } from '../requirements';
import { openDashboard, openInsightViewsByKeyboard, startHarness, unavailable, type PreviewHarness } from './previewHarness';

let harness: PreviewHarness | undefined;

before(async () => {
  if (!unavailable) harness = await startHarness();
});

after(async () => {
  await harness?.close();
});

/** As VS Code does it: the new theme's variables, then the body class (which the dashboard watches). */
async function switchTheme(page: Page, theme: 'light' | 'hc', bodyClass: string): Promise<void> {
  await page.evaluate(`new Promise((resolve, reject) => {
    const link = document.querySelector('link[href*="/preview/theme.css"]');
    link.addEventListener('load', resolve, { once: true });
    link.addEventListener('error', reject, { once: true });
    link.href = link.href.replace(/theme=\\w+/, 'theme=${theme}');
  }).then(() => { document.body.className = '${bodyClass}'; })`);
  await page.waitForTimeout(200);
}

/** The editor background and the two zero-valued pixels, as #rrggbb. */
const ZERO_PIXELS = `(() => {
  const probe = document.createElement('canvas').getContext('2d');
  probe.fillStyle = getComputedStyle(document.body).getPropertyValue('--vscode-editor-background').trim();
  const pixel = (selector, x, y) => {
    const canvas = document.querySelector(selector);
    const data = canvas && canvas.getContext('2d').getImageData(x, y, 1, 1).data;
    return data ? '#' + [data[0], data[1], data[2]].map((v) => v.toString(16).padStart(2, '0')).join('') : 'missing';
  };
  return { background: String(probe.fillStyle), legend: pixel('.first-layer .weight-legend-bar', 50, 0), saliency: pixel('.detail.open .saliency-image', 0, 0) };
})()`;

test('a theme switch redraws the first layer and the saliency map in the new theme\'s colours', async (context) => {
  if (!requireOrSkip(context, unavailable) || !harness) return;
  const { page, problems } = await openDashboard(harness, { mode: 'finished', theme: 'dark' });
  try {
    await openInsightViewsByKeyboard(page);
    const dark = (await page.evaluate(ZERO_PIXELS)) as Record<string, string>;
    assert.deepEqual(dark, { background: '#1f1f1f', legend: '#1f1f1f', saliency: '#1f1f1f' });
    await switchTheme(page, 'light', 'vscode-light');
    assert.deepEqual(await page.evaluate(ZERO_PIXELS), { background: '#ffffff', legend: '#ffffff', saliency: '#ffffff' }, 'light');
    await switchTheme(page, 'hc', 'vscode-high-contrast');
    assert.deepEqual(await page.evaluate(ZERO_PIXELS), { background: '#000000', legend: '#000000', saliency: '#000000' }, 'high contrast');
    // The user's choices survive the redraw: the unit, the open image and focus.
    assert.equal(await page.getAttribute('.unit[aria-pressed="true"]', 'data-focus-key'), 'unit-2');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-focus-key')), 'unit-2');
    assert.deepEqual(problems, []);
  } finally {
    await page.context().close();
  }
});

test('a translucent charts.orange (recent VS Code themes: #EA5C0055) is drawn opaque: the weight scale and the compare view\'s run colour', async (context) => {
  if (!requireOrSkip(context, unavailable) || !harness) return;
  // As VS Code sets it: the variable on the page, then the body class.
  const translucentOrange = `(() => {
    document.documentElement.style.setProperty('--vscode-charts-orange', '#EA5C0055');
    document.body.className = 'vscode-dark';
  })()`;
  const finished = await openDashboard(harness, { mode: 'finished', theme: 'dark' });
  try {
    await finished.page.waitForSelector('.first-layer .weight-legend-bar');
    await finished.page.evaluate(translucentOrange);
    await finished.page.waitForTimeout(200);
    // The legend's left end is the scale's negative colour, at full strength.
    const negative = await finished.page.evaluate(`(() => {
      const data = document.querySelector('.first-layer .weight-legend-bar').getContext('2d').getImageData(0, 0, 1, 1).data;
      return [data[0], data[1], data[2], data[3]];
    })()`);
    assert.deepEqual(negative, [234, 92, 0, 255]);
    assert.deepEqual(finished.problems, []);
  } finally {
    await finished.page.context().close();
  }
  const compare = await openDashboard(harness, { mode: 'compare', theme: 'dark' });
  try {
    await compare.page.waitForSelector('#cell-compare .run-swatch');
    await compare.page.evaluate(translucentOrange);
    await compare.page.waitForTimeout(200);
    const swatches = await compare.page.$$eval('#cell-compare .run-swatch', (spans) => spans.map((s) => getComputedStyle(s).backgroundColor));
    assert.deepEqual(swatches, ['rgb(55, 148, 255)', 'rgb(234, 92, 0)']);
    assert.deepEqual(compare.problems, []);
  } finally {
    await compare.page.context().close();
  }
});

/** How many pixels of a canvas under `selector` are exactly `hex` (opaque). */
const pixelsOf = (selector: string, hex: string) => `(() => {
  const canvas = document.querySelector(${JSON.stringify(selector)});
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    const h = '#' + [data[i], data[i + 1], data[i + 2]].map((v) => v.toString(16).padStart(2, '0')).join('');
    if (data[i + 3] === 255 && h === ${JSON.stringify(hex)}) n++;
  }
  return n;
})()`;

test('a theme switch redraws the charts, lines and points, in the new theme\'s colours (training and compare charts)', async (context) => {
  if (!requireOrSkip(context, unavailable) || !harness) return;
  // The harness's dark charts.blue is #3794ff, its light one #1a85ff.
  for (const [mode, selector] of [['finished', '#cell-train .chart-box canvas'], ['compare', '#cell-compare .chart-box canvas']] as const) {
    const { page, problems } = await openDashboard(harness, { mode, theme: 'dark' });
    try {
      await page.waitForSelector(selector);
      await page.waitForTimeout(300);
      assert.ok(((await page.evaluate(pixelsOf(selector, '#3794ff'))) as number) > 100, `${mode}: the dark chart is drawn in the dark blue`);
      await switchTheme(page, 'light', 'vscode-light');
      assert.equal(await page.evaluate(pixelsOf(selector, '#3794ff')), 0, `${mode}: pixels of the dark theme's blue are left after the switch`);
      assert.ok(((await page.evaluate(pixelsOf(selector, '#1a85ff'))) as number) > 100, `${mode}: the chart is drawn in the light blue`);
      assert.deepEqual(problems, []);
    } finally {
      await page.context().close();
    }
  }
});
