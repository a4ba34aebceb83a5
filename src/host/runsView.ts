/**
 * The Runs view (Explorer): every run in the per-user run history with its key settings and test
 * accuracy, and what can be done with them: open one or compare several in the dashboard, re-run with
 * changes (its settings become the current ones, to edit before Train), pin (keeps its model), delete.
 * It reads the history through src/core/runs (no tfjs) and refreshes when a run ends.
 */
import * as vscode from 'vscode';
import { Disposable } from '../core/emitter';
import { toUserError } from '../core/errors';
import { compareRuns } from '../core/runs/runComparison';
import { RunHistory } from '../core/runs/runHistory';
import { dropoutList } from '../domain/hyperParameters';
import type { RunSummary } from '../domain/runRecord';
import type { DamagedRun } from '../core/runs/runHistory';
import { isTerminalEvent } from '../protocol/events';
import type { DashboardHost } from './dashboardPanel';
import { currentSettings, writeUserSetting } from './settingsAccess';
import type { TrainingSession } from './session/trainingSession';
import { DEFAULT_KEPT_MODELS } from '../core/runs/runHistory';
import { runHistoryDirectory, settingValuesOf } from './trainingSettings';
import { COMMANDS } from './commands/commandIds';
import { convLayersOf, describeConvLayers, isConvolutional } from '../domain/architecture';
import { userMessage } from './userMessages';
import { markdownText } from '../core/text/plainText';

export const RUNS_VIEW_ID = 'fashionMnist.runs';

const RUN_COMMANDS = {
  refresh: COMMANDS.runsRefresh,
  open: COMMANDS.runsOpen,
  compare: COMMANDS.runsCompare,
  rerun: COMMANDS.runsRerun,
  pin: COMMANDS.runsPin,
  unpin: COMMANDS.runsUnpin,
  delete: COMMANDS.runsDelete,
} as const;

/** The history the settings name (the default one when the settings are being fixed). */
export function currentHistory(): RunHistory {
  const settings = currentSettings();
  if (!settings.ok) return new RunHistory(runHistoryDirectory({ runHistory: { keepModels: DEFAULT_KEPT_MODELS } }));
  return new RunHistory(runHistoryDirectory(settings.settings), settings.settings.runHistory.keepModels);
}

function percent(value: number | undefined): string {
  return value === undefined ? '–' : `${(value * 100).toFixed(1)}%`;
}

/** "conv 8:5,16:5 · 128-64 · dropout 0.2 · L2 0.0001 · 10 epochs": the key settings of a run, as its tree item shows them. */
export function describeRun(run: RunSummary): string {
  const a = run.params.architecture;
  const parts = isConvolutional(a) ? [vscode.l10n.t('conv {0}', describeConvLayers(convLayersOf(a)))] : [];
  parts.push(a.hiddenLayers.map((layer) => layer.units).join('-'));
  const dropout = dropoutList(a);
  if (dropout.length > 0) parts.push(vscode.l10n.t('dropout {0}', dropout.join('/')));
  if (a.l2 > 0) parts.push(vscode.l10n.t('L2 {0}', a.l2));
  parts.push(vscode.l10n.t('{0}/{1} epochs', run.epochsRun, run.params.epochs));
  if (run.params.validationSplit > 0) parts.push(vscode.l10n.t('validation {0}', run.params.validationSplit));
  return parts.join(' · ');
}

/** A row of the view: a run, or a run folder whose record cannot be used (listed with why). */
type RunsItem = RunSummary | DamagedRun;
const isRun = (item: RunsItem): item is RunSummary => !('reason' in item);

