// The setup command is offered once, ever: on the first `auto` run that had to do without tfjs-node.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NATIVE_BACKEND_OFFERED_KEY, NativeBackendOffer } from '../../src/host/nativeBackendOffer';
import type { BackendInfo } from '../../src/domain/hyperParameters';
import type { TrainingEvent } from '../../src/protocol/events';

function setup(answer: boolean) {
  const stored = new Map<string, unknown>();
  const asked: string[] = [];
  let setUps = 0;
  const offer = new NativeBackendOffer({
    memory: { get: (key) => stored.get(key), update: async (key, value) => void stored.set(key, value) },
    ask: async (message) => (asked.push(message), answer),
    setUp: () => setUps++,
  });
  return { offer, stored, asked, setUps: () => setUps };
}

const backend = (info: Partial<BackendInfo>): TrainingEvent => ({
  type: 'backend',
  backend: { requested: 'auto', name: 'wasm', reason: 'tfjs-node is not used (it was not found in /c/native-backend).', ...info },
});

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('the first auto run without tfjs-node offers the command, with the reason; later runs do not', async () => {
  const { offer, stored, asked, setUps } = setup(true);
  assert.equal(offer.consider(backend({ nativeProblem: 'notFound' })), true);
  await settle();
  assert.equal(asked.length, 1);
  assert.match(asked[0], /it was not found in \/c\/native-backend/);
  assert.equal(setUps(), 1, 'pressing the button runs the setup');
  assert.equal(stored.get(NATIVE_BACKEND_OFFERED_KEY), true);
  assert.equal(offer.consider(backend({ nativeProblem: 'failed' })), false);
  assert.equal(asked.length, 1);
});

test('dismissing the offer still counts: it is never asked again, and nothing is set up', async () => {
  const { offer, asked, setUps } = setup(false);
  offer.consider(backend({ nativeProblem: 'failed' }));
  await settle();
  offer.consider(backend({ nativeProblem: 'failed' }));
  assert.equal(asked.length, 1);
  assert.equal(setUps(), 0);
});

test('no offer when tfjs-node runs, when another backend was chosen, or for other events', () => {
  const { offer, asked } = setup(true);
  assert.equal(offer.consider(backend({ name: 'tensorflow' })), false);
  assert.equal(offer.consider(backend({ requested: 'wasm' })), false);
  assert.equal(offer.consider(backend({ requested: 'cpu', name: 'cpu' })), false);
  assert.equal(offer.consider({ type: 'notice', message: 'x' }), false);
  assert.deepEqual(asked, []);
});
