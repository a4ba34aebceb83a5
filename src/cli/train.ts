/**
 * `npm run train`: the tutorial in a terminal, trained through the same worker the extension uses
 * (TrainingClient + dist/worker.js). Prints the backend, the data source, the model summary, a Keras-like
 * line per epoch (and a live bar on a TTY), then the final test accuracy, the over-fitting gap and the
 * tutorial's last step. Ctrl+C once stops after the current batch; twice quits at once.
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { defaultCacheDir } from '../core/data/dataLocation';
import { checkSaveTarget } from '../core/modelFiles/saveTarget';
import { describePath, resolveUserPath } from '../core/userPath';
import { defaultRunHistoryDir } from '../core/runs/historyLocation';
import type { UserError } from '../domain/errors';
import { describeUserError } from '../core/text/format';
import { DEFAULT_KEPT_MODELS } from '../core/runs/runHistory';
import { TrainerError } from '../core/errors';
import { t } from '../core/text/l10n';
import { TrainingClient } from '../worker/client';
import type { StartRequest } from '../protocol/worker';
import type { TrainingEvent } from '../protocol/events';
import { parseTrainArgs, type TrainOptions } from './args';
import {
  formatDataSource,
  formatEpochLine,
  formatOutcome,
  heldEpoch,
  formatImagePrediction,
  formatProgressBar,
  formatSummary,
  gapPoints,
  groupDigits,
} from '../core/text/format';
import { cliNativeBackendFolders, defaultModelDir, EXIT, printError, STOP_SIGNALS, trainHelp, workerPath, type CliContext } from './common';

/** Redraws of the progress bar are at most this often, whatever the event rate. */
const BAR_INTERVAL_MS = 100;

export async function runTrain(argv: string[], context: CliContext): Promise<number> {
  const parsed = parseTrainArgs(argv);
  if (parsed.help) {
    context.stdout.write(trainHelp().join('\n') + '\n');
    return EXIT.ok;
  }
  const options = parsed.options;
  const dataDir = options.dataDir === undefined ? undefined : checkDataDir(options.dataDir);
  // Where the model goes is checked before anything runs: a folder that cannot take it costs seconds, not a run.
  const saveDir = options.noSave ? undefined : resolveUserPath(options.saveDir ?? defaultModelDir());
  if (saveDir !== undefined) await checkSaveTarget(saveDir, { typed: options.saveDir });
  const request = buildRequest(options, context.locale, dataDir, saveDir);
  return trainInWorker(request, context, options.saveDir !== undefined);
}

/** The data folder as an absolute path, or DATA_MISSING saying what it is instead (missing, or a file). */
function checkDataDir(typed: string): string {
  const dir = resolveUserPath(typed);
  const shown = describePath(typed, dir);
  let isFolder: boolean | undefined;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch {
    isFolder = undefined;
  }
  if (isFolder === true) return dir;
  throw new TrainerError(
    'DATA_MISSING',
    isFolder === false ? t('The data folder {0} is a file, not a folder.', shown) : t('The data folder {0} does not exist.', shown),
    dir,
    isFolder === false
      ? t('--data-dir names the folder that holds the four Fashion-MNIST files (for this file: {0}).', dirname(dir))
      : t('Name the folder that holds the four Fashion-MNIST files, or leave out --data-dir to use the cache or the Debian package.'),
  );
}

/** Where the run was kept in the history, or why it was not (the run itself stands either way). */
function keptLines(event: { keptRunId?: string; historyError?: UserError }): string[] {
  if (event.keptRunId !== undefined) return [t('Run kept in the run history as {0} (npm run runs -- show {0}).', event.keptRunId)];
  if (event.historyError !== undefined) return [t('Warning: {0}', describeUserError(event.historyError))];
  return [];
}

function buildRequest(options: TrainOptions, locale: string, dataDir: string | undefined, saveDir: string | undefined): StartRequest {
  const request: StartRequest = {
    params: options.params,
    cacheDir: defaultCacheDir(),
    locale,
    allowDownload: options.allowDownload,
    nativeBackendFolders: cliNativeBackendFolders(),
  };
  if (dataDir !== undefined) request.dataDir = dataDir;
  if (saveDir !== undefined) request.saveDir = saveDir;
  if (!options.noHistory) request.runHistory = { dir: defaultRunHistoryDir(), keepModels: DEFAULT_KEPT_MODELS };
  return request;
}

