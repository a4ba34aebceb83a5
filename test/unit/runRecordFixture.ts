/** The run.json of a saved tutorial model, as the model-folder tests write it beside model.json. */
import { DEFAULT_HYPER_PARAMETERS } from '../../src/domain/hyperParameters';
import type { RunRecord } from '../../src/domain/runRecord';

export const SAVED_RUN_RECORD: RunRecord = {
  date: '2026-11-27T18:00:00Z',
  params: DEFAULT_HYPER_PARAMETERS,
  backend: 'wasm',
  trainAccuracy: 0.91,
  testAccuracy: 0.88,
  dataChecksum: 'abc',
  trainCount: 60000,
  testCount: 10000,
};
