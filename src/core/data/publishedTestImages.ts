/**
 * The published Fashion-MNIST test images, read again when a kept run is shown: a run keeps only the checksum
 * of its data and how many test images it used, not a copy of the 7.8 MB file, since every verified copy of
 * the published data (the data cache, the run's own folder, Debian's package) holds the same images.
 */
import { DATA_FILES, KEY_ORDER } from './dataFiles';
import { decodeDataFile } from './dataFileDecode';
import { existingCandidates } from './dataLocation';
import { sha256Hex } from './idx';
import { PIXELS } from '../../domain/classes';

/** The dataChecksum of every run on the published data (what dataset.ts computes from the verified files). */
export function publishedDataChecksum(): string {
  const bySpec = new Map(DATA_FILES.map((spec) => [spec.key, spec.sha256]));
  return sha256Hex(KEY_ORDER.map((key) => bySpec.get(key) ?? '').join(''));
}

/** Which test images a kept run showed: the first `count` of the data with this checksum. */
export interface TestSetReference {
  checksum: string;
  count: number;
}

/**
 * The first `count` test images of the data `reference` names, from the first of `dirs` that holds a copy
 * that verifies; undefined when the data is not the published one or no folder holds a good copy (the
 * grid then shows no pictures; every number is still right).
 */
export async function readTestImages(reference: TestSetReference, dirs: readonly string[]): Promise<{ images: Uint8Array; count: number } | undefined> {
  if (reference.checksum !== publishedDataChecksum()) return undefined;
  const spec = DATA_FILES.find((s) => s.key === 'testImages');
  if (!spec) return undefined;
  const count = Math.min(reference.count, spec.count);
  for (const dir of new Set(dirs)) {
    for (const path of await existingCandidates(dir, spec.name)) {
      try {
        const file = await decodeDataFile(path, spec);
        return { images: file.data.slice(0, count * PIXELS), count };
      } catch {
        // A damaged or foreign copy: the next one may do.
      }
    }
  }
  return undefined;
}
