/**
 * The standard screenshots of the preview, taken with Chromium, with the checks a person would otherwise make
 * by eye: every picture drawn, text contrast (contrast.ts) in the three themes with a detail open, streams that
 * update in place, keyboard focus kept, the host's reveal, a setting sent, view state kept across a reload,
 * the confusion-matrix filter and the detail that follows it, Train from the keyboard.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import type { WebviewToHost } from '../../src/protocol/webview';

export async function takeScreenshots(base: string, dir: string, locale: string, contrastCheck: string): Promise<{ shots: string[]; problems: string[] }> {
  mkdirSync(dir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const problems: string[] = [];
  const shots: string[] = [];
  const open = async (name: string, query: string) => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
    const p = await context.newPage();
    // The contrast check (contrast.ts) goes in as an init script, which the page's CSP does not govern.
    await p.addInitScript({ content: contrastCheck });
    await p.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    p.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${name}: console ${m.type()}: ${m.text()}`);
    });
    p.on('pageerror', (e) => problems.push(`${name}: page error: ${e.message}`));
    await p.goto(`${base}/?${query}&locale=${locale}`);
    await p.waitForSelector('.cell');
    await p.waitForTimeout(300);
    return { p, context };
  };
  const shoot = async (p: Page, name: string, target?: string) => {
    // Every canvas that shows a picture must have been drawn (pixel data arrived and was painted).
    const blank = await p.$$eval('canvas.pixel-image:not(.loaded)', (canvases) => canvases.length);
    if (blank > 0) problems.push(`${name}: ${blank} image canvases were never drawn`);
    const file = join(dir, `${name}.png`);
    const element = target === undefined ? null : await p.$(target);
    if (target !== undefined && !element) problems.push(`${name}: ${target} is not on the page`);
    else if (element) await element.screenshot({ path: file });
    else await p.screenshot({ path: file, fullPage: true });
    shots.push(file);
  };
  for (const theme of ['dark', 'light', 'hc']) {
    const { p, context } = await open(`${theme}-finished`, `theme=${theme}&mode=finished`);
    await shoot(p, `${theme}-finished`);
    for (const id of await p.$$eval('.cell', (cells) => cells.map((c) => c.id))) await shoot(p, `${theme}-${id}`, `#${id}`);
    // Text contrast with a detail open for a correct and for a wrong prediction (green and red verdicts).
    for (const kind of ['correct', 'wrong']) {
      await p.click(`.prediction-grid .tile-${kind}`);
      await p.waitForTimeout(150);
      if (kind === 'correct') await shoot(p, `${theme}-detail-correct`, '#cell-predict .detail');
      for (const low of await p.evaluate(() => window.__lowContrastText())) problems.push(`${theme}: low contrast (${kind} detail open): ${low}`);
    }
    await context.close();
    // A regularized run: validation split, early stopping, the best epoch marked, the model cell's preset.
    const regularized = await open(`${theme}-regularized`, `theme=${theme}&mode=regularized`);
    await shoot(regularized.p, `${theme}-regularized-train-cell`, '#cell-train');
    await shoot(regularized.p, `${theme}-regularized-model-cell`, '#cell-model');
    for (const low of await regularized.p.evaluate(() => window.__lowContrastText())) problems.push(`${theme}: low contrast (regularized): ${low}`);
    await regularized.context.close();
    // Two runs compared: overlaid curves, the settings that differ, best and last side by side, per class.
    const compared = await open(`${theme}-compare`, `theme=${theme}&mode=compare`);
    await shoot(compared.p, `${theme}-compare`, '#cell-compare');
    for (const low of await compared.p.evaluate(() => window.__lowContrastText())) problems.push(`${theme}: low contrast (compare): ${low}`);
    await compared.context.close();
    // A past run opened from the Runs view: the note and the way back, above the run's own cells.
    const past = await open(`${theme}-past-run`, `theme=${theme}&mode=pastRun`);
    await shoot(past.p, `${theme}-past-run-note`, '.past-run');
    for (const low of await past.p.evaluate(() => window.__lowContrastText())) problems.push(`${theme}: low contrast (past run): ${low}`);
    await past.context.close();
  }
  // Streams of progress (mid-run) and of download states (loading) must update in place, not rebuild the cells.
  for (const mode of ['midrun', 'loading']) {
    const { p, context } = await open(`${mode}-in-place`, `theme=dark&mode=${mode}`);
    const watched = mode === 'midrun' ? '.progress-stats' : '.banner';
    await p.evaluate(() => {
      (document.querySelector('.cells') as HTMLElement).dataset.mark = 'kept';
    });
    const first = await p.textContent(watched);
    await p.waitForTimeout(1000);
    const kept = await p.evaluate(() => (document.querySelector('.cells') as HTMLElement | null)?.dataset.mark === 'kept');
    const later = await p.textContent(watched);
    if (!kept) problems.push(`${mode}: the cells were rebuilt by a stream of updates`);
    if (first === later) problems.push(`${mode}: ${watched} did not change while streaming`);
    await context.close();
  }
  for (const theme of ['dark', 'light']) {
    const { p, context } = await open(`${theme}-midrun`, `theme=${theme}&mode=midrun`);
    await p.waitForTimeout(2500);
    await shoot(p, `${theme}-midrun-train-cell`, '#cell-train');
    await shoot(p, `${theme}-midrun`);
    await context.close();
  }
  {
    const { p, context } = await open('detail', 'theme=dark&mode=finished');
    await p.selectOption('#grid-filter', 'misclassified');
    await p.waitForTimeout(200);
    await p.click('.prediction-grid .tile');
    await p.waitForTimeout(200);
    await shoot(p, 'dark-detail-open', '#cell-predict');
    // Keyboard: arrow right from the focused tile moves focus to the next tile.
    await p.focus('.prediction-grid .tile');
    await p.keyboard.press('ArrowRight');
    const focused = await p.evaluate(() => document.activeElement?.getAttribute('data-index'));
    const second = await p.evaluate(() => document.querySelectorAll('.prediction-grid .tile')[1]?.getAttribute('data-index'));
    if (focused !== second) problems.push(`keyboard: ArrowRight moved focus to ${focused}, expected ${second}`);
    // Rebuilt controls keep keyboard focus: the filter select changed by arrow key, the Next page button.
    await p.focus('#grid-filter');
    await p.keyboard.press('ArrowDown');
    await p.waitForTimeout(100);
    const afterSelect = await p.evaluate(() => [document.activeElement?.id, (document.querySelector('#grid-filter') as HTMLSelectElement | null)?.value]);
    if (afterSelect[0] !== 'grid-filter') problems.push(`keyboard: focus left the filter after a change (${afterSelect.join(', ')})`);
    await p.focus('[data-focus-key="page-next"]');
    await p.keyboard.press('Enter');
    await p.waitForTimeout(100);
    const afterPage = await p.evaluate(() => document.activeElement?.getAttribute('data-focus-key'));
    if (afterPage !== 'page-next' && afterPage !== 'page-prev') problems.push(`keyboard: focus after Next page is on ${afterPage}`);
    await context.close();
  }
  {
    const { p, context } = await open('confusion', 'theme=light&mode=finished');
    await shoot(p, 'light-confusion', '#cell-confusion');
    await p.click('[data-focus-key="confusion-6-0"]');
    await p.waitForTimeout(300);
    const shown = await p.$$eval('.prediction-grid .tile', (tiles) => tiles.length);
    const expected = await p.evaluate(() => Number(document.querySelector('[data-focus-key="confusion-6-0"]')?.textContent?.replace(/\D/g, '')));
    if (shown !== Math.min(100, expected)) problems.push(`confusion filter: grid shows ${shown} tiles, cell says ${expected}`);
    await shoot(p, 'light-confusion-filtered', '#cell-predict');
    // The detail follows the filter: an open image the new cell leaves out closes (on screen and in the
    // saved view state); one the cell includes stays open, with its tile on the grid's current page.
    const saved = () => p.evaluate(() => JSON.parse(sessionStorage.getItem('dashboard-preview-state') ?? '{}') as { selected?: number });
    await p.click('.prediction-grid .tile');
    const opened = await p.$eval('.prediction-grid .tile', (t) => t.getAttribute('data-index'));
    await p.click('[data-focus-key="confusion-0-6"]');
    await p.waitForTimeout(300);
    const afterOther = { open: await p.$$eval('.detail.open', (d) => d.length), selected: (await saved()).selected };
    if (afterOther.open !== 0 || afterOther.selected !== undefined) problems.push(`confusion filter: detail of image ${opened} stayed open after a cell without it (${JSON.stringify(afterOther)})`);
    const keep = await p.$eval('.prediction-grid .tile', (t) => t.getAttribute('data-index'));
    await p.click(`.prediction-grid .tile[data-index="${keep}"]`);
    await p.selectOption('#grid-filter', 'misclassified');
    await p.waitForTimeout(300);
    const afterSame = { detail: await p.$eval('.detail.open h3', (e) => e.textContent).catch(() => null), tile: await p.$$eval(`.prediction-grid .tile[data-index="${keep}"][aria-current="true"]`, (t) => t.length), selected: (await saved()).selected };
    if (!afterSame.detail || afterSame.tile !== 1 || afterSame.selected !== Number(keep)) problems.push(`filter: the detail of image ${keep}, still in the new filter, was not kept with its tile in view (${JSON.stringify(afterSame)})`);
    await context.close();
  }
  {
    const { p, context } = await open('classify', 'theme=dark&mode=finished');
    await shoot(p, 'dark-classify', '#cell-classify');
    // The host's `reveal` scrolls to and focuses a cell.
    await p.evaluate(() => window.postMessage({ type: 'reveal', cell: 'confusion' }, '*'));
    await p.waitForTimeout(200);
    const focusedCell = await p.evaluate(() => document.activeElement?.id);
    if (focusedCell !== 'cell-confusion') problems.push(`reveal: focus is on ${focusedCell}, expected cell-confusion`);
    // A control change is sent to the host as setSetting.
    await p.fill('#param-epochs', '12');
    await p.press('#param-epochs', 'Tab');
    const posted = await p.evaluate(() => window.__posted.filter((m): m is Extract<WebviewToHost, { type: 'setSetting' }> => m.type === 'setSetting'));
    if (!posted.some((m) => m.key === 'epochs' && m.value === 12)) problems.push(`setSetting: posted ${JSON.stringify(posted)}`);
    // View state survives a reload (getState/setState): filter, page and the open detail.
    await p.selectOption('#grid-filter', 'misclassified');
    await p.click('.pager button:last-of-type');
    await p.click('.prediction-grid li:nth-child(3) .tile');
    const before = await p.evaluate(() => ({ filter: (document.querySelector('#grid-filter') as HTMLSelectElement | null)?.value, page: document.querySelector('.page-of')?.textContent, detail: document.querySelector('.detail h3')?.textContent }));
    await p.reload();
    await p.waitForSelector('.detail h3');
    const after = await p.evaluate(() => ({ filter: (document.querySelector('#grid-filter') as HTMLSelectElement | null)?.value, page: document.querySelector('.page-of')?.textContent, detail: document.querySelector('.detail h3')?.textContent }));
    console.log(`reload check: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
    if (JSON.stringify(before) !== JSON.stringify(after)) problems.push(`reload: view state ${JSON.stringify(before)} became ${JSON.stringify(after)}`);
    await context.close();
  }
  for (const mode of ['idle', 'loading', 'error', 'stopped']) {
    const { p, context } = await open(mode, `theme=dark&mode=${mode}`);
    await shoot(p, `dark-${mode}`);
    if (mode === 'idle') {
      // Train from the keyboard: the page is rebuilt for the new run and focus moves to Stop.
      await p.focus('#cell-train [data-focus-key="train"]');
      await p.keyboard.press('Enter');
      await p.waitForTimeout(200);
      const key = await p.evaluate(() => document.activeElement?.getAttribute('data-focus-key'));
      if (key !== 'stop') problems.push(`keyboard: after Train, focus is on ${key}, expected stop`);
    }
    await context.close();
  }
  await browser.close();
  return { shots, problems };
}
