/**
 * A tiny DOM builder. Everything the dashboard shows is built with createElement and textContent, never
 * innerHTML with data, so nothing the host sends can become markup, and no inline `style=""` attribute is
 * ever written (the CSP has no 'unsafe-inline'; styles go through classes or the CSSOM).
 */
export type Child = Node | string | number | null | undefined | false;

export interface Props {
  className?: string;
  text?: string;
  /** Plain attributes (aria-*, role, type, …). */
  attrs?: Record<string, string | number | boolean | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, children: Child[] = []): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.text !== undefined) element.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [name, handler] of Object.entries(props.on ?? {})) {
    element.addEventListener(name, handler as EventListener);
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of `parent` in one step (one layout, no flash of an empty element). */
export function replaceChildren(parent: Element, children: Child[]): void {
  const fragment = document.createDocumentFragment();
  append(fragment, children);
  parent.replaceChildren(fragment);
}

/**
 * Like replaceChildren, but when focus was inside `parent` on an element with a `data-focus-key`, the new
 * element with the same key gets it back (or `fallback`'s when that one is gone or disabled): rebuilding a
 * control must not drop a keyboard user's focus onto the page body.
 */
export function replaceKeepingFocus(parent: Element, children: Child[], fallback?: () => HTMLElement | undefined): void {
  const active = document.activeElement;
  const key = active && parent.contains(active) ? active.getAttribute('data-focus-key') : null;
  replaceChildren(parent, children);
  if (!key) return;
  const again = parent.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`);
  if (again && !again.hasAttribute('disabled')) again.focus();
  else fallback?.()?.focus();
}

/** A simple table: caption, header row, body rows. Cells may be nodes or text. */
export function table(caption: string, headers: string[], rows: Child[][], className = 'data-table', numericColumns: number[] = []): HTMLTableElement {
  const numeric = (i: number) => (numericColumns.includes(i) ? 'num' : undefined);
  return h('table', { className }, [
    h('caption', { text: caption }),
    h('thead', {}, [h('tr', {}, headers.map((text, i) => h('th', { text, className: numeric(i), attrs: { scope: 'col' } })))]),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell, i) => (i === 0 ? h('th', { attrs: { scope: 'row' } }, [cell]) : h('td', { className: numeric(i) }, [cell])))))),
  ]);
}
