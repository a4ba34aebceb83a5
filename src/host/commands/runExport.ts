/**
 * Export the dashboard's run: as a Jupyter notebook (the palette command and the dashboard's button; a run of
 * the run history from the Runs view), and
 * its charts and confusion matrix as SVG and per-epoch metrics as CSV (the dashboard's buttons per cell).
 * The host builds every file from its own state with the same core code the CLI uses; the webview only
 * asks. Each file goes where the user picks in the save dialog and is written atomically.
 */
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { toUserError } from '../../core/errors';
import { confusionMatrixSvg, epochChartSvg } from '../../core/notebook/charts';
import { inspectNotebookTarget, writeExportFile, writeNotebookFile } from '../../core/notebook/exportFile';
import { epochMetricsCsv } from '../../core/notebook/metricsCsv';
import { buildNotebook, serializeNotebook } from '../../core/notebook/notebook';
import { chartStrings, notebookStrings } from '../../core/notebook/notebookStrings';
import { notebookRunFromDashboard, notebookRunFromHistory, notebookRunFromRecord } from '../../core/notebook/runSources';
import type { RunHistoryRecord, RunSummary } from '../../domain/runRecord';
import type { NotebookRun } from '../../core/notebook/notebookRun';
import type { ExportableChart } from '../../protocol/webview';
import { currentHistory } from '../runsView';
import type { TrainingSession } from '../session/trainingSession';
import { markWalkthroughDone, WALKTHROUGH_CONTEXT } from '../walkthroughProgress';
import type { CommandFeedback } from './commandFeedback';
import type { TrainCommands } from './trainCommands';

export class RunExport {
  constructor(
    private readonly session: TrainingSession,
    private readonly feedback: CommandFeedback,
    private readonly train: TrainCommands,
    private readonly extensionVersion: string,
  ) {}

  /**
   * The last run as a notebook. `target` (a Uri, from a test or another extension) skips the save dialog;
   * a file there that this extension did not write is replaced only after the user confirms.
   */
  async exportNotebook(target?: unknown): Promise<vscode.Uri | undefined> {
    const run = this.exportableRun();
    if (!run) {
      await this.train.offerTraining(vscode.l10n.t('There is no run to export yet. Train the model, then export the run as a notebook.'));
      return undefined;
    }
    return this.writeNotebook(run, 'fashion-mnist-run.ipynb', target);
  }

  /** A run of the run history (the Runs view's "Export as Notebook"): its settings, every epoch and its confusion matrix. */
  async exportHistoryRun(summary: RunSummary | undefined, target?: unknown): Promise<vscode.Uri | undefined> {
    if (!summary) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Choose a run in the Runs view to export it as a notebook.'));
      return undefined;
    }
    let record: RunHistoryRecord;
    try {
      record = await currentHistory().load(summary.id);
    } catch (error) {
      this.feedback.failed(toUserError(error));
      return undefined;
    }
    return this.writeNotebook(notebookRunFromHistory(record), `fashion-mnist-${summary.id}.ipynb`, target);
  }

  private async writeNotebook(run: NotebookRun, fileName: string, target: unknown): Promise<vscode.Uri | undefined> {
    const uri = target instanceof vscode.Uri ? target : await this.pickTarget(fileName, { [vscode.l10n.t('Jupyter Notebook')]: ['ipynb'] }, vscode.l10n.t('Export the run as a Jupyter notebook'));
    if (!uri) return undefined;
    let replaceForeign = false;
    if (inspectNotebookTarget(uri.fsPath) === 'foreign') {
      const replace = vscode.l10n.t('Replace');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} already exists and was not written by Fashion-MNIST Trainer. Replace it with the exported notebook?', uri.fsPath),
        { modal: true },
        replace,
      );
      if (choice !== replace) return undefined;
      replaceForeign = true;
    }
    try {
      const notebook = buildNotebook(run, notebookStrings(), this.extensionVersion);
      await writeNotebookFile(uri.fsPath, serializeNotebook(notebook), { replaceForeign });
    } catch (error) {
      this.feedback.failed(toUserError(error));
      return undefined;
    }
    markWalkthroughDone(WALKTHROUGH_CONTEXT.notebookExported);
    this.feedback.channel.info(vscode.l10n.t('Notebook exported to {0}.', uri.fsPath));
    const open = vscode.l10n.t('Open Notebook');
    void vscode.window.showInformationMessage(vscode.l10n.t('Notebook exported to {0}.', uri.fsPath), open).then((choice) => {
      if (choice === open) void vscode.commands.executeCommand('vscode.open', uri);
    });
    return uri;
  }

  /** A chart of the last run (accuracy, loss) or its confusion matrix, as SVG (the notebook's picture), labelled in the UI language. */
  async exportChart(chart: ExportableChart): Promise<void> {
    const run = notebookRunFromDashboard(this.session.store.current);
    const svg =
      chart === 'confusion'
        ? run?.confusion && confusionMatrixSvg(run.confusion, chartStrings())
        : run && run.history.length > 0 && epochChartSvg(run.history, chart, run.settings.validationSplit === undefined, chartStrings());
    if (!svg) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is nothing to save yet; it fills in as the run trains.'));
      return;
    }
    const names: Record<ExportableChart, string> = { accuracy: 'fashion-mnist-accuracy.svg', loss: 'fashion-mnist-loss.svg', confusion: 'fashion-mnist-confusion.svg' };
    await this.save(names[chart], svg, { [vscode.l10n.t('SVG image')]: ['svg'] }, vscode.l10n.t('Save the chart as an SVG image'));
  }

  /** The per-epoch metrics of the last run as CSV. */
  async exportMetricsCsv(): Promise<void> {
    const history = this.session.store.current.history;
    if (history.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is nothing to save yet; it fills in as the run trains.'));
      return;
    }
    await this.save('fashion-mnist-epochs.csv', epochMetricsCsv(history), { [vscode.l10n.t('CSV file')]: ['csv'] }, vscode.l10n.t('Save the per-epoch metrics as CSV'));
  }

  /** The dashboard's run, else the saved model's record (settings and final accuracies only). */
  private exportableRun(): NotebookRun | undefined {
    const fromDashboard = notebookRunFromDashboard(this.session.store.current);
    if (fromDashboard) return fromDashboard;
    const record = this.session.store.current.model?.record;
    return record ? notebookRunFromRecord(record) : undefined;
  }

  private async pickTarget(fileName: string, filters: Record<string, string[]>, title: string): Promise<vscode.Uri | undefined> {
    const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
    return vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(base, fileName), filters, title, saveLabel: vscode.l10n.t('Save') });
  }

  private async save(fileName: string, data: string | Uint8Array, filters: Record<string, string[]>, title: string): Promise<void> {
    const uri = await this.pickTarget(fileName, filters, title);
    if (!uri) return;
    try {
      // The save dialog has already asked before replacing an existing file.
      await writeExportFile(uri.fsPath, data);
    } catch (error) {
      this.feedback.failed(toUserError(error));
      return;
    }
    this.feedback.channel.info(vscode.l10n.t('Saved {0}.', uri.fsPath));
    void vscode.window.showInformationMessage(vscode.l10n.t('Saved {0}.', uri.fsPath));
  }
}
