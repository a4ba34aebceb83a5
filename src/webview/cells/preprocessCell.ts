/** Step 2: pixel range before and after scaling to 0..1. */
import * as l10n from '@vscode/l10n';
import * as code from '../codeSnippets';
import { h } from '../dom';
import { cellFrame, waiting, type ViewContext } from '../viewContext';

export function preprocessCell(ctx: ViewContext): HTMLElement {
  const { s, state } = ctx;
  const { section, output } = cellFrame('preprocess', l10n.t('Preprocess the data'), l10n.t('Pixel values run from 0 to 255. Dividing by 255 scales them to the range 0 to 1 before they reach the network; the training and the test images are scaled the same way.'), code.preprocessCode());
  const data = state.data;
  if (!data) {
    output.append(waiting(l10n.t('This step fills in once the data is loaded.')));
    return section;
  }
  const [rawMin, rawMax] = data.rawRange;
  const [scaledMin, scaledMax] = data.scaledRange;
  output.append(
    h('div', { className: 'range-pair' }, [
      h('p', { className: 'range before', text: l10n.t('Before: {0} to {1}', s.int(rawMin), s.int(rawMax)) }),
      h('span', { className: 'range-arrow', text: '→', attrs: { 'aria-hidden': 'true' } }),
      h('p', { className: 'range after', text: l10n.t('After: {0} to {1}', s.fixed(scaledMin, 1), s.fixed(scaledMax, 1)) }),
    ]),
  );
  return section;
}
