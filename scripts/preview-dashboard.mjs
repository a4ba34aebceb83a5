// Preview harness for the dashboard webview, without VS Code: serves dist/webview.js on 127.0.0.1 inside a
// page with the same structure and CSP as the host's panel, a stub acquireVsCodeApi and realistic fixture
// states (test/preview/fixtures.mjs), in dark, light or high-contrast colours.
//
//   node scripts/preview-dashboard.mjs                      serve; open the printed URL
//        ?theme=dark|light|hc  &mode=finished|midrun|idle|loading|stopped|error|regularized|compare|pastRun  &locale=en|zh-cn
//   node scripts/preview-dashboard.mjs --screenshot DIR     take the standard screenshots with Chromium
//   options: --port N, --no-build (use the existing dist/webview.js), --locale zh-cn (screenshots)
//
// It builds only the webview bundle (into a temp folder), so other bundles' build errors don't stop it.
/* global document, window, getComputedStyle, NodeFilter, sessionStorage */ // browser code inside page.evaluate callbacks
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { buildFixtures } from '../test/preview/fixtures.mjs';
import { dashboardEnglishStrings } from './l10n-strings.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A host analysis module (TypeScript), bundled on the fly so the fixtures use the real thing. */
async function loadAnalysis(name) {
  const esbuild = await import('esbuild');
  const out = join(mkdtempSync(join(tmpdir(), 'dashboard-analysis-')), `${name}.mjs`);
  await esbuild.build({ entryPoints: [join(root, `src/core/analysis/${name}.ts`)], outfile: out, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  return import(pathToFileURL(out).href);
}
const analysis = await loadAnalysis('analysis');
const epochPredictions = await loadAnalysis('epochPredictions');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const screenshotDir = option('--screenshot');
const port = Number(option('--port', '0'));
const noBuild = process.argv.includes('--no-build');
const screenshotLocale = option('--locale', 'en');

// ------------------------------------------------------------------------------------------- bundle
async function webviewBundle() {
  if (noBuild) return join(root, 'dist/webview.js');
  const esbuild = await import('esbuild');
  const out = mkdtempSync(join(tmpdir(), 'dashboard-preview-'));
  await esbuild.build({
    entryPoints: { webview: join(root, 'src/webview/main.ts') },
    outdir: out,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    logLevel: 'warning',
  });
  return join(out, 'webview.js');
}

// ------------------------------------------------------------------------------------------ strings
/** What VS Code's `vscode.l10n.bundle` holds for a display language: our bundle for it; none for English. */
function l10nBundle(locale) {
  const bundleFile = join(root, `l10n/bundle.l10n.${locale}.json`);
  return locale !== 'en' && existsSync(bundleFile) ? JSON.parse(readFileSync(bundleFile, 'utf8')) : undefined;
}

// -------------------------------------------------------------------------------------- themes (CSS)
const THEMES = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      'font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace', 'editor-font-size': '13px',
      foreground: '#cccccc', 'editor-background': '#1f1f1f', 'editor-foreground': '#cccccc', descriptionForeground: '#9d9d9d',
      'editorWidget-background': '#202020', 'panel-border': '#2b2b2b', focusBorder: '#0078d4',
      'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1',
      'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c',
      'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c',
      'dropdown-background': '#313131', 'dropdown-foreground': '#cccccc', 'dropdown-border': '#3c3c3c',
      'textCodeBlock-background': '#2b2b2b', 'progressBar-background': '#0078d4',
      'charts-foreground': '#cccccc', 'charts-lines': 'rgba(204,204,204,0.25)', 'charts-blue': '#3794ff', 'charts-orange': '#d18616',
      'charts-red': '#f14c4c', 'charts-green': '#89d185', 'testing-iconPassed': '#73c991', 'testing-iconFailed': '#f14c4c',
      errorForeground: '#f85149', 'list-warningForeground': '#cca700',
      'editorWarning-foreground': '#cca700', 'inputValidation-errorBackground': '#5a1d1d', 'inputValidation-errorBorder': '#be1100',
      'inputValidation-warningBackground': '#352a05', 'inputValidation-warningBorder': '#b89500',
      'list-hoverBackground': '#2a2d2e', 'list-inactiveSelectionBackground': '#37373d',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      'font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace', 'editor-font-size': '13px',
      foreground: '#3b3b3b', 'editor-background': '#ffffff', 'editor-foreground': '#3b3b3b', descriptionForeground: '#616161',
      'editorWidget-background': '#f8f8f8', 'panel-border': '#e5e5e5', focusBorder: '#005fb8',
      'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8',
      'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
      'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece',
      'dropdown-background': '#ffffff', 'dropdown-foreground': '#3b3b3b', 'dropdown-border': '#cecece',
      'textCodeBlock-background': '#f0f0f0', 'progressBar-background': '#005fb8',
      'charts-foreground': '#616161', 'charts-lines': 'rgba(97,97,97,0.25)', 'charts-blue': '#1a85ff', 'charts-orange': '#c25700',
      'charts-red': '#e51400', 'charts-green': '#388a34', 'testing-iconPassed': '#73c991', 'testing-iconFailed': '#f14c4c',
      errorForeground: '#a1260d', 'list-warningForeground': '#855f00',
      'editorWarning-foreground': '#bf8803', 'inputValidation-errorBackground': '#f2dede', 'inputValidation-errorBorder': '#be1100',
      'inputValidation-warningBackground': '#f6f5d2', 'inputValidation-warningBorder': '#b89500',
      'list-hoverBackground': '#f2f2f2', 'list-inactiveSelectionBackground': '#e4e6f1',
    },
  },
  hc: {
    bodyClass: 'vscode-high-contrast',
    vars: {
      'font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace', 'editor-font-size': '13px',
      foreground: '#ffffff', 'editor-background': '#000000', 'editor-foreground': '#ffffff', descriptionForeground: '#ffffff',
      'editorWidget-background': '#0c141f', 'panel-border': '#6fc3df', focusBorder: '#f38518', contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518',
      'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df',
      'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff',
      'input-background': '#000000', 'input-foreground': '#ffffff', 'input-border': '#6fc3df',
      'dropdown-background': '#000000', 'dropdown-foreground': '#ffffff', 'dropdown-border': '#6fc3df',
      'textCodeBlock-background': '#000000', 'progressBar-background': '#6fc3df',
      'charts-foreground': '#ffffff', 'charts-lines': '#ffffff', 'charts-blue': '#3794ff', 'charts-orange': '#d18616',
      'charts-red': '#f48771', 'charts-green': '#89d185', 'testing-iconPassed': '#73c991', 'testing-iconFailed': '#f14c4c',
      errorForeground: '#f48771', 'list-warningForeground': '#cca700',
      'editorWarning-foreground': '#ffd370', 'inputValidation-errorBackground': '#000000', 'inputValidation-errorBorder': '#f48771',
      'inputValidation-warningBackground': '#000000', 'inputValidation-warningBorder': '#ffd370',
    },
  },
};