/** A path as a shell word: quoted when it holds anything a shell would split or expand. */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/** Runs one training in the worker and prints its events; resolves with the exit code. */
function trainInWorker(request: StartRequest, context: CliContext, savedElsewhere: boolean): Promise<number> {
  const { stdout } = context;
  const client = new TrainingClient({ workerPath: workerPath() });
  const bar = new ProgressLine(stdout);
  let epochs = request.params.epochs;
  let interrupts = 0;
  let stopCode: number = EXIT.interrupted;

  return new Promise<number>((resolveExit) => {
    let done = false;
    const finish = (code: number) => {
      // Once only: disposing the client below reports `stopped` for a run cut short, which lands here again.
      if (done) return;
      done = true;
      for (const signal of stopSignals) process.off(signal, onInterrupt);
      bar.clear();
      client.dispose();
      resolveExit(code);
    };

    // Ctrl+C, SIGTERM (a service manager, `kill`) and SIGHUP (the terminal closed) all stop after the current
    // batch and keep the run; the same signal again quits at once.
    const onInterrupt = (signal: keyof typeof STOP_SIGNALS) => {
      interrupts++;
      stopCode = STOP_SIGNALS[signal];
      bar.clear();
      if (interrupts === 1 && client.isRunning) {
        context.stderr.write(t('Stopping after the current batch… Press Ctrl+C again to quit at once.') + '\n');
        client.stop();
      } else {
        finish(stopCode);
      }
    };
    const stopSignals = Object.keys(STOP_SIGNALS) as (keyof typeof STOP_SIGNALS)[];
    for (const signal of stopSignals) process.on(signal, onInterrupt);

    client.onEvent((_runId, event: TrainingEvent) => {
      switch (event.type) {
        case 'backend':
          bar.print(t('Backend: {0}. {1}', event.backend.name, event.backend.reason));
          return;
        case 'notice':
          bar.print(t('Warning: {0}', event.message));
          return;
        case 'downloadProgress':
          bar.download(event.file, event.receivedBytes, event.totalBytes);
          return;
        case 'dataLoaded':
          bar.print(formatDataSource(event.data));
          return;
        case 'started':
          epochs = event.params.epochs;
          for (const line of formatSummary(event.summary)) bar.print(line);
          bar.print(
            t(
              'Training on {0} images, testing on {1}: {2} epochs of {3} batches of {4}.',
              groupDigits(event.trainCount),
              groupDigits(event.testCount),
              event.params.epochs,
              event.batchesPerEpoch,
              event.params.batchSize,
            ),
          );
          if (event.validationCount > 0) {
            bar.print(t('Validating on the last {0} training images (validation split {1}); early stopping and the best epoch watch them.', groupDigits(event.validationCount), event.params.validationSplit));
          } else if (event.params.earlyStopping || event.params.restoreBestWeights) {
            bar.print(t('Without a validation split, early stopping and the best epoch watch the test set, so the test accuracy is no longer an unbiased judge.'));
          }
          return;
        case 'batch':
          bar.progress(formatProgressBar(event.progress, stdout.columns || 80));
          return;
        case 'epoch':
          bar.print(formatEpochLine(event.metrics, epochs));
          return;
        case 'finished': {
          const last = heldEpoch(event.history, event.outcome);
          if (last) {
            bar.print('');
            for (const line of formatOutcome(event.outcome, event.history)) bar.print(line);
            bar.print(t('Test accuracy: {0} (test loss {1}).', last.testAccuracy.toFixed(4), last.testLoss.toFixed(4)));
            bar.print(
              t(
                'Over-fitting gap (training minus test accuracy): {0} points ({1} vs {2}).',
                gapPoints(last).toFixed(1),
                last.accuracy.toFixed(4),
                last.testAccuracy.toFixed(4),
              ),
            );
          }
          const p = event.predictions;
          if (p.count > 0) {
            bar.print('');
            for (const line of formatImagePrediction(0, p.probabilities.subarray(0, 10), p.labels[0])) bar.print(line);
          }
          if (event.modelSaved) {
            bar.print('');
            const directory = event.modelSaved.directory;
            bar.print(
              savedElsewhere
                ? t('Model saved to {0}. Classify images with: npm run classify -- IMAGE... --model {1}', directory, shellWord(directory))
                : t('Model saved to {0}. Classify images with: npm run classify -- IMAGE...', directory),
            );
          }
          for (const line of keptLines(event)) bar.print(line);
          if (event.saveError) {
            // Training succeeded but the model was not kept: say so, and fail so scripts notice.
            printError(context, event.saveError);
            finish(EXIT.failed);
            return;
          }
          finish(EXIT.ok);
          return;
        }
        case 'stopped':
          bar.print(t('Stopped after {0} of {1} epochs.', event.history.length, epochs));
          for (const line of keptLines(event)) bar.print(line);
          if (request.saveDir !== undefined) bar.print(t('The model is saved only when training finishes; nothing was saved.'));
          finish(stopCode);
          return;
        case 'error':
          bar.clear();
          printError(context, event.error);
          finish(EXIT.failed);
          return;
      }
    });

    try {
      client.start(request);
    } catch (error) {
      client.dispose();
      throw error;
    }
  });
}

/**
 * Lines for the log plus one redrawn status line (progress or download) on a TTY. Off a TTY the status
 * line is never drawn, so piped output holds only the permanent lines.
 */
class ProgressLine {
  private shown = false;
  private lastDraw = 0;
  private lastDownloadFile = '';

  constructor(private readonly out: NodeJS.WriteStream | CliContext['stdout']) {}

  private get tty(): boolean {
    return 'isTTY' in this.out && this.out.isTTY === true;
  }

  print(line: string): void {
    this.clear();
    this.out.write(line + '\n');
  }

  clear(): void {
    if (this.shown) this.out.write('\r\x1b[K');
    this.shown = false;
  }

  progress(line: string): void {
    if (!this.tty) return;
    const now = Date.now();
    if (now - this.lastDraw < BAR_INTERVAL_MS) return;
    this.lastDraw = now;
    this.out.write('\r\x1b[K' + line);
    this.shown = true;
  }

  download(file: string, received: number, total: number | null): void {
    const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
    if (!this.tty) {
      // Off a TTY: one line when a file starts, one when it is complete.
      if (file !== this.lastDownloadFile) this.print(t('Downloading {0}…', file));
      else if (total !== null && received >= total) this.print(t('Downloaded {0} ({1} MB).', file, mb(total)));
      this.lastDownloadFile = file;
      return;
    }
    this.lastDownloadFile = file;
    this.progress(
      total === null
        ? t('Downloading {0}: {1} MB', file, mb(received))
        : t('Downloading {0}: {1} of {2} MB', file, mb(received), mb(total)),
    );
  }
}
