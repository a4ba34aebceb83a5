// The dashboard as a Chinese-speaking learner sees it: the webview bundle in Chromium, served by the preview
// harness (scripts/preview/) with its fixture states and the host's dashboard strings taken through
// l10n/bundle.l10n.zh-cn.json. Checks that the cells speak Chinese and that no English dashboard text shows (also in
// the compare view and the insight views: epoch slider, saliency map, pinned image, first layer), that it is drawn
// in one CJK font, and leaves screenshots in test-output/dashboard-zh/ for a person to read.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { requireOrSkip } from '../requirements';
import { openDashboard, openInsightViewsByKeyboard, startHarness, root, unavailable, type PreviewHarness } from './previewHarness';
// @ts-expect-error plain ESM script without types
import { dashboardEnglishStrings } from '../../scripts/l10n-strings.mjs';

const screenshotDir = join(root, 'test-output', 'dashboard-zh');
const chinese: Record<string, string> = JSON.parse(readFileSync(join(root, 'l10n/bundle.l10n.zh-cn.json'), 'utf8'));

/** The English text of every dashboard string, read from the host module that sends them (key -> English). */
function englishDashboardStrings(): Map<string, string> {
  return dashboardEnglishStrings(root);
}

// The notebook's cells in order, by the English title the host sends.
const CELL_TITLES: [string, string][] = [
  ['cell-data', 'Import the Fashion-MNIST dataset'],
  ['cell-preprocess', 'Preprocess the data'],
  ['cell-model', 'Build and compile the model'],
  ['cell-train', 'Train the model'],
  ['cell-evaluate', 'Evaluate accuracy'],
  ['cell-predict', 'Make predictions'],
  ['cell-confusion', 'Where the model gets confused'],
  ['cell-classify', 'Classify your own images'],
];

let harness: PreviewHarness | undefined;

before(async () => {
  if (unavailable) return;
  mkdirSync(screenshotDir, { recursive: true });
  harness = await startHarness();
});

after(async () => {
  await harness?.close();
});

/** The dashboard in Chinese, in the fixture state `mode` (dark theme unless `theme` says). */
function openChinese(mode: string, width = 1100, theme: 'dark' | 'light' | 'hc' = 'dark'): Promise<{ page: Page; problems: string[] }> {
  assert.ok(harness);
  return openDashboard(harness, { mode, locale: 'zh-cn', width, theme });
}

/**
 * Everything a user can read or hear outside the code listings: text nodes and labelling attributes. Text the
 * state itself carries (the worker's messages, file names: the fixture has them in English, the real worker
 * localizes them with its own bundle) is cut out, so what remains is the dashboard's own wording.
 * Browser code as a string: the test's TypeScript transform would add helpers the page does not have.
 */
const READABLE_TEXTS = `(() => {
  const fromState = [];
  const collect = (value) => {
    if (typeof value === 'string' && value.length >= 8) fromState.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(window.__previewFixture && window.__previewFixture.state);
  const withoutState = (text) => fromState.reduce((rest, data) => rest.split(data).join(' '), text).trim();
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement && node.parentElement.closest('pre, code, script, style')) continue;
    const text = withoutState(node.textContent || '');
    if (text) texts.push(text);
  }
  for (const element of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      const value = withoutState(element.getAttribute(name) || '');
      if (value) texts.push(value);
    }
  }
  return texts;
})()`;

async function readableTexts(page: Page): Promise<string[]> {
  return (await page.evaluate(READABLE_TEXTS)) as string[];
}

