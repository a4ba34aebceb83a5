/**
 * What the in-VS-Code suite needs from the extension: `activate()` returns this object (the extension's
 * exports). It is the extension's public, read-only view of its session, so tests observe what the user
 * sees without reaching into module internals. The HOST owns src/extension.ts; this file only states the
 * contract the suite checks, and `getTestApi` says plainly what is missing when the extension lags behind.
 */
import * as vscode from 'vscode';
import type { DashboardState, HostToWebview } from '../../src/protocol/webview';
import type { TrainingEvent } from '../../src/protocol/events';

export const EXTENSION_ID = 'fashion-mnist-trainer.fashion-mnist-trainer';

export interface FashionMnistTestApi {
  /** The host-owned dashboard state, as the panel would receive it now. */
  getState(): DashboardState;
  /** Every training event of every run, after the host folded it into its state. */
  onTrainingEvent(listener: (event: TrainingEvent) => void): vscode.Disposable;
  /** Every message the host posts to the dashboard webview (proves the panel receives epochs). */
  onDashboardMessage(listener: (message: HostToWebview) => void): vscode.Disposable;
  /** The folder the latest trained model is saved in (inside the extension's global storage). */
  readonly modelDirectory: string;
  /** Every notification and dialog message, exactly as the host handed it to VS Code. */
  onUserMessage(listener: (shown: { kind: 'info' | 'warning' | 'error'; message: string }) => void): vscode.Disposable;
}

const REQUIRED = ['getState', 'onTrainingEvent', 'onDashboardMessage', 'modelDirectory', 'onUserMessage'] as const;

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`Extension ${EXTENSION_ID} is not loaded in this VS Code`);
  await extension.activate();
  return extension;
}

/** The API; throws, naming what is missing, when activate() does not return it (a failure, never a skip). */
export async function getTestApi(): Promise<FashionMnistTestApi> {
  const extension = await activateExtension();
  const exports = extension.exports as Partial<Record<(typeof REQUIRED)[number], unknown>> | undefined;
  const missing = REQUIRED.filter((key) => exports?.[key] === undefined);
  if (missing.length > 0) throw new Error(`activate() does not return ${missing.join(', ')} (test/vscode/testApi.ts)`);
  return exports as unknown as FashionMnistTestApi;
}
