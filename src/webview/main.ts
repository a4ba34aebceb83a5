/**
 * Webview entry: connects the dashboard to VS Code's webview API. Says `ready` on load (the host answers
 * with the whole state), validates every host message, and keeps the view state (filter, page, selected
 * image, scroll) with getState/setState so a reload restores it.
 */
import type { WebviewToHost } from '../protocol/webview';
import { Dashboard } from './dashboard';
import { parseHostMessage } from './hostMessages';
import { sanitizeFilter } from './predictionFilter';
import { sanitizeSort } from './predictionOrder';
import type { UiState } from './viewContext';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

function loadUi(api: VsCodeApi): UiState {
  const saved = api.getState();
  const v = typeof saved === 'object' && saved !== null ? (saved as Record<string, unknown>) : {};
  return {
    filter: sanitizeFilter(v.filter),
    page: Number.isInteger(v.page) && (v.page as number) >= 0 ? (v.page as number) : 0,
    selected: Number.isInteger(v.selected) && (v.selected as number) >= 0 ? (v.selected as number) : undefined,
    scrollY: typeof v.scrollY === 'number' && v.scrollY >= 0 ? v.scrollY : 0,
    sort: sanitizeSort(v.sort),
    epoch: Number.isInteger(v.epoch) && (v.epoch as number) >= 1 ? (v.epoch as number) : undefined,
  };
}

function start(): void {
  const api = acquireVsCodeApi();
  let root = document.getElementById('app');
  if (!root) {
    root = document.createElement('div');
    root.id = 'app';
    document.body.append(root);
  }
  root.setAttribute('aria-busy', 'true');
  const dashboard = new Dashboard(root, (message) => api.postMessage(message), {
    load: () => loadUi(api),
    save: (ui) => api.setState(ui),
  });
  window.addEventListener('message', (event: MessageEvent) => {
    const message = parseHostMessage(event.data);
    if (!message) {
      console.warn('fashion-mnist dashboard: ignored a message it does not understand', event.data?.type);
      return;
    }
    dashboard.handle(message);
  });
  api.postMessage({ type: 'ready' });
}

start();
