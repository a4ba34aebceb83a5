// axe-core, the accessibility engine behind Lighthouse and the browsers' audits, over every state the dashboard
// can be in (idle, loading, mid-run, finished, stopped, error, a regularized run, two runs compared, one run opened, and after a
// click opens a prediction's detail or a confusion-matrix cell filters the grid; after the keyboard moves the epoch
// slider, opens an image with its saliency map, pins it and picks a first-layer unit), in the dark, light and
// high-contrast themes, in English and Chinese.
// The rules are axe's WCAG 2.1 A and AA set plus its best practices; zero violations are allowed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { requireOrSkip } from '../requirements';
import { DASHBOARD_CELLS } from '../../src/protocol/webview';
import { axeViolations, openDashboard, openInsightViewsByKeyboard, startHarness, unavailable, type PreviewHarness } from './previewHarness';

const THEMES = ['dark', 'light', 'hc'] as const;
const LOCALES = ['en', 'zh-cn'] as const;
const MODES = ['idle', 'loading', 'midrun', 'finished', 'pastRun', 'stopped', 'error', 'regularized', 'compare', 'compareOne'] as const;

let harness: PreviewHarness | undefined;

before(async () => {
  if (!unavailable) harness = await startHarness();
});

after(async () => {
  await harness?.close();
});

const violations = (page: Page) => axeViolations(page);

for (const locale of LOCALES) {
  for (const theme of THEMES) {
    test(`no accessibility violations in any run state: ${theme} theme, ${locale}`, async (context) => {
      if (!requireOrSkip(context, unavailable)) return;
      assert.ok(harness);
      const problems: string[] = [];
      for (const mode of MODES) {
        const { page, problems: errors } = await openDashboard(harness, { mode, theme, locale });
        for (const v of await violations(page)) problems.push(`${mode}: ${v}`);
        problems.push(...errors.map((e) => `${mode}: ${e}`));
        await page.context().close();
      }
      assert.deepEqual(problems, []);
    });

    test(`no accessibility violations after interacting with the grid and the matrix: ${theme} theme, ${locale}`, async (context) => {
      if (!requireOrSkip(context, unavailable)) return;
      assert.ok(harness);
      const { page, problems } = await openDashboard(harness, { mode: 'finished', theme, locale });
      // A prediction's detail (its ten probabilities), opened as a user does: a click on a tile.
      await page.locator('button.tile').first().click();
      await page.waitForSelector('.cell-predict [role="img"], .cell-predict .probability-bars, .cell-predict meter', { timeout: 5000 }).catch(() => undefined);
      const afterDetail = await violations(page);
      // A confusion-matrix cell filters the grid.
      await page.locator('button.confusion-cell.off-diagonal:not(.empty)').first().click();
      const afterFilter = await violations(page);
      assert.deepEqual([...afterDetail.map((v) => `detail: ${v}`), ...afterFilter.map((v) => `filter: ${v}`), ...problems], []);
      await page.context().close();
    });

    test(`no accessibility violations in the insight views, reached by keyboard: ${theme} theme, ${locale}`, async (context) => {
      if (!requireOrSkip(context, unavailable)) return;
      assert.ok(harness);
      const { page, problems } = await openDashboard(harness, { mode: 'finished', theme, locale });
      const found: string[] = [];
      const check = async (what: string) => {
        found.push(...(await violations(page)).map((v) => `${what}: ${v}`));
      };
      try {
        await openInsightViewsByKeyboard(page, check);
        assert.deepEqual([...found, ...problems], []);
      } finally {
        await page.context().close();
      }
    });

    test(`the compare view is reached and closed by keyboard, with no violations: ${theme} theme, ${locale}`, async (context) => {
      if (!requireOrSkip(context, unavailable)) return;
      assert.ok(harness);
      const { page, problems } = await openDashboard(harness, { mode: 'compare', theme, locale });
      try {
        await page.waitForSelector('#cell-compare .chart-box canvas');
        // Tab from the top of the page reaches the compare view's Close button (it comes first, above the notebook).
        let focused: string | null | undefined;
        for (let presses = 0; presses < 15 && focused !== 'compare-close'; presses++) {
          await page.keyboard.press('Tab');
          focused = await page.evaluate(() => document.activeElement?.getAttribute('data-focus-key'));
        }
        assert.equal(focused, 'compare-close', 'Tab never reached "Close comparison"');
        assert.deepEqual(await violations(page), []);
        await page.keyboard.press('Enter');
        const posted = (await page.evaluate('window.__posted.filter((m) => m.type === "closeComparison").length')) as number;
        assert.equal(posted, 1, 'Enter on "Close comparison" asks the host to close it');
        assert.deepEqual(problems, []);
      } finally {
        await page.context().close();
      }
    });
  }
}

test('the host\'s reveal scrolls to and focuses every cell, the compare and sweep views included', async (context) => {
  if (!requireOrSkip(context, unavailable)) return;
  assert.ok(harness);
  // The compare view exists in the compare state; the notebook's cells (the classify cell with results) in the finished one.
  const pages = { compare: await openDashboard(harness, { mode: 'compare' }), finished: await openDashboard(harness, { mode: 'finished' }), sweep: await openDashboard(harness, { mode: 'sweepDone' }) };
  try {
    const focused: Record<string, string | undefined> = {};
    for (const cell of DASHBOARD_CELLS) {
      const { page } = cell === 'compare' ? pages.compare : cell === 'sweep' ? pages.sweep : pages.finished;
      await page.waitForSelector(`#cell-${cell}`);
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.evaluate((name) => window.postMessage({ type: 'reveal', cell: name }, '*'), cell);
      await page.waitForFunction((name) => document.activeElement?.id === `cell-${name}`, cell, { timeout: 2000 }).catch(() => undefined);
      focused[cell] = await page.evaluate(() => document.activeElement?.id);
    }
    assert.deepEqual(focused, Object.fromEntries(DASHBOARD_CELLS.map((cell) => [cell, `cell-${cell}`])));
    assert.ok(DASHBOARD_CELLS.includes('compare'));
    assert.deepEqual([...pages.compare.problems, ...pages.finished.problems, ...pages.sweep.problems], []);
  } finally {
    await pages.sweep.page.context().close();
    await pages.compare.page.context().close();
    await pages.finished.page.context().close();
  }
});
