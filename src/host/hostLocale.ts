/**
 * Code shared with the worker and the CLI (the worker client, the CLI's line formats, the pure host
 * modules) localizes with `t()` from @vscode/l10n. In the extension host, that `t()` is pointed at the
 * bundle VS Code loaded for `vscode.l10n`, so those strings follow the display language too.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

export function shareHostBundleWithCore(): void {
  l10n.config({ contents: vscode.l10n.bundle ?? {} });
}
