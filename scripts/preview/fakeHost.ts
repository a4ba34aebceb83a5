/**
 * The preview's stand-in for the extension host, in the page (bundled for the browser by bundles.ts): a
 * stub `acquireVsCodeApi` whose `postMessage` plays the host. On `ready` it sends the language and bundle,
 * the fixture's state, its per-epoch predictions, the pins and the first layer; it serves test images and
 * saliency maps (with feature maps in the conv mode); in the midrun mode it streams progress (10 a second) and epochs until the run finishes,
 * and in the loading mode download progress. Every message is typed by the real channel (protocol/webview.ts).
 */
import type { EpochPredictions } from '../../src/domain/epochPredictions';
import type { HostToWebview, WebviewToHost } from '../../src/protocol/webview';
import { decodeTyped, type PreviewFixture } from './fixturePayload';
import { featureMapsFixture } from './convFixture';

declare global {
  interface Window {
    __previewFixture: unknown;
    __previewImages: unknown;
    /** Every message the page posted to the host, for the tests and screenshots. */
    __posted: WebviewToHost[];
    acquireVsCodeApi: () => { postMessage(message: WebviewToHost): void; getState(): unknown; setState(state: unknown): void };
  }
}

const PIXELS = 784;
const fixture = decodeTyped(window.__previewFixture) as PreviewFixture;
const images = (decodeTyped(window.__previewImages) as { images: Uint8Array }).images;
const send = (message: HostToWebview) => window.postMessage(message, '*');
window.__posted = [];

/** The fixture's per-epoch predictions up to epoch n (what the host would hold then), as its message's data. */
function epochsUpTo(n: number): EpochPredictions | undefined {
  const all = fixture.epochs;
  const k = all.epochs.filter((e) => e <= n).length;
  if (k === 0) return undefined;
  return { ...all, epochs: all.epochs.slice(0, k), predicted: all.predicted.subarray(0, k * all.count), probabilities: all.probabilities.subarray(0, k * all.count * 10), analyses: all.analyses.slice(0, k) };
}

function epochOnly(n: number): EpochPredictions {
  const all = fixture.epochs;
  const k = all.epochs.indexOf(n);
  return { ...all, epochs: [n], predicted: all.predicted.subarray(k * all.count, (k + 1) * all.count), probabilities: all.probabilities.subarray(k * all.count * 10, (k + 1) * all.count * 10), analyses: [all.analyses[k]] };
}

// The host keeps the pins: here, for the page's session, so they survive a reload as the host's do.
const PINS_KEY = 'dashboard-preview-pins';
const STATE_KEY = 'dashboard-preview-state';
const pins = (): number[] => JSON.parse(sessionStorage.getItem(PINS_KEY) ?? '[]') as number[];
let streaming = false;

function streamDownload(): void {
  const state = fixture.state;
  const timer = setInterval(() => {
    const d = state.download;
    if (!d || d.totalBytes === null || d.receivedBytes >= d.totalBytes) return clearInterval(timer);
    state.download = { ...d, receivedBytes: Math.min(d.totalBytes, d.receivedBytes + 262144) };
    send({ type: 'state', state });
  }, 100);
}

function streamRun(): void {
  const state = fixture.state;
  const progress = state.progress;
  if (!progress) return;
  let { epoch, batch } = progress;
  const perEpoch = progress.batchesPerEpoch;
  const timer = setInterval(() => {
    batch += 40;
    if (batch >= perEpoch) {
      send({ type: 'epoch', metrics: fixture.history[epoch - 1], overfitting: fixture.overfittingByEpoch[epoch - 1] });
      send({ type: 'epochPredictions', replace: false, data: epochOnly(epoch) });
      epoch += 1;
      batch = 0;
      if (epoch > 10) {
        clearInterval(timer);
        if (fixture.finished) send({ type: 'state', state: fixture.finished });
        return;
      }
    }
    const left = (10 - epoch) * perEpoch + (perEpoch - batch);
    send({ type: 'progress', progress: { epoch, epochs: 10, batch, batchesPerEpoch: perEpoch, loss: 0.3 - epoch * 0.006, accuracy: 0.88 + epoch * 0.003, etaSeconds: left / 270, samplesPerSecond: 8600 } });
  }, 100);
}

