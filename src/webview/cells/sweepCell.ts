/**
 * The Sweep view, above the notebook while it is open: the alternatives to try for each setting (typed as
 * lists, checked by the same schema as the model and train cells), pruning and trials at once, Start; then
 * each trial's progress as it trains (pruned ones marked), an HParams-style table (sortable, filterable by
 * state, rows selectable) and a parallel-coordinates chart; Open, Compare selected and Re-run best on all
 * data. Every number comes from the host (host/sweepControl.ts).
 */
import * as l10n from '@vscode/l10n';
import { fitsSpec, HYPER_PARAMETER_SCHEMA, type NumberSpec } from '../../domain/hyperParameters';
import { MAX_VIEW_ALTERNATIVES, MAX_VIEW_PARALLEL, SWEEP_VIEW_AXES, type SweepView, type SweepViewAxis, type SweepViewTrial } from '../../protocol/sweepView';
import { h, type Child } from '../dom';
import { parallelCoordinates } from '../parallelCoordinates';
import { parseNumberList } from '../settingControls';
import type { Label, Strings } from '../strings';
import type { ViewContext } from '../viewContext';

const AXIS_LABELS: Record<SweepViewAxis, Label> = {
  learningRate: () => l10n.t('Learning rate'),
  hiddenUnits: () => l10n.t('Hidden units'),
  dropout: () => l10n.t('Dropout'),
  l2: () => l10n.t('L2'),
  epochs: () => l10n.t('Epochs'),
  batchSize: () => l10n.t('Batch size'),
};

const AXIS_SPECS = {
  learningRate: HYPER_PARAMETER_SCHEMA.learningRate,
  hiddenUnits: HYPER_PARAMETER_SCHEMA.hiddenUnits,
  // One rate for every hidden layer, within the dropout list's bounds.
  dropout: { kind: 'number', min: HYPER_PARAMETER_SCHEMA.dropout.min, max: HYPER_PARAMETER_SCHEMA.dropout.max, default: 0 },
  l2: HYPER_PARAMETER_SCHEMA.l2,
  epochs: HYPER_PARAMETER_SCHEMA.epochs,
  batchSize: HYPER_PARAMETER_SCHEMA.batchSize,
} as const satisfies Record<SweepViewAxis, NumberSpec>;

const STATE_LABELS: Record<SweepViewTrial['state'], Label> = {
  pending: () => l10n.t('waiting'),
  running: () => l10n.t('training'),
  finished: () => l10n.t('finished'),
  stopped: () => l10n.t('stopped'),
  pruned: () => l10n.t('pruned'),
  failed: () => l10n.t('failed'),
};

type SortKey = 'number' | 'monitored' | 'testAccuracy' | SweepViewAxis;

/** What the view remembers across the host's state messages (a rebuild per epoch must not lose it). */
export interface SweepUi {
  typed: Partial<Record<SweepViewAxis, string>>;
  prune?: boolean;
  parallel?: string;
  sort: { key: SortKey; descending: boolean };
  filter: SweepViewTrial['state'] | 'all';
  selected: Set<number>;
}

export function newSweepUi(): SweepUi {
  return { typed: {}, sort: { key: 'number', descending: false }, filter: 'all', selected: new Set() };
}

export function sweepCell(ctx: ViewContext, view: SweepView, ui: SweepUi): HTMLElement {
  const { s } = ctx;
  const running = view.phase === 'running';
  const header = h('header', { className: 'cell-header' }, [
    h('h2', { className: 'cell-title', text: view.id === undefined ? l10n.t('Sweep') : l10n.t('Sweep {0}', view.id), attrs: { id: 'cell-sweep-title' } }),
    running
      ? h('button', { className: 'secondary', text: l10n.t('Stop the sweep'), attrs: { type: 'button', 'data-focus-key': 'sweep-stop' }, on: { click: () => ctx.post({ type: 'stopSweep' }) } })
      : h('button', { className: 'secondary', text: l10n.t('Close'), attrs: { type: 'button', 'data-focus-key': 'sweep-close' }, on: { click: () => ctx.post({ type: 'closeSweep' }) } }),
  ]);
  const explain = h('p', { className: 'cell-explain', text: l10n.t('Try several values of the settings at once: every combination is a trial, trained in a worker of its own and kept in the run history. With pruning, a trial worse than the median of the others after an epoch is stopped (Optuna’s median rule).') });
  const chartSlot = h('div', { className: 'sweep-chart-slot' }, [chart(s, view, ui)]);
  const body: Child[] = view.phase === 'defining'
    ? [sweepForm(ctx, view, ui)]
    : [status(view), trialsTable(ctx, view, ui, () => chartSlot.replaceChildren(chart(s, view, ui))), chartSlot, actions(ctx, view, ui)];
  return h('section', { className: 'cell cell-sweep', attrs: { id: 'cell-sweep', tabindex: -1, 'aria-labelledby': 'cell-sweep-title' } }, [header, explain, h('div', { className: 'cell-output' }, body)]);
}

