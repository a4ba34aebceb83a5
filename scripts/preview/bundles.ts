/**
 * The browser scripts of the preview: the dashboard webview (src/webview/main.ts, bundled as esbuild.mjs does,
 * into a temporary folder so other bundles' build errors do not stop the preview; or dist/webview.js as
 * built), the fake host (fakeHost.ts) and the screenshots' contrast check (contrast.ts).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

export interface PreviewBundles {
  webview: string;
  fakeHost: string;
  contrast: string;
}

async function browserBundle(entry: string, outfile: string): Promise<string> {
  await esbuild.build({ entryPoints: [entry], outfile, bundle: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'warning' });
  return readFileSync(outfile, 'utf8');
}

export async function buildBundles(root: string, useBuiltWebview: boolean): Promise<PreviewBundles> {
  const out = mkdtempSync(join(tmpdir(), 'dashboard-preview-'));
  const [webview, fakeHost, contrast] = await Promise.all([
    useBuiltWebview ? Promise.resolve(readFileSync(join(root, 'dist/webview.js'), 'utf8')) : browserBundle(join(root, 'src/webview/main.ts'), join(out, 'webview.js')),
    browserBundle(join(root, 'scripts/preview/fakeHost.ts'), join(out, 'fakeHost.js')),
    browserBundle(join(root, 'scripts/preview/contrast.ts'), join(out, 'contrast.js')),
  ]);
  return { webview, fakeHost, contrast };
}
