/**
 * "Fashion-MNIST: Set Up the Native Backend": installs tfjs-node (the version of the bundled tfjs) with the
 * user's npm into the per-user folder the CLI also searches, with a cancellable progress notification and
 * npm's output in the log. Also: where the worker looks for tfjs-node (the setting, that folder, the
 * extension's own node_modules), and a one-time offer of the command when a run had to do without it.
 */
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { installTfjsNode, type InstallResult } from '../core/nativeBackend/installTfjsNode';
import { ownedNativeBackendFolder, searchOrder } from '../core/nativeBackend/nativeBackendFolders';
import { BUNDLED_TFJS_VERSION } from '../domain/nativeBackend';
import { Disposable } from '../core/emitter';
import { describeUserError } from '../core/text/format';
import { COMMANDS } from './commands/commandIds';
import { NativeBackendOffer } from './nativeBackendOffer';
import { readNativeBackendFolder } from './trainingSettings';
import { errorMessage } from '../domain/errors';

const FOLDER_SETTING = 'nativeBackendFolder';
/** Progress text changes at most this often (npm prints hundreds of lines). */
const PROGRESS_INTERVAL_MS = 250;
const PROGRESS_LINE_LIMIT = 90;

export interface NativeBackendSetupOptions {
  channel: vscode.LogOutputChannel;
  globalState: vscode.Memento;
  /** The extension's folder: its own node_modules is searched last. */
  extensionPath: string;
  /** Starts a training run (the "Train Now" button after a successful setup). */
  train: () => void;
}

export class NativeBackendSetup extends Disposable {
  /** Where the command installs: the per-user folder the CLI searches too. */
  private readonly ownedFolder = ownedNativeBackendFolder();
  private installing: Promise<InstallResult | undefined> | undefined;
  /** Aborts the install in progress (Cancel, or the extension shutting down). */
  private abort: AbortController | undefined;

  constructor(private readonly options: NativeBackendSetupOptions) {
    super();
    this.register(
      vscode.commands.registerCommand(COMMANDS.setUpNativeBackend, () => this.setUp()),
      // npm must not go on writing into the folder after the extension is gone; the installer cleans up.
      { dispose: () => this.abort?.abort() },
    );
  }

  /** Where the worker looks for tfjs-node, in order: the setting's folder, the per-user install, the extension. */
  searchFolders(): string[] {
    const value = vscode.workspace.getConfiguration('fashionMnist').get<unknown>(FOLDER_SETTING);
    const { folder, problem } = readNativeBackendFolder(value, homedir());
    if (problem !== undefined) this.options.channel.warn(problem);
    return searchOrder(folder, this.ownedFolder, this.options.extensionPath);
  }

  /** Runs the installer once at a time; a second call while one runs says so and waits for the same one. */
  setUp(): Promise<InstallResult | undefined> {
    if (this.installing) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The native backend is already being set up.'));
      return this.installing;
    }
    this.installing = this.install().finally(() => {
      this.installing = undefined;
    });
    return this.installing;
  }

  /** The one-time offer of this command, for the session's training events. */
  createOffer(): NativeBackendOffer {
    return new NativeBackendOffer({
      memory: this.options.globalState,
      ask: async (message, button) => (await vscode.window.showInformationMessage(message, button)) === button,
      setUp: () => void this.setUp(),
    });
  }

  private async install(): Promise<InstallResult | undefined> {
    const { channel } = this.options;
    const folder = this.ownedFolder;
    channel.info(vscode.l10n.t('Setting up the native backend: npm install @tensorflow/tfjs-node@{0} into {1}', BUNDLED_TFJS_VERSION, folder));
    const result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Setting up the native backend (tfjs-node {0})', BUNDLED_TFJS_VERSION),
        cancellable: true,
      },
      async (progress, token): Promise<InstallResult> => {
        const abort = new AbortController();
        this.abort = abort;
        token.onCancellationRequested(() => abort.abort());
        let lastReport = 0;
        progress.report({ message: vscode.l10n.t('Running npm…') });
        try {
          return await installTfjsNode({
            folder,
            signal: abort.signal,
            onOutput: (line) => {
              channel.info(line);
              const now = Date.now();
              if (now - lastReport < PROGRESS_INTERVAL_MS) return;
              lastReport = now;
              const text = line.trim();
              progress.report({ message: text.length > PROGRESS_LINE_LIMIT ? `${text.slice(0, PROGRESS_LINE_LIMIT)}…` : text });
            },
          });
        } catch (error) {
          // The folder could not be created or moved (permissions, a full disk): said, not thrown at VS Code.
          const detail = errorMessage(error);
          return {
            status: 'failed',
            error: {
              code: 'NATIVE_SETUP_FAILED',
              message: vscode.l10n.t('Setting up the native backend failed: {0} Training stays on the WebAssembly backend (wasm).', detail),
              file: folder,
            },
          };
        } finally {
          this.abort = undefined;
        }
      },
    );
    this.report(result);
    return result;
  }

  private report(result: InstallResult): void {
    const { channel } = this.options;
    switch (result.status) {
      case 'installed': {
        const message = vscode.l10n.t(
          'The native backend is set up: tfjs-node {0} in {1}. The next training run uses it (backend auto or node).',
          result.version,
          result.folder,
        );
        channel.info(message);
        const train = vscode.l10n.t('Train Now');
        void vscode.window.showInformationMessage(message, train).then((choice) => {
          if (choice === train) this.options.train();
        });
        return;
      }
      case 'cancelled': {
        const message = vscode.l10n.t('Setting up the native backend was cancelled; nothing was installed. Training stays on the WebAssembly backend (wasm).');
        channel.info(message);
        void vscode.window.showInformationMessage(message);
        return;
      }
      case 'npmMissing': {
        const message = vscode.l10n.t(
          'npm was not found on PATH, so the native backend cannot be installed from here. Install Node.js (it includes npm), or run this in a terminal that has npm: {0} Training stays on the WebAssembly backend (wasm) until then.',
          result.commandLine,
        );
        channel.warn(message);
        const copy = vscode.l10n.t('Copy Command');
        void vscode.window.showWarningMessage(message, copy).then((choice) => {
          if (choice === copy) void vscode.env.clipboard.writeText(result.commandLine);
        });
        return;
      }
      case 'failed': {
        const message = describeUserError(result.error);
        channel.error(message);
        const showLog = vscode.l10n.t('Show Log');
        void vscode.window.showErrorMessage(message, showLog).then((choice) => {
          if (choice === showLog) channel.show();
        });
        return;
      }
    }
  }
}
