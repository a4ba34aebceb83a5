/**
 * The extension's exports: a read-only view of its session for the in-VS-Code test suite
 * (test/vscode/testApi.ts states the same contract from the tests' side). Nothing here can change state.
 */
import type * as vscode from 'vscode';
import type { DashboardState, HostToWebview } from '../protocol/webview';
import type { TrainingEvent } from '../protocol/events';
import type { DashboardHost } from './dashboardPanel';
import type { TrainingSession } from './session/trainingSession';

export interface FashionMnistApi {
  getState(): DashboardState;
  onTrainingEvent(listener: (event: TrainingEvent) => void): vscode.Disposable;
  onDashboardMessage(listener: (message: HostToWebview) => void): vscode.Disposable;
  readonly modelDirectory: string;
}

export function createApi(session: TrainingSession, dashboard: DashboardHost): FashionMnistApi {
  return {
    getState: () => session.store.current,
    onTrainingEvent: (listener) => session.run.onDidTrainingEvent(listener),
    onDashboardMessage: (listener) => dashboard.onDidPost(listener),
    modelDirectory: session.folders.modelDir,
  };
}
