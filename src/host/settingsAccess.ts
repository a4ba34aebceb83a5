/**
 * The `fashionMnist.*` settings as VS Code holds them: read and checked (src/host/trainingSettings.ts does the
 * checking, without vscode), written from the dashboard's controls, and watched for changes.
 */
import * as vscode from 'vscode';
import type { SettingValue } from '../protocol/webview';
import { readTrainingSettings } from './trainingSettings';

export const SETTINGS_SECTION = 'fashionMnist';

/** The settings as they are now, checked. */
export function currentSettings(): ReturnType<typeof readTrainingSettings> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return readTrainingSettings((key) => setValue(config, key));
}

/**
 * The value someone set (folder, workspace or user), undefined when nobody did. Not `config.get`: for a setting
 * without a default (the deprecated hiddenUnits) VS Code makes one up from its type (0 for an integer), which
 * would read as a setting the user wrote.
 */
function setValue(config: vscode.WorkspaceConfiguration, key: string): unknown {
  const inspected = config.inspect(key);
  return inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
}

/** Calls `listener` with the checked settings whenever one of ours changes. */
export function onSettingsChanged(listener: (settings: ReturnType<typeof readTrainingSettings>) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((change) => {
    if (change.affectsConfiguration(SETTINGS_SECTION)) listener(currentSettings());
  });
}

/**
 * Writes a user setting (already validated: by parseWebviewMessage, or a run's checked record). When the workspace sets the same key, its
 * value wins, and the user is told where to change it.
 */
export async function writeUserSetting(key: string, value: SettingValue): Promise<void> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  const inspected = config.inspect(key);
  if (inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('fashionMnist.{0} is also set in this workspace, and the workspace value wins. Change it in the workspace settings to use {1}.', key, JSON.stringify(value)),
    );
  }
}
