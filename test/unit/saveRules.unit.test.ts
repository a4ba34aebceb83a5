// The rules that protect the user's files, decided in core/modelFiles and shared by the CLI's save, the
// worker's save and the extension's export and import (which all end in replaceFolder / copyModelFolder).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrainerError } from '../../src/core/errors';
import { TimeoutError, withTimeout } from '../../src/core/atomicWrite';
import { checkSaveTarget } from '../../src/core/modelFiles/saveTarget';
import { modelFolderToRead, nodeFileSystem, replaceFolder } from '../../src/core/modelFiles/folderReplace';
import { copyModelFolder } from '../../src/core/modelFiles/modelCopy';
import { expandHome, describePath, invocationFolder, resolveUserPath } from '../../src/core/userPath';
import { SAVED_RUN_RECORD } from './runRecordFixture';

const record = SAVED_RUN_RECORD;

const modelJson = {
  format: 'layers-model',
  modelTopology: {
    class_name: 'Sequential',
    config: {
      layers: [
        { class_name: 'Flatten', config: { name: 'flatten', batch_input_shape: [null, 28, 28] } },
        { class_name: 'Dense', config: { name: 'dense', units: 10, activation: 'softmax' } },
      ],
    },
  },
  weightsManifest: [{ paths: ['weights.bin'], weights: [] }],
};

function writeModel(dir: string, weights: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
  writeFileSync(join(dir, 'weights.bin'), weights);
  writeFileSync(join(dir, 'run.json'), JSON.stringify(record));
}

/** A folder with a model to copy (what an export or import reads), and a scratch root. */
function scratch(): { root: string; source: string; done: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'fmt-rules-'));
  const source = join(root, 'source');
  writeModel(source, 'NEW');
  return { root, source, done: () => rmSync(root, { recursive: true, force: true }) };
}

async function refused(promise: Promise<unknown>, pattern: RegExp): Promise<TrainerError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TrainerError, String(error));
    assert.equal(error.code, 'MODEL_SAVE');
    assert.match(error.message, pattern);
    assert.ok(error.action, 'says what to do');
    return error;
  }
  assert.fail(`expected a refusal matching ${pattern}`);
}

function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '']).pid;
  assert.ok(pid !== undefined);
  return pid;
}

const hidden = (dir: string) => readdirSync(dir).filter((name) => name.startsWith('.'));

test('an empty path, a file, a folder of the user and a model someone else wrote are refused, and left as they were', async () => {
  const { root, done } = scratch();
  try {
    await refused(checkSaveTarget(''), /empty/);
    await refused(checkSaveTarget('   '), /empty/);
    writeFileSync(join(root, 'notes.txt'), 'mine');
    await refused(checkSaveTarget(join(root, 'notes.txt'), { typed: 'notes.txt' }), /notes\.txt \(.*notes\.txt\) is a file/);
    assert.equal(readFileSync(join(root, 'notes.txt'), 'utf8'), 'mine');
    mkdirSync(join(root, 'project', 'src'), { recursive: true });
    writeFileSync(join(root, 'project', 'package.json'), '{}');
    const error = await refused(checkSaveTarget(join(root, 'project')), /holds files this tool did not write \((package\.json, src|src, package\.json)\)/);
    assert.equal(error.file, join(root, 'project'));
    mkdirSync(join(root, 'theirs'));
    writeFileSync(join(root, 'theirs', 'model.json'), '{}');
    await refused(checkSaveTarget(join(root, 'theirs')), /did not save/);
    await refused(checkSaveTarget(join(root, 'notes.txt', 'model')), /because .*notes\.txt is a file/);
    assert.deepEqual(readdirSync(join(root, 'project')).sort(), ['package.json', 'src']);
  } finally {
    done();
  }
});

test('a new folder, an empty folder and a model folder the tool wrote are accepted; the probe leaves nothing behind', async () => {
  const { root, source, done } = scratch();
  try {
    assert.equal(await checkSaveTarget(join(root, 'a', 'b', 'new')), join(root, 'a', 'b', 'new'));
    assert.equal(existsSync(join(root, 'a')), false, 'the check creates nothing');
    mkdirSync(join(root, 'empty'));
    await checkSaveTarget(join(root, 'empty'));
    await checkSaveTarget(source);
    assert.deepEqual(hidden(root), []);
  } finally {
    done();
  }
});

