// Run records are data from outside: checked field by field at load (runRecordCheck.ts), a damaged one listed
// with its reason; pruning never follows a symbolic link; a keep cut off by a crash is reported, then removed
// only when everything in it is provably the history's own; special files are refused at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrainerError } from '../../src/core/errors';
import { ownerRecordText } from '../../src/core/modelFiles/modelFolder';
import { compareRuns } from '../../src/core/runs/runComparison';
import { checkRunRecord } from '../../src/core/runs/runRecordCheck';
import { RunHistory } from '../../src/core/runs/runHistory';
import { historyRecord } from './runRecordFixture';

const scratch = () => mkdtempSync(join(tmpdir(), 'run-records-'));

const record = (id: string) => historyRecord(id);

const ID = '20261201-080000-abcd';
const reasonOf = (change: (r: Record<string, unknown>) => void): string => {
  const raw = JSON.parse(JSON.stringify(record(ID))) as Record<string, unknown>;
  change(raw);
  const checked = checkRunRecord(JSON.stringify(raw));
  assert.ok('problem' in checked && checked.problem === 'fields', `accepted: ${JSON.stringify(raw).slice(0, 200)}`);
  return checked.reason;
};
const history = (r: Record<string, unknown>) => r.history as Record<string, unknown>[];

test('a good record passes whole; each damaged field is refused with a reason that names it', () => {
  const good = checkRunRecord(JSON.stringify(record(ID)));
  assert.ok('record' in good);
  assert.deepEqual(good.record, record(ID));

  assert.match(reasonOf((r) => (history(r)[2].epoch = 1e9)), /history item 3 epoch is 1000000000/);
  assert.match(reasonOf((r) => (history(r)[0].testAccuracy = 42)), /history item 1 testAccuracy is 42, outside 0 to 1/);
  assert.match(reasonOf((r) => (history(r)[0].loss = 'NaN')), /loss is not a number/);
  assert.match(reasonOf((r) => (r.history = { map: 1 })), /history is not a list/);
  assert.match(reasonOf((r) => ((r.outcome as Record<string, unknown>).epochsRun = 2)), /epochsRun is 2 but the history holds 3/);
  assert.match(reasonOf((r) => ((r.outcome as Record<string, unknown>).bestEpoch = 7)), /bestEpoch is 7/);
  assert.match(reasonOf((r) => (history(r)[1].epoch = 3)), /history item 2 is numbered epoch 3/);
  assert.match(reasonOf((r) => ((r.params as Record<string, unknown>).epochs = 1e9)), /params epochs is outside what the settings allow/);
  assert.match(reasonOf((r) => ((r.params as Record<string, unknown>).epochs = 2)), /3 epochs ran of the 2 asked for/);
  assert.match(reasonOf((r) => (r.backend = 'webgl\u001b[2J')), /backend is not one of/);
  assert.match(reasonOf((r) => (r.confusion = Array(11).fill(Array(10).fill(0)))), /confusion has 11 items/);
  assert.match(reasonOf((r) => (r.confusion = Array(10).fill(Array(10).fill(100)))), /confusion matrix counts 10000 images of 100/);
  assert.match(reasonOf((r) => (r.perClassAccuracy = Array(10).fill(42))), /perClassAccuracy item 1 is 42/);
  assert.match(reasonOf((r) => delete r.outcome), /has no outcome/);
  assert.match(reasonOf((r) => (r.tfjsVersion = '4.22\n\u001b]0;x')), /tfjsVersion is not in the expected form/);
  // A field another branch added (a sweep's trials name their sweep) is checked like the rest.
  assert.match(reasonOf((r) => (r.sweepId = 'sweep-\u001b[2J')), /sweepId is not in the expected form/);
  assert.ok('record' in checkRunRecord(JSON.stringify({ ...record(ID), sweepId: 'sweep-20261201-080000-abcd' })));
  assert.equal((checkRunRecord('{"format":"fashion-mnist-trainer/run","version":2}') as { problem: string }).problem, 'version');
  assert.equal((checkRunRecord('[1,2]') as { problem: string }).problem, 'foreign');
  assert.equal((checkRunRecord('{"format":') as { problem: string }).problem, 'json');
});

async function addRun(history: RunHistory, id: string, model = true): Promise<void> {
  mkdirSync(history.runDir(id), { recursive: true });
  if (model) {
    mkdirSync(history.modelDir(id));
    writeFileSync(join(history.modelDir(id), 'model.json'), '{}');
    writeFileSync(join(history.modelDir(id), 'weights.bin'), 'w');
    writeFileSync(join(history.modelDir(id), 'saved-by.json'), ownerRecordText());
  }
  await history.writeRecord(record(id));
}

