/**
 * The "Fashion-MNIST" log: what a terminal run would print (backend, data source, model summary, one
 * Keras-like line per epoch, the result) and every error with its file and what to do. The line formats
 * are the CLI's (src/core/text/format.ts), so the log and the terminal read the same.
 */
import { describeArchitecture } from '../domain/architecture';
import * as vscode from 'vscode';
import { formatDataSource, formatEpochLine, formatOutcome, formatSummary, groupDigits, heldEpoch } from '../core/text/format';
import type { TrainingEvent } from '../protocol/events';
import type { UserError } from '../domain/errors';
import type { TrainingSession } from './session/trainingSession';
import { Disposable } from '../core/emitter';

export class TrainingLog extends Disposable {
  private epochs = 0;
  private lastDownloadLogged = '';

  constructor(
    readonly channel: vscode.LogOutputChannel,
    session: TrainingSession,
  ) {
    super();
    this.register(
      session.run.onDidStartRun((runId) => {
        const { params } = session.store.current;
        this.epochs = params.epochs;
        channel.info(
          vscode.l10n.t(
            'Run {0}: {1} epochs, batch size {2}, learning rate {3}, network {4}, backend {5}.',
            runId,
            params.epochs,
            params.batchSize,
            params.learningRate,
            describeArchitecture(params.architecture),
            params.backend,
          ),
        );
      }),
      session.run.onDidTrainingEvent((event) => this.write(event)),
    );
  }

  /** Where the run was kept in the run history, or why it was not. */
  private kept(event: { keptRunId?: string; historyError?: UserError }): void {
    if (event.keptRunId !== undefined) this.channel.info(vscode.l10n.t('Run kept in the run history as {0}.', event.keptRunId));
    if (event.historyError !== undefined) this.error(event.historyError);
  }

  /** Logs an error the user can act on: the message, the file it concerns and what to do. */
  error(error: UserError): void {
    this.channel.error(`[${error.code}] ${error.message}`);
    if (error.file) this.channel.error(vscode.l10n.t('File: {0}', error.file));
    if (error.action) this.channel.error(vscode.l10n.t('What to do: {0}', error.action));
  }

  show(): void {
    this.channel.show(true);
  }

  private write(event: TrainingEvent): void {
    const channel = this.channel;
    switch (event.type) {
      case 'backend':
        channel.info(vscode.l10n.t('Backend: {0} ({1})', event.backend.name, event.backend.reason));
        return;
      case 'downloadProgress': {
        // One line per file started and finished; the byte-by-byte progress is in the notification.
        const done = event.totalBytes !== null && event.receivedBytes >= event.totalBytes;
        const key = `${event.file}:${done}`;
        if (key === this.lastDownloadLogged) return;
        this.lastDownloadLogged = key;
        channel.info(done ? vscode.l10n.t('Downloaded {0}.', event.file) : vscode.l10n.t('Downloading {0}…', event.file));
        return;
      }
      case 'dataLoaded':
        channel.info(formatDataSource(event.data));
        return;
      case 'started':
        this.epochs = event.params.epochs;
        for (const line of formatSummary(event.summary)) channel.info(line);
        channel.info(
          vscode.l10n.t(
            'Training on {0} images, testing on {1}; {2} batches per epoch.',
            groupDigits(event.trainCount),
            groupDigits(event.testCount),
            groupDigits(event.batchesPerEpoch),
          ),
        );
        return;
      case 'batch':
        return; // too many for a log; the notification and the status bar show them
      case 'epoch':
        channel.info(formatEpochLine(event.metrics, this.epochs));
        return;
      case 'finished': {
        for (const line of formatOutcome(event.outcome, event.history)) channel.info(line);
        const last = heldEpoch(event.history, event.outcome);
        if (last) {
          channel.info(vscode.l10n.t('Finished. Test accuracy: {0}; training accuracy: {1}.', last.testAccuracy.toFixed(4), last.accuracy.toFixed(4)));
        }
        if (event.modelSaved) channel.info(vscode.l10n.t('Model saved in {0}.', event.modelSaved.directory));
        if (event.saveError) this.error(event.saveError);
        this.kept(event);
        return;
      }
      case 'notice':
        channel.warn(event.message);
        return;
      case 'stopped':
        channel.info(vscode.l10n.t('Stopped after {0} of {1} epochs.', event.history.length, this.epochs));
        this.kept(event);
        return;
      case 'error':
        this.error(event.error);
        return;
    }
  }
}
