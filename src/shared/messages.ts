/**
 * The one file of message and data types shared by the training core, the worker, the extension host,
 * the webview and the CLI. Every union is discriminated on `type`, so each side is checked by the
 * compiler. Nothing here imports `vscode` or tfjs: it is plain data.
 */

/** Class index -> canonical English name, in the dataset's label order. Localized names come from l10n. */
export const CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;
export const NUM_CLASSES = 10;
export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

// ---------------------------------------------------------------------------------------------------
// Hyper-parameters, backends, data, model
// ---------------------------------------------------------------------------------------------------

/** What the user asks for. `auto` takes tfjs-node when it loads, else wasm, else cpu. */
export type BackendChoice = 'auto' | 'node' | 'wasm' | 'cpu';
/** The tfjs backend that actually runs (`tensorflow` is the name tfjs-node registers). */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  requested: BackendChoice;
  name: BackendName;
  /** Human-readable, localized: why this backend (e.g. "tfjs-node is not installed; using wasm"). */
  reason: string;
}

export interface HyperParameters {
  epochs: number;
  batchSize: number;
  learningRate: number;
  hiddenUnits: number;
  /** Seed for weight initialisation and shuffling; the same seed gives the same run. */
  seed: number;
  backend: BackendChoice;
  /** Use only the first N training images (quick runs and tests); undefined = all 60,000. */
  trainLimit?: number;
  /** Use only the first N test images; undefined = all 10,000. */
  testLimit?: number;
}

export const DEFAULT_HYPER_PARAMETERS: HyperParameters = {
  epochs: 10,
  batchSize: 32,
  learningRate: 0.001,
  hiddenUnits: 128,
  seed: 42,
  backend: 'auto',
};

/** Where the data was found, in the order they are tried. */
export type DataSourceKind = 'user' | 'cache' | 'debian' | 'download';

export interface DataInfo {
  trainCount: number;
  testCount: number;
  sourceKind: DataSourceKind;
  /** The folder the four files were read from. */
  directory: string;
  /** The first 25 training images (25 * 784 bytes, 0..255) and their labels, for the Data cell. */
  sampleImages: Uint8Array;
  sampleLabels: Uint8Array;
  /** Raw pixel range before scaling (0..255) and after (0..1), for the Preprocess cell. */
  rawRange: [number, number];
  scaledRange: [number, number];
  /** Milliseconds spent reading, decompressing and verifying the four files. */
  decodeMs: number;
}

export interface LayerSummary {
  name: string;
  className: string;
  outputShape: (number | null)[];
  params: number;
}

export interface ModelSummary {
  layers: LayerSummary[];
  totalParams: number;
  trainableParams: number;
  optimizer: string;
  loss: string;
  metrics: string[];
}

// ---------------------------------------------------------------------------------------------------
// Training progress
// ---------------------------------------------------------------------------------------------------

export interface BatchProgress {
  /** 1-based epoch and batch numbers. */
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  /** Running mean over this epoch so far. */
  loss: number;
  accuracy: number;
  /** Seconds left in the whole run, estimated from the pace so far. */
  etaSeconds: number;
  samplesPerSecond: number;
}

export interface EpochMetrics {
  /** 1-based. */
  epoch: number;
  loss: number;
  accuracy: number;
  testLoss: number;
  testAccuracy: number;
  seconds: number;
  samplesPerSecond: number;
}

/** Predictions for the test images, as compact typed arrays (row-major, one row per image). */
export interface Predictions {
  /** count * 10 probabilities. */
  probabilities: Float32Array;
  /** count predicted classes (argmax). */
  predicted: Uint8Array;
  /** count true labels. */
  labels: Uint8Array;
  count: number;
  /** Milliseconds the predict call took. */
  predictMs: number;
}

/** An error the user can act on: what failed, which file, what to do. `message` and `action` are localized. */
export interface UserError {
  code: ErrorCode;
  message: string;
  file?: string;
  action?: string;
}