test('a damaged record is listed as damaged with its reason, and opening it is a clear error, never a crash', async () => {
  const root = scratch();
  const runs = new RunHistory(root);
  await addRun(runs, '20261201-080000-0001');
  const bad = '20261201-090000-0002';
  mkdirSync(runs.runDir(bad));
  const raw = record(bad);
  raw.history[1].epoch = 1e9;
  writeFileSync(join(runs.runDir(bad), 'run.json'), JSON.stringify(raw));
  const { runs: listed, damaged } = await runs.list();
  assert.deepEqual(listed.map((r) => r.id), ['20261201-080000-0001']);
  assert.equal(damaged.length, 1);
  assert.equal(damaged[0].name, bad);
  assert.match(damaged[0].reason, /run\.json is damaged: history item 2 epoch is 1000000000/);
  await assert.rejects(runs.load(bad), (e: unknown) => e instanceof TrainerError && e.code === 'NO_RUN' && /history item 2/.test(e.message));
  // What loads is safe to compare: every number in range.
  const good = await runs.load('20261201-080000-0001');
  assert.equal(compareRuns([good, good]).curves.length, 3);
});

test('a named pipe or a huge file as run.json is refused at once, naming it', async () => {
  const root = scratch();
  const runs = new RunHistory(root);
  const fifo = '20261201-100000-0003';
  mkdirSync(runs.runDir(fifo));
  execFileSync('mkfifo', [join(runs.runDir(fifo), 'run.json')]);
  const huge = '20261201-110000-0004';
  mkdirSync(runs.runDir(huge));
  execFileSync('truncate', ['-s', '2G', join(runs.runDir(huge), 'run.json')]);
  const { damaged } = await runs.list();
  const reason = (id: string) => damaged.find((d) => d.name === id)?.reason ?? '';
  assert.match(reason(fifo), /run\.json is a named pipe, not a regular file/);
  assert.match(reason(huge), /run\.json is 2048\.0 MB, more than the 16\.0 MB/);
});

test('pruning never follows a symbolic link: a linked model folder and what it points to stay', async () => {
  const root = scratch();
  const runs = new RunHistory(join(root, 'history'), 1);
  const elsewhere = join(root, 'my-models');
  mkdirSync(elsewhere);
  writeFileSync(join(elsewhere, 'model.json'), 'MINE');
  writeFileSync(join(elsewhere, 'weights.bin'), 'MINE');
  writeFileSync(join(elsewhere, 'saved-by.json'), ownerRecordText());
  const linked = '20261201-080000-0005';
  await addRun(runs, linked, false);
  symlinkSync(elsewhere, runs.modelDir(linked));
  await addRun(runs, '20261201-090000-0006');
  await addRun(runs, '20261201-100000-0007');
  await runs.pruneModels();
  assert.deepEqual(readdirSync(elsewhere).sort(), ['model.json', 'saved-by.json', 'weights.bin'], 'the folder the link points to is untouched');
  assert.equal(readFileSync(join(elsewhere, 'model.json'), 'utf8'), 'MINE');
  await runs.delete(linked);
  assert.equal(readFileSync(join(elsewhere, 'weights.bin'), 'utf8'), 'MINE', 'deleting the run leaves it too');
  assert.ok(!existsSync(runs.modelDir('20261201-090000-0006')), 'an own model beyond the kept number is pruned');
});

test('a keep cut off by a crash is reported by runs, then removed by the next keep, only when all of it is the history’s own', async () => {
  const root = scratch();
  const runs = new RunHistory(root, 5, 0);
  await addRun(runs, '20261201-080000-0008');
  // What kill -9 during the model copy leaves: a run folder with no record, a half-written temporary model and its lock.
  const cut = '20261201-090000-0009';
  mkdirSync(join(runs.runDir(cut), '.model.tmp-4242-deadbeef'), { recursive: true });
  writeFileSync(join(runs.runDir(cut), '.model.tmp-4242-deadbeef', 'saved-by.json'), ownerRecordText());
  writeFileSync(join(runs.runDir(cut), '.model.tmp-4242-deadbeef', 'weights.bin'), Buffer.alloc(1024));
  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  writeFileSync(join(runs.runDir(cut), '.model.lock'), JSON.stringify({ pid: dead, tag: '4242-deadbeef', date: new Date().toISOString() }));
  // The same, but the user put a file in it: not provably ours, so it stays (and is reported).
  const mixed = '20261201-100000-000a';
  mkdirSync(join(runs.runDir(mixed), '.model.tmp-4243-deadbeef'), { recursive: true });
  writeFileSync(join(runs.runDir(mixed), 'notes.txt'), 'mine');

  const { damaged } = await runs.list();
  assert.match(damaged.find((d) => d.name === cut)?.reason ?? '', /interrupted while it was being kept/);
  assert.ok(existsSync(runs.runDir(cut)), 'listing removes nothing');
  await runs.pruneModels();
  assert.ok(!existsSync(runs.runDir(cut)), 'the crash leftovers are gone');
  assert.equal(readFileSync(join(runs.runDir(mixed), 'notes.txt'), 'utf8'), 'mine');
  assert.match((await runs.list()).damaged.find((d) => d.name === mixed)?.reason ?? '', /holds files the run history did not write/);
  assert.ok(existsSync(join(runs.runDir(mixed), '.model.tmp-4243-deadbeef')));

  // A keep in progress (fresh, or its lock held by a live process) is neither reported nor removed.
  const patient = new RunHistory(root, 5);
  const fresh = '20261201-110000-000b';
  mkdirSync(join(patient.runDir(fresh), 'model'), { recursive: true });
  assert.equal((await patient.list()).damaged.some((d) => d.name === fresh), false);
  await patient.pruneModels();
  assert.ok(existsSync(patient.runDir(fresh)));
});
