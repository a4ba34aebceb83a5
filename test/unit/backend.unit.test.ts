import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { selectBackend, wasmDirectory, type Tf } from '../../src/training/backend';
import { TrainerError } from '../../src/core/errors';

const missingNode = (): Tf | undefined => undefined;

test('auto without tfjs-node takes wasm and says why', async () => {
  const { tf, info } = await selectBackend('auto', missingNode);
  assert.equal(info.name, 'wasm');
  assert.equal(info.requested, 'auto');
  assert.equal(tf.getBackend(), 'wasm');
  assert.match(info.reason, /tfjs-node is not installed/);
});

test('node without tfjs-node is BACKEND_UNAVAILABLE with an action', async () => {
  await assert.rejects(selectBackend('node', missingNode), (error: unknown) => {
    assert.ok(error instanceof TrainerError);
    assert.equal(error.code, 'BACKEND_UNAVAILABLE');
    assert.match(error.action ?? '', /npm install @tensorflow\/tfjs-node/);
    return true;
  });
});

test('auto prefers tfjs-node when it loads, and returns its namespace', async () => {
  let asked = '';
  const fakeNode = { setBackend: async (name: string) => ((asked = name), true) } as unknown as Tf;
  const { tf, info } = await selectBackend('auto', () => fakeNode);
  assert.equal(tf, fakeNode);
  assert.equal(info.name, 'tensorflow');
  assert.equal(asked, 'tensorflow');
});

test('cpu and wasm can be chosen explicitly and switched between', async () => {
  const cpu = await selectBackend('cpu', missingNode);
  assert.equal(cpu.info.name, 'cpu');
  assert.equal(cpu.tf.getBackend(), 'cpu');
  const wasm = await selectBackend('wasm', missingNode);
  assert.equal(wasm.info.name, 'wasm');
  assert.equal(wasm.tf.getBackend(), 'wasm');
});

test('the wasm files are found from the sources (tsx) and beside a bundle', () => {
  const fromSources = wasmDirectory(join(__dirname, '..', '..', 'src', 'core'));
  assert.ok(fromSources !== undefined && existsSync(join(fromSources, 'tfjs-backend-wasm-simd.wasm')));
  assert.equal(wasmDirectory(fromSources), fromSources);
  assert.equal(wasmDirectory('/'), undefined);
});
