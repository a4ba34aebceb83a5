// The Sweep view in Chromium (the preview harness's fixtures sweepEmpty, sweepRunning, sweepDone): axe clean in
// the three themes and in Chinese; a sweep defined and started from the keyboard posts the grid the user typed
// (and a bad value is refused with a sentence, nothing posted); the table sorts and filters from the keyboard,
// the chart follows the filter; Open, Compare selected and Re-run best post their intents. Screenshots of
// each state go to test-output/sweep-view/ for a person to look at.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { requireOrSkip } from '../requirements';
import { axeViolations, openDashboard, root, startHarness, THEMES_AND_LOCALES, unavailable, type PreviewHarness } from './previewHarness';

const SHOTS = join(root, 'test-output', 'sweep-view');
const MODES = ['sweepEmpty', 'sweepRunning', 'sweepDone'] as const;

let harness: PreviewHarness | undefined;
before(async () => {
  if (!unavailable) harness = await startHarness();
});
after(async () => {
  await harness?.close();
});


const posted = (page: Page) => page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => !['ready', 'requestImages', 'requestSaliency'].includes(m.type)));

for (const [theme, locale] of THEMES_AND_LOCALES) {
  test(`the Sweep view has no accessibility violations, empty, running and done: ${theme} theme, ${locale}`, async (context) => {
    if (!requireOrSkip(context, unavailable)) return;
    assert.ok(harness);
    mkdirSync(SHOTS, { recursive: true });
    const problems: string[] = [];
    for (const mode of MODES) {
      const { page, problems: errors } = await openDashboard(harness, { mode, theme, locale });
      await page.waitForSelector('#cell-sweep');
      for (const v of await axeViolations(page, '#cell-sweep')) problems.push(`${mode}: ${v}`);
      problems.push(...errors.map((e) => `${mode}: ${e}`));
      if (locale === 'zh-cn') {
        const text = await page.locator('#cell-sweep').innerText();
        assert.match(text, /搜索/, `${mode} is in Chinese`);
      }
      await page.locator('#cell-sweep').screenshot({ path: join(SHOTS, `${theme}-${locale}-${mode}.png`) });
      await page.context().close();
    }
    assert.deepEqual(problems, []);
  });
}

test('a sweep is defined and started from the keyboard; a bad value is refused with a sentence and nothing is posted', async (context) => {
  if (!requireOrSkip(context, unavailable)) return;
  assert.ok(harness);
  const { page, problems } = await openDashboard(harness, { mode: 'sweepEmpty' });
  try {
    await page.focus('#sweep-learningRate');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('0.001, 2');
    await page.focus('[data-focus-key="sweep-start"]');
    await page.keyboard.press('Enter');
    assert.match(await page.locator('#sweep-form-error').innerText(), /Learning rate/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'sweep-learningRate');
    assert.deepEqual(await posted(page), []);

    await page.keyboard.press('Control+A');
    await page.keyboard.type('0.001, 0.003');
    await page.focus('#sweep-hiddenUnits');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('64，128');
    await page.focus('#sweep-prune');
    await page.keyboard.press('Space');
    await page.focus('[data-focus-key="sweep-start"]');
    await page.keyboard.press('Enter');
    assert.deepEqual(await posted(page), [{
      type: 'startSweep',
      axes: [
        { parameter: 'learningRate', values: [0.001, 0.003] },
        { parameter: 'hiddenUnits', values: [64, 128] },
        { parameter: 'dropout', values: [0] },
        { parameter: 'l2', values: [0] },
        { parameter: 'epochs', values: [5] },
        { parameter: 'batchSize', values: [32] },
      ],
      prune: true,
      parallel: 2,
    }]);
    assert.deepEqual(problems, []);
  } finally {
    await page.context().close();
  }
});

test('the trials sort and filter from the keyboard, the chart follows the filter, and Open, Compare and Re-run post their intents', async (context) => {
  if (!requireOrSkip(context, unavailable)) return;
  assert.ok(harness);
  const { page, problems } = await openDashboard(harness, { mode: 'sweepDone' });
  try {
    const firstColumn = () => page.locator('.sweep-table tbody th').allInnerTexts();
    assert.deepEqual(await firstColumn(), ['1', '2', '3', '4 (best)', '5', '6']);
    assert.equal(await page.locator('.pc-line').count(), 6);
    assert.equal(await page.locator('.pc-line.pc-best').count(), 1);
    assert.equal(await page.locator('.pc-line.pc-pruned').count(), 2);
    // Test accuracy, best first (the first press sorts it descending), then ascending.
    await page.focus('[data-focus-key="sweep-sort-testAccuracy"]');
    await page.keyboard.press('Enter');
    assert.deepEqual((await firstColumn()).slice(0, 2), ['4 (best)', '3']);
    assert.equal(await page.locator('th[aria-sort="descending"]').count(), 1);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-focus-key')), 'sweep-sort-testAccuracy');
    await page.keyboard.press('Enter');
    assert.deepEqual((await firstColumn()).slice(0, 2), ['5', '6']);
    // Only the pruned trials: the table and the chart show two.
    await page.focus('#sweep-filter');
    await page.selectOption('#sweep-filter', 'pruned');
    assert.deepEqual((await firstColumn()).sort(), ['5', '6']);
    assert.equal(await page.locator('.pc-line').count(), 2);
    await page.selectOption('#sweep-filter', 'all');
    // Select trials 1 and 4 with Space, compare them; open trial 2; re-run the best.
    await page.focus('[data-focus-key="sweep-select-1"]');
    await page.keyboard.press('Space');
    await page.focus('[data-focus-key="sweep-select-4"]');
    await page.keyboard.press('Space');
    await page.focus('[data-focus-key="sweep-compare"]');
    await page.keyboard.press('Enter');
    await page.focus('[data-focus-key="sweep-open-2"]');
    await page.keyboard.press('Enter');
    await page.focus('[data-focus-key="sweep-rerun"]');
    await page.keyboard.press('Enter');
    assert.deepEqual(await posted(page), [
      { type: 'openRuns', ids: ['20261206-130010-a1b0', '20261206-130013-a1b3'] },
      { type: 'openRuns', ids: ['20261206-130011-a1b1'] },
      { type: 'rerunBestTrial' },
    ]);
    assert.deepEqual(problems, []);
  } finally {
    await page.context().close();
  }
});
