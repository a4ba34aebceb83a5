/**
 * What the commands and the dashboard's controls do: Train, Stop, Open Dashboard, Classify, Export and
 * Import the model, and change a setting. Each reads the settings or the user's choice, asks the session
 * to act, and turns every failure into a message that says what to do (with a button when one helps).
 */
import { homedir } from 'node:os';
import { extname } from 'node:path';
import * as vscode from 'vscode';
import { localizedClassNames } from '../core/text/format';
import { TrainerError, toUserError } from '../core/errors';
import { copyModelFolder } from '../core/modelFiles/modelFolder';
import type { ClassificationResult } from '../domain/classification';
import type { EditableSetting } from '../protocol/webview';
import type { UserError } from '../domain/errors';
import type { Dashboard, DashboardIntents } from './dashboardPanel';
import { checkExportTarget } from '../core/modelFiles/savedModel';
import { showUserError } from './runNotifications';
import type { TrainingLog } from './trainingLog';
import type { TrainingSession } from './trainingSession';
import { readTrainingSettings, resolveDataDirectory, type TrainingSettings } from './trainingSettings';

export const COMMANDS = {
  train: 'fashionMnist.train',
  stop: 'fashionMnist.stop',
  openDashboard: 'fashionMnist.openDashboard',
  classifyImage: 'fashionMnist.classifyImage',
  exportModel: 'fashionMnist.exportModel',
  importModel: 'fashionMnist.importModel',
} as const;

const SETTINGS_SECTION = 'fashionMnist';
/** The image formats the classifier reads (also the Explorer menu's `when` clause in package.json). */
export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'gif', 'bmp', 'webp'];

export function isImageFile(path: string): boolean {
  return IMAGE_EXTENSIONS.includes(extname(path).slice(1).toLowerCase());
}

/** The settings as they are now, checked. */
export function currentSettings(): ReturnType<typeof readTrainingSettings> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return readTrainingSettings((key) => config.get(key));
}

