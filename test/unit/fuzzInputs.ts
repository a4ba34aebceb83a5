/**
 * The fuzz driver fuzz.unit.test.ts runs in a child process with a bounded heap: mutated run records through
 * the history's loader (list, load, compare), and mutated images of every format through the decoder. Every
 * input must end as a value or a TrainerError (a clean sentence for the user); anything else, or a process
 * that grows past MEMORY_LIMIT_MB, is a failure. Deterministic: one seed, a fixed number of cases.
 * Prints one JSON line: { cases, accepted, refused } (or { failure } and exit code 1).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrainerError } from '../../src/core/errors';
import { decodeImageBytes } from '../../src/core/image/decode';
import { compareRuns } from '../../src/core/runs/runComparison';
import { RunHistory } from '../../src/core/runs/runHistory';
import { DEFAULT_HYPER_PARAMETERS } from '../../src/domain/hyperParameters';
import { createRng } from '../../src/core/seededRandom';
import { zeroPng } from './syntheticPng';

const MEMORY_LIMIT_MB = 1536;
const [recordCases, imageCasesPerFixture] = [Number(process.argv[2] ?? 400), Number(process.argv[3] ?? 40)];

// The project's own seeded generator: a failure is reproduced by rerunning.
const random = createRng(20261206);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

const HOSTILE_VALUES: unknown[] = [
  1e9, -1, 0, 42, 1e308, -1e308, 0.5, 3.7, '', 'x'.repeat(10_000), '\u001b[2J', '[a](command:x)', null, true, [], {}, [1e9],
  { map: 1 }, Array(2000).fill(0), { epoch: 1e9 }, '2026-13-45', 'NaN', Number.MAX_SAFE_INTEGER + 2,
];

function record(id: string): Record<string, unknown> {
  const epoch = (n: number) => ({ epoch: n, loss: 0.5, accuracy: 0.8, testLoss: 0.4, testAccuracy: 0.82, valLoss: 0.45, valAccuracy: 0.81, seconds: 1, samplesPerSecond: 900 });
  return {
    format: 'fashion-mnist-trainer/run', version: 1, id, startedAt: '2026-12-01T08:00:00.000Z', durationSeconds: 12,
    params: { ...structuredClone(DEFAULT_HYPER_PARAMETERS), epochs: 3, validationSplit: 0.1 }, backend: 'wasm', tfjsVersion: '4.22.0', dataChecksum: 'abc',
    trainCount: 540, validationCount: 60, testCount: 100, history: [epoch(1), epoch(2), epoch(3)],
    outcome: { end: 'completed', epochsRun: 3, monitor: 'val_loss', monitoredOn: 'validation', bestEpoch: 2, weights: 'best' },
    confusion: Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => (i === j ? 9 : 0))),
    perClassAccuracy: Array(10).fill(0.9),
  };
}

/** Every path to a leaf or object in `value`, for picking what to mutate. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((key) => paths((value as Record<string | number, unknown>)[key], [...prefix, key]))];
}

function mutateRecord(id: string): string {
  const raw = record(id);
  // Zero to two mutations: an untouched record must load, and the check must not refuse good data.
  for (let n = Math.floor(random() * 3); n > 0; n--) {
    const path = pick(paths(raw).filter((p) => p.length > 0 && p[0] !== 'id'));
    let holder = raw as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) holder = holder[key] as Record<string | number, unknown>;
    const last = path[path.length - 1];
    if (random() < 0.2) delete holder[last];
    else holder[last] = structuredClone(pick(HOSTILE_VALUES));
  }
  let text = JSON.stringify(raw);
  if (random() < 0.15) text = text.slice(0, Math.floor(random() * text.length));
  return text;
}

function check(ok: boolean, what: string, detail: unknown): void {
  if (ok) return;
  process.stdout.write(JSON.stringify({ failure: what, detail: detail instanceof Error ? `${detail.name}: ${detail.message}\n${detail.stack}` : String(detail) }) + '\n');
  process.exit(1);
}

function memoryCheck(what: string): void {
  const rss = process.memoryUsage().rss / 1048576;
  check(rss < MEMORY_LIMIT_MB, `${what}: ${Math.round(rss)} MB resident`, 'memory bound exceeded');
}

async function fuzzRecords(): Promise<{ accepted: number; refused: number }> {
  const root = mkdtempSync(join(tmpdir(), 'fuzz-records-'));
  let accepted = 0;
  let refused = 0;
  try {
    const history = new RunHistory(root);
    for (let i = 0; i < recordCases; i++) {
      const id = `20261201-${String(100000 + i).slice(-6)}-${(i % 65536).toString(16).padStart(4, '0')}`;
      mkdirSync(history.runDir(id));
      const text = mutateRecord(id);
      writeFileSync(join(history.runDir(id), 'run.json'), text);
      try {
        const loaded = await history.load(id);
        compareRuns([loaded, loaded]);
        accepted++;
      } catch (error) {
        check(error instanceof TrainerError, `record ${i} ${text.slice(0, 300)}`, error);
        refused++;
      }
      memoryCheck(`record ${i}`);
    }
    const listed = await history.list();
    check(listed.runs.length + listed.damaged.length === recordCases, 'every record listed as a run or as damaged', JSON.stringify(listed.warnings));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { accepted, refused };
}

const SIZES = [0, 1, 255, 256, 7000, 20000, 65535, 0x7fffffff, 0xffffffff];

function mutateImage(original: Buffer): Buffer {
  const bytes = Buffer.from(original);
  const kind = random();
  if (kind < 0.3) {
    // A size field near the start set to a lying value (PNG IHDR at 16, GIF screen at 6 and frames later, BMP at 18).
    const offset = pick([6, 8, 16, 18, 20, 22, 24, 26, Math.floor(random() * Math.min(64, bytes.length - 4))]);
    const value = pick(SIZES);
    if (offset + 4 <= bytes.length) {
      if (random() < 0.5) bytes.writeUInt32BE(value >>> 0, offset);
      else bytes.writeUInt32LE(value >>> 0, offset);
    }
  } else if (kind < 0.7) {
    for (let n = 1 + Math.floor(random() * 8); n > 0; n--) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
  } else if (kind < 0.85) {
    return bytes.subarray(0, Math.floor(random() * bytes.length));
  } else {
    // GIF: any image descriptor's width and height made huge.
    const at = bytes.indexOf(0x2c, 13);
    if (at > 0 && at + 9 <= bytes.length) bytes.writeUInt32LE(0xffffffff, at + 5);
  }
  return bytes;
}

async function fuzzImages(): Promise<{ accepted: number; refused: number }> {
  const fixtures = join(__dirname, '..', 'fixtures', 'images');
  const originals: [string, Buffer][] = [
    ...['light-90x140-00.png', 'other-transparent.png', 'dark-90x140-00.jpg', 'fmt-cmyk.jpg', 'other-light.gif', 'fmt-animated.gif', 'other-dark.bmp', 'fmt-rle8-colour.bmp', 'other-light.webp']
      .map((name) => [name, readFileSync(join(fixtures, name))] as [string, Buffer]),
    // A small 16-bit PNG (the kind that once took 1.28 GB to decode when its header was made large).
    ['sixteen-bit.png', zeroPng(64, 64, 16)],
  ];
  let accepted = 0;
  let refused = 0;
  for (const [name, original] of originals) {
    for (let i = 0; i < imageCasesPerFixture; i++) {
      const bytes = mutateImage(original);
      try {
        await decodeImageBytes(bytes, name);
        accepted++;
      } catch (error) {
        check(error instanceof TrainerError, `image ${name} case ${i}`, error);
        refused++;
      }
      memoryCheck(`image ${name} case ${i}`);
    }
  }
  return { accepted, refused };
}

void (async () => {
  // Whatever a decoder prints is part of the check: stdout must carry only the summary line.
  const records = await fuzzRecords();
  const images = await fuzzImages();
  process.stdout.write(JSON.stringify({ cases: recordCases + 10 * imageCasesPerFixture, records, images }) + '\n');
})().catch((error: unknown) => check(false, 'the driver itself', error));
