/**
 * Step 4: Train / Stop, the hyper-parameter controls, live progress, the per-epoch table and the charts.
 * Built once per whole state; progress and epoch messages then update only their own widgets.
 */
import * as l10n from '@vscode/l10n';
import type { BatchProgress, EpochMetrics } from '../../domain/metrics';
import type { DashboardState } from '../../protocol/webview';
import * as code from '../codeSnippets';
import { h, replaceChildren } from '../dom';
import { BACKEND_CONTROLS, NUMBER_CONTROLS, SWITCH_CONTROLS, type NumberControl } from '../settingControls';
import { EpochChart } from '../trainingCharts';
import { cellFrame, type ViewContext } from '../viewContext';

export class TrainCell {
  readonly section: HTMLElement;
  private readonly progressBox: HTMLElement;
  private readonly epochLabel: HTMLElement;
  private readonly overallBar: HTMLProgressElement;
  private readonly batchLabel: HTMLElement;
  private readonly batchBar: HTMLProgressElement;
  private readonly stats: HTMLElement;
  private readonly tableBody: HTMLTableSectionElement;
  private readonly charts: EpochChart[] = [];
  private readonly runNotes: HTMLElement;
  /** The run holds out validation images: the table and charts show them. */
  private readonly withValidation: boolean;
  /** Polite live region: a screen reader hears each finished epoch, not every progress tick. */
  private readonly announcer: HTMLElement;