/** A pattern for an English string with its placeholders filled in by anything ("Epoch {0} of {1}" -> "Epoch 3 of 10"). */
function englishPattern(english: string): RegExp {
  const escaped = english
    .split(/\{\d+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.+?');
  // Strings with little literal text ("{0} s", "True: {0}") only count when they are the whole text.
  const letters = english.replace(/\{\d+\}/g, '').replace(/[^A-Za-z]/g, '').length;
  return letters >= 6 ? new RegExp(escaped) : new RegExp(`^${escaped}$`);
}

// Dashboard strings that read the same in Chinese: Keras's layer and regularizer names, which the Chinese
// tutorial keeps in English too, and the compare view's "2 − 1" (run 2 minus run 1: numbers, no words).
// Only these may show in English.
const SAME_IN_CHINESE = new Set<string>(['Dropout', 'L2', 'L2 {0}', 'dropout {0}', '{0} − 1']);

/** English dashboard strings found among the readable texts, as "key: text". */
function englishLeft(texts: string[]): string[] {
  const found = new Set<string>();
  for (const [key, english] of englishDashboardStrings()) {
    if (SAME_IN_CHINESE.has(english)) continue;
    const pattern = englishPattern(english);
    for (const text of texts) if (pattern.test(text)) found.add(`${key}: ${JSON.stringify(text)}`);
  }
  return [...found].sort();
}

test('the finished dashboard in zh-cn: every cell title in Chinese, no English dashboard text, no missing key', async (context) => {
  if (!requireOrSkip(context, unavailable)) return;
  const { page, problems } = await openChinese('finished');
  try {
    await page.waitForTimeout(300); // image tiles arrive in a second message
    const titles = await page.$$eval('.cell', (cells) => cells.map((cell) => [cell.id, cell.querySelector('h2')?.textContent?.trim() ?? '']));
    assert.deepEqual(
      titles.map(([id, title]) => [id, title.replace(/^\[\d+\]\s*/, '')]),
      CELL_TITLES.map(([id, english]) => [id, chinese[english]]),
    );
    for (const [, title] of titles) assert.match(title, /[\u4e00-\u9fff]/, title);

    const texts = await readableTexts(page);
    assert.deepEqual(englishLeft(texts), [], 'English dashboard strings are visible');
    assert.deepEqual(texts.filter((text) => /⟦\w+⟧/.test(text)), [], 'keys the host did not send');
    // The class names appear as the tutorial's Chinese names, in the class table and on the tiles.
    const tableNames = await page.$$eval('#cell-data table tbody tr td:last-child', (cells) => cells.map((c) => c.textContent?.trim()));
    assert.deepEqual(tableNames, ['T恤/上衣', '裤子', '套头衫', '连衣裙', '外套', '凉鞋', '衬衫', '运动鞋', '包', '短靴']);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-cn');
    assert.deepEqual(problems, []);

    await page.screenshot({ path: join(screenshotDir, 'finished-full.png'), fullPage: true });
    for (const [id] of CELL_TITLES) await page.locator(`#${id}`).screenshot({ path: join(screenshotDir, `finished-${id}.png`) });
  } finally {
    await page.context().close();
  }
});

test('the dashboard in zh-cn in every other state (mid-run, idle, loading, stopped, failed): no English dashboard text', async (context) => {
  if (!requireOrSkip(context, unavailable)) return;
  for (const mode of ['midrun', 'idle', 'loading', 'stopped', 'error']) {
    const { page, problems } = await openChinese(mode);
    try {
      if (mode === 'midrun') await page.waitForSelector('.progress-stats');
      await page.waitForTimeout(400); // a few progress messages
      const texts = await readableTexts(page);
      assert.deepEqual(englishLeft(texts), [], `${mode}: English dashboard strings are visible`);
      assert.deepEqual(texts.filter((text) => /⟦\w+⟧/.test(text)), [], `${mode}: keys the host did not send`);
      assert.deepEqual(problems, []);
      if (mode === 'midrun' || mode === 'idle') await page.locator('#cell-train').screenshot({ path: join(screenshotDir, `${mode}-cell-train.png`) });
      else await page.screenshot({ path: join(screenshotDir, `${mode}-top.png`) });
    } finally {
      await page.context().close();
    }
  }
});

test('the Chinese labels fit their controls in a narrow panel (nothing cut off sideways)', async (context) => {
  if (!requireOrSkip(context, unavailable)) return;
  // 520 px: the dashboard beside an editor on a laptop screen.
  const { page } = await openChinese('finished', 520);
  try {
    await page.waitForTimeout(300);
    const clipped = await page.$$eval('button, select, label, th, .tile, h2, .banner', (elements) =>
      elements
        .filter((e) => e.getClientRects().length > 0 && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${e.textContent?.trim().slice(0, 40)}`),
    );
    await page.screenshot({ path: join(screenshotDir, 'narrow-full.png'), fullPage: true });
    assert.deepEqual(clipped, []);
  } finally {
    await page.context().close();
  }
});

/** The fonts Chromium actually drew an element's text with (DevTools protocol), most glyphs first. */
async function fontsUsed(page: Page, selector: string): Promise<{ familyName: string; glyphCount: number }[]> {
  // Cells off screen are not laid out (content-visibility: auto), so no font is chosen for them until they show.
  await page.locator(selector).first().scrollIntoViewIfNeeded();
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root: documentNode } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: documentNode.nodeId, selector });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  return [...fonts].sort((a, b) => b.glyphCount - a.glyphCount);
}

test('Chinese text is drawn in one CJK font (Noto Sans CJK SC), in the light and high-contrast themes too', async (context) => {
  if (!requireOrSkip(context, unavailable)) return;
  for (const theme of ['dark', 'light', 'hc'] as const) {
    const { page, problems } = await openChinese('finished', 1100, theme);
    try {
      await page.waitForTimeout(300);
      for (const selector of ['.page-header h1', '#cell-train .cell-explain', '#cell-confusion .cell-title', '.banner p']) {
        const fonts = await fontsUsed(page, selector);
        const cjk = fonts.filter((font) => /CJK|Han|Hei|YaHei|PingFang/i.test(font.familyName));
        assert.equal(cjk.length, 1, `${theme} ${selector}: ${JSON.stringify(fonts)}`);
        assert.match(cjk[0].familyName, /^Noto Sans CJK SC$/, `${theme} ${selector}: ${JSON.stringify(fonts)}`);
      }
      assert.deepEqual(problems, []);
      await page.screenshot({ path: join(screenshotDir, `finished-${theme}-top.png`) });
    } finally {
      await page.context().close();
    }
  }
});

/** The one CJK font Chromium drew `selector`'s text with, or a line saying what it drew instead. */
async function cjkFontProblem(page: Page, selector: string): Promise<string | undefined> {
  const fonts = await fontsUsed(page, selector);
  const cjk = fonts.filter((font) => /CJK|Han|Hei|YaHei|PingFang/i.test(font.familyName));
  return cjk.length === 1 && cjk[0].familyName === 'Noto Sans CJK SC' ? undefined : `${selector}: ${JSON.stringify(fonts)}`;
}

test('the compare view in zh-cn: Chinese wording in one CJK font, in the three themes (screenshots)', async (context) => {
  if (!requireOrSkip(context, unavailable)) return;
  for (const theme of ['dark', 'light', 'hc'] as const) {
    const { page, problems } = await openChinese('compare', 1100, theme);
    try {
      await page.waitForSelector('#cell-compare .chart-box canvas');
      assert.equal(await page.textContent('#cell-compare h2'), chinese['Compare {0} runs'].replace('{0}', '2'));
      const texts = await readableTexts(page);
      assert.deepEqual(englishLeft(texts), [], `${theme}: English dashboard strings are visible`);
      assert.deepEqual(texts.filter((text) => /⟦\w+⟧/.test(text)), [], `${theme}: keys the host did not send`);
      const fonts: (string | undefined)[] = [];
      for (const selector of ['#cell-compare .cell-explain', '#cell-compare .chart-box figcaption', '#cell-compare .compare-table caption', '#cell-compare .compare-table tbody th']) {
        fonts.push(await cjkFontProblem(page, selector));
      }
      assert.deepEqual(fonts.filter(Boolean), [], theme);
      assert.deepEqual(problems, []);
      await page.waitForTimeout(300); // the charts' first frame
      await page.locator('#cell-compare').screenshot({ path: join(screenshotDir, `compare-${theme}.png`) });
    } finally {
      await page.context().close();
    }
  }
  // One run opened from the Runs view: titled by its id, not "compare 1 runs".
  const { page, problems } = await openChinese('compareOne');
  try {
    await page.waitForSelector('#cell-compare .chart-box canvas');
    assert.equal(await page.textContent('#cell-compare h2'), chinese['Run {0}'].replace('{0}', '20261201-081500-3fa1'));
    assert.deepEqual(englishLeft(await readableTexts(page)), []);
    assert.deepEqual(problems, []);
    await page.waitForTimeout(300);
    await page.locator('#cell-compare').screenshot({ path: join(screenshotDir, 'compare-one-run-dark.png') });
  } finally {
    await page.context().close();
  }
});

test('the insight views in zh-cn (epoch slider, saliency map, a pinned image, a first-layer unit): Chinese wording in one CJK font, three themes (screenshots)', async (context) => {
  if (!requireOrSkip(context, unavailable)) return;
  for (const theme of ['dark', 'light', 'hc'] as const) {
    const { page, problems } = await openChinese('finished', 1100, theme);
    try {
      await openInsightViewsByKeyboard(page);
      assert.deepEqual(
        await page.$$eval('.epoch-range', (inputs) => inputs.map((i) => i.getAttribute('aria-valuetext'))),
        Array(3).fill(chinese['Epoch {0} of {1}'].replace('{0}', '3').replace('{1}', '10')),
      );
      assert.equal(await page.textContent('.unit-detail h4'), chinese['Unit {0}'].replace('{0}', '2'));
      const texts = await readableTexts(page);
      assert.deepEqual(englishLeft(texts), [], `${theme}: English dashboard strings are visible`);
      assert.deepEqual(texts.filter((text) => /⟦\w+⟧/.test(text)), [], `${theme}: keys the host did not send`);
      const fonts: (string | undefined)[] = [];
      for (const selector of ['#cell-evaluate .epoch-slider label', '#cell-predict .epoch-note', '.pinned h3', '.pin figcaption', '.detail.open .saliency-title', '.detail.open .saliency .hint', '.first-layer .cell-explain', '.unit-top-title']) {
        fonts.push(await cjkFontProblem(page, selector));
      }
      assert.deepEqual(fonts.filter(Boolean), [], theme);
      assert.deepEqual(problems, []);
      await page.locator('#cell-evaluate').screenshot({ path: join(screenshotDir, `insight-${theme}-evaluate-slider.png`) });
      await page.locator('#cell-predict .pinned').screenshot({ path: join(screenshotDir, `insight-${theme}-pinned.png`) });
      await page.locator('#cell-predict .detail.open').screenshot({ path: join(screenshotDir, `insight-${theme}-saliency.png`) });
      await page.locator('#cell-model .first-layer').screenshot({ path: join(screenshotDir, `insight-${theme}-first-layer.png`) });
      await page.locator('#cell-confusion').screenshot({ path: join(screenshotDir, `insight-${theme}-confusion-epoch3.png`) });
    } finally {
      await page.context().close();
    }
  }
});
