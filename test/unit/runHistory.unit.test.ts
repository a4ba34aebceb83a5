// The run history: records written atomically and read back, newest first; damaged and foreign files
// skipped with a warning; models kept for the latest N and pinned runs; delete removes only its own files;
// concurrent writers; a history folder that is a file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readdirSync, existsSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRunId, newRunId, RunHistory } from '../../src/core/runs/runHistory';
import { defaultRunHistoryDir } from '../../src/core/runs/historyLocation';
import { TrainerError } from '../../src/core/errors';
import { RunSnapshotStore } from '../../src/core/runs/runSnapshot';
import { ownerRecordText } from '../../src/core/modelFiles/modelFolder';
import { DEFAULT_HYPER_PARAMETERS } from '../../src/domain/hyperParameters';
import { epoch, historyRecord } from './runRecordFixture';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'run-history-'));
}

const record = historyRecord;

/** Creates a run the way the worker does, with a stand-in model folder. */
async function addRun(history: RunHistory, startedAt: string, dropout = 0): Promise<string> {
  const id = await history.createRun(new Date(startedAt));
  mkdirSync(history.modelDir(id), { recursive: true });
  writeFileSync(join(history.modelDir(id), 'model.json'), '{}');
  writeFileSync(join(history.modelDir(id), 'weights.bin'), 'w');
  writeFileSync(join(history.modelDir(id), 'saved-by.json'), ownerRecordText());
  await history.writeRecord(record(id, startedAt, dropout));
  return id;
}

test('run ids sort by start time and are unique per writer', () => {
  const id = newRunId(new Date('2026-12-01T08:09:10Z'));
  assert.match(id, /^20261201-080910-[0-9a-f]{4}$/);
  assert.ok(isRunId(id));
  assert.ok(!isRunId('../etc'));
  assert.ok(newRunId(new Date('2026-12-01T08:09:11Z')) > id);
});

test('a written run reads back whole; the list holds summaries, newest first', async () => {
  const history = new RunHistory(scratch());
  const older = await addRun(history, '2026-12-01T08:00:00Z');
  const newer = await addRun(history, '2026-12-01T09:00:00Z', 0.2);
  const { runs, warnings } = await history.list();
  assert.deepEqual(warnings, []);
  assert.deepEqual(runs.map((r) => r.id), [newer, older]);
  const summary = runs[0];
  assert.equal(summary.bestEpoch, 2);
  assert.equal(summary.testAccuracy, 0.85, 'the held weights are the best epoch’s');
  assert.equal(summary.epochsRun, 3);
  assert.equal(summary.hasModel, true);
  assert.equal(summary.pinned, false);
  assert.equal(summary.params.architecture.hiddenLayers[0].dropout, 0.2);
  assert.ok(!('history' in summary), 'a summary does not hold the epochs (lazy loading)');
  assert.deepEqual(await history.load(newer), record(newer, '2026-12-01T09:00:00Z', 0.2));
  // No temporary file is left after the atomic write.
  assert.deepEqual(readdirSync(history.runDir(newer)).sort(), ['model', 'run.json']);
  assert.deepEqual(readdirSync(history.modelDir(newer)).sort(), ['model.json', 'saved-by.json', 'weights.bin']);
});

test('runs started within one second are listed by their start time, not by their ids\' random suffixes', async () => {
  const history = new RunHistory(scratch());
  const started = Array.from({ length: 8 }, (_, i) => `2026-12-01T08:00:00.${String(100 + i * 100)}Z`);
  const ids: string[] = [];
  for (const startedAt of started) ids.push(await addRun(history, startedAt));
  assert.equal(new Set(ids.map((id) => id.slice(0, 15))).size, 1, 'the same second in every id');
  const { runs } = await history.list();
  assert.deepEqual(runs.map((r) => r.id), [...ids].reverse());
});

