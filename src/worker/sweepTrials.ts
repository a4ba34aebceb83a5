/**
 * A sweep's trials in workers: each trial trains in a TrainingClient (and so a worker thread) of its own,
 * nothing shared between trials but the run history on disk. The CLI and the extension both start trials
 * through this one starter. When the sweep prunes, every trial's run waits after each epoch for the
 * sweep's verdict (Optuna's synchronous `should_prune`): the median rule judges the epoch, a pruned trial
 * is stopped, any other is told to go on, so a trial judged worse never trains another epoch.
 */
import { describeUserError } from '../core/text/format';
import type { StartTrial, TrialEnd } from '../core/runs/sweepRun';
import type { UserError } from '../domain/errors';
import type { HyperParameters } from '../domain/hyperParameters';
import type { StartRequest } from '../protocol/worker';
import { TrainingClient } from './client';

/** How long a trial waits for the sweep's verdict on an epoch before it trains on anyway. */
export const EPOCH_VERDICT_TIMEOUT_MS = 30_000;

export interface TrialWorkers {
  startTrial: StartTrial;
  /** Ends every trial's worker at once (their trials end as stopped, without their runs kept). */
  disposeAll(): void;
}

export interface TrialWorkerOptions {
  workerPath: string;
  /** The start request of a trial with these settings (data, cache, locale, run history with the sweep id). */
  request(params: HyperParameters): StartRequest;
  /** The sweep prunes: each trial waits for the verdict on each epoch. */
  prune: boolean;
  /** A trial's run could not be kept in the run history (the trial itself ended well). */
  historyFailed?(error: UserError): void;
}

export function trialWorkers(options: TrialWorkerOptions): TrialWorkers {
  const clients = new Set<TrainingClient>();
  const startTrial: StartTrial = (params, _trial, listener) => {
    const client = new TrainingClient({ workerPath: options.workerPath });
    clients.add(client);
    const done = (result: TrialEnd) => {
      clients.delete(client);
      setImmediate(() => client.dispose());
      listener.end(result);
    };
    client.onEvent((_runId, event) => {
      switch (event.type) {
        case 'epoch':
          // The listener judges the epoch and may stop the trial; the go-on is sent only when it did not.
          listener.epoch(event.metrics);
          if (options.prune) client.continueAfterEpoch(event.metrics.epoch);
          return;
        case 'finished':
        case 'stopped': {
          if (event.historyError !== undefined) options.historyFailed?.(event.historyError);
          const end: TrialEnd = { end: event.type, history: event.history };
          done(event.keptRunId === undefined ? end : { ...end, runId: event.keptRunId });
          return;
        }
        case 'error':
          done({ end: 'failed', history: [], error: describeUserError(event.error) });
          return;
      }
    });
    // One kernel thread per trial: trials side by side take a core each and never want more threads than
    // cores; and a trial alone starts no helper thread, which (measured) delayed a pruning stop past the epoch.
    const request: StartRequest = { ...options.request(params), threads: 1 };
    client.start(options.prune ? { ...request, epochVerdict: { timeoutMs: EPOCH_VERDICT_TIMEOUT_MS } } : request);
    return { stop: () => client.stop() };
  };
  return {
    startTrial,
    disposeAll: () => {
      for (const client of [...clients]) client.dispose();
    },
  };
}
