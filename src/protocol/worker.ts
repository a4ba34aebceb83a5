/** The host/CLI <-> worker channel: requests in, events and results out. */
import type { ClassificationResult } from '../domain/classification';
import type { EpochSnapshot } from '../domain/epochPredictions';
import type { ConvFiltersSnapshot, FeatureMaps } from '../domain/convInsight';
import type { FirstLayerSnapshot, SaliencyMap } from '../domain/firstLayer';
import type { UserError } from '../domain/errors';
import type { HyperParameters } from '../domain/hyperParameters';
import type { TrainingEvent } from './events';

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
  /** Keep the run (record and model) in the per-user run history; undefined = do not. `sweepId`: it is a trial of that sweep. */
  runHistory?: { dir: string; keepModels: number; sweepId?: string };
  /**
   * Folders that may hold node_modules/@tensorflow/tfjs-node, tried in order (the user's folder, the
   * per-user install, the program's own); undefined = the worker's default search.
   */
  nativeBackendFolders?: string[];
  /** Compute and send an `epochInsight` after every epoch (the dashboard's epoch views; the CLI does not ask). */
  insight?: boolean;
  /**
   * Images the user follows across the epochs (files classified from the Explorer and pinned): count × 784
   * bytes, each the 28 × 28 input the file was classified from. With `insight`, each epoch's insight carries
   * their ten probabilities.
   */
  followImages?: Uint8Array;
  /**
   * Threads for the training kernels: 'auto' (the default) times a few steps on one thread and on two
   * and keeps the faster (again when the machine gets busy); 1 never starts a second thread (a sweep
   * running two trials side by side, one per core, asks for 1 each so they do not oversubscribe); 2
   * always splits each step with a helper thread. The weights are the same whichever runs.
   */
  threads?: TrainingThreads;
  /**
   * Wait after each epoch that has a next one for the caller's verdict before training on: a `continue`
   * message for that epoch, or a `stop`. After `timeoutMs` without either the run goes on, so a lost reply
   * never hangs it. A sweep that prunes asks for it, so a trial judged worse stops right after that epoch.
   */
  epochVerdict?: { timeoutMs: number };
}

/** The choices of `StartRequest.threads`. */
export const TRAINING_THREADS = ['auto', 1, 2] as const;
export type TrainingThreads = (typeof TRAINING_THREADS)[number];

/** What the worker sends after each epoch for the dashboard's epoch views (typed arrays, transferred). */
export interface EpochInsight {
  predictions: EpochSnapshot;
  /** The true classes of the same test images (small; sent each time so every insight stands alone). */
  labels: Uint8Array;
  /** The first Dense layer's weights, the next layer's, and each unit's most exciting test images. */
  firstLayer?: FirstLayerSnapshot;
  /** A conv network's first Conv2D filters (in place of `firstLayer`, which pictures a Dense layer over the pixels). */
  convFilters?: ConvFiltersSnapshot;
  /** The followed images' probabilities after this epoch (count × 10, in `followImages` order). */
  followed?: Float32Array;
}

/** The buffers of an insight, for the transfer list. */
export function insightBuffers(insight: EpochInsight): ArrayBuffer[] {
  const buffers = [insight.predictions.predicted.buffer, insight.predictions.probabilities.buffer, insight.labels.buffer];
  const layer = insight.firstLayer;
  if (layer) buffers.push(layer.weights.buffer, layer.unitScale.buffer, layer.next.buffer, layer.topImages.buffer);
  const filters = insight.convFilters;
  if (filters) buffers.push(filters.weights.buffer, filters.scale.buffer, filters.bias.buffer);
  if (insight.followed) buffers.push(insight.followed.buffer);
  return buffers as ArrayBuffer[];
}

/** The buffers of feature maps, for the transfer list. */
export function featureMapBuffers(maps: FeatureMaps | undefined): ArrayBuffer[] {
  return (maps?.blocks ?? []).flatMap((block) => [block.values.buffer, block.scale.buffer]) as ArrayBuffer[];
}

/** A saliency map's input: its pixels, or a test image of the worker's latest run. */
export type SaliencyInput = Uint8Array | { testIndex: number; dataChecksum: string };

export type HostToWorker =
  | { type: 'start'; runId: number; request: StartRequest }
  | { type: 'stop'; runId: number }
  /** The verdict after `epoch` of a run started with `epochVerdict`: train the next epoch. */
  | { type: 'continue'; runId: number; epoch: number }
  | { type: 'classify'; requestId: number; files: string[]; modelDir: string; locale: string; nativeBackendFolders?: string[] }
  /**
   * Saliency under the saved model of one prepared 28 × 28 input (784 bytes), or of a test image the worker
   * holds from its latest run (named by index and its data's checksum, so the pixels need not travel back).
   */
  | { type: 'saliency'; requestId: number; input: SaliencyInput; modelDir: string };

export type WorkerToHost =
  | { type: 'event'; runId: number; event: TrainingEvent }
  /** The first 10,000 (or testLimit) test images, sent once per run after dataLoaded, for the grid. */
  | { type: 'testImages'; runId: number; images: Uint8Array; count: number }
  /** After each epoch's evaluation, when the host asked for insight (`StartRequest.insight`). */
  | { type: 'epochInsight'; runId: number; insight: EpochInsight }
  | { type: 'classified'; requestId: number; results: ClassificationResult[] }
  /** The saliency and, for a conv network, the feature maps of the same input under the same model. */
  | { type: 'saliency'; requestId: number; saliency?: SaliencyMap; featureMaps?: FeatureMaps; error?: UserError }
  | { type: 'rejected'; runId: number; error: UserError };
