/**
 * The window's one training session, in rooms of one duty each, which the commands, the panel and the views
 * call directly:
 * - `store`: the dashboard's state, the shown run's images and epochs, and the messages the panel posts;
 * - `run`: starts and stops runs in the worker and passes on what the worker sends;
 * - `archive`: the last run across reloads, each run's dashboard in the run history, a past run shown, runs compared;
 * - `classifier`: classifies image files with the model of the run shown;
 * - `pins`: the pinned test images and the classified files followed across the epochs;
 * - `saliency`: saliency maps of the model of the run shown.
 * The state lives on the host, not in the webview, so the panel can close, reopen or reload mid-run and show
 * the same thing, and training goes on with no panel at all.
 */
import { Disposable } from '../../core/emitter';
import type { RunSnapshotStore } from '../../core/runs/runSnapshot';
import type { HyperParameters } from '../../domain/hyperParameters';
import type { PinStore } from '../pinStore';
import { DashboardStore } from './dashboardStore';
import { ImageClassifier } from './imageClassifier';
import { PinsAndFollowed } from './pinsAndFollowed';
import { RunArchive } from './runArchive';
import { RunControl, type SessionClient, type SessionFolders } from './runControl';
import { SaliencyMaps } from './saliencyMaps';

export type { DashboardUpdate } from './dashboardStore';
export type { RunSettings, SessionClient, SessionFolders } from './runControl';

export interface SessionOptions {
  folders: SessionFolders;
  /** What the dashboard shows before any run: the parameters the settings ask for. */
  params: HyperParameters;
  /** Where the last run's results are kept across reloads; none = only in memory. */
  lastRun?: RunSnapshotStore;
  /** Where the pinned test images are kept; none = only in memory. */
  pins?: PinStore;
  /** Reports a problem that does not stop anything (e.g. the last run could not be saved). */
  warn?: (message: string) => void;
  /** Where the worker looks for tfjs-node, read when a run or a classification starts (the setting may change). */
  nativeBackendFolders?: () => string[];
}

export class TrainingSession extends Disposable {
  readonly store: DashboardStore;
  readonly run: RunControl;
  readonly archive: RunArchive;
  readonly classifier: ImageClassifier;
  readonly pins: PinsAndFollowed;
  readonly saliency: SaliencyMaps;
  readonly folders: SessionFolders;

  constructor(client: SessionClient, options: SessionOptions) {
    super();
    const { folders, nativeBackendFolders } = options;
    const warn = (message: string) => options.warn?.(message);
    this.folders = folders;
    // The first time anyone needs the state: the last run kept before a reload (unless a run started since),
    // the saved model's record, and what the followed files have recorded.
    this.store = new DashboardStore(options.params, () => {
      if (!this.run.hasStarted) this.archive.restoreLastRun();
      this.classifier.recordModel();
      this.pins.recordInState();
    });
    this.pins = new PinsAndFollowed(this.store, options.pins, warn);
    this.archive = new RunArchive(this.store, this.pins, { lastRun: options.lastRun, modelDir: folders.modelDir, cacheDir: folders.cacheDir, warn });
    this.classifier = new ImageClassifier(client, this.store, this.archive, { modelDir: folders.modelDir, nativeBackendFolders });
    this.saliency = new SaliencyMaps(client, this.store, this.archive);
    this.run = new RunControl(client, this.store, this.pins, this.archive, { folders, nativeBackendFolders });
    this.register(this.store, this.run);
  }
}
