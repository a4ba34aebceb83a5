/**
 * Step 3: the network (a named preset or the user's own hidden layers, dropout and L2), its summary
 * (layer, output shape, params), optimizer, loss, metric and the backend in use.
 */
import { HYPER_PARAMETER_SCHEMA, dropoutList, fitsSpec } from '../../domain/hyperParameters';
import { MODEL_PRESETS, presetOf } from '../../domain/modelPresets';
import type { DashboardStringKey } from '../../protocol/dashboardStringKeys';
import * as code from '../codeSnippets';
import { h, table } from '../dom';
import { L2_CONTROL, parseNumberList, presetSettings } from '../settingControls';
import { numberInput } from './trainCell';
import { cellFrame, facts, waiting, type ViewContext } from '../viewContext';

function shape(outputShape: (number | null)[]): string {
  return `[${outputShape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

const PRESET_LABELS: Record<(typeof MODEL_PRESETS)[number]['id'], DashboardStringKey> = {
  tutorial: 'presetTutorial',
  wider: 'presetWider',
  deeper: 'presetDeeper',
  regularized: 'presetRegularized',
};

/** The explanation under the title, in the words of the network it shows. */
function explanation(ctx: ViewContext): string {
  const { s, state } = ctx;
  const { hiddenLayers, l2 } = state.params.architecture;
  if (hiddenLayers.length === 1 && hiddenLayers[0].dropout === 0 && l2 === 0) return s.t('cellModelExplain', hiddenLayers[0].units);
  return s.t('cellModelExplainLayers', hiddenLayers.map((layer) => layer.units).join(' → '));
}

function presetControl(ctx: ViewContext, disabled: boolean): HTMLElement {
  const { s, state, post } = ctx;
  const current = presetOf(state.params.architecture);
  const select = h('select', { attrs: { id: 'param-preset', disabled, 'data-focus-key': 'param-preset' } }, [
    ...MODEL_PRESETS.map((preset) => h('option', { text: s.t(PRESET_LABELS[preset.id]), attrs: { value: preset.id, selected: preset.id === current } })),
    h('option', { text: s.t('presetCustom'), attrs: { value: '', selected: current === undefined, disabled: true } }),
  ]);
  select.addEventListener('change', () => {
    const preset = MODEL_PRESETS.find((p) => p.id === select.value);
    if (preset === undefined) return;
    post({ type: 'setSettings', values: presetSettings(preset.architecture) });
  });
  return h('div', { className: 'control' }, [h('label', { text: s.t('paramPreset'), attrs: { for: 'param-preset' } }), select]);
}

/** A comma-separated list (hidden widths, dropout rates) bound to its setting. */
function listControl(ctx: ViewContext, key: 'hiddenLayers' | 'dropout', values: number[], label: DashboardStringKey, hint: DashboardStringKey, disabled: boolean): HTMLElement {
  const { s, post } = ctx;
  const id = `param-${key}`;
  const hintId = `${id}-hint`;
  const input = h('input', {
    className: 'list-input',
    attrs: { id, type: 'text', value: values.join(', '), disabled, inputmode: 'decimal', spellcheck: 'false', 'aria-describedby': hintId, 'data-focus-key': id },
  });
  input.addEventListener('change', () => {
    const parsed = parseNumberList(input.value);
    const valid = parsed !== undefined && fitsSpec(HYPER_PARAMETER_SCHEMA[key], parsed);
    input.setAttribute('aria-invalid', String(!valid));
    if (valid) post({ type: 'setSetting', key, value: parsed });
  });
  return h('div', { className: 'control' }, [
    h('label', { text: s.t(label), attrs: { for: id } }),
    input,
    h('span', { className: 'control-hint', text: s.t(hint), attrs: { id: hintId } }),
  ]);
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
  const { section, output } = cellFrame(s, 'model', 'cellModelTitle', explanation(ctx), code.modelCode(state.params));
  const running = state.status === 'training' || state.status === 'loading';
  const architecture = state.params.architecture;
  output.append(
    h('div', { className: 'controls model-controls' }, [
      presetControl(ctx, running),
      listControl(ctx, 'hiddenLayers', architecture.hiddenLayers.map((layer) => layer.units), 'paramLayers', 'paramLayersHint', running),
      listControl(ctx, 'dropout', dropoutList(architecture), 'paramDropout', 'paramDropoutHint', running),
      numberInput(ctx, L2_CONTROL, running),
    ]),
  );
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
