/**
 * Progress outside the panel, for a user who closed it or never opened it: a cancellable notification
 * ("Epoch 3/10 · 47%", Cancel stops the run), a status-bar item (click -> dashboard) and the
 * `fashionMnist.training` context key that enables Stop Training. After a run the status bar keeps the
 * last test accuracy, so the result stays one click away.
 */
import * as vscode from 'vscode';
import type { DashboardState } from '../protocol/webview';
import type { TrainingEvent } from '../protocol/events';
import { runFraction } from './dashboardState';
import { isTerminalEvent } from '../protocol/events';
import type { TrainingSession } from './session/trainingSession';
import { Disposable } from '../core/emitter';

const TRAINING_CONTEXT_KEY = 'fashionMnist.training';
/** Notification and status text change at most this often (batch events come hundreds of times a second). */
const REFRESH_INTERVAL_MS = 250;

type Progress = vscode.Progress<{ message?: string; increment?: number }>;

interface ActiveNotification {
  progress: Progress;
  /** Percent of the whole run the notification's bar shows so far. */
  reported: number;
  finish: () => void;
}

/** "Epoch 3/10 · 47% · about 2 min left", or the loading step before training starts. */
function describeProgress(state: DashboardState): string {
  const p = state.progress;
  if (state.status === 'training' && p) {
    const percent = Math.floor((100 * p.batch) / Math.max(1, p.batchesPerEpoch));
    const minutes = Math.round(p.etaSeconds / 60);
    if (p.etaSeconds >= 90) return vscode.l10n.t('Epoch {0}/{1} · {2}% · about {3} min left', p.epoch, p.epochs, percent, minutes);
    return vscode.l10n.t('Epoch {0}/{1} · {2}%', p.epoch, p.epochs, percent);
  }
  if (state.status === 'training') return vscode.l10n.t('Building the model…');
  if (state.download) {
    const { file, receivedBytes, totalBytes } = state.download;
    if (totalBytes) return vscode.l10n.t('Downloading {0}: {1}%', file, Math.floor((100 * receivedBytes) / totalBytes));
    return vscode.l10n.t('Downloading {0}…', file);
  }
  return vscode.l10n.t('Loading the data…');
}

/** The backend for the status bar: its name for the text, its name and why for the tooltip. */
function describeBackend(state: DashboardState): { name: string; why: string } | undefined {
  const backend = state.backend;
  if (!backend) return undefined;
  return { name: backend.name, why: vscode.l10n.t('Backend {0}: {1}', backend.name, backend.reason) };
}

export class TrainingProgress extends Disposable {
  private readonly statusBar: vscode.StatusBarItem;
  private notification: ActiveNotification | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly session: TrainingSession,
    commands: { openDashboard: string },
  ) {
    super();
    this.statusBar = vscode.window.createStatusBarItem('fashionMnist.status', vscode.StatusBarAlignment.Left, 10);
    this.statusBar.name = vscode.l10n.t('Fashion-MNIST Training');
    this.statusBar.command = commands.openDashboard;
    void vscode.commands.executeCommand('setContext', TRAINING_CONTEXT_KEY, false);
    this.register(
      this.statusBar,
      session.run.onDidStartRun(() => this.runStarted()),
      session.run.onDidTrainingEvent((event) => this.received(event)),
    );
  }

  override dispose(): void {
    clearTimeout(this.refreshTimer);
    this.notification?.finish();
    super.dispose();
  }

  private runStarted(): void {
    void vscode.commands.executeCommand('setContext', TRAINING_CONTEXT_KEY, true);
    this.notification?.finish();
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Fashion-MNIST'), cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          // The run may already be over when VS Code gets round to showing the notification.
          if (!this.session.run.isRunning) {
            resolve();
            return;
          }
          const active: ActiveNotification = { progress, reported: 0, finish: resolve };
          this.notification = active;
          token.onCancellationRequested(() => {
            active.progress.report({ message: vscode.l10n.t('Stopping…') });
            this.session.run.stop();
          });
          this.refresh();
        }),
    );
    this.refresh();
  }

  private received(event: TrainingEvent): void {
    if (isTerminalEvent(event)) {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = undefined;
      void vscode.commands.executeCommand('setContext', TRAINING_CONTEXT_KEY, false);
      this.notification?.finish();
      this.notification = undefined;
      this.showResult();
      return;
    }
    if (!this.refreshTimer) {
      this.refreshTimer = setTimeout(() => {
        this.refreshTimer = undefined;
        this.refresh();
      }, REFRESH_INTERVAL_MS);
    }
  }

  private refresh(): void {
    const state = this.session.store.current;
    const progress = describeProgress(state);
    const backend = describeBackend(state);
    const text = backend ? `${progress} · ${backend.name}` : progress;
    this.statusBar.text = `$(sync~spin) ${vscode.l10n.t('Fashion-MNIST: {0}', text)}`;
    const tooltip = vscode.l10n.t('Training Fashion-MNIST. Click to open the dashboard.');
    this.statusBar.tooltip = backend ? `${tooltip}\n${backend.why}` : tooltip;
    this.statusBar.accessibilityInformation = { label: vscode.l10n.t('Training Fashion-MNIST: {0}', text) };
    this.statusBar.show();
    const notification = this.notification;
    if (notification) {
      const percent = Math.floor(100 * runFraction(state));
      const increment = Math.max(0, percent - notification.reported);
      notification.reported += increment;
      notification.progress.report({ message: text, increment });
    }
  }

  /** After a run: the last test accuracy (click for the dashboard), or nothing when the run produced none. */
  private showResult(): void {
    const state = this.session.store.current;
    const last = state.history.at(-1);
    if (state.status === 'error' || !last) {
      this.statusBar.hide();
      return;
    }
    const accuracy = (100 * last.testAccuracy).toFixed(1);
    const backend = describeBackend(state);
    this.statusBar.text = `$(beaker) ${vscode.l10n.t('Fashion-MNIST: {0}%', accuracy)}${backend ? ` · ${backend.name}` : ''}`;
    const result =
      state.status === 'stopped'
        ? vscode.l10n.t('Training was stopped after {0} epochs; test accuracy {1}%. Click to open the dashboard.', state.history.length, accuracy)
        : vscode.l10n.t('Last run: test accuracy {0}%. Click to open the dashboard.', accuracy);
    this.statusBar.tooltip = backend ? `${result}\n${backend.why}` : result;
    this.statusBar.accessibilityInformation = { label: backend ? `${result} ${backend.why}` : result };
    this.statusBar.show();
  }
}
