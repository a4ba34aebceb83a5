/**
 * How a run's end reaches a user who is not looking at the dashboard: a notification with the test
 * accuracy and "Open Dashboard" when it finishes, an error message with what to do (and "Open Settings"
 * where a setting is the fix, "Show Log" always) when it fails, a brief status-bar note when it was stopped.
 */
import * as vscode from 'vscode';
import type { ErrorCode, UserError } from '../domain/errors';
import type { TrainingEvent } from '../protocol/events';
import type { TrainingLog } from './trainingLog';
import type { TrainingSession } from './session/trainingSession';
import { describeUserError } from '../core/text/format';
import { Disposable } from '../core/emitter';

/** Errors a setting fixes, and the setting to open. */
const SETTING_FOR_ERROR: Partial<Record<ErrorCode, string>> = {
  DATA_MISSING: 'fashionMnist.dataDirectory',
  DATA_CORRUPT: 'fashionMnist.dataDirectory',
  DATA_CHECKSUM: 'fashionMnist.dataDirectory',
  DATA_DOWNLOAD: 'fashionMnist.dataDirectory',
  INVALID_PARAMS: 'fashionMnist',
  BACKEND_UNAVAILABLE: 'fashionMnist.backend',
};

/** A button an error message may carry besides Open Settings and Show Log. */
export interface ErrorAction {
  title: string;
  run: () => void;
}

export function showUserError(error: UserError, context: { log: TrainingLog; extensionId: string }, extra?: ErrorAction): void {
  const setting = SETTING_FOR_ERROR[error.code];
  const openSettings = vscode.l10n.t('Open Settings');
  const showLog = vscode.l10n.t('Show Log');
  const buttons = [...(extra ? [extra.title] : []), ...(setting ? [openSettings] : []), showLog];
  void vscode.window.showErrorMessage(describeUserError(error), ...buttons).then((choice) => {
    if (extra && choice === extra.title) extra.run();
    else if (choice === openSettings && setting) void vscode.commands.executeCommand('workbench.action.openSettings', setting);
    else if (choice === showLog) context.log.show();
  });
}

export class RunNotifications extends Disposable {

  constructor(
    private readonly session: TrainingSession,
    private readonly context: { log: TrainingLog; extensionId: string; openDashboard: () => void; setUpNativeBackend?: () => void },
  ) {
    super();
    this.register(session.run.onDidTrainingEvent((event) => this.ended(event)));
  }

  /** `node` was asked for and tfjs-node is missing or broken: the setup command is the fix. */
  private nativeBackendAction(error: UserError): ErrorAction | undefined {
    const setUp = this.context.setUpNativeBackend;
    if (error.code !== 'BACKEND_UNAVAILABLE' || this.session.store.current.params.backend !== 'node' || !setUp) return undefined;
    return { title: vscode.l10n.t('Set Up the Native Backend'), run: setUp };
  }

  private ended(event: TrainingEvent): void {
    switch (event.type) {
      case 'finished': {
        const last = event.history.at(-1);
        if (!last) return;
        const open = vscode.l10n.t('Open Dashboard');
        const message = vscode.l10n.t(
          'Training finished: test accuracy {0}% (training accuracy {1}%).',
          (100 * last.testAccuracy).toFixed(1),
          (100 * last.accuracy).toFixed(1),
        );
        void vscode.window.showInformationMessage(message, open).then((choice) => {
          if (choice === open) this.context.openDashboard();
        });
        if (event.saveError) showUserError(event.saveError, this.context);
        if (event.historyError) showUserError(event.historyError, this.context);
        return;
      }
      case 'notice':
        void vscode.window.showWarningMessage(event.message);
        return;
      case 'stopped':
        vscode.window.setStatusBarMessage(
          vscode.l10n.t('Fashion-MNIST: training stopped after {0} of {1} epochs.', event.history.length, this.session.store.current.params.epochs),
          5000,
        );
        if (event.historyError) showUserError(event.historyError, this.context);
        return;
      case 'error':
        showUserError(event.error, this.context, this.nativeBackendAction(event.error));
        return;
      default:
        return;
    }
  }
}