  constructor(private readonly ctx: ViewContext) {
    const { s, state } = ctx;
    const frame = cellFrame('train', l10n.t('Train the model'), l10n.t('model.fit shows the network the training images in batches, one epoch after another. After each epoch the test images measure how well what it learned carries over.'), code.trainCode(state.params));
    this.section = frame.section;
    const running = state.status === 'training' || state.status === 'loading';

    const controls = h('div', { className: 'controls' }, [
      ...NUMBER_CONTROLS.map((c) => numberInput(ctx, c, running)),
      this.backendControl(running),
      ...SWITCH_CONTROLS.map((c) => this.switchControl(c, running)),
    ]);
    const buttons = h('div', { className: 'buttons' }, [
      h('button', { className: 'primary', text: l10n.t('Train'), attrs: { type: 'button', disabled: running, 'data-focus-key': 'train' }, on: { click: () => ctx.post({ type: 'train' }) } }),
      h('button', { className: 'secondary', text: l10n.t('Stop'), attrs: { type: 'button', disabled: !running, 'data-focus-key': 'stop' }, on: { click: () => ctx.post({ type: 'stop' }) } }),
      h('button', { className: 'secondary', text: l10n.t('Sweep…'), attrs: { type: 'button', title: l10n.t('Try several values of the settings at once'), 'data-focus-key': 'open-sweep' }, on: { click: () => ctx.post({ type: 'openSweep' }) } }),
    ]);

    this.epochLabel = h('span', { className: 'progress-label', attrs: { id: 'overall-progress-label' } });
    this.overallBar = h('progress', { attrs: { 'aria-label': l10n.t('Progress of the whole run'), 'aria-describedby': 'overall-progress-label', max: 1, value: 0 } });
    this.batchLabel = h('span', { className: 'progress-label', attrs: { id: 'batch-progress-label' } });
    this.batchBar = h('progress', { attrs: { 'aria-label': l10n.t('Progress of this epoch'), 'aria-describedby': 'batch-progress-label', max: 1, value: 0 } });
    this.stats = h('p', { className: 'progress-stats', attrs: { 'aria-live': 'off' } });
    this.announcer = h('p', { className: 'visually-hidden', attrs: { 'aria-live': 'polite', role: 'status' } });
    this.progressBox = h('div', { className: 'progress-box' }, [
      h('div', { className: 'progress-row' }, [this.epochLabel, this.overallBar]),
      h('div', { className: 'progress-row' }, [this.batchLabel, this.batchBar]),
      this.stats,
      this.announcer,
    ]);

    // The save buttons need an epoch to save; a rebuild on the next whole state enables them.
    const hasEpochs = state.history.length > 0;
    const chartBoxes = (['accuracy', 'loss'] as const).map((metric) => {
      const canvas = h('canvas', { attrs: { role: 'img', 'aria-label': metric === 'accuracy' ? l10n.t('Line chart of training and test accuracy per epoch. The table below holds the same numbers.') : l10n.t('Line chart of training and test loss per epoch. The table below holds the same numbers.') } });
      const save = h('button', {
        className: 'secondary small',
        text: l10n.t('Save SVG…'),
        attrs: { type: 'button', disabled: !hasEpochs, 'aria-label': metric === 'accuracy' ? l10n.t('Save SVG… of the accuracy chart') : l10n.t('Save SVG… of the loss chart'), 'data-focus-key': `save-${metric}-svg` },
        on: { click: () => ctx.post({ type: 'exportChart', chart: metric }) },
      });
      const box = h('figure', { className: 'chart-box' }, [
        h('div', { className: 'figure-head' }, [h('figcaption', { text: metric === 'accuracy' ? l10n.t('Accuracy per epoch: training vs test') : l10n.t('Loss per epoch: training vs test') }), save]),
        h('div', { className: 'chart-canvas' }, [canvas]),
      ]);
      return { metric, canvas, box };
    });

    this.tableBody = h('tbody');
    this.withValidation = hasValidation(state);
    const columns = this.withValidation
      ? [l10n.t('Epoch'), l10n.t('Loss'), l10n.t('Accuracy'), l10n.t('Validation loss'), l10n.t('Validation accuracy'), l10n.t('Test loss'), l10n.t('Test accuracy'), l10n.t('Gap (points)'), l10n.t('Seconds')]
      : [l10n.t('Epoch'), l10n.t('Loss'), l10n.t('Accuracy'), l10n.t('Test loss'), l10n.t('Test accuracy'), l10n.t('Gap (points)'), l10n.t('Seconds')];
    const epochTable = h('table', { className: 'data-table epoch-table' }, [
      h('caption', { text: l10n.t('Metrics per epoch (the same numbers as the charts)') }),
      h('thead', {}, [h('tr', {}, columns.map((k) => h('th', { text: k, attrs: { scope: 'col' } })))]),
      this.tableBody,
    ]);
    this.runNotes = h('div', { className: 'run-notes', attrs: { role: 'status' } });

    frame.output.append(
      h('div', { className: 'train-controls' }, [buttons, controls, h('p', { className: 'hint', text: running ? l10n.t('The settings are locked while a run is going; changes apply to the next run.') : l10n.t('These controls change the fashionMnist settings; they apply to the next run.') })]),
      this.progressBox,
      this.runNotes,
      h('div', { className: 'charts' }, chartBoxes.map((c) => c.box)),
      epochTable,
      h('div', { className: 'cell-actions' }, [
        h('button', {
          className: 'secondary small',
          text: l10n.t('Save Metrics as CSV…'),
          attrs: { type: 'button', disabled: !hasEpochs, 'aria-label': l10n.t('Save Metrics as CSV… (one row per epoch)'), 'data-focus-key': 'save-csv' },
          on: { click: () => ctx.post({ type: 'exportMetricsCsv' }) },
        }),
      ]),
    );

    // Chart.js measures its container, so the charts are made after the canvases are in a document tree.
    queueMicrotask(() => {
      for (const { metric, canvas } of chartBoxes) {
        const format = metric === 'accuracy' ? (v: number) => s.percent(v, 0) : (v: number) => s.fixed(v, 2);
        const chart = new EpochChart(canvas, metric, {
          train: metric === 'accuracy' ? l10n.t('Training accuracy') : l10n.t('Training loss'),
          validation: metric === 'accuracy' ? l10n.t('Validation accuracy') : l10n.t('Validation loss'),
          test: metric === 'accuracy' ? l10n.t('Test accuracy') : l10n.t('Test loss'),
          best: l10n.t('best'),
          xTitle: l10n.t('Epoch'),
        }, format);
        chart.setHistory(ctx.state.history, this.totalEpochs(), ctx.state.bestEpoch);
        this.charts.push(chart);
      }
    });

    this.renderTable();
    this.renderNotes();
    if (state.progress && running) this.updateProgress(state.progress);
    else this.showIdleProgress();
  }

  private switchControl(c: (typeof SWITCH_CONTROLS)[number], disabled: boolean): HTMLElement {
    const { state, post } = this.ctx;
    const id = `param-${c.key}`;
    const input = h('input', { attrs: { id, type: 'checkbox', checked: state.params[c.param], disabled, 'data-focus-key': id } });
    input.addEventListener('change', () => post({ type: 'setSetting', key: c.key, value: input.checked }));
    return h('div', { className: 'control control-switch' }, [input, h('label', { text: c.label(), attrs: { for: id } })]);
  }

