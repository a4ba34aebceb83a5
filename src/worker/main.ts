/**
 * The training worker's entry (bundled to dist/worker.js, run in a worker_threads Worker by
 * TrainingClient). tfjs lives here, never on the extension host's thread.
 */
import { crashAdvice } from '../core/errors';
import { parentPort } from 'node:worker_threads';
import { t } from '../core/text/l10n';
import type { HostToWorker, WorkerToHost } from '../protocol/worker';
import { TrainingWorker } from './trainingWorker';
import { errorMessage } from '../domain/errors';

const port = parentPort;
if (!port) throw new Error('dist/worker.js must be started as a worker thread.');

const worker = new TrainingWorker((message: WorkerToHost, transfer?: ArrayBuffer[]) =>
  port.postMessage(message, transfer),
);
port.on('message', (message: HostToWorker) => worker.handle(message));

// Anything thrown outside the run's own error handling: tell the host which run it killed, then exit
// with a non-zero code so the host drops this worker and spawns a fresh one for the next command.
function crashed(error: unknown): void {
  const runId = worker.activeRunId;
  const detail = errorMessage(error);
  if (runId !== undefined) {
    port?.postMessage({
      type: 'event',
      runId,
      event: {
        type: 'error',
        error: {
          code: 'WORKER_CRASHED',
          message: t('The training worker failed: {0}', detail),
          action: crashAdvice(),
        },
      },
    } satisfies WorkerToHost);
  }
  process.exit(1);
}
process.on('uncaughtException', crashed);
process.on('unhandledRejection', crashed);
