/**
 * Every command, registered in one place: Train, Stop, Open Dashboard, Classify, Export and Import the model,
 * Export the run (notebook, charts, CSV), the walkthrough's steps (get the data, show a dashboard cell). Each
 * handler reads the settings or the user's choice, asks the session to act, and turns a failure into a
 * message that says what to do. The objects that act are public: the dashboard's intents go to them directly.
 */
import * as vscode from 'vscode';
import { Disposable } from '../../core/emitter';
import type { RunSummary } from '../../domain/runRecord';
import type { DashboardHost } from '../dashboardPanel';
import { onSettingsChanged } from '../settingsAccess';
import type { TrainingLog } from '../trainingLog';
import type { TrainingSession } from '../session/trainingSession';
import { ClassifyCommand } from './classifyCommand';
import { CommandFeedback } from './commandFeedback';
import { COMMANDS } from './commandIds';
import { DataChoice } from './dataChoice';
import { ModelTransfer } from './modelTransfer';
import { RunExport } from './runExport';
import { SettingEdits } from './settingEdits';
import { TrainCommands } from './trainCommands';
import { SweepCommands, type SweepPlaces } from './sweepCommands';

export { COMMANDS } from './commandIds';

export class TrainerCommands extends Disposable {
  private readonly feedback: CommandFeedback;
  /** Train and Stop. */
  readonly training: TrainCommands;
  /** Classify image files (the Explorer, the editor title, the palette, the dashboard). */
  readonly classifying: ClassifyCommand;
  private readonly transfer: ModelTransfer;
  /** The run as a notebook, a chart as PNG, the metrics as CSV. */
  readonly runExport: RunExport;
  /** The settings the dashboard's controls change. */
  readonly settingEdits: SettingEdits;
  /** The Sweep view: "Sweep…", start, stop, open trials, re-run the best. */
  readonly sweeping: SweepCommands;

  constructor(session: TrainingSession, private readonly dashboard: DashboardHost, log: TrainingLog, extension: { id: string; version: string }, sweepPlaces: SweepPlaces) {
    super();
    this.feedback = new CommandFeedback(log, extension.id);
    this.training = new TrainCommands(session, dashboard, this.feedback);
    this.classifying = new ClassifyCommand(session, dashboard, log, this.feedback, this.training);
    this.transfer = new ModelTransfer(session, this.feedback, this.training);
    this.runExport = new RunExport(session, this.feedback, this.training, extension.version);
    this.settingEdits = new SettingEdits(this.feedback);
    const dataChoice = new DataChoice(this.feedback);
    this.sweeping = new SweepCommands(session, dashboard, this.feedback, this.training, sweepPlaces);
    this.register(this.sweeping);
    this.register(
      onSettingsChanged((result) => {
        if (result.ok) session.store.setNextParams(result.settings.params);
      }),
    );
    this.register(vscode.commands.registerCommand(COMMANDS.train, () => this.training.train()));
    this.register(vscode.commands.registerCommand(COMMANDS.stop, () => this.training.stop()));
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
}
