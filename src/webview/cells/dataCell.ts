/** Step 1: where the data came from, how much there is, the class table and the first 25 training images. */
import { PIXELS } from '../../domain/classes';
import type { DataSourceKind } from '../../domain/data';
import * as code from '../codeSnippets';
import { h, table } from '../dom';
import { grayCanvas } from '../pixels';
import type { DashboardStringKey } from '../../protocol/dashboardStringKeys';
import { cellFrame, facts, waiting, type ViewContext } from '../viewContext';

const SOURCE_KEYS: Record<DataSourceKind, DashboardStringKey> = {
  user: 'sourceUser',
  cache: 'sourceCache',
  debian: 'sourceDebian',
  download: 'sourceDownload',
};

export function dataCell(ctx: ViewContext): HTMLElement {
  const { s, state } = ctx;
  const { section, output } = cellFrame(s, 'data', 'cellDataTitle', s.t('cellDataExplain'), code.dataCode());
  const classTable = table(
    s.t('classTableCaption'),
    [s.t('colLabel'), s.t('colClass')],
    Array.from({ length: 10 }, (_, cls) => [String(cls), s.className(cls)]),
    'data-table class-table',
  );
  const data = state.data;
  if (!data) {
    output.append(waiting(s, 'waitingForData'), classTable);
    return section;
  }
  output.append(
    facts([
      s.t('dataTrainCount', s.int(data.trainCount)),
      s.t('dataTestCount', s.int(data.testCount)),
      s.t('dataSource', data.directory, s.t(SOURCE_KEYS[data.sourceKind] ?? 'sourceUser')),
      s.t('dataDecode', s.int(data.decodeMs)),
    ]),
  );
  const count = Math.min(25, Math.floor(data.sampleImages.length / PIXELS), data.sampleLabels.length);
  const samples = h('ol', { className: 'sample-grid', attrs: { 'aria-label': s.t('samplesCaption') } });
  for (let i = 0; i < count; i++) {
    const name = s.className(data.sampleLabels[i]);
    const canvas = grayCanvas(data.sampleImages, i * PIXELS, 'pixel-image sample-image');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', s.t('sampleAria', i + 1, name));
    samples.append(h('li', { className: 'sample' }, [canvas, h('span', { className: 'sample-label', text: name, attrs: { 'aria-hidden': 'true' } })]));
  }
  output.append(h('div', { className: 'data-columns' }, [classTable, h('figure', { className: 'samples' }, [samples, h('figcaption', { text: s.t('samplesCaption') })])]));
  return section;
}