test('damaged, foreign and newer files are skipped with a warning; a run still being written is skipped silently', async () => {
  const root = scratch();
  const history = new RunHistory(root);
  const good = await addRun(history, '2026-12-01T08:00:00Z');
  const broken = newRunId(new Date('2026-12-01T08:01:00Z'));
  mkdirSync(join(root, broken));
  writeFileSync(join(root, broken, 'run.json'), '{"format": "fashion-mnist-trainer/run", "version": 1, "id": "' + broken + '", "history": [');
  const foreign = newRunId(new Date('2026-12-01T08:02:00Z'));
  mkdirSync(join(root, foreign));
  writeFileSync(join(root, foreign, 'run.json'), JSON.stringify({ name: 'someone else’s run.json' }));
  const future = newRunId(new Date('2026-12-01T08:03:00Z'));
  mkdirSync(join(root, future));
  writeFileSync(join(root, future, 'run.json'), JSON.stringify({ ...record(future, '2026-12-01T08:03:00Z'), version: 99 }));
  const fieldless = newRunId(new Date('2026-12-01T08:04:00Z'));
  mkdirSync(join(root, fieldless));
  writeFileSync(join(root, fieldless, 'run.json'), JSON.stringify({ ...record(fieldless, '2026-12-01T08:04:00Z'), history: 'none' }));
  writeFileSync(join(root, 'notes.txt'), 'mine');
  mkdirSync(join(root, newRunId(new Date('2026-12-01T08:05:00Z')))); // being written: no record yet
  const { runs, damaged, warnings } = await history.list();
  assert.deepEqual(runs.map((r) => r.id), [good]);
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.ok(warnings.some((w) => w.includes('notes.txt') && /not a run/.test(w)));
  // Run folders whose record cannot be used are listed as damaged, each with why.
  const reason = (id: string) => damaged.find((d) => d.name === id)?.reason ?? '';
  assert.equal(damaged.length, 4, damaged.map((d) => d.reason).join('\n'));
  assert.match(reason(broken), /damaged/);
  assert.match(reason(foreign), /not a run record/);
  assert.match(reason(future), /newer version/);
  assert.match(reason(fieldless), /damaged: history is not a list/);
  await assert.rejects(history.load(broken), (e: unknown) => e instanceof TrainerError && e.code === 'NO_RUN' && /damaged/.test(e.message));
  await assert.rejects(history.load('nope'), (e: unknown) => e instanceof TrainerError && e.code === 'NO_RUN' && /npm run runs/.test(e.action ?? ''));
});

test('models are kept for the latest N runs and for pinned runs; records always stay', async () => {
  const history = new RunHistory(scratch(), 2);
  const ids: string[] = [];
  for (let hour = 10; hour < 15; hour++) ids.push(await addRun(history, `2026-12-01T${hour}:00:00Z`));
  await history.setPinned(ids[0], true);
  const removed = await history.pruneModels();
  assert.deepEqual(removed.sort(), [ids[1], ids[2]].sort());
  const { runs } = await history.list();
  assert.equal(runs.length, 5, 'every record stays');
  const withModel = runs.filter((r) => r.hasModel).map((r) => r.id).sort();
  assert.deepEqual(withModel, [ids[0], ids[3], ids[4]].sort());
  assert.equal(runs.find((r) => r.id === ids[0])?.pinned, true);
  assert.ok(!existsSync(history.modelDir(ids[1])), 'the model folder goes with its files');
  // Unpinning makes it an ordinary old run: its model goes at once.
  await history.setPinned(ids[0], false);
  assert.ok(!existsSync(history.modelDir(ids[0])));
});

test('delete removes the run’s own files only; a file someone put there stays, with its folder', async () => {
  const history = new RunHistory(scratch());
  const plain = await addRun(history, '2026-12-01T08:00:00Z');
  const annotated = await addRun(history, '2026-12-01T09:00:00Z');
  writeFileSync(join(history.runDir(annotated), 'my-notes.md'), 'keep me');
  await history.setPinned(annotated, true);
  await history.delete(plain);
  await history.delete(annotated);
  assert.ok(!existsSync(history.runDir(plain)));
  assert.deepEqual(readdirSync(history.runDir(annotated)), ['my-notes.md']);
  assert.equal(readFileSync(join(history.runDir(annotated), 'my-notes.md'), 'utf8'), 'keep me');
  assert.deepEqual((await history.list()).runs, []);
});

