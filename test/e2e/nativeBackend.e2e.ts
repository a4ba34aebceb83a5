/**
 * "Fashion-MNIST: Set Up the Native Backend" in the packaged extension, as a user runs it from the palette,
 * with this machine's npm and registry. Here tfjs-node's install script cannot download libtensorflow
 * (storage.googleapis.com is out of reach), so the command must fail cleanly: a progress notification while
 * npm runs, then an error naming the download and saying training stays on WebAssembly, and nothing left in
 * the per-user folder (code-server runs with XDG_CACHE_HOME in the test profile). On a machine that can
 * download it the install succeeds instead, and the test checks the installed package.
 * Screenshots land in test-output/e2e (native-*).
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { runCommand } from './commandPalette';
import { e2eSetting as env, launchWorkbenchBrowser, workbenchUrl } from './workbenchBrowser';

const SERVER = env('FMT_E2E_URL');
const WORKSPACE = env('FMT_E2E_WORKSPACE');
const OUTPUT = env('FMT_E2E_OUTPUT');
const PROFILE = env('FMT_E2E_PROFILE');
/** Where the command installs, under the XDG_CACHE_HOME scripts/vscode-env.mjs gives code-server. */
const CACHE = join(PROFILE, 'cache', 'fashion-mnist-trainer');
const TITLE = 'Fashion-MNIST: Set Up the Native Backend';

let context: BrowserContext;
let page: Page;

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(OUTPUT, `native-${name}.png`) });
}

describe('Set Up the Native Backend (packaged .vsix)', () => {
  before(async () => {
    ({ context, page } = await launchWorkbenchBrowser(OUTPUT, '.chromium-profile-native'));
  });

  after(async () => {
    await context?.close();
  });

  it('runs npm with progress, then fails cleanly naming the download (or installs where it can download)', async () => {
    await page.goto(workbenchUrl(SERVER, WORKSPACE));
    await page.locator('.explorer-folders-view').waitFor({ timeout: 90_000 });
    await runCommand(page, TITLE);
    // Toasts are hidden while the test driver is on; the notification center lists them.
    await runCommand(page, 'Notifications: Show Notifications');
    const center = page.locator('.notifications-center');
    await center.locator('.notification-list-item', { hasText: 'Setting up the native backend' }).first().waitFor({ timeout: 30_000 });
    await screenshot('progress');

    const failed = center.locator('.notification-list-item', { hasText: 'could not be downloaded' });
    const installed = center.locator('.notification-list-item', { hasText: 'The native backend is set up' });
    await failed.or(installed).first().waitFor({ timeout: 240_000 });
    await screenshot('result');
    const leftovers = existsSync(CACHE) ? readdirSync(CACHE).filter((name) => name.startsWith('native-backend')) : [];
    if (await installed.count()) {
      assert.deepEqual(leftovers, ['native-backend']);
      assert.ok(existsSync(join(CACHE, 'native-backend', 'node_modules', '@tensorflow', 'tfjs-node', 'package.json')));
      return;
    }
    const text = (await failed.first().innerText()).replace(/\s+/g, ' ');
    assert.match(text, /https:\/\/storage\.googleapis\.com\/\S*libtensorflow\S* could not be downloaded/);
    assert.match(text, /training stays on the WebAssembly backend/);
    assert.deepEqual(leftovers, [], `left behind in ${CACHE}: ${leftovers.join(', ')}`);
  });

  it('the log has npm\'s output', async () => {
    await runCommand(page, 'Output: Show Output Channels...');
    const input = page.locator('.quick-input-widget input.input');
    await input.fill('Fashion-MNIST');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Fashion-MNIST' }).first().click();
    // The panel scrolls to the end of the log: npm's last lines and the failure are in view.
    await page.locator('.panel .view-line', { hasText: 'npm' }).first().waitFor({ timeout: 30_000 });
    await screenshot('log');
  });
});
