/**
 * The dashboard webview panel: one per window, created or revealed on demand and revived after a window
 * reload (`registerWebviewPanelSerializer`). The panel holds no state of its own: on every `ready` from the
 * webview it posts the session's whole state, then streams what changes. Every message from the webview
 * goes through `parseWebviewMessage` before anything acts on it.
 */
import * as vscode from 'vscode';
import type { DashboardCell, EditableSetting, ExportableChart, HostToWebview, SettingValue, WebviewToHost } from '../protocol/webview';
import type { TrainingSession } from './session/trainingSession';
import { parseWebviewMessage } from './webviewMessages';
import { dashboardPageHtml } from './dashboardPage';
import { Disposable } from '../core/emitter';

export const DASHBOARD_VIEW_TYPE = 'fashionMnist.dashboard';

/**
 * The objects that act on the dashboard's intents, as the panel needs them: its handler calls each one
 * directly (the commands' own objects, the native backend setup, the session), with nothing in between.
 */
export interface DashboardActors {
  /** Train and Stop (commands/trainCommands.ts). */
  training: { train(): void; stop(): void };
  /** The settings the panel's controls change (commands/settingEdits.ts). */
  settings: { write(values: { key: EditableSetting; value: SettingValue }[]): void };
  /** "Classify images…" (commands/classifyCommand.ts). */
  classifying: { classifyImages(): Promise<void> };
  /** The run as a notebook, a chart as PNG, the metrics as CSV (commands/runExport.ts). */
  exporting: { exportNotebook(): Promise<unknown>; exportChart(chart: ExportableChart): Promise<void>; exportMetricsCsv(): Promise<void> };
  /** The model cell's "Set Up the Native Backend" (nativeBackendSetup.ts). */
  nativeBackend: { setUp(): Promise<unknown> };
  /** The Sweep view (commands/sweepCommands.ts). */
  sweeping: {
    open(): void;
    start(intent: Extract<WebviewToHost, { type: 'startSweep' }>): void;
    stop(): void;
    close(): void;
    openRuns(ids: string[]): Promise<void>;
    rerunBest(): Promise<void>;
  };
}

export interface DashboardDependencies {
  extensionUri: vscode.Uri;
  session: TrainingSession;
  log: vscode.LogOutputChannel;
}

/** Creates, reveals and revives the one dashboard panel; also tells listeners what it posts (the test API). */
export class DashboardHost implements vscode.Disposable {
  private panel: DashboardPanel | undefined;
  private readonly postEmitter = new vscode.EventEmitter<HostToWebview>();
  /** Every message posted to the webview. */
  readonly onDidPost = this.postEmitter.event;

  /** Set once at activation, after the commands exist (they open this dashboard, so they come after it). */
  private actors: DashboardActors | undefined;

  constructor(private readonly deps: DashboardDependencies) {}

  /** Names the objects the panel's intents go to; called once, before any panel can send a message. */
  actOnIntentsWith(actors: DashboardActors): void {
    this.actors = actors;
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Opens the dashboard (or brings it to the front) and, once it is ready, scrolls it to `cell`. */
  show(cell?: DashboardCell, preserveFocus = false): void {
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(
        DASHBOARD_VIEW_TYPE,
        vscode.l10n.t('Fashion-MNIST Dashboard'),
        { viewColumn: vscode.ViewColumn.Active, preserveFocus },
        webviewOptions(this.deps.extensionUri),
      );
      this.adopt(panel);
    }
    this.panel?.reveal(preserveFocus, cell);
  }

  /** A panel VS Code restored after a reload; it gets fresh HTML and the session's current state. */
  revive(panel: vscode.WebviewPanel): void {
    if (this.panel) {
      // Only one dashboard per window: the restored one wins over none, a second one is closed.
      panel.dispose();
      return;
    }
    this.adopt(panel);
  }

  dispose(): void {
    this.panel?.dispose();
    this.postEmitter.dispose();
  }

  private adopt(webviewPanel: vscode.WebviewPanel): void {
    webviewPanel.webview.options = webviewOptions(this.deps.extensionUri);
    this.panel = new DashboardPanel(webviewPanel, this.deps, () => this.actors, (message) => this.postEmitter.fire(message), () => {
      this.panel = undefined;
    });
  }
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    // The page loads only the bundle and the stylesheet; nothing else on disk is reachable.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    // The host keeps the state, so a hidden panel may be torn down and restored from `ready`.
    retainContextWhenHidden: false,
  };
}

