/** The host <-> webview channel: the dashboard's whole state, its incremental updates, and the intents the webview sends. */
import type { ConvLayer } from '../domain/architecture';
import type { ClassificationResult } from '../domain/classification';
import type { DataInfo } from '../domain/data';
import type { EpochPredictions } from '../domain/epochPredictions';
import type { ConvFiltersSnapshot, FeatureMaps } from '../domain/convInsight';
import type { FirstLayerSnapshot, SaliencyMap } from '../domain/firstLayer';

/** What a saliency map is asked for: a test image by index, or a file classified from the Explorer. */
export type SaliencyTarget = { kind: 'test'; index: number } | { kind: 'file'; file: string };
import type { UserError } from '../domain/errors';
import type { BackendInfo, HyperParameters } from '../domain/hyperParameters';
import type { BatchProgress, EpochMetrics, OverfittingAnalysis, PredictionAnalysis, Predictions, RunOutcome } from '../domain/metrics';
import type { SavedModelInfo } from '../domain/runRecord';
import type { RunComparison } from '../domain/runComparison';
import { SWEEP_BARE_INTENTS, type SweepIntent, type SweepView } from './sweepView';

/**
 * The closed lists of this channel: each is one `const` array, its type is derived from it, and both sides'
 * validators (host/webviewMessages.ts, webview/hostMessages.ts) check against the same array.
 */

/** True when `value` is one of `list` (a validator for any closed list below). */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}