  private backendControl(disabled: boolean): HTMLElement {
    const { state, post } = this.ctx;
    const select = h('select', { attrs: { id: 'param-backend', disabled, 'data-focus-key': 'param-backend' } },
      BACKEND_CONTROLS.map((b) => h('option', { text: b.label(), attrs: { value: b.value, selected: state.params.backend === b.value } })));
    select.addEventListener('change', () => post({ type: 'setSetting', key: 'backend', value: select.value }));
    return h('div', { className: 'control' }, [h('label', { text: l10n.t('Backend'), attrs: { for: 'param-backend' } }), select]);
  }

  private showIdleProgress(): void {
    const { state } = this.ctx;
    const done = state.history.length;
    const epochs = state.params.epochs;
    this.progressBox.hidden = done === 0;
    this.epochLabel.textContent = l10n.t('Epoch {0} of {1}', done, Math.max(epochs, done));
    this.overallBar.max = Math.max(epochs, done, 1);
    this.overallBar.value = done;
    this.batchLabel.textContent = '';
    this.batchBar.hidden = true;
    this.stats.textContent = this.secondsPerEpochText();
  }

  /** The last finished epoch's duration, as the worker measured it. */
  private secondsPerEpochText(): string {
    const history = this.ctx.state.history;
    const last = history.reduce<EpochMetrics | undefined>((latest, m) => (!latest || m.epoch > latest.epoch ? m : latest), undefined);
    return last ? l10n.t('{0} s per epoch', this.ctx.s.fixed(last.seconds, 1)) : '';
  }

  /** The run's length: from live progress while training, else the settings. */
  private totalEpochs(): number {
    return this.ctx.state.progress?.epochs ?? this.ctx.state.params.epochs;
  }

  /** Called at most once per animation frame with the latest batch progress. */
  updateProgress(p: BatchProgress): void {
    const { s } = this.ctx;
    this.progressBox.hidden = false;
    this.batchBar.hidden = false;
    this.epochLabel.textContent = l10n.t('Epoch {0} of {1}', p.epoch, p.epochs);
    this.overallBar.max = Math.max(1, p.epochs * p.batchesPerEpoch);
    this.overallBar.value = (p.epoch - 1) * p.batchesPerEpoch + p.batch;
    this.batchLabel.textContent = l10n.t('Batch {0} of {1}', s.int(p.batch), s.int(p.batchesPerEpoch));
    this.batchBar.max = Math.max(1, p.batchesPerEpoch);
    this.batchBar.value = p.batch;
    const parts = [
      l10n.t('About {0} left', s.duration(p.etaSeconds)),
      l10n.t('{0} samples/s', s.int(p.samplesPerSecond)),
      l10n.t('Running loss {0}, accuracy {1}', s.fixed(p.loss, 4), s.percent(p.accuracy)),
      this.secondsPerEpochText(),
    ].filter((part) => part.length > 0);
    this.stats.textContent = parts.join(' · ');
  }

  /** A new epoch arrived: the table gets a row, the charts a point. The history is the context's. */
  epochAdded(metrics?: EpochMetrics): void {
    if (metrics) {
      const { s } = this.ctx;
      this.announcer.textContent = l10n.t('Epoch {0} of {1} finished: training accuracy {2}, test accuracy {3}.', metrics.epoch, this.totalEpochs(), s.percent(metrics.accuracy), s.percent(metrics.testAccuracy));
    }
    this.renderTable();
    this.renderNotes();
    for (const chart of this.charts) chart.setHistory(this.ctx.state.history, this.totalEpochs(), this.ctx.state.bestEpoch);
    if (this.ctx.state.status !== 'training') this.showIdleProgress();
  }

  private renderTable(): void {
    const { s } = this.ctx;
    const sorted = [...this.ctx.state.history].sort((a, b) => a.epoch - b.epoch);
    // The gap per epoch comes from the host's analysis, in the same (epoch) order.
    const gaps = this.ctx.state.overfitting?.gapPoints;
    const gapAt = (i: number) => (gaps && gaps.length === sorted.length ? s.signedPoints(gaps[i]) : l10n.t('n/a'));
    const best = this.ctx.state.bestEpoch;
    const optional = (value: number | undefined, text: (v: number) => string) => h('td', { className: 'num', text: value === undefined ? l10n.t('n/a') : text(value) });
    const rows = sorted.map((m: EpochMetrics, i) =>
      h('tr', { className: m.epoch === best ? 'best-epoch' : undefined }, [
        h('th', { attrs: { scope: 'row' } }, [String(m.epoch), m.epoch === best ? h('span', { className: 'best-mark', text: ` ★ ${l10n.t('best')}` }) : null]),
        h('td', { className: 'num', text: s.fixed(m.loss, 4) }),
        h('td', { className: 'num', text: s.percent(m.accuracy) }),
        this.withValidation ? optional(m.valLoss, (v) => s.fixed(v, 4)) : null,
        this.withValidation ? optional(m.valAccuracy, (v) => s.percent(v)) : null,
        h('td', { className: 'num', text: s.fixed(m.testLoss, 4) }),
        h('td', { className: 'num', text: s.percent(m.testAccuracy) }),
        h('td', { className: 'num', text: gapAt(i) }),
        h('td', { className: 'num', text: s.fixed(m.seconds, 1) }),
      ]),
    );
    if (rows.length === 0) rows.push(h('tr', {}, [h('td', { text: l10n.t('This step fills in after the first epoch.'), attrs: { colspan: this.withValidation ? 9 : 7 } })]));
    replaceChildren(this.tableBody, rows);
  }

