/**
 * Every command and every dashboard intent, registered in one place: Train, Stop, Open Dashboard, Classify,
 * Export and Import the model, Export the run (notebook, charts, CSV), the walkthrough's steps (get the data,
 * show a dashboard cell), and a setting changed from the panel. Each handler reads the settings or the
 * user's choice, asks the session to act, and turns a failure into a message that says what to do.
 */
import * as vscode from 'vscode';
import { toUserError } from '../../core/errors';
import { Disposable } from '../../core/emitter';
import type { RunSummary } from '../../domain/runRecord';
import type { EditableSetting, ExportableChart, SettingValue } from '../../protocol/webview';
import type { DashboardHost, DashboardIntents } from '../dashboardPanel';
import { onSettingsChanged, writeUserSetting } from '../settingsAccess';
import type { TrainingLog } from '../trainingLog';
import type { TrainingSession } from '../trainingSession';
import { ClassifyCommand } from './classifyCommand';
import { CommandFeedback } from './commandFeedback';
import { COMMANDS } from './commandIds';
import { DataChoice } from './dataChoice';
import { ModelTransfer } from './modelTransfer';
import { RunExport } from './runExport';
import { TrainCommands } from './trainCommands';

export { COMMANDS } from './commandIds';

// The panel's "Set Up the Native Backend" is host/nativeBackendSetup.ts's, not a trainer command.
export class TrainerCommands extends Disposable implements Omit<DashboardIntents, 'setUpNativeBackend'> {
  private readonly feedback: CommandFeedback;
  private readonly training: TrainCommands;
  private readonly classifying: ClassifyCommand;
  private readonly transfer: ModelTransfer;
  private readonly runExport: RunExport;

  constructor(session: TrainingSession, private readonly dashboard: DashboardHost, log: TrainingLog, extension: { id: string; version: string }) {
    super();
    this.feedback = new CommandFeedback(log, extension.id);
    this.training = new TrainCommands(session, dashboard, this.feedback);
    this.classifying = new ClassifyCommand(session, dashboard, log, this.feedback, this.training);
    this.transfer = new ModelTransfer(session, this.feedback, this.training);
    this.runExport = new RunExport(session, this.feedback, this.training, extension.version);
    const dataChoice = new DataChoice(this.feedback);
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
    this.register(vscode.commands.registerCommand(COMMANDS.exportNotebook, (target?: unknown) => this.runExport.exportNotebook(target)));
    this.register(
      vscode.commands.registerCommand(COMMANDS.runsExportNotebook, (run?: RunSummary, target?: unknown) => this.runExport.exportHistoryRun(run, target)),
    );
    this.register(vscode.commands.registerCommand(COMMANDS.getData, () => dataChoice.choose()));
    // The walkthrough's "look at" steps: each opens the dashboard at its cell (and completes on its own command).
    this.register(vscode.commands.registerCommand(COMMANDS.showOverfitting, () => this.dashboard.show('evaluate')));
    this.register(vscode.commands.registerCommand(COMMANDS.showPredictions, () => this.dashboard.show('predict')));
    this.register(vscode.commands.registerCommand(COMMANDS.showModel, () => this.dashboard.show('model')));
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

  exportNotebook(): void {
    void this.runExport.exportNotebook();
  }

  exportChart(chart: ExportableChart): void {
    void this.runExport.exportChart(chart);
  }

  exportMetricsCsv(): void {
    void this.runExport.exportMetricsCsv();
  }

  /** Writes the settings the panel changed (a model preset sets three at once), in order. */
  setSettings(values: { key: EditableSetting; value: SettingValue }[]): void {
    void (async () => {
      for (const { key, value } of values) await writeUserSetting(key, value);
    })().catch((error: unknown) => this.feedback.failed(toUserError(error)));
  }
}