export type ErrorCode =
  | 'DATA_MISSING'
  | 'DATA_CORRUPT'
  | 'DATA_CHECKSUM'
  | 'DATA_DOWNLOAD'
  | 'INVALID_PARAMS'
  | 'BACKEND_UNAVAILABLE'
  | 'BUSY'
  | 'NO_MODEL'
  | 'MODEL_INVALID'
  | 'MODEL_SAVE'
  | 'IMAGE_INVALID'
  | 'IMAGE_TOO_LARGE'
  | 'IMAGE_UNSUPPORTED'
  | 'WORKER_CRASHED'
  | 'INTERNAL';

/** What the training core emits, in order: backend, data, started, (batch* epoch)*, finished | stopped | error. */
export type TrainingEvent =
  | { type: 'backend'; backend: BackendInfo }
  | { type: 'downloadProgress'; file: string; receivedBytes: number; totalBytes: number | null }
  | { type: 'dataLoaded'; data: DataInfo }
  | {
      type: 'started';
      params: HyperParameters;
      backend: BackendInfo;
      trainCount: number;
      testCount: number;
      batchesPerEpoch: number;
      summary: ModelSummary;
    }
  | { type: 'batch'; progress: BatchProgress }
  | { type: 'epoch'; metrics: EpochMetrics }
  /** Not fatal, worth telling the user (e.g. a damaged cached file was deleted and fetched again). Localized. */
  | { type: 'notice'; message: string }
  | {
      type: 'finished';
      history: EpochMetrics[];
      predictions: Predictions;
      modelSaved?: SavedModelInfo;
      /** The run finished but its model could not be saved; the previous saved model is untouched. */
      saveError?: UserError;
    }
  | { type: 'stopped'; history: EpochMetrics[] }
  | { type: 'error'; error: UserError };

// ---------------------------------------------------------------------------------------------------
// Saved models and classification
// ---------------------------------------------------------------------------------------------------

/** The small record written beside model.json. */
export interface RunRecord {
  date: string;
  params: HyperParameters;
  backend: BackendName;
  trainAccuracy: number;
  testAccuracy: number;
  /** SHA-256 of the four decompressed data files, joined, so a model names the data it saw. */
  dataChecksum: string;
  trainCount: number;
  testCount: number;
}

export interface SavedModelInfo {
  directory: string;
  record: RunRecord;
}

export type ClassificationWarning = 'lowConfidence' | 'unlikeDataset';

export type ClassificationResult =
  | {
      ok: true;
      file: string;
      /** 10 probabilities. */
      probabilities: number[];
      predicted: number;
      /** The 28x28 input the model sees, 0..255, light object on black as in the dataset. */
      input: Uint8Array;
      /** A small RGBA thumbnail of the original (for display), at most 128 px on its longer side. */
      thumbnail: { width: number; height: number; rgba: Uint8Array };
      inverted: boolean;
      warnings: ClassificationWarning[];
    }
  | { ok: false; file: string; error: UserError };

// ---------------------------------------------------------------------------------------------------
// Host <-> worker
// ---------------------------------------------------------------------------------------------------

export interface StartRequest {
  params: HyperParameters;
  /** A folder the user named; tried first. */
  dataDir?: string;
  /** Where downloaded data is cached (the extension's global storage, or the CLI's user cache). */
  cacheDir: string;
  /** Where to save the trained model; undefined = do not save. */
  saveDir?: string;
  /** VS Code display language or LANG, e.g. "zh-cn"; the worker localizes its messages with it. */
  locale: string;
  /** Allow a one-time download when no local copy is found. */
  allowDownload: boolean;
}

export type HostToWorker =
  | { type: 'start'; runId: number; request: StartRequest }
  | { type: 'stop'; runId: number }
  | { type: 'classify'; requestId: number; files: string[]; modelDir: string; locale: string };

