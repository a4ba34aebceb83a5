/** Small helpers the in-VS-Code suites share: settings for a short run, and waiting for training events. */
import * as vscode from 'vscode';
import type { TrainingEvent } from '../../src/protocol/events';
import type { FashionMnistTestApi } from './testApi';

/** Small runs keep the suite at seconds, not minutes (1 epoch on 3,000 images is about 0.7 accuracy). */
export const SHORT_RUN = { epochs: 1, trainSubset: 3000, testSubset: 1000, batchSize: 64, allowDownload: false };

/** Sets `fashionMnist.*` user settings and returns a function that puts the previous values back. */
export async function useSettings(values: Record<string, unknown>): Promise<() => Promise<void>> {
  const config = vscode.workspace.getConfiguration('fashionMnist');
  const previous = Object.keys(values).map((key) => [key, config.inspect(key)?.globalValue] as const);
  for (const [key, value] of Object.entries(values)) {
    await config.update(key, value, vscode.ConfigurationTarget.Global);
  }
  return async () => {
    const current = vscode.workspace.getConfiguration('fashionMnist');
    for (const [key, value] of previous) await current.update(key, value, vscode.ConfigurationTarget.Global);
  };
}

/** Collects the training events of the next run until one matches `until` (or the timeout passes). */
export function collectEvents(
  api: FashionMnistTestApi,
  until: (event: TrainingEvent) => boolean,
  timeoutMs: number,
): { events: TrainingEvent[]; done: Promise<TrainingEvent[]> } {
  const events: TrainingEvent[] = [];
  const done = new Promise<TrainingEvent[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      const seen = events.map((e) => e.type).join(', ') || 'none';
      reject(new Error(`no matching training event within ${timeoutMs / 1000} s; saw: ${seen}`));
    }, timeoutMs);
    const subscription = api.onTrainingEvent((event) => {
      events.push(event);
      if (until(event)) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(events);
      }
    });
  });
  return { events, done };
}

export { isTerminalEvent as isTerminal } from '../../src/protocol/events';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
