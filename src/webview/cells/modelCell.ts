/** Step 3: the model summary (layer, output shape, params), optimizer, loss, metric and the backend in use. */
import * as code from '../codeSnippets';
import { h, table } from '../dom';
import { cellFrame, facts, waiting, type ViewContext } from '../viewContext';

function shape(outputShape: (number | null)[]): string {
  return `[${outputShape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

/**
 * The backend in use and why; where tfjs-node was looked for and not used, a button that runs the setup
 * command (a quiet offer in place: the only notification about it is shown once, by the host).
 */
function backendNote(ctx: ViewContext): HTMLElement {
  const { s, state, post } = ctx;
  const backend = state.backend;
  const note = h('p', { className: 'backend-note', text: backend ? s.t('modelBackend', backend.name, backend.reason) : '' });
  if (backend?.nativeProblem === undefined) return note;
  const setUp = h('button', {
    className: 'secondary',
    text: s.t('modelSetUpNative'),
    attrs: { type: 'button', 'data-focus-key': 'set-up-native' },
    on: { click: () => post({ type: 'setUpNativeBackend' }) },
  });
  return h('div', { className: 'backend-note-row' }, [note, setUp]);
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
  if (state.backend) output.append(backendNote(ctx));
  if (state.model) output.append(h('p', { className: 'saved-note', text: s.t('modelSaved', state.model.directory) }));
  return section;
}
