/** What every cell renderer gets: the host's state, number formats in its locale, a way to talk to the host, and shared stores. */
import * as l10n from '@vscode/l10n';
import { NOTEBOOK_CELLS, type DashboardState, type NotebookCell, type WebviewToHost } from '../protocol/webview';
import { h, type Child } from './dom';
import type { ImageStore } from './imageStore';
import type { EpochStore } from './epochStore';
import type { EpochSelection } from './epochSelection';
import type { GridFilter } from './predictionFilter';
import type { GridSort } from './predictionOrder';
import type { Strings } from './strings';

/** View state kept across a panel reload with the webview's getState/setState (small and JSON-safe). */
export interface UiState {
  filter: GridFilter;
  page: number;
  /** Test image whose detail is open. */
  selected?: number;
  scrollY: number;
  /** The epoch the epoch views show; undefined follows the newest. */
  epoch?: number;
  /** The prediction grid's order. */
  sort?: GridSort;
}

export interface ViewContext {
  state: DashboardState;
  s: Strings;
  post(message: WebviewToHost): void;
  ui: UiState;
  saveUi(): void;
  images: ImageStore;
  /** The run's per-epoch predictions, for the epoch slider. */
  epochs: EpochStore;
  /** The epoch the slider has chosen, shared by the epoch views. */
  epoch: EpochSelection;
  /** The pinned test images (the host's list, oldest first). */
  pins: number[];
}


export interface CellFrame {
  section: HTMLElement;
  output: HTMLElement;
}

/**
 * One notebook cell: a numbered title, a short explanation, the read-only code it stands for, and an
 * output area. The section is focusable (tabindex -1) so `reveal` can move focus to it.
 */
export function cellFrame(id: NotebookCell, title: string, explanation: string, code: string): CellFrame {
  const step = NOTEBOOK_CELLS.indexOf(id) + 1;
  const titleId = `cell-${id}-title`;
  const output = h('div', { className: 'cell-output', attrs: { role: 'group', 'aria-label': l10n.t('Output') } });
  const section = h('section', { className: `cell cell-${id}`, attrs: { id: `cell-${id}`, tabindex: -1, 'aria-labelledby': titleId } }, [
    h('header', { className: 'cell-header' }, [
      h('span', { className: 'cell-step', text: `[${step}]`, attrs: { 'aria-hidden': 'true' } }),
      h('h2', { className: 'cell-title', text: title, attrs: { id: titleId } }),
    ]),
    h('p', { className: 'cell-explain', text: explanation }),
    h('div', { className: 'cell-code' }, [
      h('pre', { attrs: { 'aria-label': l10n.t('The tfjs code this step stands for (read-only)'), tabindex: 0 } }, [h('code', { text: code })]),
    ]),
    output,
  ]);
  return { section, output };
}

export function waiting(text: string): HTMLElement {
  return h('p', { className: 'waiting', text });
}

export function facts(items: Child[]): HTMLElement {
  return h('ul', { className: 'facts' }, items.filter((i) => i !== null && i !== undefined && i !== false).map((item) => h('li', {}, [item])));
}