export class TrainerCommands implements DashboardIntents, vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly session: TrainingSession,
    private readonly dashboard: Dashboard,
    private readonly log: TrainingLog,
    private readonly extensionId: string,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((change) => {
        if (!change.affectsConfiguration(SETTINGS_SECTION)) return;
        const result = currentSettings();
        if (result.ok) session.setNextParams(result.settings.params);
      }),
    );
  }

  /** Registers every command; the returned disposables unregister them. */
  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(COMMANDS.train, () => this.train()),
      vscode.commands.registerCommand(COMMANDS.stop, () => this.stop()),
      vscode.commands.registerCommand(COMMANDS.openDashboard, () => this.dashboard.show()),
      vscode.commands.registerCommand(COMMANDS.classifyImage, (uri?: unknown, uris?: unknown) => this.classifyImages(uri, uris)),
      vscode.commands.registerCommand(COMMANDS.exportModel, () => this.exportModel()),
      vscode.commands.registerCommand(COMMANDS.importModel, () => this.importModel()),
    ];
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  // -------------------------------------------------------------------------------------------------
  // Train / Stop
  // -------------------------------------------------------------------------------------------------

  /** Starts a run with the current settings and opens the dashboard; refuses clearly while one runs. */
  train(): void {
    if (this.session.isRunning) {
      this.warnBusy();
      return;
    }
    const result = currentSettings();
    if (!result.ok) {
      this.settingsProblem(result.problems);
      return;
    }
    const settings = result.settings;
    const dataDir = this.dataDirectory(settings);
    if (dataDir === null) return;
    this.dashboard.show();
    try {
      this.session.start({
        params: settings.params,
        dataDir,
        allowDownload: settings.allowDownload,
        locale: vscode.env.language,
      });
    } catch (error) {
      const userError = toUserError(error);
      if (userError.code === 'BUSY') this.warnBusy();
      else this.failed(userError);
    }
  }

  stop(): void {
    if (!this.session.stop()) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No training run is in progress.'));
    }
  }

  /** The data folder to use: undefined = look automatically; null = the setting cannot be used (already said). */
  private dataDirectory(settings: TrainingSettings): string | undefined | null {
    if (settings.dataDirectory === undefined) return undefined;
    const workspaceFolder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const resolved = resolveDataDirectory(settings.dataDirectory, homedir(), workspaceFolder);
    if (resolved === undefined) {
      this.settingsProblem([
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

  private settingsProblem(problems: string[]): void {
    for (const problem of problems) this.log.channel.error(problem);
    const open = vscode.l10n.t('Open Settings');
    void vscode.window.showErrorMessage(problems.join(' '), open).then((choice) => {
      if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${this.extensionId}`);
    });
  }

  private failed(error: UserError): void {
    this.log.error(error);
    showUserError(error, { log: this.log, extensionId: this.extensionId });
  }

  // -------------------------------------------------------------------------------------------------
  // Settings from the panel
  // -------------------------------------------------------------------------------------------------

  /** Writes a user setting the panel changed (already validated by parseWebviewMessage). */
  setSetting(key: EditableSetting, value: number | string): void {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    void Promise.resolve(config.update(key, value, vscode.ConfigurationTarget.Global)).then(
      () => {
        const inspected = config.inspect(key);
        if (inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined) {
          void vscode.window.showWarningMessage(
            vscode.l10n.t('fashionMnist.{0} is also set in this workspace, and the workspace value wins. Change it in the workspace settings to use {1}.', key, String(value)),
          );
        }
      },
      (error: unknown) => this.failed(toUserError(error)),
    );
  }

  // -------------------------------------------------------------------------------------------------
  // Classify
  // -------------------------------------------------------------------------------------------------

  /** The panel's "Classify images…": the image in the active editor, else pick files; then classify them. */
  classifyFiles(): void {
    void this.classifyImages();
  }

  /**
   * From the Explorer (uri, selected uris), the editor title (uri) or the palette (nothing: the image in
   * the active editor, else a file picker).
   */
  async classifyImages(uri?: unknown, uris?: unknown): Promise<void> {
    // Checked before any file picker opens: choosing files only to hear there is no model is a waste.
    if (!this.session.hasModel) {
      await this.offerTraining(
        vscode.l10n.t('There is no trained model yet. Train one first (it is saved automatically), then classify the image.'),
      );
      return;
    }
    const selected = Array.isArray(uris) ? uris.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : [];
    let targets = selected.length > 0 ? selected : uri instanceof vscode.Uri ? [uri] : [];
    if (targets.length === 0) {
      const active = activeImage();
      targets = active ? [active] : ((await this.pickImages()) ?? []);
    }
    if (targets.length > 0) await this.classify(targets);
  }

  private async pickImages(): Promise<vscode.Uri[] | undefined> {
    return vscode.window.showOpenDialog({
      canSelectFiles: true,
      canSelectFolders: false,
      canSelectMany: true,
      openLabel: vscode.l10n.t('Classify'),
      title: vscode.l10n.t('Choose images to classify with the Fashion-MNIST model'),
      filters: { [vscode.l10n.t('Images')]: IMAGE_EXTENSIONS },
    });
  }

  private async classify(uris: vscode.Uri[]): Promise<void> {
    const notLocal = uris.find((u) => u.scheme !== 'file');
    if (notLocal) {
      this.failed({
        code: 'IMAGE_UNSUPPORTED',
        message: vscode.l10n.t('{0} is not a file on this machine, so it cannot be classified.', notLocal.toString()),
        action: vscode.l10n.t('Copy the image into a local folder and classify it from there.'),
      });
      return;
    }
    this.dashboard.show(undefined, true);
    const files = uris.map((u) => u.fsPath);
    let results: ClassificationResult[];
    try {
      results = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Classifying with the Fashion-MNIST model…') },
        () => this.session.classify(files, vscode.env.language),
      );
    } catch (error) {
      this.failed(error instanceof TrainerError ? error.toUserError() : toUserError(error));
      return;
    }
    this.reportClassification(results);
  }

  private reportClassification(results: ClassificationResult[]): void {
    const failures = results.filter((r): r is Extract<ClassificationResult, { ok: false }> => !r.ok);
    for (const failure of failures) this.log.error(failure.error.file ? failure.error : { ...failure.error, file: failure.file });
    const first = results.find((r): r is Extract<ClassificationResult, { ok: true }> => r.ok);
    const show = vscode.l10n.t('Show Dashboard');
    if (!first) {
      const failure = failures[0];
      if (failure) this.failed({ ...failure.error, file: failure.error.file ?? failure.file });
      if (failures.length > 1) void vscode.window.showErrorMessage(vscode.l10n.t('None of the {0} images could be classified; the dashboard lists why for each file.', failures.length));
      return;
    }
    const name = vscode.workspace.asRelativePath(first.file);
    const className = localizedClassNames()[first.predicted] ?? String(first.predicted);
    const probability = `${(100 * (first.probabilities[first.predicted] ?? 0)).toFixed(1)}%`;
    const others = results.length - 1;
    let message =
      others === 0
        ? vscode.l10n.t('{0}: most likely {1} ({2}).', name, className, probability)
        : vscode.l10n.t('{0}: most likely {1} ({2}). {3} more results are in the dashboard.', name, className, probability, others);
    if (first.warnings.includes('lowConfidence')) message += ' ' + vscode.l10n.t('The model is not sure about this one.');
    if (failures.length === 1) {
      const failure = failures[0];
      message += ' ' + vscode.l10n.t('{0} could not be classified: {1}', vscode.workspace.asRelativePath(failure.file), failure.error.message);
    } else if (failures.length > 1) {
      message += ' ' + vscode.l10n.t('{0} of {1} files could not be classified; the dashboard says why for each.', failures.length, results.length);
    }
    const notify = failures.length > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void notify(message, show).then((choice) => {
      if (choice === show) this.dashboard.show('classify');
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Export / Import
  // -------------------------------------------------------------------------------------------------

  async exportModel(): Promise<void> {
    if (!this.session.hasModel) {
      await this.offerTraining(vscode.l10n.t('There is no trained model to export yet.'));
      return;
    }
    const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(base, 'fashion-mnist-model'),
      saveLabel: vscode.l10n.t('Export'),
      title: vscode.l10n.t('Export the model to a new folder (model.json, weights and run record)'),
    });
    if (!target) return;
    try {
      checkExportTarget(target.fsPath);
      await copyModelFolder(this.session.folders.modelDir, target.fsPath);
    } catch (error) {
      this.failed(toUserError(error));
      return;
    }
    this.log.channel.info(vscode.l10n.t('Model exported to {0}.', target.fsPath));
    void vscode.window.showInformationMessage(vscode.l10n.t('Model exported to {0}.', target.fsPath));
  }

  async importModel(): Promise<void> {
    if (this.session.isRunning) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('A training run is in progress and saves its own model when it finishes. Stop it or wait, then import.'),
      );
      return;
    }
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: vscode.l10n.t('Import'),
      title: vscode.l10n.t('Choose a model folder or its model.json'),
      filters: { [vscode.l10n.t('TensorFlow.js model')]: ['json'] },
    });
    const source = picked?.[0];
    if (!source) return;
    try {
      await copyModelFolder(source.fsPath, this.session.folders.modelDir);
    } catch (error) {
      this.failed(toUserError(error));
      return;
    }
    this.session.refreshModel();
    this.log.channel.info(vscode.l10n.t('Model imported from {0}.', source.fsPath));
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Model imported from {0}. Right-click an image in the Explorer to classify it.', source.fsPath),
    );
  }

  private async offerTraining(message: string): Promise<void> {
    const train = vscode.l10n.t('Train Now');
    if ((await vscode.window.showInformationMessage(message, train)) === train) this.train();
  }
}

/** The image open in the active editor tab (the image preview is a custom editor), if any. */
function activeImage(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const uri =
    input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText ? input.uri : vscode.window.activeTextEditor?.document.uri;
  return uri && isImageFile(uri.path) ? uri : undefined;
}

