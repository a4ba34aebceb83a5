/**
 * Roving tabindex for a set of buttons laid out in rows (the prediction grid, the confusion matrix): one
 * Tab stop for the whole set, arrow keys move between items, Home/End jump to the ends. Enter and Space
 * are the buttons' own.
 */
export function rovingFocus(container: HTMLElement, items: HTMLElement[], columns: () => number, active = 0): void {
  if (items.length === 0) return;
  let current = Math.min(Math.max(0, active), items.length - 1);
  items.forEach((item, i) => (item.tabIndex = i === current ? 0 : -1));
  const moveTo = (next: number) => {
    const target = Math.min(Math.max(0, next), items.length - 1);
    items[current].tabIndex = -1;
    current = target;
    items[current].tabIndex = 0;
    items[current].focus();
  };
  items.forEach((item, i) => item.addEventListener('focus', () => {
    if (i === current) return;
    items[current].tabIndex = -1;
    current = i;
    item.tabIndex = 0;
  }));
  // Assigned, not added: a re-rendered page replaces the previous handler instead of stacking another.
  container.onkeydown = (event) => {
    const cols = Math.max(1, columns());
    const moves: Record<string, number> = {
      ArrowRight: current + 1,
      ArrowLeft: current - 1,
      ArrowDown: current + cols,
      ArrowUp: current - cols,
      Home: event.ctrlKey ? 0 : current - (current % cols),
      End: event.ctrlKey ? items.length - 1 : Math.min(items.length - 1, current - (current % cols) + cols - 1),
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    moveTo(next);
  };
}

/** How many items sit on the first visual row of a wrapping layout. */
export function columnsOnFirstRow(items: HTMLElement[]): number {
  if (items.length === 0) return 1;
  const top = items[0].offsetTop;
  let count = 0;
  for (const item of items) {
    if (item.offsetTop !== top) break;
    count++;
  }
  return Math.max(1, count);
}
