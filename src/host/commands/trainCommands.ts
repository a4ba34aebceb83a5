/** Train and Stop, from the palette, the editor title and the dashboard: refuse clearly while a run is going. */
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { toUserError } from '../../core/errors';
import type { DashboardHost } from '../dashboardPanel';
import { currentSettings } from '../settingsAccess';
import type { TrainingSession } from '../session/trainingSession';
import { resolveDataDirectory, runHistoryDirectory, type TrainingSettings } from '../trainingSettings';
import type { CommandFeedback } from './commandFeedback';

export class TrainCommands {
  constructor(
    private readonly session: TrainingSession,
    private readonly dashboard: DashboardHost,
    private readonly feedback: CommandFeedback,
  ) {}

  /** Starts a run with the current settings and opens the dashboard; refuses clearly while one runs. */
  train(): void {
    if (this.session.run.isRunning) {
      this.warnBusy();
      return;
    }
    const result = currentSettings();
    if (!result.ok) {
      this.feedback.settingsProblem(result.problems);
      return;
    }
    const settings = result.settings;
    const dataDir = this.dataDirectory(settings);
    if (dataDir === null) return;
    this.dashboard.show();
    try {
      this.session.run.start({
        params: settings.params,
        dataDir,
        allowDownload: settings.allowDownload,
        locale: vscode.env.language,
        runHistory: { dir: runHistoryDirectory(settings), keepModels: settings.runHistory.keepModels },
      });
    } catch (error) {
      const userError = toUserError(error);
      if (userError.code === 'BUSY') this.warnBusy();
      else this.feedback.failed(userError);
    }
  }

  stop(): void {
    if (!this.session.run.stop()) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No training run is in progress.'));
    }
  }

  /** Says `message` (there is no model yet) with a "Train Now" button. */
  async offerTraining(message: string): Promise<void> {
    const train = vscode.l10n.t('Train Now');
    if ((await vscode.window.showInformationMessage(message, train)) === train) this.train();
  }

  /** The data folder to use: undefined = look automatically; null = the setting cannot be used (already said). */
  private dataDirectory(settings: TrainingSettings): string | undefined | null {
    if (settings.dataDirectory === undefined) return undefined;
    const workspaceFolder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const resolved = resolveDataDirectory(settings.dataDirectory, homedir(), workspaceFolder);
    if (resolved === undefined) {
      this.feedback.settingsProblem([
        vscode.l10n.t('The data directory "{0}" is a relative path, but no folder is open to resolve it against. Use an absolute path.', settings.dataDirectory),
      ]);
      return null;
    }
    return resolved;
  }

  private warnBusy(): void {
    const stop = vscode.l10n.t('Stop Training');
    const show = vscode.l10n.t('Show Dashboard');
    void vscode.window
      .showWarningMessage(vscode.l10n.t('A training run is already in progress. Stop it before starting another one.'), stop, show)
      .then((choice) => {
        if (choice === stop) this.stop();
        else if (choice === show) this.dashboard.show('train');
      });
  }
}
