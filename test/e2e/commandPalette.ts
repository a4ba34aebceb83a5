/** Driving VS Code's command palette from the UI tests. */
import type { Page } from 'playwright-core';

/** F1, type the command, pick its row. Retries: contributed commands appear once the remote host registered them. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 3000 });
      await row.click();
      return;
    } catch {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000);
    }
  }
  throw new Error(`the command "${title}" never appeared in the command palette`);
}
