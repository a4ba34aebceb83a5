/** Step 3: the model summary (layer, output shape, params), optimizer, loss, metric and the backend in use. */
import * as code from '../codeSnippets';
import { h, table } from '../dom';
import { cellFrame, facts, waiting, type ViewContext } from '../viewContext';

function shape(outputShape: (number | null)[]): string {
  return `[${outputShape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

export function modelCell(ctx: ViewContext): HTMLElement {
  const { s, state } = ctx;
  const { section, output } = cellFrame(s, 'model', 'cellModelTitle', s.t('cellModelExplain', state.params.hiddenUnits), code.modelCode(state.params));
  const summary = state.summary;
  if (summary) {
    output.append(
      table(
        s.t('modelSummaryCaption'),
        [s.t('colLayer'), s.t('colOutputShape'), s.t('colParams')],
        summary.layers.map((layer) => [`${layer.name} (${layer.className})`, shape(layer.outputShape), s.int(layer.params)]),
        'data-table summary-table',
        [2],
      ),
      facts([
        h('strong', { text: s.t('modelTotalParams', s.int(summary.totalParams)) }),
        s.t('modelTrainableParams', s.int(summary.trainableParams)),
        s.t('modelOptimizer', summary.optimizer),
        s.t('modelLoss', summary.loss),
        s.t('modelMetrics', summary.metrics.join(', ')),
      ]),
    );
  } else {
    output.append(waiting(s, 'waitingForModel'));
  }
  if (state.backend) output.append(h('p', { className: 'backend-note', text: s.t('modelBackend', state.backend.name, state.backend.reason) }));
  if (state.model) output.append(h('p', { className: 'saved-note', text: s.t('modelSaved', state.model.directory) }));
  return section;
}
