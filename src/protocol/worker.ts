/** The host/CLI <-> worker channel: requests in, events and results out. */
import type { ClassificationResult } from '../domain/classification';
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
  /** Keep the run (record and model) in the per-user run history; undefined = do not. */
  runHistory?: { dir: string; keepModels: number };
  /**
   * Folders that may hold node_modules/@tensorflow/tfjs-node, tried in order (the user's folder, the
   * per-user install, the program's own); undefined = the worker's default search.
   */
  nativeBackendFolders?: string[];
}

export type HostToWorker =
  | { type: 'start'; runId: number; request: StartRequest }
  | { type: 'stop'; runId: number }
  | { type: 'classify'; requestId: number; files: string[]; modelDir: string; locale: string; nativeBackendFolders?: string[] };

export type WorkerToHost =
  | { type: 'event'; runId: number; event: TrainingEvent }
  /** The first 10,000 (or testLimit) test images, sent once per run after dataLoaded, for the grid. */
  | { type: 'testImages'; runId: number; images: Uint8Array; count: number }
  | { type: 'classified'; requestId: number; results: ClassificationResult[] }
  | { type: 'rejected'; runId: number; error: UserError };
