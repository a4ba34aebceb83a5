/** Step 2: pixel range before and after scaling to 0..1. */
import * as code from '../codeSnippets';
import { h } from '../dom';
import { cellFrame, waiting, type ViewContext } from '../viewContext';

export function preprocessCell(ctx: ViewContext): HTMLElement {
  const { s, state } = ctx;
  const { section, output } = cellFrame(s, 'preprocess', 'cellPreprocessTitle', s.t('cellPreprocessExplain'), code.preprocessCode());
  const data = state.data;
  if (!data) {
    output.append(waiting(s, 'waitingForData'));
    return section;
  }
  const [rawMin, rawMax] = data.rawRange;
  const [scaledMin, scaledMax] = data.scaledRange;
  output.append(
    h('div', { className: 'range-pair' }, [
      h('p', { className: 'range before', text: s.t('preprocessBefore', s.int(rawMin), s.int(rawMax)) }),
      h('span', { className: 'range-arrow', text: '→', attrs: { 'aria-hidden': 'true' } }),
      h('p', { className: 'range after', text: s.t('preprocessAfter', s.fixed(scaledMin, 1), s.fixed(scaledMax, 1)) }),
    ]),
  );
  return section;
}
