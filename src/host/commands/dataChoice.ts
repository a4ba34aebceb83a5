/**
 * "Get the Fashion-MNIST Data" (the walkthrough's first step, also in the palette): where training reads the
 * four files from. Three choices, as the data cell tells them: Debian's dataset-fashion-mnist package, a
 * folder the user names, or a one-time download into the extension's cache. A choice writes the settings
 * (fashionMnist.dataDirectory, fashionMnist.allowDownload); nothing is read or downloaded until Train.
 */
import * as vscode from 'vscode';
import { toUserError } from '../../core/errors';
import { missingDataFiles } from '../../core/data/dataFolderCheck';
import { DATA_FILES } from '../../core/data/dataset';
import { DEFAULT_DEBIAN_DIR } from '../../core/data/dataLocation';
import { SETTINGS_SECTION } from '../settingsAccess';
import type { CommandFeedback } from './commandFeedback';
import { userMessage } from '../userMessages';

type Choice = 'debian' | 'folder' | 'download';

export class DataChoice {
  constructor(private readonly feedback: CommandFeedback) {}

  async choose(): Promise<void> {
    const debianMissing = await missingDataFiles(DEFAULT_DEBIAN_DIR);
    const items: (vscode.QuickPickItem & { choice: Choice })[] = [
      {
        choice: 'debian',
        label: `$(package) ${vscode.l10n.t("Debian's dataset-fashion-mnist package")}`,
        description: debianMissing.length === 0 ? vscode.l10n.t('installed') : vscode.l10n.t('not installed'),
        detail: debianMissing.length === 0
          ? vscode.l10n.t('Found in {0}; training reads it from there.', DEFAULT_DEBIAN_DIR)
          : vscode.l10n.t('Install it with: sudo apt install dataset-fashion-mnist'),
      },
      {
        choice: 'folder',
        label: `$(folder) ${vscode.l10n.t('A folder that holds the four files…')}`,
        detail: DATA_FILES.map((spec) => spec.name).join(', '),
      },
      {
        choice: 'download',
        label: `$(cloud-download) ${vscode.l10n.t('Download once (about 30 MB)')}`,
        detail: vscode.l10n.t('From the mirror Keras uses, checked against the published checksums, then kept in the extension\'s cache.'),
      },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Where should the Fashion-MNIST data come from?'),
      placeHolder: vscode.l10n.t('Pick a source; Train uses it from then on.'),
    });
    if (!picked) return;
    try {
      await this.apply(picked.choice, debianMissing.length === 0);
    } catch (error) {
      this.feedback.failed(toUserError(error));
    }
  }

  private async apply(choice: Choice, debianInstalled: boolean): Promise<void> {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    switch (choice) {
      case 'debian':
        if (!debianInstalled) {
          const copy = vscode.l10n.t('Copy Command');
          const answer = await userMessage.info(
            vscode.l10n.t('The package is not installed. Install it with "sudo apt install dataset-fashion-mnist", then train.'),
            copy,
          );
          if (answer === copy) await vscode.env.clipboard.writeText('sudo apt install dataset-fashion-mnist');
          return;
        }
        // An empty data folder makes training look in the cache and then in the Debian package.
        await config.update('dataDirectory', '', vscode.ConfigurationTarget.Global);
        void userMessage.info(vscode.l10n.t('Training will read the data from {0}.', DEFAULT_DEBIAN_DIR));
        return;
      case 'folder': {
        const picked = await vscode.window.showOpenDialog({
          canSelectFolders: true,
          canSelectFiles: false,
          canSelectMany: false,
          openLabel: vscode.l10n.t('Use This Folder'),
          title: vscode.l10n.t('Choose the folder that holds the four Fashion-MNIST files'),
        });
        const folder = picked?.[0];
        if (!folder) return;
        const missing = await missingDataFiles(folder.fsPath);
        if (missing.length > 0) {
          void userMessage.warning(
            vscode.l10n.t('{0} lacks {1}; the setting was not changed. Choose a folder with all four files (plain or .gz).', folder.fsPath, missing.join(', ')),
          );
          return;
        }
        await config.update('dataDirectory', folder.fsPath, vscode.ConfigurationTarget.Global);
        void userMessage.info(vscode.l10n.t('Training will read the data from {0}.', folder.fsPath));
        return;
      }
      case 'download':
        await config.update('dataDirectory', '', vscode.ConfigurationTarget.Global);
        await config.update('allowDownload', true, vscode.ConfigurationTarget.Global);
        void userMessage.info(vscode.l10n.t('The first Train downloads the data once; later runs read it from the cache.'));
        return;
    }
  }
}
