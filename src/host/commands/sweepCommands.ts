/**
 * Sweeps from the editor: the "Sweep…" command (palette, Runs view, dashboard) opens the dashboard's Sweep
 * view; its intents start and stop the sweep (host/sweepControl.ts, one worker per trial through
 * worker/sweepTrials.ts, as `npm run sweep` does), open or compare trials' runs, and re-run the best trial's
 * settings on all the data the settings name.
 */
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { Disposable } from '../../core/emitter';
import { SweepStore } from '../../core/runs/sweepStore';
import type { SweepIntent } from '../../protocol/sweepView';
import { trialWorkers } from '../../worker/sweepTrials';
import type { DashboardHost } from '../dashboardPanel';
import type { TrainingSession } from '../session/trainingSession';
import { currentSettings, writeUserSetting } from '../settingsAccess';
import { SweepControl } from '../sweepControl';
import { resolveDataDirectory, runHistoryDirectory, settingValuesOf } from '../trainingSettings';
import type { CommandFeedback } from './commandFeedback';
import { COMMANDS } from './commandIds';
import type { TrainCommands } from './trainCommands';
import { userMessage } from '../userMessages';

export interface SweepPlaces {
  workerPath: string;
  cacheDir: string;
  nativeBackendFolders: () => string[];
}

/** What the Runs view does with run ids: open one, compare several. */
export interface RunOpener {
  openRuns(ids: string[]): Promise<void>;
}

export class SweepCommands extends Disposable {
  readonly control: SweepControl;
  private runs: RunOpener | undefined;

  constructor(
    private readonly session: TrainingSession,
    private readonly dashboard: DashboardHost,
    private readonly feedback: CommandFeedback,
    private readonly training: TrainCommands,
    places: SweepPlaces,
  ) {
    super();
    this.control = new SweepControl({
      baseParams: () => {
        const settings = currentSettings();
        return settings.ok ? settings.settings.params : session.store.current.params;
      },
      trialStarter: (record) => {
        const settings = currentSettings();
        const ok = settings.ok ? settings.settings : undefined;
        const workspaceFolder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
        const dataDir = ok?.dataDirectory === undefined ? undefined : resolveDataDirectory(ok.dataDirectory, homedir(), workspaceFolder);
        return trialWorkers({
          workerPath: places.workerPath,
          prune: record.definition.prune,
          request: (params) => ({
            params,
            cacheDir: places.cacheDir,
            locale: vscode.env.language,
            allowDownload: ok?.allowDownload ?? false,
            nativeBackendFolders: places.nativeBackendFolders(),
            ...(dataDir === undefined ? {} : { dataDir }),
            ...(ok === undefined ? {} : { runHistory: { dir: runHistoryDirectory(ok), keepModels: ok.runHistory.keepModels, sweepId: record.id } }),
          }),
          historyFailed: (error) => feedback.channel.warn(error.message),
        });
      },
      save: (record) => {
        const settings = currentSettings();
        return settings.ok ? new SweepStore(runHistoryDirectory(settings.settings)).save(record) : Promise.resolve();
      },
      changed: (view) => session.store.setSweep(view),
      warn: (message) => feedback.channel.warn(message),
    });
    this.register(
      vscode.commands.registerCommand(COMMANDS.sweep, () => this.open()),
      { dispose: () => this.control.dispose() },
    );
  }

  /** The Runs view opens and compares the trials' runs (set once at activation, after it exists). */
  openRunsWith(runs: RunOpener): void {
    this.runs = runs;
  }

  open(): void {
    const settings = currentSettings();
    if (!settings.ok) {
      this.feedback.settingsProblem(settings.problems);
      return;
    }
    this.control.open();
    this.dashboard.show('sweep');
  }

  start(intent: Extract<SweepIntent, { type: 'startSweep' }>): void {
    if (this.session.run.isRunning) {
      void userMessage.warning(vscode.l10n.t('A training run is in progress. Stop it before starting a sweep.'));
      return;
    }
    this.control.start(intent);
  }

  stop(): void {
    this.control.stop();
  }

  close(): void {
    this.control.close();
  }

  async openRuns(ids: string[]): Promise<void> {
    await this.runs?.openRuns(ids);
  }

  /** Makes the best trial's settings the current ones (on all the data the settings name) and trains. */
  async rerunBest(): Promise<void> {
    const params = this.control.bestParams();
    if (params === undefined) return;
    // All the training images: the sweep may have trained on a subset (the settings' own); 0 is "all".
    const onAllData = { ...params };
    delete onAllData.trainLimit;
    for (const [key, value] of settingValuesOf(onAllData)) await writeUserSetting(key, value);
    this.training.train();
  }
}
