/**
 * Preview harness for the dashboard webview, without VS Code: serves the webview bundle on 127.0.0.1 in the
 * panel's own page (src/host/dashboardPage.ts, the same CSP), with a fake host in the page (fakeHost.ts) and
 * realistic fixture states (test/preview/fixtures.mjs), in VS Code's dark, light or high-contrast colours.
 *
 *   npm run preview                                    serve; open the printed URL
 *        ?theme=dark|light|hc  &mode=finished|midrun|idle|loading|stopped|error|regularized|compare|compareOne|pastRun|conv  &locale=en|zh-cn
 *   npm run preview -- --screenshot DIR                take the standard screenshots with Chromium
 *   options: --port N, --no-build (use the existing dist/webview.js), --locale zh-cn (screenshots)
 *
 * Rooms: bundles.ts (the webview and fake host bundles), fixtures.ts (the states), themes.ts, server.ts,
 * screenshots.ts (and contrast.ts, run in the page).
 */
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
// @ts-expect-error plain ESM script without types
import { dashboardEnglishStrings } from '../l10n-strings.mjs';
import { buildBundles } from './bundles';
import { l10nBundle, loadFixtures } from './fixtures';
import { takeScreenshots } from './screenshots';
import { startServer } from './server';

const root = resolve(__dirname, '..', '..');

function option(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const screenshotDir = option('--screenshot');
const port = Number(option('--port', '0'));
const locale = option('--locale', 'en') ?? 'en';

/** How much of the dashboard the locale's bundle translates (the unit tests require all of it). */
function reportTranslation(): void {
  const english = [...(dashboardEnglishStrings(root) as Map<string, string>).keys()];
  const bundle = l10nBundle(root, locale) ?? {};
  const untranslated = english.filter((text) => typeof bundle[text] !== 'string');
  console.log(`${locale}: ${english.length - untranslated.length} of ${english.length} dashboard strings translated`);
  for (const text of untranslated) console.log(`  untranslated: ${JSON.stringify(text)}`);
}

async function main(): Promise<void> {
  if (locale !== 'en') reportTranslation();
  const fixtures = loadFixtures();
  const bundles = await buildBundles(root, process.argv.includes('--no-build'));
  const server = await startServer(root, bundles, fixtures, port);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (screenshotDir) {
    const { shots, problems } = await takeScreenshots(base, resolve(screenshotDir), locale, bundles.contrast);
    server.close();
    for (const shot of shots) console.log(`screenshot: ${shot}`);
    for (const problem of problems) console.log(`PROBLEM ${problem}`);
    console.log(`${shots.length} screenshots, ${problems.length} problems${fixtures.realData ? '' : ' (synthetic images: the Debian dataset is not installed)'}`);
    process.exit(problems.length > 0 ? 1 : 0);
  } else {
    console.log(`Dashboard preview: ${base}/?theme=dark&mode=finished  (themes: dark, light, hc; modes: ${Object.keys(fixtures.states).join(', ')}, conv; locale=zh-cn)`);
  }
}

void main();