export type WorkerToHost =
  | { type: 'event'; runId: number; event: TrainingEvent }
  /** The first 10,000 (or testLimit) test images, sent once per run after dataLoaded, for the grid. */
  | { type: 'testImages'; runId: number; images: Uint8Array; count: number }
  | { type: 'classified'; requestId: number; results: ClassificationResult[] }
  | { type: 'rejected'; runId: number; error: UserError };

// ---------------------------------------------------------------------------------------------------
// Host <-> webview
// ---------------------------------------------------------------------------------------------------

export type RunStatus = 'idle' | 'loading' | 'training' | 'finished' | 'stopped' | 'error';

/** Over-fitting indicator, computed by the host (src/shared/analysis.ts) from the epoch history. */
export interface OverfittingAnalysis {
  state: 'notEnoughData' | 'generalising' | 'overfitting';
  /** 1-based epoch since which training accuracy rises while test accuracy is flat or falling. */
  sinceEpoch?: number;
  /** Gap (training - test accuracy) in percentage points, per epoch. */
  gapPoints: number[];
  /** 1-based epoch where test accuracy peaked. */
  bestEpoch?: number;
  bestTestAccuracy?: number;
  /** Over the over-fitting stretch: training accuracy change and test accuracy change, in points. */
  trainDeltaPoints?: number;
  testDeltaPoints?: number;
  /** With state 'overfitting': how test accuracy moved over the stretch ('falling' past a small drop, else 'flat'). */
  testTrend?: 'flat' | 'falling';
}

export interface PredictionAnalysis {
  /** confusion[trueClass][predictedClass] = count. */
  confusion: number[][];
  /** Per true class: correct / total. */
  perClassAccuracy: number[];
  accuracy: number;
}

/** Everything the dashboard shows; the host owns it and sends it whole on `ready` and after changes. */
export interface DashboardState {
  status: RunStatus;
  params: HyperParameters;
  backend?: BackendInfo;
  data?: DataInfo;
  summary?: ModelSummary;
  batchesPerEpoch?: number;
  progress?: BatchProgress;
  history: EpochMetrics[];
  overfitting?: OverfittingAnalysis;
  predictions?: Predictions;
  predictionAnalysis?: PredictionAnalysis;
  error?: UserError;
  /** Last saved model's record, if any. */
  model?: SavedModelInfo;
  classifications?: ClassificationResult[];
  /** Download of the dataset in progress. */
  download?: { file: string; receivedBytes: number; totalBytes: number | null };
}

export type DashboardStrings = Record<string, string>;

export type HostToWebview =
  /** Whole state; sent on `ready` and when the run changes phase. */
  | { type: 'state'; state: DashboardState; strings: DashboardStrings; locale: string }
  /** Incremental: a training event after the host folded it into its state. */
  | { type: 'progress'; progress: BatchProgress }
  | { type: 'epoch'; metrics: EpochMetrics; overfitting: OverfittingAnalysis }
  /** Pixel data for test images the webview asked for (index -> 784 bytes). */
  | { type: 'images'; indices: number[]; pixels: Uint8Array }
  | { type: 'classification'; results: ClassificationResult[] }
  /** Ask the webview to scroll to and focus a cell (e.g. after Classify). */
  | { type: 'reveal'; cell: DashboardCell };

export type DashboardCell = 'data' | 'preprocess' | 'model' | 'train' | 'evaluate' | 'predict' | 'confusion' | 'classify';

/** Names of the settings under `fashionMnist.*` that the panel's controls may change. */
export type EditableSetting = 'epochs' | 'batchSize' | 'learningRate' | 'hiddenUnits' | 'backend';

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'train' }
  | { type: 'stop' }
  | { type: 'setSetting'; key: EditableSetting; value: number | string }
  | { type: 'requestImages'; indices: number[] }
  | { type: 'classifyFiles' }
  | { type: 'trainNow' };
