import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_FOLLOWED_FILES, MAX_PINS, parsePins, PinStore } from '../../src/host/pinStore';
import { parseWebviewMessage } from '../../src/host/webviewMessages';

test('pins are kept in their file across store instances (a reload), in pinning order, without duplicates', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmt-pins-'));
  try {
    const file = join(dir, 'sub', 'pins.json');
    const store = new PinStore(file);
    assert.deepEqual(store.current, []);
    await store.set(42, true);
    await store.set(7, true);
    await store.set(42, true);
    assert.deepEqual(store.current, [7, 42]);
    assert.deepEqual(new PinStore(file).current, [7, 42]);
    await store.set(7, false);
    assert.deepEqual(new PinStore(file).current, [42]);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { tests: [42], files: [] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a damaged or foreign pins file reads as valid pins only; past the bound the oldest pin goes', async () => {
  assert.deepEqual(parsePins('{"tests":[1,2,'), { tests: [], files: [] });
  assert.deepEqual(parsePins('{"tests":[3,-1,2.5,"4",10000,9999,3]}'), { tests: [3, 9999], files: [] });
  assert.deepEqual(parsePins('[1,2]'), { tests: [], files: [] });
  assert.deepEqual(parsePins('{"files":["/a.png",3,"","/a.png","/b.png"]}'), { tests: [], files: ['/a.png', '/b.png'] });
  const dir = mkdtempSync(join(tmpdir(), 'fmt-pins-bound-'));
  try {
    const file = join(dir, 'pins.json');
    writeFileSync(file, JSON.stringify({ tests: Array.from({ length: MAX_PINS }, (_, i) => i) }));
    const store = new PinStore(file);
    await store.set(500, true);
    assert.equal(store.current.length, MAX_PINS);
    assert.equal(store.current[0], 1);
    assert.equal(store.current.at(-1), 500);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a setPin intent is accepted only with a test-image index and a boolean', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'setPin', index: 12, pinned: true }), { type: 'setPin', index: 12, pinned: true });
  assert.equal(parseWebviewMessage({ type: 'setPin', index: 10_000, pinned: true }), undefined);
  assert.equal(parseWebviewMessage({ type: 'setPin', index: 1.5, pinned: true }), undefined);
  assert.equal(parseWebviewMessage({ type: 'setPin', index: 3, pinned: 'yes' }), undefined);
});

test('followed files are kept beside the test pins, bounded, and a setFilePin intent needs a path and a boolean', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmt-pins-files-'));
  try {
    const file = join(dir, 'pins.json');
    const store = new PinStore(file);
    await store.set(3, true);
    for (let i = 0; i < MAX_FOLLOWED_FILES + 2; i++) await store.setFile(`/pictures/${i}.png`, true);
    await store.setFile('/pictures/5.png', false);
    const again = new PinStore(file);
    assert.deepEqual(again.current, [3]);
    assert.equal(again.files.length, MAX_FOLLOWED_FILES - 1);
    assert.equal(again.files[0], '/pictures/2.png', 'past the bound the oldest goes');
    assert.equal(again.files.includes('/pictures/5.png'), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(parseWebviewMessage({ type: 'setFilePin', file: '/a.png', pinned: true }), { type: 'setFilePin', file: '/a.png', pinned: true });
  assert.equal(parseWebviewMessage({ type: 'setFilePin', file: '', pinned: true }), undefined);
  assert.equal(parseWebviewMessage({ type: 'setFilePin', file: '/a.png', pinned: 1 }), undefined);
});

