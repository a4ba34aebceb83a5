/**
 * The test images the user pinned on the dashboard, kept across reloads and runs (an index names the same
 * test image in every run). One small JSON file, written atomically (core/atomicWrite.ts). No `vscode` import.
 */
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomically } from '../core/atomicWrite';
import { MAX_TEST_IMAGES } from './webviewMessages';

/** More pins than this would not fit the dashboard's pinned row; the oldest goes first. */
export const MAX_PINS = 24;

/** The pins from a file's text: valid, distinct test-image indices, at most MAX_PINS, in pinning order. */
export function parsePins(text: string): number[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const list = typeof parsed === 'object' && parsed !== null ? (parsed as { tests?: unknown }).tests : undefined;
  if (!Array.isArray(list)) return [];
  const valid = list.filter((n): n is number => Number.isInteger(n) && n >= 0 && n < MAX_TEST_IMAGES);
  return [...new Set(valid)].slice(-MAX_PINS);
}

export class PinStore {
  private pins: number[] | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  /** The pinned test images, oldest first (read once). */
  get current(): number[] {
    this.pins ??= existsSync(this.file) ? parsePins(readFileSync(this.file, 'utf8')) : [];
    return this.pins.slice();
  }

  /** Pins or unpins test image `index`; resolves when the file is written. */
  set(index: number, pinned: boolean): Promise<void> {
    const without = this.current.filter((n) => n !== index);
    this.pins = pinned ? [...without, index].slice(-MAX_PINS) : without;
    const text = JSON.stringify({ tests: this.pins });
    this.writing = this.writing.then(async () => {
      await fs.mkdir(dirname(this.file), { recursive: true });
      await writeFileAtomically(this.file, text);
    });
    return this.writing;
  }
}