function themeCss(name) {
  const theme = THEMES[name] ?? THEMES.dark;
  const vars = Object.entries(theme.vars).map(([k, v]) => `  --vscode-${k}: ${v};`).join('\n');
  return `html {\n${vars}\n}\n`;
}

// ------------------------------------------------------------------------------------------ fixtures
/** JSON with typed arrays as base64, decoded by the stub. */
function encode(value) {
  return JSON.stringify(value, (_key, v) => {
    if (v instanceof Uint8Array) return { $u8: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
    if (v instanceof Float32Array) return { $f32: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
    if (v instanceof Int8Array) return { $i8: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
    if (v instanceof Uint16Array) return { $u16: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
    return v;
  });
}

const fixtures = buildFixtures({ analysis, epochPredictions });

function fixtureScript(mode, locale) {
  const state = fixtures.states[mode] ?? fixtures.states.finished;
  const payload = {
    mode,
    locale,
    state,
    bundle: l10nBundle(locale),
    history: fixtures.history,
    overfittingByEpoch: fixtures.overfittingByEpoch,
    finished: mode === 'midrun' ? fixtures.states.finished : undefined,
    epochs: fixtures.epochPredictions,
    firstLayer: ['finished', 'pastRun', 'stopped', 'midrun'].includes(mode) ? fixtures.firstLayer : undefined,
  };
  return `window.__previewFixture = ${encode(payload)};\nwindow.__previewImages = ${encode({ images: fixtures.testImages })};\n`;
}

// The stub VS Code API and a driver that plays the host: answers `ready` with the state, serves images,
// and in midrun mode streams progress (10/s) and epochs until the run finishes.
const STUB = String.raw`
(() => {
  const decode = (v) => {
    if (Array.isArray(v)) return v.map(decode);
    if (v && typeof v === 'object') {
      if (typeof v.$u8 === 'string' || typeof v.$f32 === 'string' || typeof v.$i8 === 'string' || typeof v.$u16 === 'string') {
        const bin = atob(v.$u8 ?? v.$f32 ?? v.$i8 ?? v.$u16);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        if (v.$u8 !== undefined) return bytes;
        if (v.$i8 !== undefined) return new Int8Array(bytes.buffer);
        if (v.$u16 !== undefined) return new Uint16Array(bytes.buffer);
        return new Float32Array(bytes.buffer);
      }
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
    }
    return v;
  };
  const fixture = decode(window.__previewFixture);
  const images = decode(window.__previewImages).images;
  const send = (message) => window.postMessage(message, '*');
  window.__posted = [];
  /** The fixture's per-epoch predictions up to epoch n (what the host would hold then), as its message's data. */
  const epochsUpTo = (n) => {
    const all = fixture.epochs;
    const k = all.epochs.filter((e) => e <= n).length;
    if (k === 0) return undefined;
    return { ...all, epochs: all.epochs.slice(0, k), predicted: all.predicted.subarray(0, k * all.count), probabilities: all.probabilities.subarray(0, k * all.count * 10), analyses: all.analyses.slice(0, k) };
  };
  const epochOnly = (n) => {
    const all = fixture.epochs;
    const k = all.epochs.indexOf(n);
    return { ...all, epochs: [n], predicted: all.predicted.subarray(k * all.count, (k + 1) * all.count), probabilities: all.probabilities.subarray(k * all.count * 10, (k + 1) * all.count * 10), analyses: [all.analyses[k]] };
  };
  const heldEpochs = () => (fixture.state.history ?? []).length;
  // The host keeps the pins: here, for the page's session, so they survive a reload as the host's do.
  const pinsKey = 'dashboard-preview-pins';
  const pins = () => JSON.parse(sessionStorage.getItem(pinsKey) ?? '[]');
  const storageKey = 'dashboard-preview-state';
  let streaming = false;

  function streamDownload() {
    const state = fixture.state;
    const timer = setInterval(() => {
      const d = state.download;
      if (d.receivedBytes >= d.totalBytes) return clearInterval(timer);
      state.download = { ...d, receivedBytes: Math.min(d.totalBytes, d.receivedBytes + 262144) };
      send({ type: 'state', state });
    }, 100);
  }

  function stream() {
    if (!streaming && fixture.mode === 'loading') {
      streaming = true;
      return streamDownload();
    }
    if (streaming || fixture.mode !== 'midrun') return;
    streaming = true;
    const state = fixture.state;
    let { epoch, batch } = state.progress;
    const perEpoch = state.progress.batchesPerEpoch;
    const timer = setInterval(() => {
      batch += 40;
      if (batch >= perEpoch) {
        const metrics = fixture.history[epoch - 1];
        send({ type: 'epoch', metrics, overfitting: fixture.overfittingByEpoch[epoch - 1] });
        send({ type: 'epochPredictions', replace: false, data: epochOnly(epoch) });
        epoch += 1;
        batch = 0;
        if (epoch > 10) {
          clearInterval(timer);
          send({ type: 'state', state: fixture.finished });
          return;
        }
      }
      const left = (10 - epoch) * perEpoch + (perEpoch - batch);
      send({ type: 'progress', progress: { epoch, epochs: 10, batch, batchesPerEpoch: perEpoch, loss: 0.3 - epoch * 0.006, accuracy: 0.88 + epoch * 0.003, etaSeconds: left / 270, samplesPerSecond: 8600 } });
    }, 100);
  }

  window.acquireVsCodeApi = () => ({
    postMessage(message) {
      window.__posted.push(message);
      console.log('webview -> host', JSON.stringify(message).slice(0, 200));
      if (message.type === 'ready') {
        send({ type: 'l10n', locale: fixture.locale, ...(fixture.bundle ? { bundle: fixture.bundle } : {}) });
        send({ type: 'state', state: fixture.state });
        send({ type: 'epochPredictions', replace: true, data: epochsUpTo(heldEpochs()) });
        send({ type: 'pins', pins: pins() });
        send({ type: 'firstLayer', layer: fixture.firstLayer });
        stream();
      } else if (message.type === 'train') {
        // Like the host: a run starts loading, with the last run's results cleared.
        send({ type: 'state', state: { status: 'loading', params: fixture.state.params, history: [] } });
        send({ type: 'epochPredictions', replace: true, data: undefined });
      } else if (message.type === 'requestSaliency') {
        // Stands in for the worker: bright pixels in the garment's upper half raise the probability, the lower half lowers it.
        const file = message.target.kind === 'file' ? (fixture.state.classifications ?? []).find((r) => r.ok && r.file === message.target.file) : undefined;
        const pixels = file ? file.input : images.subarray(message.target.index * 784, (message.target.index + 1) * 784);
        const values = new Float32Array(784);
        for (let p = 0; p < 784; p++) values[p] = (pixels[p] / 255) * (p < 392 ? 0.004 : -0.002) * (1 + Math.sin(p / 9));
        const scale = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        const predicted = file ? file.predicted : fixture.state.predictions ? fixture.state.predictions.predicted[message.target.index] : 0;
        setTimeout(() => send({ type: 'saliency', target: message.target, saliency: { predicted, probability: 0.9, values, scale } }), 10);
      } else if (message.type === 'setPin') {
        const next = pins().filter((n) => n !== message.index).concat(message.pinned ? [message.index] : []);
        sessionStorage.setItem(pinsKey, JSON.stringify(next));
        setTimeout(() => send({ type: 'pins', pins: next }), 5);
      } else if (message.type === 'requestImages') {
        const pixels = new Uint8Array(message.indices.length * 784);
        message.indices.forEach((index, n) => pixels.set(images.subarray(index * 784, (index + 1) * 784), n * 784));
        setTimeout(() => send({ type: 'images', indices: message.indices, pixels }), 10);
      }
    },
    getState() {
      const saved = sessionStorage.getItem(storageKey);
      return saved ? JSON.parse(saved) : undefined;
    },
    setState(state) {
      sessionStorage.setItem(storageKey, JSON.stringify(state));
    },
  });
})();
`;

// ------------------------------------------------------------------------------------------- server
function page(url, origin) {
  const nonce = randomBytes(16).toString('base64');
  const theme = THEMES[url.searchParams.get('theme')] ? url.searchParams.get('theme') : 'dark';
  const mode = url.searchParams.get('mode') ?? 'finished';
  const locale = url.searchParams.get('locale') ?? 'en';
  const q = `mode=${encodeURIComponent(mode)}&locale=${encodeURIComponent(locale)}`;
  // The same policy the host panel uses, with this server standing in for webview.cspSource.
  const csp = `default-src 'none'; img-src ${origin} data: blob:; style-src ${origin} 'nonce-${nonce}'; script-src 'nonce-${nonce}'; font-src ${origin};`;
  return `<!DOCTYPE html>
<html lang="${locale}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${origin}/preview/theme.css?theme=${theme}">
<link rel="stylesheet" href="${origin}/media/dashboard.css">
<title>Fashion-MNIST dashboard preview</title>
</head>
<body class="${THEMES[theme].bodyClass}">
<div id="app"></div>
<script nonce="${nonce}" src="${origin}/preview/fixture.js?${q}"></script>
<script nonce="${nonce}" src="${origin}/preview/stub.js"></script>
<script nonce="${nonce}" src="${origin}/dist/webview.js"></script>
</body>
</html>`;
}

async function startServer() {
  const bundle = await webviewBundle();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = `http://127.0.0.1:${server.address().port}`;
    const reply = (type, body) => {
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(body);
    };
    try {
      if (url.pathname === '/favicon.ico') return reply('image/x-icon', '');
      if (url.pathname === '/') return reply('text/html; charset=utf-8', page(url, origin));
      if (url.pathname === '/preview/theme.css') return reply('text/css', themeCss(url.searchParams.get('theme')));
      if (url.pathname === '/preview/stub.js') return reply('text/javascript', STUB);
      if (url.pathname === '/preview/fixture.js') return reply('text/javascript', fixtureScript(url.searchParams.get('mode') ?? 'finished', url.searchParams.get('locale') ?? 'en'));
      if (url.pathname === '/dist/webview.js') return reply('text/javascript', readFileSync(bundle));
      if (url.pathname === '/media/dashboard.css') return reply('text/css', readFileSync(join(root, 'media/dashboard.css')));
    } catch (error) {
      res.writeHead(500);
      return res.end(String(error));
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise((done) => server.listen(port, '127.0.0.1', done));
  return server;
}

// ----------------------------------------------------------------------------------------- contrast
/**
 * Runs in the page: every visible text (and ✓ ✗ ⚠ ▲ ● glyph) whose colour against its composited background
 * falls below WCAG's 4.5:1 (3:1 for large text and for the glyphs, which are icons). Disabled controls are
 * exempt, as in WCAG. Returns one line per offending element.
 */
function lowContrastText() {
  const parse = (value) => {
    const rgb = value.match(/^rgba?\(([^)]+)\)$/);
    if (rgb) {
      const [r, g, b, a = '1'] = rgb[1].split(/[\s,/]+/).filter(Boolean);
      return [Number(r), Number(g), Number(b), Number(a)];
    }
    const srgb = value.match(/^color\(srgb ([^)]+)\)$/);
    if (srgb) {
      const [r, g, b, a = '1'] = srgb[1].split(/[\s/]+/).filter(Boolean);
      return [Number(r) * 255, Number(g) * 255, Number(b) * 255, Number(a)];
    }
    return null;
  };
  const over = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1);
  };
  const background = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) layers.push(c);
      if (c && c[3] >= 1) break;
    }
    let colour = [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const luminance = ([r, g, b]) => {
    const lin = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const element = node.parentElement;
    if (!text || !element || seen.has(element)) continue;
    seen.add(element);
    if (element.closest('.visually-hidden, [disabled], option, script, style')) continue;
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0 || !element.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const style = getComputedStyle(element);
    const fg = parse(style.color);
    if (!fg) continue;
    const bg = background(element);
    const glyph = /^[✓✗⚠▲●ℹ‹›↓→\s·]+$/u.test(text);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const need = glyph || large ? 3 : 4.5;
    const got = ratio(over(fg, bg), bg);
    if (got < need) found.push(`${element.tagName.toLowerCase()}.${[...element.classList].join('.')} "${text.slice(0, 40)}" ${got.toFixed(2)}:1 (needs ${need}:1)`);
  }
  return found;
}

