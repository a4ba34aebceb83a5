/**
 * Every command and every dashboard intent, registered in one place: Train, Stop, Open Dashboard, Classify,
 * Export and Import the model, and a setting changed from the panel. Each handler reads the settings or the
 * user's choice, asks the session to act, and turns a failure into a message that says what to do.
 */
import * as vscode from 'vscode';
import { toUserError } from '../../core/errors';
import { Disposable } from '../../core/emitter';
import type { EditableSetting, SettingValue } from '../../protocol/webview';
import type { DashboardHost, DashboardIntents } from '../dashboardPanel';
import { onSettingsChanged, writeUserSetting } from '../settingsAccess';
import type { TrainingLog } from '../trainingLog';
import type { TrainingSession } from '../trainingSession';
import { ClassifyCommand } from './classifyCommand';
import { CommandFeedback } from './commandFeedback';
import { COMMANDS } from './commandIds';
import { ModelTransfer } from './modelTransfer';
import { TrainCommands } from './trainCommands';

export { COMMANDS } from './commandIds';

// The panel's "Set Up the Native Backend" is host/nativeBackendSetup.ts's, not a trainer command.
export class TrainerCommands extends Disposable implements Omit<DashboardIntents, 'setUpNativeBackend'> {
  private readonly feedback: CommandFeedback;
  private readonly training: TrainCommands;
  private readonly classifying: ClassifyCommand;
  private readonly transfer: ModelTransfer;

  constructor(session: TrainingSession, private readonly dashboard: DashboardHost, log: TrainingLog, extensionId: string) {
    super();
    this.feedback = new CommandFeedback(log, extensionId);
    this.training = new TrainCommands(session, dashboard, this.feedback);
    this.classifying = new ClassifyCommand(session, dashboard, log, this.feedback, this.training);
    this.transfer = new ModelTransfer(session, this.feedback, this.training);
    this.register(
      onSettingsChanged((result) => {
        if (result.ok) session.setNextParams(result.settings.params);
      }),
    );
    this.register(vscode.commands.registerCommand(COMMANDS.train, () => this.train()));
    this.register(vscode.commands.registerCommand(COMMANDS.stop, () => this.stop()));
    this.register(vscode.commands.registerCommand(COMMANDS.openDashboard, () => this.dashboard.show()));
    this.register(
      vscode.commands.registerCommand(COMMANDS.classifyImage, (uri?: unknown, uris?: unknown) => this.classifying.classifyImages(uri, uris)),
    );
    this.register(vscode.commands.registerCommand(COMMANDS.exportModel, () => this.transfer.exportModel()));
    this.register(vscode.commands.registerCommand(COMMANDS.importModel, () => this.transfer.importModel()));
  }

  train(): void {
    this.training.train();
  }

  stop(): void {
    this.training.stop();
  }

  /** The panel's "Classify images…": the image in the active editor, else pick files; then classify them. */
  classifyFiles(): void {
    void this.classifying.classifyImages();
  }

  /** Writes the settings the panel changed (a model preset sets three at once), in order. */
  setSettings(values: { key: EditableSetting; value: SettingValue }[]): void {
    void (async () => {
      for (const { key, value } of values) await writeUserSetting(key, value);
    })().catch((error: unknown) => this.feedback.failed(toUserError(error)));
  }
}
