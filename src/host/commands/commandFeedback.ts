/** How the commands tell the user that something failed: the log, and a notification with the button that helps. */
import * as vscode from 'vscode';
import type { UserError } from '../../domain/errors';
import { showUserError } from '../runNotifications';
import type { TrainingLog } from '../trainingLog';
import { userMessage } from '../userMessages';

export class CommandFeedback {
  constructor(
    private readonly log: TrainingLog,
    private readonly extensionId: string,
  ) {}

  get channel(): vscode.LogOutputChannel {
    return this.log.channel;
  }

  failed(error: UserError): void {
    this.log.error(error);
    showUserError(error, { log: this.log, extensionId: this.extensionId });
  }

  /** Settings that cannot be used: each problem in the log, all of them in one message with "Open Settings". */
  settingsProblem(problems: string[]): void {
    for (const problem of problems) this.log.channel.error(problem);
    const open = vscode.l10n.t('Open Settings');
    void userMessage.error(problems.join(' '), open).then((choice) => {
      if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${this.extensionId}`);
    });
  }
}