class RunsTree implements vscode.TreeDataProvider<RunsItem> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private warned = new Set<string>();

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(element?: RunsItem): Promise<RunsItem[]> {
    if (element !== undefined) return [];
    const { runs, damaged, warnings } = await currentHistory().list();
    // Each skipped file is said once per session, not on every refresh.
    for (const warning of warnings.filter((w) => !this.warned.has(w))) {
      this.warned.add(warning);
      void userMessage.warning(warning);
    }
    return [...runs, ...damaged];
  }

  getTreeItem(run: RunsItem): vscode.TreeItem {
    if (!isRun(run)) return damagedItem(run);
    const date = new Date(run.startedAt);
    // Short, so the description (the network and its regularization) still shows at the default sidebar width.
    const when = date.toLocaleString([], { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    const item = new vscode.TreeItem(`${percent(run.testAccuracy)} · ${when}`);
    item.id = run.id;
    item.description = describeRun(run);
    const ended =
      run.end === 'earlyStopped' ? vscode.l10n.t('stopped early') : run.end === 'stopped' ? vscode.l10n.t('stopped by you') : vscode.l10n.t('all epochs');
    item.tooltip = new vscode.MarkdownString(
      [
        `**${markdownText(run.id)}**${run.pinned ? ` · ${markdownText(vscode.l10n.t('pinned'))}` : ''}`,
        markdownText(describeRun(run)),
        markdownText(vscode.l10n.t('Test accuracy {0}, best epoch {1}, ended: {2}.', percent(run.testAccuracy), run.bestEpoch ?? '–', ended)),
        markdownText(run.hasModel ? vscode.l10n.t('Its model is kept.') : vscode.l10n.t('Its model is no longer kept.')),
      ].join('\n\n'),
    );
    item.iconPath = new vscode.ThemeIcon(run.pinned ? 'pinned' : run.end === 'completed' ? 'pass' : run.end === 'earlyStopped' ? 'debug-step-out' : 'debug-stop');
    item.contextValue = run.pinned ? 'run.pinned' : 'run';
    item.accessibilityInformation = { label: `${item.label as string}, ${describeRun(run)}, ${ended}${run.pinned ? `, ${vscode.l10n.t('pinned')}` : ''}` };
    item.command = { command: RUN_COMMANDS.open, title: vscode.l10n.t('Open Run'), arguments: [run] };
    return item;
  }
}

/** A damaged run folder: its name as the label, why as the description and tooltip (plain text, never markup). */
function damagedItem(entry: DamagedRun): vscode.TreeItem {
  const item = new vscode.TreeItem(entry.name);
  item.id = `damaged:${entry.name}`;
  item.description = vscode.l10n.t('damaged');
  item.tooltip = entry.reason;
  item.iconPath = new vscode.ThemeIcon('warning');
  item.contextValue = 'damaged';
  item.accessibilityInformation = { label: `${entry.name}, ${vscode.l10n.t('damaged')}: ${entry.reason}` };
  return item;
}

export class RunsView extends Disposable {
  private readonly tree = new RunsTree();
  private readonly view: vscode.TreeView<RunsItem>;

  constructor(
    private readonly session: TrainingSession,
    private readonly dashboard: DashboardHost,
    private readonly failed: (error: ReturnType<typeof toUserError>) => void,
  ) {
    super();
    this.view = vscode.window.createTreeView(RUNS_VIEW_ID, { treeDataProvider: this.tree, canSelectMany: true, showCollapseAll: false });
    const selected = (run?: RunSummary, runs?: RunSummary[]): RunSummary[] =>
      runs !== undefined && runs.length > 0 ? runs : run !== undefined ? [run] : this.view.selection.filter(isRun);
    this.register(
      this.view,
      session.run.onDidTrainingEvent((event) => {
        if (isTerminalEvent(event)) this.tree.refresh();
      }),
      vscode.commands.registerCommand(RUN_COMMANDS.refresh, () => this.tree.refresh()),
      vscode.commands.registerCommand(RUN_COMMANDS.open, (run?: RunSummary, runs?: RunSummary[]) => this.act(() => this.open(selected(run, runs)[0]))),
      vscode.commands.registerCommand(RUN_COMMANDS.compare, (run?: RunSummary, runs?: RunSummary[]) => this.act(() => this.compare(selected(run, runs)))),
      vscode.commands.registerCommand(RUN_COMMANDS.rerun, (run?: RunSummary) => this.act(() => this.rerun(selected(run)[0]))),
      vscode.commands.registerCommand(RUN_COMMANDS.pin, (run?: RunSummary, runs?: RunSummary[]) => this.act(() => this.pin(selected(run, runs), true))),
      vscode.commands.registerCommand(RUN_COMMANDS.unpin, (run?: RunSummary, runs?: RunSummary[]) => this.act(() => this.pin(selected(run, runs), false))),
      vscode.commands.registerCommand(RUN_COMMANDS.delete, (run?: RunSummary, runs?: RunSummary[]) => this.act(() => this.delete(selected(run, runs)))),
    );
  }

  private async act(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.failed(toUserError(error));
    }
  }

  /**
   * Opens a run: whole in the dashboard (every epoch, the grid, the epoch slider) when the history kept its
   * dashboard and nothing is training; otherwise its curves and numbers in the compare view.
   */
  async open(run: RunSummary | undefined): Promise<void> {
    if (run === undefined) return;
    const history = currentHistory();
    await history.load(run.id);
    if (!this.session.run.isRunning && this.session.archive.showRun(history, run.id)) {
      this.dashboard.show();
      return;
    }
    await this.show([run]);
  }

  /** Opens runs in the dashboard's compare view (one run shows its own curves and numbers). */
  async show(runs: RunSummary[]): Promise<void> {
    if (runs.length === 0) return;
    const history = currentHistory();
    const records = await Promise.all(runs.map((run) => history.load(run.id)));
    this.dashboard.show();
    this.session.archive.setComparison(compareRuns(records));
  }

  /** Opens one run by id, or compares several (the Sweep view's Open and Compare selected). */
  async openRuns(ids: string[]): Promise<void> {
    await this.act(async () => {
      const history = currentHistory();
      const records = await Promise.all(ids.map((id) => history.load(id)));
      if (records.length === 1) await this.open({ id: records[0].id, startedAt: records[0].startedAt } as RunSummary);
      else await this.show(records.map((record) => ({ id: record.id, startedAt: record.startedAt }) as RunSummary));
    });
  }

  private async compare(runs: RunSummary[]): Promise<void> {
    if (runs.length < 2) {
      void userMessage.info(vscode.l10n.t('Select two or more runs in the Runs view (Ctrl or Shift and click), then choose Compare Runs.'));
      return;
    }
    // Oldest first: the first run is the baseline the differences are measured from.
    await this.show([...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt)));
  }

  /** Makes the run's settings the current ones and opens the dashboard, where they can be changed before Train. */
  private async rerun(run: RunSummary | undefined): Promise<void> {
    if (run === undefined) return;
    const params = (await currentHistory().load(run.id)).params;
    for (const [key, value] of settingValuesOf(params)) await writeUserSetting(key, value);
    this.dashboard.show();
    void userMessage.info(vscode.l10n.t('The settings of run {0} are now the current settings: change what you want to try in the dashboard, then Train.', run.id));
  }

  private async pin(runs: RunSummary[], pinned: boolean): Promise<void> {
    const history = currentHistory();
    for (const run of runs) await history.setPinned(run.id, pinned);
    this.tree.refresh();
  }

  private async delete(runs: RunSummary[]): Promise<void> {
    if (runs.length === 0) return;
    const remove = vscode.l10n.t('Delete');
    const message =
      runs.length === 1
        ? vscode.l10n.t('Delete run {0}? Its record and its model are deleted from the run history.', runs[0].id)
        : vscode.l10n.t('Delete {0} runs? Their records and models are deleted from the run history.', runs.length);
    if ((await userMessage.warning(message, { modal: true }, remove)) !== remove) return;
    const history = currentHistory();
    for (const run of runs) await history.delete(run.id);
    this.tree.refresh();
  }
}
