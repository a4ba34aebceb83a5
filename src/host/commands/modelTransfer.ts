/**
 * Export the saved model to a folder the user picks, and import one into the extension's storage. Both go
 * through the model-folder code the worker loads models with (src/core/modelFiles), so what one accepts the
 * other can load.
 */
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { noModelError, toUserError } from '../../core/errors';
import { describeUserError } from '../../core/text/format';
import { copyModelFolder } from '../../core/modelFiles/modelCopy';
import type { TrainingSession } from '../session/trainingSession';
import type { CommandFeedback } from './commandFeedback';
import type { TrainCommands } from './trainCommands';

export class ModelTransfer {
  constructor(
    private readonly session: TrainingSession,
    private readonly feedback: CommandFeedback,
    private readonly train: TrainCommands,
  ) {}

  async exportModel(): Promise<void> {
    if (!this.session.classifier.hasModel) {
      await this.train.offerTraining(describeUserError(noModelError().toUserError()));
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
      // The same rules as every save: a folder or file the tool did not write is refused, never replaced.
      await copyModelFolder(this.session.folders.modelDir, target.fsPath);
    } catch (error) {
      this.feedback.failed(toUserError(error));
      return;
    }
    this.feedback.channel.info(vscode.l10n.t('Model exported to {0}.', target.fsPath));
    void vscode.window.showInformationMessage(vscode.l10n.t('Model exported to {0}.', target.fsPath));
  }

  async importModel(): Promise<void> {
    if (this.session.run.isRunning) {
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
      this.feedback.failed(toUserError(error));
      return;
    }
    this.session.classifier.refreshModel();
    this.feedback.channel.info(vscode.l10n.t('Model imported from {0}.', source.fsPath));
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Model imported from {0}. Right-click an image in the Explorer to classify it.', source.fsPath),
    );
  }
}
