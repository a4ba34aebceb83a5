/** The banner above the cells: what the run is doing, or the error with its file and what to do. */
import * as l10n from '@vscode/l10n';
import type { DashboardState, WebviewToHost } from '../protocol/webview';
import { h } from './dom';
import type { Strings } from './strings';

export function statusBanner(s: Strings, state: DashboardState, post: (m: WebviewToHost) => void): HTMLElement {
  if (state.status === 'error' || state.error) {
    const error = state.error;
    return h('div', { className: 'banner banner-error', attrs: { role: 'alert' } }, [
      h('span', { className: 'banner-icon', text: '✗', attrs: { 'aria-hidden': 'true' } }),
      h('div', {}, [
        h('p', { className: 'banner-title', text: error?.message ?? l10n.t('The run failed.') }),
        error?.file ? h('p', { text: l10n.t('File: {0}', error.file) }) : null,
        error?.action ? h('p', { text: l10n.t('What to do: {0}', error.action) }) : null,
      ]),
      h('button', { className: 'primary', text: l10n.t('Train'), attrs: { type: 'button', 'data-focus-key': 'banner-train' }, on: { click: () => post({ type: 'train' }) } }),
    ]);
  }
  const lines: (string | HTMLElement)[] = [];
  let icon = 'ℹ';
  switch (state.status) {
    case 'idle':
      lines.push(l10n.t('No run yet. Press Train to start.'));
      break;
    case 'loading':
      icon = '↻';
      lines.push(l10n.t('Loading the Fashion-MNIST data…'));
      if (state.download) {
        const d = state.download;
        lines.push(d.totalBytes ? l10n.t('Downloading {0}: {1} of {2}.', d.file, s.bytes(d.receivedBytes), s.bytes(d.totalBytes)) : l10n.t('Downloading {0}: {1} so far.', d.file, s.bytes(d.receivedBytes)));
      }
      break;
    case 'training':
      icon = '▶';
      lines.push(l10n.t('Training is running. You can close this panel; training goes on.'));
      break;
    case 'finished':
      icon = '✓';
      lines.push(l10n.t('Training finished. The results below are from this run.'));
      break;
    case 'stopped':
      icon = '■';
      lines.push(l10n.t('Training was stopped. The results below are from the epochs that finished.'));
      break;
  }
  return h('div', { className: `banner banner-${state.status}`, attrs: { role: 'status' } }, [
    h('span', { className: 'banner-icon', text: icon, attrs: { 'aria-hidden': 'true' } }),
    h('div', {}, lines.map((line) => h('p', {}, [line]))),
    state.status === 'idle'
      ? h('button', { className: 'primary', text: l10n.t('Train'), attrs: { type: 'button', 'data-focus-key': 'banner-train' }, on: { click: () => post({ type: 'train' }) } })
      : null,
    // A finished or stopped run can leave for Jupyter: the notebook repeats it in Keras, with its results.
    (state.status === 'finished' || state.status === 'stopped') && state.history.length > 0
      ? h('button', {
          className: 'secondary',
          text: l10n.t('Export as Notebook…'),
          attrs: { type: 'button', title: l10n.t('Save this run as a Jupyter notebook: the tutorial\'s steps, Keras code that repeats the run, and its results.'), 'data-focus-key': 'export-notebook' },
          on: { click: () => post({ type: 'exportNotebook' }) },
        })
      : null,
  ]);
}
