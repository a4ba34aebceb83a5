/**
 * Step 3: the network (a named preset or the user's own conv blocks, hidden layers, dropout and L2), its summary
 * (layer, output shape, params), optimizer, loss, metric and the backend in use.
 */
import * as l10n from '@vscode/l10n';
import { HYPER_PARAMETER_SCHEMA, dropoutList, fitsSpec } from '../../domain/hyperParameters';
import { MODEL_PRESETS, presetOf } from '../../domain/modelPresets';
import * as code from '../codeSnippets';
import { h, table } from '../dom';
import { L2_CONTROL, parseConvList, parseNumberList, presetSettings } from '../settingControls';
import { convLayersOf, describeConvLayers } from '../../domain/architecture';
import { summaryOf } from '../../domain/modelSummary';
import { numberInput } from './trainCell';
import { cellFrame, facts, type ViewContext } from '../viewContext';
import type { Label } from '../strings';

function shape(outputShape: (number | null)[]): string {
  return `[${outputShape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

const PRESET_LABELS: Record<(typeof MODEL_PRESETS)[number]['id'], Label> = {
  tutorial: () => l10n.t('The tutorial\'s (128)'),
  wider: () => l10n.t('Wider (512)'),
  deeper: () => l10n.t('Deeper (256 → 128)'),
  regularized: () => l10n.t('Deeper with dropout 0.2 and L2 0.0001'),
  convnet: () => l10n.t('ConvNet (tfjs example): conv 8:5, 16:5 → 64'),
  cnn: () => l10n.t('CNN (TensorFlow tutorial): conv 32:3, 64:3 → 128'),
};

/** The explanation under the title, in the words of the network it shows. */
function explanation(ctx: ViewContext): string {
  const { state } = ctx;
  const { hiddenLayers, l2 } = state.params.architecture;
  const conv = convLayersOf(state.params.architecture);
  if (conv.length > 0) {
    return l10n.t('Each conv block slides small filters over the picture (Conv2D, ReLU: blocks {0}, as filters:kernel) and keeps the strongest response in every 2 × 2 patch (MaxPooling2D), so later blocks see larger features. Flatten unrolls the last maps, hidden Dense layers of {1} ReLU units combine them, and a Dense layer of 10 softmax units gives one probability per class.', describeConvLayers(conv), hiddenLayers.map((layer) => layer.units).join(' → '));
  }
  if (hiddenLayers.length === 1 && hiddenLayers[0].dropout === 0 && l2 === 0) return l10n.t('Flatten unrolls each 28 × 28 image into 784 numbers. A Dense layer of {0} ReLU units learns features from them, and a Dense layer of 10 softmax units turns those into one probability per class.', hiddenLayers[0].units);
  return l10n.t('Flatten unrolls each 28 × 28 image into 784 numbers. Hidden Dense layers of {0} ReLU units learn features from them, dropout and L2 (when set) hold back over-fitting, and a Dense layer of 10 softmax units turns the features into one probability per class.', hiddenLayers.map((layer) => layer.units).join(' → '));
}

function presetControl(ctx: ViewContext, disabled: boolean): HTMLElement {
  const { state, post } = ctx;
  const current = presetOf(state.params.architecture);
  const select = h('select', { attrs: { id: 'param-preset', disabled, 'data-focus-key': 'param-preset' } }, [
    ...MODEL_PRESETS.map((preset) => h('option', { text: PRESET_LABELS[preset.id](), attrs: { value: preset.id, selected: preset.id === current } })),
    h('option', { text: l10n.t('Your own'), attrs: { value: '', selected: current === undefined, disabled: true } }),
  ]);
  select.addEventListener('change', () => {
    const preset = MODEL_PRESETS.find((p) => p.id === select.value);
    if (preset === undefined) return;
    post({ type: 'setSettings', values: presetSettings(preset.architecture) });
  });
  return h('div', { className: 'control' }, [h('label', { text: l10n.t('Model'), attrs: { for: 'param-preset' } }), select]);
}

/** The conv blocks as "8:5, 16:5" (filters:kernel), bound to fashionMnist.convLayers; empty for none. */
function convControl(ctx: ViewContext, disabled: boolean): HTMLElement {
  const { post, state } = ctx;
  const id = 'param-convLayers';
  const hintId = `${id}-hint`;
  const input = h('input', {
    className: 'list-input',
    attrs: { id, type: 'text', value: describeConvLayers(convLayersOf(state.params.architecture)).split(',').join(', '), disabled, spellcheck: 'false', 'aria-describedby': hintId, 'data-focus-key': id },
  });
  input.addEventListener('change', () => {
    const parsed = parseConvList(input.value);
    const valid = parsed !== undefined && fitsSpec(HYPER_PARAMETER_SCHEMA.convLayers, parsed);
    input.setAttribute('aria-invalid', String(!valid));
    if (valid) post({ type: 'setSetting', key: 'convLayers', value: parsed });
  });
  return h('div', { className: 'control' }, [
    h('label', { text: l10n.t('Conv blocks'), attrs: { for: id } }),
    input,
    h('span', { className: 'control-hint', text: l10n.t('Filters:kernel per block, e.g. 8:5, 16:5; empty for none'), attrs: { id: hintId } }),
  ]);
}

/** A comma-separated list (hidden widths, dropout rates) bound to its setting. */
function listControl(ctx: ViewContext, key: 'hiddenLayers' | 'dropout', values: number[], label: string, hint: string, disabled: boolean): HTMLElement {
  const { post } = ctx;
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
    h('label', { text: label, attrs: { for: id } }),
    input,
    h('span', { className: 'control-hint', text: hint, attrs: { id: hintId } }),
  ]);
}

/**
 * The backend in use and why; where tfjs-node was looked for and not used, a button that runs the setup
 * command (a quiet offer in place: the only notification about it is shown once, by the host).
 */
function backendNote(ctx: ViewContext): HTMLElement {
  const { state, post } = ctx;
  const backend = state.backend;
  const note = h('p', { className: 'backend-note', text: backend ? l10n.t('Backend in use: {0}. {1}', backend.name, backend.reason) : '' });
  if (backend?.nativeProblem === undefined) return note;
  const setUp = h('button', {
    className: 'secondary',
    text: l10n.t('Set Up the Native Backend'),
    attrs: { type: 'button', 'data-focus-key': 'set-up-native' },
    on: { click: () => post({ type: 'setUpNativeBackend' }) },
  });
  return h('div', { className: 'backend-note-row' }, [note, setUp]);
}

export function modelCell(ctx: ViewContext): HTMLElement {
  const { s, state } = ctx;
  const { section, output } = cellFrame('model', l10n.t('Build and compile the model'), explanation(ctx), code.modelCode(state.params));
  const running = state.status === 'training' || state.status === 'loading';
  const architecture = state.params.architecture;
  output.append(
    h('div', { className: 'controls model-controls' }, [
      presetControl(ctx, running),
      convControl(ctx, running),
      listControl(ctx, 'hiddenLayers', architecture.hiddenLayers.map((layer) => layer.units), l10n.t('Hidden layers'), l10n.t('Widths, input to output, e.g. 256, 128'), running),
      listControl(ctx, 'dropout', dropoutList(architecture), l10n.t('Dropout'), l10n.t('One rate for all layers, or one per layer; empty for none'), running),
      numberInput(ctx, L2_CONTROL, running),
    ]),
  );
  // The summary of the network the controls hold (the next run's; a past run's own when one is shown), as
  // Keras prints it once built: computed from the settings, so it follows a preset or an edit at once.
  const summary = summaryOf(architecture);
  output.append(
    table(
      l10n.t('Model summary'),
      [l10n.t('Layer (type)'), l10n.t('Output shape'), l10n.t('Params')],
      summary.layers.map((layer) => [`${layer.name} (${layer.className})`, shape(layer.outputShape), s.int(layer.params)]),
      'data-table summary-table',
      [2],
    ),
    facts([
      h('strong', { text: l10n.t('Total params: {0}', s.int(summary.totalParams)) }),
      l10n.t('Trainable params: {0}', s.int(summary.trainableParams)),
      l10n.t('Optimizer: {0}', summary.optimizer),
      l10n.t('Loss: {0}', summary.loss),
      l10n.t('Metrics: {0}', summary.metrics.join(', ')),
    ]),
  );
  if (state.backend) output.append(backendNote(ctx));
  if (state.model) output.append(h('p', { className: 'saved-note', text: l10n.t('The trained model is saved in {0}.', state.model.directory) }));
  return section;
}