// -------------------------------------------------------------------------------------- screenshots
async function screenshots(base, dir) {
  const { chromium } = await import('playwright-core');
  mkdirSync(dir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const problems = [];
  const shots = [];
  const open = async (name, query) => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
    const p = await context.newPage();
    await p.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    p.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${name}: console ${m.type()}: ${m.text()}`);
    });
    p.on('pageerror', (e) => problems.push(`${name}: page error: ${e.message}`));
    await p.goto(`${base}/?${query}&locale=${screenshotLocale}`);
    await p.waitForSelector('.cell');
    await p.waitForTimeout(300);
    return { p, context };
  };
  const shoot = async (p, name, target) => {
    // Every canvas that shows a picture must have been drawn (pixel data arrived and was painted).
    const blank = await p.$$eval('canvas.pixel-image:not(.loaded)', (canvases) => canvases.length);
    if (blank > 0) problems.push(`${name}: ${blank} image canvases were never drawn`);
    // A key the host did not send shows as ⟦key⟧: catch it in every screenshot.
    const missing = await p.evaluate(() => [...new Set(document.body.innerText.match(/⟦\w+⟧/g) ?? [])]);
    if (missing.length > 0) problems.push(`${name}: strings missing for ${missing.join(', ')}`);
    const file = join(dir, `${name}.png`);
    if (target) await (await p.$(target)).screenshot({ path: file });
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
      for (const low of await p.evaluate(lowContrastText)) problems.push(`${theme}: low contrast (${kind} detail open): ${low}`);
    }
    await context.close();
    // A regularized run: validation split, early stopping, the best epoch marked, the model cell's preset.
    const regularized = await open(`${theme}-regularized`, `theme=${theme}&mode=regularized`);
    await shoot(regularized.p, `${theme}-regularized-train-cell`, '#cell-train');
    await shoot(regularized.p, `${theme}-regularized-model-cell`, '#cell-model');
    for (const low of await regularized.p.evaluate(lowContrastText)) problems.push(`${theme}: low contrast (regularized): ${low}`);
    await regularized.context.close();
    // Two runs compared: overlaid curves, the settings that differ, best and last side by side, per class.
    const compared = await open(`${theme}-compare`, `theme=${theme}&mode=compare`);
    await shoot(compared.p, `${theme}-compare`, '#cell-compare');
    for (const low of await compared.p.evaluate(lowContrastText)) problems.push(`${theme}: low contrast (compare): ${low}`);
    await compared.context.close();
    // A past run opened from the Runs view: the note and the way back, above the run's own cells.
    const past = await open(`${theme}-past-run`, `theme=${theme}&mode=pastRun`);
    await shoot(past.p, `${theme}-past-run-note`, '.past-run');
    for (const low of await past.p.evaluate(lowContrastText)) problems.push(`${theme}: low contrast (past run): ${low}`);
    await past.context.close();
  }
  // Streams of progress (mid-run) and of download states (loading) must update in place, not rebuild the cells.
  for (const mode of ['midrun', 'loading']) {
    const { p, context } = await open(`${mode}-in-place`, `theme=dark&mode=${mode}`);
    const watched = mode === 'midrun' ? '.progress-stats' : '.banner';
    await p.evaluate(() => { document.querySelector('.cells').dataset.mark = 'kept'; });
    const first = await p.textContent(watched);
    await p.waitForTimeout(1000);
    const kept = await p.evaluate(() => document.querySelector('.cells')?.dataset.mark === 'kept');
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
    const afterSelect = await p.evaluate(() => [document.activeElement?.id, document.querySelector('#grid-filter')?.value]);
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
    const saved = () => p.evaluate(() => JSON.parse(sessionStorage.getItem('dashboard-preview-state') ?? '{}'));
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
    const posted = await p.evaluate(() => window.__posted.filter((m) => m.type === 'setSetting'));
    if (!posted.some((m) => m.key === 'epochs' && m.value === 12)) problems.push(`setSetting: posted ${JSON.stringify(posted)}`);
    // View state survives a reload (getState/setState): filter, page and the open detail.
    await p.selectOption('#grid-filter', 'misclassified');
    await p.click('.pager button:last-of-type');
    await p.click('.prediction-grid li:nth-child(3) .tile');
    const before = await p.evaluate(() => ({ filter: document.querySelector('#grid-filter')?.value, page: document.querySelector('.page-of')?.textContent, detail: document.querySelector('.detail h3')?.textContent }));
    await p.reload();
    await p.waitForSelector('.detail h3');
    const after = await p.evaluate(() => ({ filter: document.querySelector('#grid-filter')?.value, page: document.querySelector('.page-of')?.textContent, detail: document.querySelector('.detail h3')?.textContent }));
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

if (screenshotLocale !== 'en') {
  const english = Object.fromEntries(dashboardEnglishStrings(root));
  const bundle = l10nBundle(screenshotLocale) ?? {};
  const local = Object.fromEntries(Object.keys(english).map((key) => [key, bundle[key] ?? key]));
  const untranslated = Object.keys(english).filter((key) => local[key] === english[key]);
  console.log(`${screenshotLocale}: ${Object.keys(english).length - untranslated.length} of ${Object.keys(english).length} dashboard strings translated`);
  for (const key of untranslated) console.log(`  untranslated: ${key}: ${JSON.stringify(english[key])}`);
}

const server = await startServer();
const base = `http://127.0.0.1:${server.address().port}`;
if (screenshotDir) {
  const { shots, problems } = await screenshots(base, resolve(screenshotDir));
  server.close();
  for (const shot of shots) console.log(`screenshot: ${shot}`);
  for (const problem of problems) console.log(`PROBLEM ${problem}`);
  console.log(`${shots.length} screenshots, ${problems.length} problems${fixtures.realData ? '' : ' (synthetic images: the Debian dataset is not installed)'}`);
  process.exit(problems.length > 0 ? 1 : 0);
} else {
  console.log(`Dashboard preview: ${base}/?theme=dark&mode=finished  (themes: dark, light, hc; modes: ${Object.keys(fixtures.states).join(', ')}; locale=zh-cn)`);
}