export const RUN_STATUSES = ['idle', 'loading', 'training', 'finished', 'stopped', 'error'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** The notebook's numbered cells, in order (their step number is their place here, from 1). */
export const NOTEBOOK_CELLS = ['data', 'preprocess', 'model', 'train', 'evaluate', 'predict', 'confusion', 'classify'] as const;
export type NotebookCell = (typeof NOTEBOOK_CELLS)[number];
/** Every cell the host may ask the webview to reveal: the compare view (unnumbered, above) and the notebook's cells. */
export const DASHBOARD_CELLS = ['sweep', 'compare', ...NOTEBOOK_CELLS] as const;
export type DashboardCell = (typeof DASHBOARD_CELLS)[number];

/** Names of the settings under `fashionMnist.*` that the panel's controls may change. */
export const EDITABLE_SETTINGS = [
  'epochs',
  'batchSize',
  'learningRate',
  'convLayers',
  'hiddenLayers',
  'dropout',
  'l2',
  'backend',
  'validationSplit',
  'earlyStopping',
  'earlyStoppingPatience',
  'restoreBestWeights',
] as const;
export type EditableSetting = (typeof EDITABLE_SETTINGS)[number];

/**
 * The webview's messages that carry nothing but their type: the page is ready; Train; Stop; "Classify
 * images…"; close the compare view; leave a past run shown with Open Run for the latest run; the model
 * cell's button where tfjs-node was looked for and not used (runs the setup command); save the run as a
 * Jupyter notebook; save the per-epoch metrics as CSV (the host asks where).
 */
export const BARE_INTENTS = ['ready', 'train', 'stop', 'classifyFiles', 'closeComparison', 'showLatestRun', 'setUpNativeBackend', 'exportNotebook', 'exportMetricsCsv', ...SWEEP_BARE_INTENTS] as const;
export type BareIntent = (typeof BARE_INTENTS)[number];

/** Everything the dashboard shows; the host owns it and sends it whole on `ready` and after changes. */
export interface DashboardState {
  status: RunStatus;
  params: HyperParameters;
  backend?: BackendInfo;
  data?: DataInfo;
  batchesPerEpoch?: number;
  progress?: BatchProgress;
  history: EpochMetrics[];
  /** Training images held out for validation in this run (0 or absent: none; the test set is monitored). */
  validationCount?: number;
  /** The best epoch so far by the run's monitored metric (the host computes it as the run does). */
  bestEpoch?: number;
  /** How the run ended, once it has. */
  outcome?: RunOutcome;
  overfitting?: OverfittingAnalysis;
  predictions?: Predictions;
  predictionAnalysis?: PredictionAnalysis;
  error?: UserError;
  /** Last saved model's record, if any. */
  model?: SavedModelInfo;
  classifications?: ClassificationResult[];
  /**
   * Classified files the user follows across the epochs: their ten probabilities after each epoch of the run
   * shown (empty `epochs` until a run has trained with them followed).
   */
  followedFiles?: FollowedFile[];
  /** Set while the dashboard shows a past run of the run history (Open Run) instead of the latest run. */
  shownRun?: { id: string };
  /** Runs from the run history side by side (the compare view), when the user asked for them. */
  comparison?: RunComparison;
  /** The Sweep view, while it is open (protocol/sweepView.ts). */
  sweep?: SweepView;
  /** Download of the dataset in progress. */
  download?: { file: string; receivedBytes: number; totalBytes: number | null };
}

export interface FollowedFile {
  file: string;
  /** 1-based epochs, in order, and each one's ten probabilities. */
  epochs: number[];
  probabilities: number[][];
}

export type HostToWebview =
  /**
   * Once per page load, first after `ready`: VS Code's display language and its bundle of this extension's
   * translations (`vscode.l10n.bundle`: English text -> translation; none for English), for `@vscode/l10n`.
   */
  | { type: 'l10n'; locale: string; bundle?: Record<string, string> }
  /** Whole state; sent on `ready` and when the run changes phase. */
  | { type: 'state'; state: DashboardState }
  /** Incremental: a training event after the host folded it into its state. */
  | { type: 'progress'; progress: BatchProgress }
  | { type: 'epoch'; metrics: EpochMetrics; overfitting: OverfittingAnalysis; bestEpoch?: number }
  /** Pixel data for test images the webview asked for (index -> 784 bytes). */
  | { type: 'images'; indices: number[]; pixels: Uint8Array }
  | { type: 'classification'; results: ClassificationResult[] }
  /**
   * The run's per-epoch predictions: whole (`replace`, after every `state` on ready and when a run starts;
   * `data` undefined = none yet) or one new epoch to append during a run. Sent once, sliced in the webview.
   */
  | { type: 'epochPredictions'; replace: boolean; data: EpochPredictions | undefined }
  /**
   * The first layer's weights after the newest epoch (after each epoch, and once after `ready`): a Dense
   * layer's over the pixels (`layer`), or a conv network's first Conv2D filters (`filters`); neither: none.
   */
  | { type: 'firstLayer'; layer: FirstLayerSnapshot | undefined; filters?: ConvFiltersSnapshot }
  /**
   * The saved model's saliency for a test image or a classified file, answering `requestSaliency`; for a conv
   * network also the picture's feature maps after each conv block.
   */
  | { type: 'saliency'; target: SaliencyTarget; saliency?: SaliencyMap; featureMaps?: FeatureMaps; error?: UserError }
  /** The pinned test images (indices, oldest first); after `ready` and after every change. */
  | { type: 'pins'; pins: number[] }
  /** The followed files and their probabilities so far (after each epoch of a run, and after a change). */
  | { type: 'followedFiles'; files: FollowedFile[] }
  /** Ask the webview to scroll to and focus a cell (e.g. after Classify). */
  | { type: 'reveal'; cell: DashboardCell };

/** A setting's value as the panel sends it: a number, a choice, a switch, or a list (hidden widths, dropout rates). */
export type SettingValue = number | string | boolean | number[] | ConvLayer[];

/** What the dashboard can save as a PNG image: a training chart or the confusion matrix. */
export const EXPORTABLE_CHARTS = ['accuracy', 'loss', 'confusion'] as const;
export type ExportableChart = (typeof EXPORTABLE_CHARTS)[number];

export type WebviewToHost =
  | { type: BareIntent }
  | SweepIntent
  | { type: 'setSetting'; key: EditableSetting; value: SettingValue }
  /** Several settings at once (a model preset: hidden layers, dropout and L2 together). */
  | { type: 'setSettings'; values: { key: EditableSetting; value: SettingValue }[] }
  | { type: 'requestImages'; indices: number[] }
  | { type: 'setPin'; index: number; pinned: boolean }
  /** Follow a classified file across the epochs of the next runs (or stop). */
  | { type: 'setFilePin'; file: string; pinned: boolean }
  | { type: 'requestSaliency'; target: SaliencyTarget }
  /** Save a chart as PNG (the host asks where). */
  | { type: 'exportChart'; chart: ExportableChart };
