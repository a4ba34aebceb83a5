/**
 * Activation wires the host's parts together and nothing else: the worker client, the session that owns
 * the dashboard state, the panel, the commands, progress and the log. Nothing here loads tfjs: training
 * and classification run in the worker (dist/worker.js), spawned on the first Train or Classify.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DashboardHost, DASHBOARD_VIEW_TYPE } from './host/dashboardPanel';
import { shareHostBundleWithCore } from './host/hostLocale';
import { RunSnapshotStore } from './core/runs/runSnapshot';
import { NativeBackendSetup } from './host/nativeBackendSetup';
import { PinStore } from './host/pinStore';
import { RunNotifications } from './host/runNotifications';
import { createApi, type FashionMnistApi } from './host/testApi';
import { COMMANDS, TrainerCommands } from './host/commands';
import { currentSettings } from './host/settingsAccess';
import { TrainingClient } from './worker/client';
import { TrainingLog } from './host/trainingLog';
import { TrainingProgress } from './host/trainingProgress';
import { TrainingSession } from './host/session/trainingSession';
import { RunsView } from './host/runsView';
import { DEFAULT_HYPER_PARAMETERS } from './domain/hyperParameters';

/** Set while active: finishes writing the last run to disk before the extension host goes away. */
let finishStoring: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): FashionMnistApi {
  shareHostBundleWithCore();
  const storage = context.globalStorageUri.fsPath;
  const client = new TrainingClient({ workerPath: context.asAbsolutePath(join('dist', 'worker.js')) });
  const settings = currentSettings();
  const channel = vscode.window.createOutputChannel(vscode.l10n.t('Fashion-MNIST'), { log: true });
  const nativeBackend = new NativeBackendSetup({
    channel,
    globalState: context.globalState,
    extensionPath: context.extensionPath,
    // `commands` exists before anyone can press "Train Now".
    train: () => commands.training.train(),
  });
  const session = new TrainingSession(client, {
    folders: { cacheDir: join(storage, 'data'), modelDir: join(storage, 'models', 'latest') },
    params: settings.ok ? settings.settings.params : DEFAULT_HYPER_PARAMETERS,
    lastRun: new RunSnapshotStore(join(storage, 'last-run')),
    pins: new PinStore(join(storage, 'pins.json')),
    warn: (message) => channel.warn(message),
    nativeBackendFolders: () => nativeBackend.searchFolders(),
  });
  finishStoring = () => session.archive.whenStored();
  const log = new TrainingLog(channel, session);

  const dashboard = new DashboardHost({
    extensionUri: context.extensionUri,
    session,
    log: channel,
  });
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? 'unknown');
  const commands = new TrainerCommands(session, dashboard, log, { id: context.extension.id, version }, {
    workerPath: context.asAbsolutePath(join('dist', 'worker.js')),
    cacheDir: join(storage, 'data'),
    nativeBackendFolders: () => nativeBackend.searchFolders(),
  });
  // The panel's controls go straight to the objects that act on them, the ones the commands use.
  dashboard.actOnIntentsWith({
    training: commands.training,
    settings: commands.settingEdits,
    classifying: commands.classifying,
    exporting: commands.runExport,
    nativeBackend,
    sweeping: commands.sweeping,
  });
  const runsView = new RunsView(session, dashboard, (error) => log.error(error));
  commands.sweeping.openRunsWith(runsView);
  const nativeBackendOffer = nativeBackend.createOffer();

  context.subscriptions.push(
    session,
    channel,
    log,
    dashboard,
    commands,
    runsView,
    nativeBackend,
    session.run.onDidTrainingEvent((event) => nativeBackendOffer.consider(event)),
    new TrainingProgress(session, { openDashboard: COMMANDS.openDashboard }),
    new RunNotifications(session, {
      log,
      extensionId: context.extension.id,
      openDashboard: () => dashboard.show(),
      setUpNativeBackend: () => void nativeBackend.setUp(),
    }),
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => dashboard.revive(panel),
    }),
    // Terminates the worker; a run in progress ends with `stopped`.
    { dispose: () => client.dispose() },
  );
  return createApi(session, dashboard);
}

export function deactivate(): Promise<void> | undefined {
  // Everything else is released through context.subscriptions (the worker is terminated there).
  return finishStoring?.();
}
