/** The banner above the cells: what the run is doing, or the error with its file and what to do. */
import type { DashboardState, WebviewToHost } from '../protocol/webview';
import { h } from './dom';
import type { Strings } from './strings';

export function statusBanner(s: Strings, state: DashboardState, post: (m: WebviewToHost) => void): HTMLElement {
  if (state.status === 'error' || state.error) {
    const error = state.error;
    return h('div', { className: 'banner banner-error', attrs: { role: 'alert' } }, [
      h('span', { className: 'banner-icon', text: '✗', attrs: { 'aria-hidden': 'true' } }),
      h('div', {}, [
        h('p', { className: 'banner-title', text: error?.message ?? s.t('statusError') }),
        error?.file ? h('p', { text: s.t('errorFile', error.file) }) : null,
        error?.action ? h('p', { text: s.t('errorAction', error.action) }) : null,
      ]),
      h('button', { className: 'primary', text: s.t('buttonTrain'), attrs: { type: 'button', 'data-focus-key': 'banner-train' }, on: { click: () => post({ type: 'train' }) } }),
    ]);
  }
  const lines: (string | HTMLElement)[] = [];
  let icon = 'ℹ';
  switch (state.status) {
    case 'idle':
      lines.push(s.t('statusIdle'));
      break;
    case 'loading':
      icon = '↻';
      lines.push(s.t('statusLoading'));
      if (state.download) {
        const d = state.download;
        lines.push(d.totalBytes ? s.t('downloadProgress', d.file, s.bytes(d.receivedBytes), s.bytes(d.totalBytes)) : s.t('downloadProgressUnknown', d.file, s.bytes(d.receivedBytes)));
      }
      break;
    case 'training':
      icon = '▶';
      lines.push(s.t('statusTraining'));
      break;
    case 'finished':
      icon = '✓';
      lines.push(s.t('statusFinished'));
      break;
    case 'stopped':
      icon = '■';
      lines.push(s.t('statusStopped'));
      break;
  }
  return h('div', { className: `banner banner-${state.status}`, attrs: { role: 'status' } }, [
    h('span', { className: 'banner-icon', text: icon, attrs: { 'aria-hidden': 'true' } }),
    h('div', {}, lines.map((line) => h('p', {}, [line]))),
    state.status === 'idle'
      ? h('button', { className: 'primary', text: s.t('buttonTrain'), attrs: { type: 'button', 'data-focus-key': 'banner-train' }, on: { click: () => post({ type: 'train' }) } })
      : null,
    // A finished or stopped run can leave for Jupyter: the notebook repeats it in Keras, with its results.
    (state.status === 'finished' || state.status === 'stopped') && state.history.length > 0
      ? h('button', {
          className: 'secondary',
          text: s.t('exportNotebookButton'),
          attrs: { type: 'button', title: s.t('exportNotebookHint'), 'data-focus-key': 'export-notebook' },
          on: { click: () => post({ type: 'exportNotebook' }) },
        })
      : null,
  ]);
}
