/** The record a saved model carries: what was trained, how, and how well. */
import type { BackendName, HyperParameters } from './hyperParameters';
import type { RunOutcome } from './metrics';

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
  /** How the run ended and whether the model holds the best or the last epoch's weights (absent before 0.2). */
  outcome?: RunOutcome;
}

export interface SavedModelInfo {
  directory: string;
  record: RunRecord;
}