function sweepForm(ctx: ViewContext, view: SweepView, ui: SweepUi): HTMLElement {
  const error = h('p', { className: 'form-error', attrs: { role: 'alert', id: 'sweep-form-error' } });
  const fields = SWEEP_VIEW_AXES.map((axis) => {
    const id = `sweep-${axis}`;
    const input = h('input', { attrs: { id, type: 'text', inputmode: 'decimal', value: ui.typed[axis] ?? String(view.current[axis]), 'data-focus-key': id, 'aria-describedby': 'sweep-form-hint' } });
    input.addEventListener('input', () => (ui.typed[axis] = input.value));
    return { axis, input, row: h('div', { className: 'sweep-field' }, [h('label', { text: AXIS_LABELS[axis](), attrs: { for: id } }), input]) };
  });
  const prune = h('input', { attrs: { id: 'sweep-prune', type: 'checkbox', 'data-focus-key': 'sweep-prune', checked: ui.prune ?? view.prune } });
  prune.addEventListener('change', () => (ui.prune = prune.checked));
  const parallel = h('input', { attrs: { id: 'sweep-parallel', type: 'number', min: 1, max: MAX_VIEW_PARALLEL, step: 1, value: ui.parallel ?? String(view.parallel), 'data-focus-key': 'sweep-parallel' } });
  parallel.addEventListener('input', () => (ui.parallel = parallel.value));
  const start = () => {
    const axes: { parameter: SweepViewAxis; values: number[] }[] = [];
    for (const { axis, input } of fields) {
      const values = parseNumberList(input.value);
      const label = AXIS_LABELS[axis]();
      if (values === undefined || values.length > MAX_VIEW_ALTERNATIVES || !values.every((v) => fitsSpec(AXIS_SPECS[axis], v))) {
        error.textContent = l10n.t('{0}: give up to {1} values separated by commas, each from {2} to {3}.', label, MAX_VIEW_ALTERNATIVES, AXIS_SPECS[axis].min, AXIS_SPECS[axis].max);
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      input.removeAttribute('aria-invalid');
      if (values.length > 0) axes.push({ parameter: axis, values: [...new Set(values)] });
    }
    const count = Number(parallel.value);
    if (!Number.isInteger(count) || count < 1 || count > MAX_VIEW_PARALLEL) {
      error.textContent = l10n.t('Trials at once: a whole number from 1 to {0}.', MAX_VIEW_PARALLEL);
      parallel.focus();
      return;
    }
    if (axes.length === 0) {
      error.textContent = l10n.t('Give at least one value for a setting.');
      return;
    }
    error.textContent = '';
    ctx.post({ type: 'startSweep', axes, prune: prune.checked, parallel: count });
  };
  const trials = () => fields.reduce((n, { input }) => n * Math.max(1, parseNumberList(input.value)?.length ?? 1), 1);
  const problems = view.problems?.length ? h('ul', { className: 'sweep-problems', attrs: { role: 'alert' } }, view.problems.map((p) => h('li', { text: p }))) : null;
  return h('form', { className: 'sweep-form', attrs: { 'aria-labelledby': 'cell-sweep-title' }, on: { submit: (event) => { event.preventDefault(); start(); } } }, [
    h('p', { attrs: { id: 'sweep-form-hint' }, text: l10n.t('Separate alternatives with commas, e.g. 0.001, 0.003. The grid is every combination, in the order given.') }),
    h('div', { className: 'sweep-fields' }, fields.map((f) => f.row)),
    h('div', { className: 'sweep-field' }, [prune, h('label', { text: l10n.t('Prune trials worse than the median'), attrs: { for: 'sweep-prune' } })]),
    h('div', { className: 'sweep-field' }, [h('label', { text: l10n.t('Trials at once'), attrs: { for: 'sweep-parallel' } }), parallel]),
    problems,
    error,
    h('button', { className: 'primary', text: l10n.t('Start the sweep'), attrs: { type: 'submit', 'data-focus-key': 'sweep-start', title: l10n.t('{0} trials', trials()) } }),
  ]);
}

function status(view: SweepView): HTMLElement {
  const count = (state: SweepViewTrial['state']) => view.trials.filter((row) => row.state === state).length;
  const text = view.phase === 'running'
    ? l10n.t('{0} of {1} trials done, {2} training, {3} pruned.', view.trials.length - count('pending') - count('running'), view.trials.length, count('running'), count('pruned'))
    : view.interrupted ? l10n.t('The sweep was stopped: {0} finished, {1} pruned, {2} stopped.', count('finished'), count('pruned'), count('stopped'))
    : l10n.t('The sweep is done: {0} finished, {1} pruned, {2} failed.', count('finished'), count('pruned'), count('failed'));
  return h('p', { className: 'sweep-status', text, attrs: { role: 'status' } }, []);
}

function visibleRows(view: SweepView, ui: SweepUi): SweepViewTrial[] {
  const rows = view.trials.filter((row) => ui.filter === 'all' || row.state === ui.filter);
  const { key, descending } = ui.sort;
  const valueOf = (row: SweepViewTrial): number | undefined => {
    if (key === 'number' || key === 'monitored' || key === 'testAccuracy') return row[key];
    return row.values[view.axes.findIndex((axis) => axis.parameter === key)];
  };
  return rows.sort((a, b) => {
    const x = valueOf(a);
    const y = valueOf(b);
    if (x === undefined || y === undefined) return Number(x === undefined) - Number(y === undefined) || a.number - b.number;
    return (descending ? y - x : x - y) || a.number - b.number;
  });
}

function trialsTable(ctx: ViewContext, view: SweepView, ui: SweepUi, filtered: () => void): HTMLElement {
  const { s } = ctx;
  const monitorLabel = view.monitor === 'val_accuracy' ? l10n.t('Best accuracy (monitored)') : l10n.t('Best loss (monitored)');
  const columns: { key: SortKey; label: string }[] = [
    { key: 'number', label: l10n.t('Trial') },
    ...view.axes.map((axis) => ({ key: axis.parameter as SortKey, label: AXIS_LABELS[axis.parameter]() })),
    { key: 'monitored', label: monitorLabel },
    { key: 'testAccuracy', label: l10n.t('Test accuracy') },
  ];
  const table = h('table', { className: 'data-table sweep-table' });
  const draw = () => {
    const sortButton = (key: SortKey, label: string) => {
      const active = ui.sort.key === key;
      return h('button', {
        className: 'link-button',
        text: label,
        attrs: { type: 'button', 'data-focus-key': `sweep-sort-${key}` },
        on: { click: () => {
          ui.sort = { key, descending: active ? !ui.sort.descending : key === 'testAccuracy' };
          draw();
          table.querySelector<HTMLElement>(`[data-focus-key="sweep-sort-${key}"]`)?.focus();
        } },
      });
    };
    const headRow = h('tr', {}, [
      h('th', { attrs: { scope: 'col' }, text: l10n.t('Select') }),
      ...columns.map((c) => h('th', { attrs: { scope: 'col', 'aria-sort': ui.sort.key === c.key ? (ui.sort.descending ? 'descending' : 'ascending') : undefined } }, [sortButton(c.key, c.label)])),
      h('th', { attrs: { scope: 'col' }, text: l10n.t('State') }),
      h('th', { attrs: { scope: 'col' }, text: l10n.t('Epochs') }),
      h('th', { attrs: { scope: 'col' }, text: l10n.t('Run') }),
    ]);
    const rows = visibleRows(view, ui).map((row) => {
      const box = h('input', { attrs: { type: 'checkbox', checked: ui.selected.has(row.number), disabled: row.runId === undefined, 'aria-label': l10n.t('Select trial {0}', row.number), 'data-focus-key': `sweep-select-${row.number}` } });
      box.addEventListener('change', () => {
        if (box.checked) ui.selected.add(row.number);
        else ui.selected.delete(row.number);
      });
      const progress = h('progress', { attrs: { max: row.epochs, value: row.epoch, 'aria-label': l10n.t('Trial {0}: epoch {1} of {2}', row.number, row.epoch, row.epochs) } });
      const open = row.runId === undefined ? '' : h('button', { className: 'secondary', text: l10n.t('Open'), attrs: { type: 'button', 'aria-label': l10n.t('Open trial {0}', row.number), 'data-focus-key': `sweep-open-${row.number}` }, on: { click: () => ctx.post({ type: 'openRuns', ids: [row.runId!] }) } });
      const best = row.runId !== undefined && row.runId === view.bestRunId;
      return h('tr', { className: `trial-${row.state}${best ? ' trial-best' : ''}` }, [
        h('td', {}, [box]),
        h('th', { attrs: { scope: 'row' }, text: best ? l10n.t('{0} (best)', row.number) : String(row.number) }),
        ...row.values.map((value) => h('td', { className: 'num', text: s.fixed(value, value < 0.01 ? 4 : value < 1 ? 3 : 0) })),
        h('td', { className: 'num', text: row.monitored === undefined ? l10n.t('n/a') : s.fixed(row.monitored, 4) }),
        h('td', { className: 'num', text: row.testAccuracy === undefined ? l10n.t('n/a') : s.percent(row.testAccuracy) }),
        h('td', { className: `trial-state state-${row.state}`, text: STATE_LABELS[row.state]() }),
        h('td', {}, [progress, ` ${row.epoch}/${row.epochs}`]),
        h('td', {}, [open]),
      ]);
    });
    table.replaceChildren(h('caption', { text: l10n.t('Trials: their settings and results') }), h('thead', {}, [headRow]), h('tbody', {}, rows));
  };
  draw();
  const filter = h('select', { attrs: { id: 'sweep-filter', 'data-focus-key': 'sweep-filter' } }, (['all', 'running', 'finished', 'pruned', 'stopped', 'failed', 'pending'] as const).map((state) =>
    h('option', { text: state === 'all' ? l10n.t('all trials') : STATE_LABELS[state](), attrs: { value: state, selected: ui.filter === state } })));
  filter.addEventListener('change', () => {
    ui.filter = filter.value as SweepUi['filter'];
    draw();
    filtered();
  });
  return h('div', { className: 'sweep-results' }, [h('div', { className: 'sweep-field' }, [h('label', { text: l10n.t('Show'), attrs: { for: 'sweep-filter' } }), filter]), table]);
}

function chart(s: Strings, view: SweepView, ui: SweepUi): HTMLElement {
  const rows = visibleRows(view, ui);
  const axes = [
    ...view.axes.map((axis, a) => ({ label: AXIS_LABELS[axis.parameter](), values: rows.map((row) => row.values[a]), format: (v: number) => s.fixed(v, v < 0.01 ? 4 : v < 1 ? 3 : 0) })),
    { label: l10n.t('Test accuracy'), values: rows.map((row) => row.testAccuracy), format: (v: number) => s.percent(v) },
  ];
  const lines = rows.map((row) => ({ kind: row.runId !== undefined && row.runId === view.bestRunId ? ('best' as const) : row.state === 'pruned' ? ('pruned' as const) : ('other' as const) }));
  return h('figure', { className: 'chart-box sweep-chart' }, [
    h('figcaption', { text: l10n.t('Each trial a line across its settings to its test accuracy; the best trial solid and thick, pruned ones dashed.') }),
    parallelCoordinates(axes, lines, l10n.t('Parallel coordinates of {0} trials. The table above holds the numbers.', rows.length)),
  ]);
}

function actions(ctx: ViewContext, view: SweepView, ui: SweepUi): HTMLElement {
  const selectedRuns = () => view.trials.filter((row) => ui.selected.has(row.number) && row.runId !== undefined).map((row) => row.runId!);
  const compare = h('button', { className: 'secondary', text: l10n.t('Compare selected'), attrs: { type: 'button', 'data-focus-key': 'sweep-compare' }, on: { click: () => {
    const ids = selectedRuns();
    if (ids.length >= 2) ctx.post({ type: 'openRuns', ids });
    else note.textContent = l10n.t('Select two or more trials to compare.');
  } } });
  const note = h('p', { className: 'sweep-note', attrs: { role: 'status' } });
  const rerun = view.phase === 'done' && view.bestRunId !== undefined
    ? h('button', { text: l10n.t('Re-run best on all data'), attrs: { type: 'button', 'data-focus-key': 'sweep-rerun' }, on: { click: () => ctx.post({ type: 'rerunBestTrial' }) } })
    : null;
  return h('div', { className: 'sweep-actions' }, [compare, rerun, note]);
}
