// Regular files only, sizes checked before reading (core/regularFile.ts); image decoders bounded by what
// they will allocate (core/image/decodeBudget.ts); a keep of a run that fails leaves nothing and says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrainerError } from '../../src/core/errors';
import { decodeImageBytes, decodeImageFile } from '../../src/core/image/image';
import { ownerRecordText } from '../../src/core/modelFiles/modelFolder';
import { saveError } from '../../src/core/modelFiles/folderReplace';
import { readRegularFile, readRegularFileSync, UnreadableFileError } from '../../src/core/regularFile';
import { RunHistory } from '../../src/core/runs/runHistory';
import { zeroPng } from './syntheticPng';

const scratch = () => mkdtempSync(join(tmpdir(), 'regular-file-'));

async function refusedWith(read: () => Promise<unknown> | unknown, reason: string, pattern: RegExp): Promise<void> {
  try {
    await read();
  } catch (error) {
    assert.ok(error instanceof UnreadableFileError, String(error));
    assert.equal(error.reason, reason);
    assert.match(error.message, pattern);
    return;
  }
  assert.fail('expected a refusal');
}

test('a pipe, a device, a folder, a missing file and an oversized sparse file are refused at once, naming the file', async () => {
  const dir = scratch();
  const fifo = join(dir, 'weights.bin');
  execFileSync('mkfifo', [fifo]);
  const zero = join(dir, 'zero.bin');
  symlinkSync('/dev/zero', zero);
  const sparse = join(dir, 'sparse.bin');
  execFileSync('truncate', ['-s', '2G', sparse]);
  for (const read of [(p: string, n: number) => readRegularFile(p, n), (p: string, n: number) => readRegularFileSync(p, n)]) {
    await refusedWith(() => read(fifo, 1024), 'special', /weights\.bin is a named pipe, not a regular file/);
    await refusedWith(() => read(zero, 1024), 'special', /zero\.bin is a device, not a regular file/);
    await refusedWith(() => read(sparse, 1048576), 'tooLarge', /sparse\.bin is 2048\.0 MB, more than the 1\.0 MB/);
    await refusedWith(() => read(dir, 1024), 'folder', /is a folder, not a file/);
    await refusedWith(() => read(join(dir, 'nope'), 1024), 'missing', /nope does not exist/);
  }
  writeFileSync(join(dir, 'ok.txt'), 'twelve bytes');
  assert.equal((await readRegularFile(join(dir, 'ok.txt'), 12)).toString(), 'twelve bytes');
  assert.equal(readRegularFileSync(join(dir, 'ok.txt'), 12).toString(), 'twelve bytes');
  await refusedWith(() => readRegularFile(join(dir, 'ok.txt'), 11), 'tooLarge', /ok\.txt/);
});

test('an image that is a pipe is refused at once, as an image error naming it', async () => {
  const dir = scratch();
  execFileSync('mkfifo', [join(dir, 'photo.png')]);
  await assert.rejects(decodeImageFile(join(dir, 'photo.png')), (e: unknown) => e instanceof TrainerError && e.code === 'IMAGE_INVALID' && /photo\.png is a named pipe/.test(e.message));
});

test('decoders are bounded by what they would allocate: a small 16-bit PNG and a GIF frame larger than its picture are refused first', async () => {
  // 49 megapixels: under the pixel limit, but 16 bits a channel inflate to far more than the decoding budget.
  const png = zeroPng(7000, 7000, 16);
  assert.ok(png.length < 1048576, `${png.length} bytes`);
  await assert.rejects(decodeImageBytes(png, 'deep.png'), (e: unknown) => e instanceof TrainerError && e.code === 'IMAGE_TOO_LARGE' && /deep\.png would take \d+ MB of memory; up to 512 MB/.test(e.message));
  // The same picture at 8 bits and a modest size decodes.
  const small = await decodeImageBytes(zeroPng(300, 200, 8), 'small.png');
  assert.deepEqual([small.width, small.height], [300, 200]);
  // A 1 x 1 GIF whose one frame says 65535 x 65535 (35 bytes).
  const gif = Buffer.from([
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
    0x2c, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
  ]);
  await assert.rejects(decodeImageBytes(gif, 'frame.gif'), (e: unknown) => e instanceof TrainerError && e.code === 'IMAGE_TOO_LARGE' && /frame of 65535 x 65535/.test(e.message));
  // A GIF whose data ends before its frame is complete is damaged, not a picture (omggif only warned, on stdout).
  const truncated = Buffer.from(gif);
  truncated.writeUInt16LE(1, 24);
  truncated.writeUInt16LE(1, 26);
  truncated.writeUInt16LE(4, 6);
  truncated.writeUInt16LE(4, 8);
  truncated.writeUInt16LE(4, 24);
  truncated.writeUInt16LE(4, 26);
  const printed: unknown[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void printed.push(args);
  try {
    await assert.rejects(decodeImageBytes(truncated, 'short.gif'), (e: unknown) => e instanceof TrainerError && e.code === 'IMAGE_INVALID' && /short\.gif could not be decoded/.test(e.message));
  } finally {
    console.log = log;
  }
  assert.deepEqual(printed, [], 'the decoder printed nothing');
});

test('a keep that fails (a full disk) leaves no run folder and a message that does not claim a previous model was kept', async () => {
  const history = new RunHistory(scratch());
  const id = await history.createRun(new Date('2026-12-01T08:00:00Z'));
  // What the failed model copy left: its temporary folder.
  mkdirSync(join(history.runDir(id), '.model.tmp-4242-deadbeef'));
  writeFileSync(join(history.runDir(id), '.model.tmp-4242-deadbeef', 'saved-by.json'), ownerRecordText());
  const failure = saveError(history.modelDir(id), Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
  const reported = await history.abandonRun(id, failure);
  assert.equal(reported.code, 'RUN_HISTORY');
  assert.match(reported.message, /could not be written to the run history .*no space left on device/);
  assert.doesNotMatch(`${reported.message} ${reported.action}`, /previous model/);
  assert.deepEqual(readdirSync(history.root), [], 'no empty run folder is left');
});
