/**
 * Classify: from the Explorer (the selection), the editor title (the image shown), the palette (the image in the
 * active editor, else a file picker) and the dashboard. Results go to the dashboard and one notification.
 */
import * as vscode from 'vscode';
import { noModelError, TrainerError, toUserError } from '../../core/errors';
import { describeUserError, localizedClassNames } from '../../core/text/format';
import type { ClassificationResult } from '../../domain/classification';
import { hasImageExtension, IMAGE_EXTENSIONS } from '../../domain/imageFormats';
import type { DashboardHost } from '../dashboardPanel';
import type { TrainingLog } from '../trainingLog';
import type { TrainingSession } from '../session/trainingSession';
import type { CommandFeedback } from './commandFeedback';
import type { TrainCommands } from './trainCommands';
import { markWalkthroughDone, WALKTHROUGH_CONTEXT } from '../walkthroughProgress';

export class ClassifyCommand {
  constructor(
    private readonly session: TrainingSession,
    private readonly dashboard: DashboardHost,
    private readonly log: TrainingLog,
    private readonly feedback: CommandFeedback,
    private readonly train: TrainCommands,
  ) {}

  /**
   * From the Explorer (uri, selected uris), the editor title (uri) or the palette (nothing: the image in
   * the active editor, else a file picker).
   */
  async classifyImages(uri?: unknown, uris?: unknown): Promise<void> {
    // Checked before any file picker opens: choosing files only to hear there is no model is a waste.
    if (!this.session.classifier.hasModel) {
      await this.train.offerTraining(describeUserError(noModelError().toUserError()));
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
      filters: { [vscode.l10n.t('Images')]: [...IMAGE_EXTENSIONS] },
    });
  }

  private async classify(uris: vscode.Uri[]): Promise<void> {
    const notLocal = uris.find((u) => u.scheme !== 'file');
    if (notLocal) {
      this.feedback.failed({
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
        () => this.session.classifier.classify(files, vscode.env.language),
      );
    } catch (error) {
      this.feedback.failed(error instanceof TrainerError ? error.toUserError() : toUserError(error));
      return;
    }
    if (results.some((r) => r.ok)) markWalkthroughDone(WALKTHROUGH_CONTEXT.imageClassified);
    this.reportClassification(results);
  }

  private reportClassification(results: ClassificationResult[]): void {
    const failures = results.filter((r): r is Extract<ClassificationResult, { ok: false }> => !r.ok);
    for (const failure of failures) this.log.error(failure.error.file ? failure.error : { ...failure.error, file: failure.file });
    const first = results.find((r): r is Extract<ClassificationResult, { ok: true }> => r.ok);
    const show = vscode.l10n.t('Show Dashboard');
    if (!first) {
      const failure = failures[0];
      if (failure) this.feedback.failed({ ...failure.error, file: failure.error.file ?? failure.file });
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
    if (first.warnings.includes('softmaxApplied')) message += ' ' + vscode.l10n.t('The model outputs logits, so a softmax was applied.');
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
}

/** The image open in the active editor tab (the image preview is a custom editor), if any. */
function activeImage(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const uri =
    input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText ? input.uri : vscode.window.activeTextEditor?.document.uri;
  return uri && hasImageExtension(uri.path) ? uri : undefined;
}