  /** One line each: what is monitored (and why), the best epoch, how the run ended and which weights it kept. */
  private renderNotes(): void {
    const { s, state } = this.ctx;
    const params = state.params;
    const notes: string[] = [];
    const monitorName = params.monitor;
    if (this.withValidation) {
      notes.push(l10n.t('The last {0} of the training images ({1}) are held out for validation: early stopping and the best epoch watch them, so the test set stays the final judge.', s.percent(params.validationSplit, 0), s.int(state.validationCount ?? 0)));
    } else if (params.earlyStopping || params.restoreBestWeights) {
      notes.push(l10n.t('Without a validation split, early stopping and the best epoch watch the test set, so the test accuracy is no longer an unbiased judge.'));
    }
    const bestEpoch = state.bestEpoch;
    const bestMetrics = state.history.find((m) => m.epoch === bestEpoch);
    if (bestEpoch !== undefined && bestMetrics !== undefined) {
      const value = monitorName === 'val_accuracy' ? (bestMetrics.valAccuracy ?? bestMetrics.testAccuracy) : (bestMetrics.valLoss ?? bestMetrics.testLoss);
      notes.push(l10n.t('Best epoch: {0} ({1} {2}).', bestEpoch, monitorName, monitorName === 'val_accuracy' ? s.percent(value) : s.fixed(value, 4)));
    }
    const outcome = state.outcome;
    if (outcome !== undefined) {
      if (outcome.end === 'earlyStopped') notes.push(l10n.t('Early stopping ended the run after epoch {0}: {1} had not improved for {2} epochs.', outcome.epochsRun, monitorName, outcome.patience ?? params.patience));
      else if (outcome.end === 'stopped') notes.push(l10n.t('You stopped the run after epoch {0}.', outcome.epochsRun));
      else if (outcome.end === 'completed') notes.push(l10n.t('The run trained all {0} epochs.', outcome.epochsRun));
      if (outcome.end !== 'stopped') {
        notes.push(outcome.weights === 'best' ? l10n.t('The model holds the weights of the best epoch ({0}).', outcome.bestEpoch ?? outcome.epochsRun) : l10n.t('The model holds the weights of the last epoch ({0}).', outcome.epochsRun));
      }
    }
    replaceChildren(this.runNotes, notes.map((text) => h('p', { text })));
    this.runNotes.hidden = notes.length === 0;
  }

  applyTheme(): void {
    for (const chart of this.charts) chart.applyTheme();
  }

  destroy(): void {
    for (const chart of this.charts) chart.destroy();
    this.charts.length = 0;
  }
}

/** A number box bound to a setting: the browser checks the schema's bounds, the host checks again. */
export function numberInput(ctx: ViewContext, c: NumberControl, disabled: boolean): HTMLElement {
  const { state, post } = ctx;
  const id = `param-${c.key}`;
  const input = h('input', {
    attrs: { id, type: 'number', min: c.min, max: c.max, step: c.step, value: c.param === 'l2' ? state.params.architecture.l2 : state.params[c.param], disabled, 'data-focus-key': id },
  });
  input.addEventListener('change', () => {
    const value = Number(input.value);
    // The schema decides (not the browser's step check): a value between the arrows' steps is allowed.
    const valid = !input.validity.badInput && c.accepts(value);
    input.setAttribute('aria-invalid', String(!valid));
    if (valid) post({ type: 'setSetting', key: c.key, value });
  });
  return h('div', { className: 'control' }, [h('label', { text: c.label(), attrs: { for: id } }), input]);
}

/** Whether the run shows validation metrics: it holds out images, or its epochs have them. */
function hasValidation(state: DashboardState): boolean {
  return (state.validationCount ?? 0) > 0 || state.history.some((m) => m.valLoss !== undefined);
}
