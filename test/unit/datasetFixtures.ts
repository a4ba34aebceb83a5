// Crafted IDX files for the dataset and download tests: tiny (a few images), written to a temp folder at
// test time, with the expected digests computed from the bytes so the loader's checks can be exercised.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DATA_FILES, type DataFileKey, type DataFileSpec } from '../../src/core/data/dataset';
import { sha256Hex } from '../../src/core/data/idx';

export function idxImages(count: number, options: { rows?: number; cols?: number; magic?: number; seed?: number } = {}): Buffer {
  const rows = options.rows ?? 28;
  const cols = options.cols ?? 28;
  const bytes = Buffer.alloc(16 + count * rows * cols);
  bytes.writeUInt32BE(options.magic ?? 2051, 0);
  bytes.writeUInt32BE(count, 4);
  bytes.writeUInt32BE(rows, 8);
  bytes.writeUInt32BE(cols, 12);
  // Distinct, deterministic pixels per image, so a wrong offset or a mixed-up file shows.
  const seed = options.seed ?? 1;
  for (let i = 16; i < bytes.length; i++) bytes[i] = (i * 31 + seed * 7) % 256;
  return bytes;
}

export function idxLabels(labels: number[], options: { magic?: number } = {}): Buffer {
  const bytes = Buffer.alloc(8 + labels.length);
  bytes.writeUInt32BE(options.magic ?? 2049, 0);
  bytes.writeUInt32BE(labels.length, 4);
  labels.forEach((label, i) => (bytes[8 + i] = label));
  return bytes;
}

export const TRAIN_LABELS = [9, 0, 3];
export const TEST_LABELS = [7, 1];

/** The four crafted files (decompressed), 3 training and 2 test images, in DATA_FILES order. */
export function craftedFiles(): Map<DataFileKey, Buffer> {
  return new Map<DataFileKey, Buffer>([
    ['trainImages', idxImages(TRAIN_LABELS.length, { seed: 1 })],
    ['trainLabels', idxLabels(TRAIN_LABELS)],
    ['testImages', idxImages(TEST_LABELS.length, { seed: 2 })],
    ['testLabels', idxLabels(TEST_LABELS)],
  ]);
}

/** Expected files matching `craftedFiles()`: real names, crafted digests and counts. */
export function craftedSpecs(files = craftedFiles()): DataFileSpec[] {
  return DATA_FILES.map((spec) => {
    const bytes = files.get(spec.key)!;
    const count = bytes.readUInt32BE(4);
    return { ...spec, sha256: sha256Hex(bytes), count };
  });
}

/** Writes the files into `dir` (created), gzipped as `<name>.gz` or raw as `<name>`. */
export function writeDataFolder(dir: string, options: { gzip: boolean; files?: Map<DataFileKey, Buffer>; only?: DataFileKey[] }): string {
  mkdirSync(dir, { recursive: true });
  const files = options.files ?? craftedFiles();
  for (const spec of DATA_FILES) {
    if (options.only && !options.only.includes(spec.key)) continue;
    const bytes = files.get(spec.key)!;
    if (options.gzip) writeFileSync(join(dir, `${spec.name}.gz`), gzipSync(bytes));
    else writeFileSync(join(dir, spec.name), bytes);
  }
  return dir;
}

/** A fresh temp folder, removed by the returned cleanup. */
export function tempFolder(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `fmt-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
