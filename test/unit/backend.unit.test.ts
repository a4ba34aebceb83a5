import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { selectBackend, tfjsNodeLoader, wasmDirectory } from '../../src/training/backend';
import { loadTfjsNodeFrom } from '../../src/training/tfjsNodeLoader';
import { TrainerError } from '../../src/core/errors';
import { removeFolder, tempFolder, writeFakeTfjsNode } from './nativeBackendFixtures';

const missingNode = () => undefined;

// Four search folders: an empty one, one whose tfjs-node throws, one that registers nothing, two that work.
const empty = tempFolder();
const throwing = tempFolder();
const registersNothing = tempFolder();
const working = tempFolder();
const alsoWorking = tempFolder();
writeFakeTfjsNode(throwing, 'throws');
writeFakeTfjsNode(registersNothing, 'registersNothing');
writeFakeTfjsNode(working, 'works', 'working');
writeFakeTfjsNode(alsoWorking, 'works', 'alsoWorking');
after(() => [empty, throwing, registersNothing, working, alsoWorking].forEach(removeFolder));

function tag(tf: unknown): string | undefined {
  return (tf as { whichFake?: string }).whichFake;
}

test('auto without tfjs-node takes wasm and says why', async () => {
  const { tf, info } = await selectBackend('auto', missingNode);
  assert.equal(info.name, 'wasm');
  assert.equal(info.requested, 'auto');
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(info.nativeProblem, 'notFound');
  assert.match(info.reason, /tfjs-node is not used/);
});

test('node without tfjs-node is BACKEND_UNAVAILABLE with the setup command and the npm line as the action', async () => {
  await assert.rejects(selectBackend('node', missingNode), (error: unknown) => {
    assert.ok(error instanceof TrainerError);
    assert.equal(error.code, 'BACKEND_UNAVAILABLE');
    assert.match(error.action ?? '', /Set Up the Native Backend/);
    assert.match(error.action ?? '', /npm install --prefix ".*native-backend" @tensorflow\/tfjs-node@4\.22\.0/);
    return true;
  });
});

test('the loader takes the first folder in order whose tfjs-node works', async () => {
  const first = await loadTfjsNodeFrom([working, alsoWorking]);
  assert.equal(tag(first.tf), 'working');
  assert.equal(first.tf !== undefined && first.folder, working);
  const second = await loadTfjsNodeFrom([alsoWorking, working]);
  assert.equal(tag(second.tf), 'alsoWorking');
});

test('the loader skips a folder without tfjs-node, one whose tfjs-node throws and one that registers nothing', async () => {
  const load = await loadTfjsNodeFrom([empty, throwing, registersNothing, alsoWorking]);
  assert.equal(tag(load.tf), 'alsoWorking');
  assert.deepEqual(
    load.attempts.map((a) => [a.folder, a.problem]),
    [
      [empty, 'notFound'],
      [throwing, 'failed'],
      [registersNothing, 'failed'],
    ],
  );
  assert.match(load.attempts[1].detail ?? '', /libtensorflow\.so\.2: cannot open shared object file/);
  assert.match(load.attempts[2].detail ?? '', /did not register the tensorflow backend/);
});

test('a folder never borrows tfjs-node from a folder above it', async () => {
  // Plain require resolution from `nested` would find working/node_modules/@tensorflow/tfjs-node.
  const nested = join(working, 'nested');
  const load = await loadTfjsNodeFrom([nested]);
  assert.equal(load.tf, undefined);
  assert.deepEqual(load.attempts, [{ folder: nested, problem: 'notFound' }]);
});

test('auto uses a working tfjs-node and names the folder it came from', async () => {
  const { tf, info } = await selectBackend('auto', tfjsNodeLoader([empty, working]));
  assert.equal(tag(tf), 'working');
  assert.equal(info.name, 'tensorflow');
  assert.equal(info.nativeProblem, undefined);
  assert.ok(info.reason.includes(working), info.reason);
});

test('auto falls back to wasm when tfjs-node does not load, with the reason', async () => {
  const { tf, info } = await selectBackend('auto', tfjsNodeLoader([empty, throwing]));
  assert.equal(info.name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(info.nativeProblem, 'failed');
  assert.ok(info.reason.includes(throwing), info.reason);
  assert.match(info.reason, /libtensorflow\.so\.2/);
});

test('auto falls back to wasm when no folder has tfjs-node, naming the folders looked in', async () => {
  const { info } = await selectBackend('auto', tfjsNodeLoader([empty, join(empty, 'other')]));
  assert.equal(info.name, 'wasm');
  assert.equal(info.nativeProblem, 'notFound');
  assert.ok(info.reason.includes(`${empty}, ${join(empty, 'other')}`), info.reason);
});

test('node chosen explicitly fails with the reason tfjs-node did not load', async () => {
  await assert.rejects(selectBackend('node', tfjsNodeLoader([registersNothing])), (error: unknown) => {
    assert.ok(error instanceof TrainerError);
    assert.equal(error.code, 'BACKEND_UNAVAILABLE');
    assert.match(error.message, /did not register the tensorflow backend/);
    assert.equal(error.file, registersNothing);
    return true;
  });
});

test('node chosen explicitly uses a working tfjs-node', async () => {
  const { tf, info } = await selectBackend('node', tfjsNodeLoader([throwing, working]));
  assert.equal(tag(tf), 'working');
  assert.equal(info.name, 'tensorflow');
  assert.equal(info.requested, 'node');
});

test('cpu and wasm can be chosen explicitly and switched between, without looking for tfjs-node', async () => {
  const never = () => assert.fail('the cpu and wasm choices must not load tfjs-node');
  const cpu = await selectBackend('cpu', never);
  assert.equal(cpu.info.name, 'cpu');
  assert.equal(cpu.tf.getBackend(), 'cpu');
  const wasm = await selectBackend('wasm', never);
  assert.equal(wasm.info.name, 'wasm');
  assert.equal(wasm.tf.getBackend(), 'wasm');
  assert.equal(wasm.info.nativeProblem, undefined);
});

test('the wasm files are found from the sources (tsx) and beside a bundle', () => {
  const fromSources = wasmDirectory(join(__dirname, '..', '..', 'src', 'core'));
  assert.ok(fromSources !== undefined && existsSync(join(fromSources, 'tfjs-backend-wasm-simd.wasm')));
  assert.equal(wasmDirectory(fromSources), fromSources);
  assert.equal(wasmDirectory('/'), undefined);
});