function stream(): void {
  if (streaming || (fixture.mode !== 'loading' && fixture.mode !== 'midrun')) return;
  streaming = true;
  if (fixture.mode === 'loading') streamDownload();
  else streamRun();
}

/** Stands in for the worker: bright pixels in the garment's upper half raise the probability, the lower half lowers it. */
function saliency(message: Extract<WebviewToHost, { type: 'requestSaliency' }>): void {
  const { target } = message;
  const file = target.kind === 'file' ? (fixture.state.classifications ?? []).find((r) => r.ok && r.file === target.file) : undefined;
  const pixels = file?.ok ? file.input : target.kind === 'test' ? images.subarray(target.index * PIXELS, (target.index + 1) * PIXELS) : new Uint8Array(PIXELS);
  const values = new Float32Array(PIXELS);
  for (let p = 0; p < PIXELS; p++) values[p] = (pixels[p] / 255) * (p < PIXELS / 2 ? 0.004 : -0.002) * (1 + Math.sin(p / 9));
  const scale = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const predicted = file?.ok ? file.predicted : target.kind === 'test' && fixture.state.predictions ? fixture.state.predictions.predicted[target.index] : 0;
  const featureMaps = fixture.convFilters ? featureMapsFixture(pixels, fixture.convFilters) : undefined;
  setTimeout(() => send({ type: 'saliency', target, saliency: { predicted, probability: 0.9, values, scale }, ...(featureMaps ? { featureMaps } : {}) }), 10);
}

function receive(message: WebviewToHost): void {
  switch (message.type) {
    case 'ready':
      send({ type: 'l10n', locale: fixture.locale, ...(fixture.bundle ? { bundle: fixture.bundle } : {}) });
      send({ type: 'state', state: fixture.state });
      send({ type: 'epochPredictions', replace: true, data: epochsUpTo(fixture.state.history.length) });
      send({ type: 'pins', pins: pins() });
      send({ type: 'firstLayer', layer: fixture.firstLayer, ...(fixture.convFilters ? { filters: fixture.convFilters } : {}) });
      stream();
      return;
    case 'train':
      // Like the host: a run starts loading, with the last run's results cleared.
      send({ type: 'state', state: { status: 'loading', params: fixture.state.params, history: [] } });
      send({ type: 'epochPredictions', replace: true, data: undefined });
      return;
    case 'requestSaliency':
      saliency(message);
      return;
    case 'setPin': {
      const next = pins().filter((n) => n !== message.index).concat(message.pinned ? [message.index] : []);
      sessionStorage.setItem(PINS_KEY, JSON.stringify(next));
      setTimeout(() => send({ type: 'pins', pins: next }), 5);
      return;
    }
    case 'requestImages': {
      const pixels = new Uint8Array(message.indices.length * PIXELS);
      message.indices.forEach((index, n) => pixels.set(images.subarray(index * PIXELS, (index + 1) * PIXELS), n * PIXELS));
      setTimeout(() => send({ type: 'images', indices: message.indices, pixels }), 10);
      return;
    }
    default:
      return;
  }
}

window.acquireVsCodeApi = () => ({
  postMessage(message: WebviewToHost) {
    window.__posted.push(message);
    console.log('webview -> host', JSON.stringify(message).slice(0, 200));
    receive(message);
  },
  getState() {
    const saved = sessionStorage.getItem(STATE_KEY);
    return saved ? (JSON.parse(saved) as unknown) : undefined;
  },
  setState(state: unknown) {
    sessionStorage.setItem(STATE_KEY, JSON.stringify(state));
  },
});