/** The dashboard the extension keeps for a run (a minimal finished state). */
async function addSnapshot(history: RunHistory, id: string): Promise<void> {
  await new RunSnapshotStore(history.snapshotDir(id)).save({ state: { status: 'finished', params: DEFAULT_HYPER_PARAMETERS, history: [epoch(1, 0.8)] } });
}

test('a run\'s kept dashboard is listed, goes with its model when pruned, and with the run when deleted; foreign files stay', async () => {
  const history = new RunHistory(scratch(), 1);
  const old = await addRun(history, '2026-12-01T08:00:00Z');
  await addSnapshot(history, old);
  writeFileSync(join(history.snapshotDir(old), 'notes.txt'), 'mine');
  assert.equal((await history.list()).runs[0].hasSnapshot, true);
  assert.ok(new RunSnapshotStore(history.snapshotDir(old)).load(), 'it reads back');
  const latest = await addRun(history, '2026-12-01T09:00:00Z');
  await addSnapshot(history, latest);
  assert.deepEqual(await history.pruneModels(), [old]);
  const runs = (await history.list()).runs;
  assert.deepEqual(runs.map((r) => [r.id, r.hasModel, r.hasSnapshot]), [[latest, true, true], [old, false, false]]);
  assert.deepEqual(readdirSync(history.snapshotDir(old)), ['notes.txt'], 'only the snapshot\'s own files are deleted');
  await history.delete(latest);
  assert.ok(!existsSync(history.runDir(latest)), 'the run\'s folder goes with its dashboard');
});

test('two writers at once (two windows, or a window and a terminal) lose nothing', async () => {
  const root = scratch();
  const a = new RunHistory(root, 3);
  const b = new RunHistory(root, 3);
  // The same second on both sides: the exclusive folder creation keeps the ids apart.
  const ids = await Promise.all(Array.from({ length: 16 }, (_, i) => addRun(i % 2 ? a : b, '2026-12-01T08:00:00Z')));
  assert.equal(new Set(ids).size, 16);
  await Promise.all([a.pruneModels(), b.pruneModels(), a.pruneModels()]);
  const { runs, warnings } = await a.list();
  assert.deepEqual(warnings, []);
  assert.equal(runs.length, 16);
  assert.equal(runs.filter((r) => r.hasModel).length, 3);
  // Rewriting a record while another writer lists never shows a half-written file.
  const rewrites = Array.from({ length: 20 }, () => a.writeRecord(record(ids[0], '2026-12-01T08:00:00Z')));
  const listings = Array.from({ length: 20 }, () => b.list());
  const results = await Promise.all([...rewrites, ...listings]);
  for (const listed of results.slice(20) as Awaited<ReturnType<RunHistory['list']>>[]) assert.deepEqual(listed.warnings, []);
});

test('a history folder that is a file is a clear error for writing and a warning for listing', async () => {
  const root = join(scratch(), 'runs');
  writeFileSync(root, 'not a folder');
  const history = new RunHistory(root);
  await assert.rejects(history.createRun(new Date()), (e: unknown) => e instanceof TrainerError && e.code === 'RUN_HISTORY' && e.file === root && /is a file/.test(e.message) && /runHistoryDirectory/.test(e.action ?? ''));
  const listed = await history.list();
  assert.deepEqual(listed.runs, []);
  assert.match(listed.warnings.join(' '), /is a file/);
  assert.deepEqual((await new RunHistory(join(scratch(), 'absent')).list()).runs, [], 'no folder yet: no runs, no warning');
});

test('the history folder is per user and shared: $FASHION_MNIST_RUNS, else runs under the XDG cache', () => {
  assert.equal(defaultRunHistoryDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux'), '/x/cache/fashion-mnist-trainer/runs');
  assert.equal(defaultRunHistoryDir({ FASHION_MNIST_RUNS: '/data/runs', XDG_CACHE_HOME: '/x/cache' }, 'linux'), '/data/runs');
  // A relative one is where the user ran the command (npm's INIT_CWD), never silently ignored.
  assert.equal(defaultRunHistoryDir({ FASHION_MNIST_RUNS: 'relative', INIT_CWD: '/home/ana/project', XDG_CACHE_HOME: '/x/cache' }, 'linux'), '/home/ana/project/relative');
});
