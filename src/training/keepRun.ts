/** Keeps a run in the run history: its folder, its model (a standard tfjs folder), its record, then old models pruned. */
import type { LayersModel } from '@tensorflow/tfjs';
import type { RunHistoryRecord, RunRecord } from '../domain/runRecord';
import { RunHistory } from '../core/runs/runHistory';
import { heldMetrics } from '../core/runs/runRecordFile';
import type { Tf } from './backend';
import { saveModel } from './modelStore';

/** Writes the run into `history` and returns its id. The model is written before the record, so a listed run's model is complete. */
export async function keepRun(tf: Tf, history: RunHistory, model: LayersModel | undefined, record: Omit<RunHistoryRecord, 'id'>): Promise<string> {
  const id = await history.createRun(new Date(record.startedAt));
  try {
    await keepRunFiles(tf, history, model, { ...record, id });
  } catch (error) {
    // Nothing half-kept stays behind (no empty run folder), and the message says what failed.
    throw await history.abandonRun(id, error);
  }
  await history.pruneModels();
  return id;
}

async function keepRunFiles(tf: Tf, history: RunHistory, model: LayersModel | undefined, full: RunHistoryRecord): Promise<void> {
  const { id, ...record } = full;
  const held = heldMetrics(full);
  if (model !== undefined && held !== undefined) {
    const modelRecord: RunRecord = {
      date: new Date(Date.parse(record.startedAt) + record.durationSeconds * 1000).toISOString(),
      params: record.params,
      backend: record.backend,
      trainAccuracy: held.accuracy,
      testAccuracy: held.testAccuracy,
      dataChecksum: record.dataChecksum,
      trainCount: record.trainCount,
      testCount: record.testCount,
      outcome: record.outcome,
    };
    await saveModel(tf, model, modelRecord, history.modelDir(id));
  }
  await history.writeRecord(full);
}
