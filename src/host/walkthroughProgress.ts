/**
 * The walkthrough's steps complete when their command runs (`onCommand:` in package.json). The dashboard's
 * buttons and the Explorer reach the same code without going through VS Code's command service, which is
 * what `onCommand:` watches, so these context keys are set when the thing is done, and the steps list
 * them as `onContext:` completion events too. Training has its own key (fashionMnist.training).
 */
import * as vscode from 'vscode';

export const WALKTHROUGH_CONTEXT = {
  imageClassified: 'fashionMnist.walkthrough.imageClassified',
  notebookExported: 'fashionMnist.walkthrough.notebookExported',
} as const;

export function markWalkthroughDone(key: (typeof WALKTHROUGH_CONTEXT)[keyof typeof WALKTHROUGH_CONTEXT]): void {
  void vscode.commands.executeCommand('setContext', key, true);
}