test('special file systems are refused before anything is created there', async () => {
  await refused(checkSaveTarget('/proc/self/model', { platform: 'linux' }), /\/proc/);
  await refused(checkSaveTarget('/sys/model'), /\/sys/);
  await refused(checkSaveTarget('/dev/shm/../model'), /\/dev/);
});

test('a symbolic link is followed: the folder it points to gets the model, the link stays a link', async () => {
  const { root, source, done } = scratch();
  try {
    mkdirSync(join(root, 'real'));
    symlinkSync(join(root, 'real'), join(root, 'link'));
    const written = await copyModelFolder(source, join(root, 'link'));
    assert.equal(written, join(root, 'real'));
    assert.ok(lstatSync(join(root, 'link')).isSymbolicLink());
    assert.equal(readFileSync(join(root, 'link', 'weights.bin'), 'utf8'), 'NEW');
    symlinkSync(join(root, 'nowhere'), join(root, 'dangling'));
    await refused(checkSaveTarget(join(root, 'dangling')), /symbolic link/);
  } finally {
    done();
  }
});

test('a file-system call that does not answer ends in a time-out, not a hang', async () => {
  await assert.rejects(withTimeout(new Promise(() => undefined), 20), TimeoutError);
  assert.equal(await withTimeout(Promise.resolve(7), 1000), 7);
});

test('leftovers of interrupted saves are removed by the next save; a load reads a cut-off save’s backup in place and writes nothing', async () => {
  const { root, source, done } = scratch();
  try {
    const target = join(root, 'model');
    await copyModelFolder(source, target);
    // Left by saves that were killed: a temporary folder, and a backup whose removal failed.
    writeModel(join(root, '.model.tmp-999-deadbeef'), 'HALF');
    writeModel(join(root, '.model.old-999-beefcafe'), 'OLD');
    mkdirSync(join(root, '.model.tmp-998-00000000')); // killed before its first file
    await copyModelFolder(source, target);
    assert.deepEqual(hidden(root), []);
    assert.equal(readFileSync(join(target, 'weights.bin'), 'utf8'), 'NEW');

    // The user deletes the model; a stale backup is lying beside it: it must not come back.
    writeModel(join(root, '.model.old-999-beefcafe'), 'OLD');
    rmSync(target, { recursive: true });
    assert.equal(await modelFolderToRead(target), target, 'a backup no lock names is not read either');
    await copyModelFolder(source, join(root, 'other'));
    assert.equal(existsSync(target), false, 'the deleted model stays deleted');

    // A save that died between its renames: its lock names its backup. A load reads it where it lies...
    rmSync(join(root, '.model.old-999-beefcafe'), { recursive: true });
    writeModel(join(root, '.model.old-1-cafecafe'), 'PREVIOUS');
    writeFileSync(join(root, '.model.lock'), JSON.stringify({ pid: deadPid(), tag: '1-cafecafe', date: new Date().toISOString() }));
    writeModel(join(root, '.model.tmp-1-cafecafe'), 'UNFINISHED');
    const before = hidden(root).sort();
    assert.equal(await modelFolderToRead(target), join(root, '.model.old-1-cafecafe'));
    assert.deepEqual(hidden(root).sort(), before, 'loading wrote and deleted nothing');
    // ... and the next save puts it back before replacing it.
    await replaceFolder(target, nodeFileSystem, async (temp) => {
      assert.equal(readFileSync(join(target, 'weights.bin'), 'utf8'), 'PREVIOUS', 'the backup was put back first');
      writeModel(temp, 'NEWER');
    });
    assert.equal(readFileSync(join(target, 'weights.bin'), 'utf8'), 'NEWER');
    assert.deepEqual(hidden(root), []);
  } finally {
    done();
  }
});

