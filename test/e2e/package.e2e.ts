/**
 * What the packaged .vsix holds: everything the extension needs at run time (the UI test proves it works),
 * and nothing it does not (sources, tests, source maps, node_modules, the CLI). Reads the zip's central
 * directory itself, so no unzip tool is needed.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

/** File names in a zip archive, from its central directory. */
function zipEntries(file: string): string[] {
  const zip = readFileSync(file);
  // End of central directory: signature 0x06054b50, within the last 64 KiB (the comment may follow it).
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  assert.ok(end >= 0, `${file} is not a zip archive`);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    assert.equal(zip.readUInt32LE(offset), 0x02014b50, 'broken central directory');
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

describe('The packaged .vsix', () => {
  const vsix = process.env.FMT_E2E_VSIX;
  // scripts/vscode-e2e.mjs packages the .vsix and names it here; without it there is nothing to check.
  assert.ok(vsix, 'FMT_E2E_VSIX is not set: run with `npm run test:e2e`');
  const entries = zipEntries(vsix);

  it('holds what runs: the three bundles, the wasm binaries, media (the walkthrough\'s too), l10n and the manifest', () => {
    // The walkthrough's pictures: a step whose SVG is left out shows an empty frame.
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { walkthroughs: { steps: { media: { svg: string } }[] }[] } };
    const walkthroughMedia = manifest.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => `extension/${s.media.svg}`));
    const required = ['extension/package.json', 'extension/package.nls.json', 'extension/dist/extension.js',
      'extension/dist/worker.js', 'extension/dist/webview.js', 'extension/media/dashboard.css',
      'extension/l10n/bundle.l10n.json', ...walkthroughMedia];
    const missing = required.filter((name) => !entries.includes(name));
    assert.deepEqual(missing, [], `missing from the .vsix: ${missing.join(', ')}`);
    assert.ok(entries.some((name) => /^extension\/dist\/.*\.wasm$/.test(name)), 'no tfjs wasm binary in the .vsix');
    assert.ok(entries.some((name) => /^extension\/package\.nls\.zh-cn\.json$/i.test(name)), 'no Chinese manifest strings');
  });

  it('holds nothing that does not run: no sources, tests, source maps, node_modules or CLI', () => {
    const unwanted = entries.filter((name) =>
      /^extension\/(src|test|scripts|out|node_modules|test-output|\.ci)\//.test(name) ||
      /\.(map|ts)$/.test(name) ||
      /^extension\/dist\/cli\.js/.test(name));
    assert.deepEqual(unwanted, [], `the .vsix ships files that never run: ${unwanted.join(', ')}`);
  });
});
