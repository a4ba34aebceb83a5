/**
 * The test images the user pinned on the dashboard (an index names the same test image in every run) and the
 * classified files they follow across the epochs of later runs (by path), kept across reloads and runs. One small JSON file, written atomically (core/atomicWrite.ts). No `vscode` import.
 */
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomically } from '../core/atomicWrite';
import { TEST_IMAGES } from '../domain/classes';

/** More pins than this would not fit the dashboard's pinned row; the oldest goes first. */
export const MAX_PINS = 24;

/** More followed files than this would slow every epoch down; the oldest goes first. */
export const MAX_FOLLOWED_FILES = 12;

export interface Pins {
  /** Test-image indices, in pinning order. */
  tests: number[];
  /** Classified files followed across the epochs (absolute paths), in pinning order. */
  files: string[];
}

/** The pins from a file's text: valid, distinct test-image indices and file paths, at most MAX_PINS / MAX_FOLLOWED_FILES. */
export function parsePins(text: string): Pins {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { tests: [], files: [] };
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as { tests?: unknown; files?: unknown }) : {};
  const tests = Array.isArray(record.tests) ? record.tests.filter((n): n is number => Number.isInteger(n) && n >= 0 && n < TEST_IMAGES) : [];
  const files = Array.isArray(record.files) ? record.files.filter((f): f is string => typeof f === 'string' && f.length > 0 && f.length < 4096) : [];
  return { tests: [...new Set(tests)].slice(-MAX_PINS), files: [...new Set(files)].slice(-MAX_FOLLOWED_FILES) };
}

export class PinStore {
  private pins: Pins | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  private get all(): Pins {
    this.pins ??= existsSync(this.file) ? parsePins(readFileSync(this.file, 'utf8')) : { tests: [], files: [] };
    return this.pins;
  }

  /** The pinned test images, oldest first (read once). */
  get current(): number[] {
    return this.all.tests.slice();
  }

  /** The followed files, oldest first. */
  get files(): string[] {
    return this.all.files.slice();
  }

  /** Pins or unpins test image `index`; resolves when the file is written. */
  set(index: number, pinned: boolean): Promise<void> {
    const without = this.all.tests.filter((n) => n !== index);
    this.pins = { ...this.all, tests: pinned ? [...without, index].slice(-MAX_PINS) : without };
    return this.write();
  }

  /** Follows or stops following a classified file; resolves when the file is written. */
  setFile(path: string, followed: boolean): Promise<void> {
    const without = this.all.files.filter((f) => f !== path);
    this.pins = { ...this.all, files: followed ? [...without, path].slice(-MAX_FOLLOWED_FILES) : without };
    return this.write();
  }

  private write(): Promise<void> {
    const text = JSON.stringify(this.all);
    this.writing = this.writing.then(async () => {
      await fs.mkdir(dirname(this.file), { recursive: true });
      await writeFileAtomically(this.file, text);
    });
    return this.writing;
  }
}