test('a save removes only leftovers it can prove are its own: the user’s look-alike folders, files and links stay', async () => {
  const { root, source, done } = scratch();
  try {
    const target = join(root, 'proj');
    await copyModelFolder(source, target);
    // Named like leftovers, but the user's: a folder with a document, a link to a model folder elsewhere,
    // a probe that is not empty, a lock file that is not a lock record.
    mkdirSync(join(root, '.proj.old-2023'));
    writeFileSync(join(root, '.proj.old-2023', 'thesis.txt'), 'mine');
    const elsewhere = join(root, 'elsewhere');
    writeModel(elsewhere, 'KEEP');
    symlinkSync(elsewhere, join(root, '.proj.tmp-1-deadbeef'));
    mkdirSync(join(root, '.proj.probe-1-deadbeef'));
    writeFileSync(join(root, '.proj.probe-1-deadbeef', 'note.txt'), 'mine');
    writeFileSync(join(root, '.proj.lock-stale-2023'), 'my notes about locks');
    const look = hidden(root).sort();
    await copyModelFolder(source, target);
    assert.deepEqual(hidden(root).sort(), look, 'every look-alike stays');
    assert.equal(readFileSync(join(root, '.proj.old-2023', 'thesis.txt'), 'utf8'), 'mine');
    assert.equal(readFileSync(join(elsewhere, 'weights.bin'), 'utf8'), 'KEEP', 'a link is never followed');
    assert.ok(lstatSync(join(root, '.proj.tmp-1-deadbeef')).isSymbolicLink());

    // A folder that is not a model folder, next to a user's look-alike: reading it deletes nothing.
    mkdirSync(join(root, 'd', 'proj'), { recursive: true });
    mkdirSync(join(root, 'd', '.proj.old-2023'));
    writeFileSync(join(root, 'd', '.proj.old-2023', 'file.txt'), 'mine');
    assert.equal(await modelFolderToRead(join(root, 'd', 'proj')), join(root, 'd', 'proj'));
    assert.equal(readFileSync(join(root, 'd', '.proj.old-2023', 'file.txt'), 'utf8'), 'mine');
  } finally {
    done();
  }
});

test('concurrent saves to one folder end with the last one to finish, each reporting success in turn', async () => {
  const { root, done } = scratch();
  try {
    const target = join(root, 'model');
    const order: string[] = [];
    const save = (weights: string, delayMs: number) =>
      replaceFolder(target, nodeFileSystem, async (temp) => {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        writeFileSync(join(temp, 'weights.bin'), weights);
        writeFileSync(join(temp, 'run.json'), JSON.stringify(record));
        writeFileSync(join(temp, 'model.json'), JSON.stringify(modelJson));
      }).then(() => order.push(weights));
    await Promise.all([save('FIRST', 120), save('SECOND', 0), save('THIRD', 30)]);
    assert.equal(order.length, 3);
    assert.equal(readFileSync(join(target, 'weights.bin'), 'utf8'), order[order.length - 1], 'the model in place is the one that reported success last');
    assert.deepEqual(hidden(root), []);
  } finally {
    done();
  }
});

test('a save that finds the folder locked by a live process waits, then says so plainly', async () => {
  const { root, source, done } = scratch();
  try {
    const target = join(root, 'model');
    writeFileSync(join(root, '.model.lock'), JSON.stringify({ pid: process.ppid, tag: 'busy', date: new Date().toISOString() }));
    await refused(copyModelFolder(source, target, nodeFileSystem, { lockWaitMs: 150 }), /Another save .* is still in progress/);
    assert.equal(existsSync(target), false);
    assert.deepEqual(hidden(root), ['.model.lock'], 'the other save’s lock is not ours to remove');
  } finally {
    done();
  }
});

test('paths mean what the user typed: ~ in every form, relative to where the command ran (INIT_CWD under npm)', () => {
  assert.equal(expandHome('~', '/home/ana'), '/home/ana');
  assert.equal(expandHome('~/fm', '/home/ana'), join('/home/ana', 'fm'));
  assert.equal(expandHome('~fm', '/home/ana'), '~fm');
  assert.equal(expandHome('a/~/b', '/home/ana'), 'a/~/b');
  assert.equal(invocationFolder({ INIT_CWD: '/work/sub' }, '/work'), '/work/sub');
  assert.equal(invocationFolder({}, '/work'), '/work');
  assert.equal(invocationFolder({ INIT_CWD: 'relative' }, '/work'), '/work');
  assert.equal(resolveUserPath('shirt.png', '/work/sub'), '/work/sub/shirt.png');
  assert.equal(resolveUserPath('~/x', '/work/sub', '/home/ana'), '/home/ana/x');
  assert.equal(describePath('~/x', '/home/ana/x'), '~/x (/home/ana/x)');
  assert.equal(describePath('/abs', '/abs'), '/abs');
});