class DashboardPanel extends Disposable {
  /** The webview has said `ready` since its page was (re)loaded, so it can act on a `reveal`. */
  private ready = false;
  private pendingReveal: DashboardCell | undefined;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: DashboardDependencies,
    private readonly actors: () => DashboardActors | undefined,
    private readonly posted: (message: HostToWebview) => void,
    private readonly onDisposed: () => void,
  ) {
    super();
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icon.svg');
    panel.webview.html = dashboardHtml(panel.webview, deps.extensionUri);
    this.register(
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        // A hidden panel loses its page; it says `ready` again when it is shown.
        if (!panel.visible) this.ready = false;
      }),
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      deps.session.store.onDidUpdate((update) => {
        if (update.kind === 'state') this.postState();
        else this.post(update.message);
      }),
    );
  }

  reveal(preserveFocus: boolean, cell?: DashboardCell): void {
    this.panel.reveal(undefined, preserveFocus);
    if (!cell) return;
    if (this.ready) this.post({ type: 'reveal', cell });
    else this.pendingReveal = cell;
  }

  private receive(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.deps.log.warn(vscode.l10n.t('Ignored a message from the dashboard that is not valid: {0}', preview(raw)));
      return;
    }
    const { session } = this.deps;
    const actors = this.actors();
    switch (message.type) {
      case 'ready':
        this.ready = true;
        // Once per page load, first: the language and VS Code's bundle of our translations (the webview's
        // sentences are looked up in it with @vscode/l10n; no state message carries them).
        this.post({ type: 'l10n', locale: vscode.env.language, ...(vscode.l10n.bundle ? { bundle: vscode.l10n.bundle } : {}) });
        this.postState();
        // Once per page load: the slider then slices it there, nothing is re-sent per move.
        this.post(session.store.epochPredictionsMessage());
        this.post({ type: 'pins', pins: session.pins.pins });
        this.post(session.store.firstLayerMessage());
        if (this.pendingReveal) {
          this.post({ type: 'reveal', cell: this.pendingReveal });
          this.pendingReveal = undefined;
        }
        return;
      case 'train':
        actors?.training.train();
        return;
      case 'stop':
        actors?.training.stop();
        return;
      case 'setSetting':
        actors?.settings.write([{ key: message.key, value: message.value }]);
        return;
      case 'setSettings':
        actors?.settings.write(message.values);
        return;
      case 'classifyFiles':
        void actors?.classifying.classifyImages();
        return;
      case 'closeComparison':
        session.archive.setComparison(undefined);
        return;
      case 'showLatestRun':
        session.archive.showLatestRun();
        return;
      case 'setUpNativeBackend':
        void actors?.nativeBackend.setUp();
        return;
      case 'requestSaliency':
        void session.saliency.request(message.target);
        return;
      case 'setPin':
        session.pins.setPin(message.index, message.pinned);
        return;
      case 'setFilePin':
        session.pins.setFilePin(message.file, message.pinned);
        return;
      case 'exportNotebook':
        void actors?.exporting.exportNotebook();
        return;
      case 'exportChart':
        void actors?.exporting.exportChart(message.chart);
        return;
      case 'exportMetricsCsv':
        void actors?.exporting.exportMetricsCsv();
        return;
      case 'openSweep':
        actors?.sweeping.open();
        return;
      case 'startSweep':
        actors?.sweeping.start(message);
        return;
      case 'stopSweep':
        actors?.sweeping.stop();
        return;
      case 'closeSweep':
        actors?.sweeping.close();
        return;
      case 'rerunBestTrial':
        void actors?.sweeping.rerunBest();
        return;
      case 'openRuns':
        void actors?.sweeping.openRuns(message.ids);
        return;
      case 'requestImages':
        // A kept run's images may still be on their way from the data: the answer waits for them.
        void session.store.imagesWhenReady(message.indices).then((images) => {
          if (images) this.post(images);
        });
        return;
    }
  }

  private postState(): void {
    this.post({ type: 'state', state: this.deps.session.store.current });
  }

  /**
   * Posts while the page may still be loading too: VS Code holds messages for a webview that is being
   * set up, so a short run's epochs are not lost in the first seconds. The `state` sent on `ready`
   * covers anything that was missed. A hidden panel has no page; it gets the state when it is shown.
   */
  private post(message: HostToWebview): void {
    if (this.isDisposed || !this.panel.visible) return;
    // A page still loading will render the whole state when it says `ready`, which resets its scroll:
    // scroll again after that.
    if (message.type === 'reveal' && !this.ready) this.pendingReveal = message.cell;
    this.panel.webview.postMessage(message).then(undefined, () => undefined); // rejects only if the panel closed meanwhile
    this.posted(message);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    super.dispose(); // first: our onDidDispose listener goes, so closing the panel below does not come back here
    this.onDisposed();
    this.panel.dispose();
  }
}

/** A short, safe rendering of a rejected message for the log. */
function preview(raw: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(raw) ?? String(raw);
  } catch {
    text = String(raw);
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** The page: the panel's stylesheet and bundle under the dashboard's CSP (dashboardPage.ts, shared with the preview). */
function dashboardHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return dashboardPageHtml({
    cspSource: webview.cspSource,
    language: vscode.env.language,
    title: vscode.l10n.t('Fashion-MNIST Dashboard'),
    styles: [webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'dashboard.css')).toString()],
    scripts: [webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString()],
  });
}
