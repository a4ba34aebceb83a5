/**
 * Every notification and dialog the extension shows goes through here, so that a file name, folder name or
 * record field in a message is shown as plain text: VS Code turns `[label](command:…)` in a message into a
 * link that runs the command (core/text/plainText.ts, `linkFree`). Lint forbids the direct calls elsewhere.
 * The messages shown are also an event, for the in-VS-Code test suite (testApi.ts).
 */
import * as vscode from 'vscode';
import { Emitter } from '../core/emitter';
import { linkFree } from '../core/text/plainText';

export type MessageKind = 'info' | 'warning' | 'error';
/** Button titles, optionally after the options (`{ modal: true }`). */
type MessageItems = string[] | [vscode.MessageOptions, ...string[]];

const shown = new Emitter<{ kind: MessageKind; message: string }>();
/** Each message as it was handed to VS Code. */
export const onDidShowMessage = shown.event;

function show(kind: MessageKind, message: string, items: MessageItems): Thenable<string | undefined> {
  const plain = linkFree(message);
  shown.fire({ kind, message: plain });
  const args = items as [vscode.MessageOptions, ...string[]];
  switch (kind) {
    case 'info':
      return vscode.window.showInformationMessage(plain, ...args);
    case 'warning':
      return vscode.window.showWarningMessage(plain, ...args);
    case 'error':
      return vscode.window.showErrorMessage(plain, ...args);
  }
}

export const userMessage = {
  info: (message: string, ...items: MessageItems) => show('info', message, items),
  warning: (message: string, ...items: MessageItems) => show('warning', message, items),
  error: (message: string, ...items: MessageItems) => show('error', message, items),
};
