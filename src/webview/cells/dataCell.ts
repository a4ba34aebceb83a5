/** Step 1: where the data came from, how much there is, the class table and the first 25 training images. */
import * as l10n from '@vscode/l10n';
import { PIXELS } from '../../domain/classes';
import type { DataSourceKind } from '../../domain/data';
import * as code from '../codeSnippets';
import { h, table } from '../dom';
import { grayCanvas } from '../pixels';
import { cellFrame, facts, waiting, type ViewContext } from '../viewContext';
import type { Label } from '../strings';

const SOURCE_LABELS: Record<DataSourceKind, Label> = {
  user: () => l10n.t('the folder set in fashionMnist.dataDirectory'),
  cache: () => l10n.t('the download cache'),
  debian: () => l10n.t('the Debian fashion-mnist package'),
  download: () => l10n.t('a fresh download'),
};

export function dataCell(ctx: ViewContext): HTMLElement {
  const { s, state } = ctx;
  const { section, output } = cellFrame('data', l10n.t('Import the Fashion-MNIST dataset'), l10n.t('Fashion-MNIST holds 70,000 grayscale pictures of clothing, 28 × 28 pixels each, in 10 classes. 60,000 images train the network; 10,000 more test how well it learned to classify images it has never seen.'), code.dataCode());
  const classTable = table(
    l10n.t('The 10 classes'),
    [l10n.t('Label'), l10n.t('Class')],
    Array.from({ length: 10 }, (_, cls) => [String(cls), s.className(cls)]),
    'data-table class-table',
  );
  const data = state.data;
  if (!data) {
    output.append(waiting(l10n.t('This step fills in once the data is loaded.')), classTable);
    return section;
  }
  output.append(
    facts([
      l10n.t('Training images: {0}', s.int(data.trainCount)),
      l10n.t('Test images: {0}', s.int(data.testCount)),
      l10n.t('Read from {0} ({1}).', data.directory, (SOURCE_LABELS[data.sourceKind] ?? SOURCE_LABELS.user)()),
      l10n.t('Read, decompressed and verified in {0} ms.', s.int(data.decodeMs)),
    ]),
  );
  const count = Math.min(25, Math.floor(data.sampleImages.length / PIXELS), data.sampleLabels.length);
  const samples = h('ol', { className: 'sample-grid', attrs: { 'aria-label': l10n.t('The first 25 training images and their labels') } });
  for (let i = 0; i < count; i++) {
    const name = s.className(data.sampleLabels[i]);
    const canvas = grayCanvas(data.sampleImages, i * PIXELS, 'pixel-image sample-image');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', l10n.t('Training image {0}: {1}', i + 1, name));
    samples.append(h('li', { className: 'sample' }, [canvas, h('span', { className: 'sample-label', text: name, attrs: { 'aria-hidden': 'true' } })]));
  }
  output.append(h('div', { className: 'data-columns' }, [classTable, h('figure', { className: 'samples' }, [samples, h('figcaption', { text: l10n.t('The first 25 training images and their labels') })])]));
  return section;
}
