/**
 * Writing an export (notebook, chart, CSV) where the user asked, atomically (core/atomicWrite.ts), so a crash
 * leaves the old file or the new one, never half of one.
 * A notebook export also refuses to replace a file this extension did not write, unless told to: it knows
 * its own notebooks by the marker in their metadata.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { writeFileAtomically } from '../atomicWrite';
import { TrainerError } from '../errors';
import { t } from '../text/l10n';
import { NOTEBOOK_MARKER } from './notebook';
import { errorMessage } from '../../domain/errors';

/** What lies at a notebook's target now: nothing, a notebook this extension wrote, or something else. */
export type NotebookTarget = 'absent' | 'ours' | 'foreign';

export function inspectNotebookTarget(path: string): NotebookTarget {
  if (!existsSync(path)) return 'absent';
  if (!statSync(path).isFile()) return 'foreign';
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { metadata?: Record<string, unknown> } | null;
    const marker = parsed?.metadata?.[NOTEBOOK_MARKER];
    return typeof marker === 'object' && marker !== null ? 'ours' : 'foreign';
  } catch {
    return 'foreign';
  }
}

/** Writes an export atomically (core/atomicWrite.ts). Throws EXPORT_FAILED naming the file and what to do. */
export async function writeExportFile(path: string, data: string | Uint8Array): Promise<void> {
  try {
    if (existsSync(path) && statSync(path).isDirectory()) throw new Error(t('it is a folder'));
    await writeFileAtomically(path, data);
  } catch (error) {
    const reason = errorMessage(error);
    throw new TrainerError(
      'EXPORT_FAILED',
      t('{0} could not be written: {1}', path, reason),
      path,
      t('Check that the folder exists and is writable and the disk has space, or choose another place.'),
    );
  }
}

/**
 * Writes a notebook; a file at `path` that this extension did not write is replaced only with `replaceForeign`
 * (the user confirmed, or gave --force), otherwise FILE_EXISTS says so and nothing changes.
 */
export async function writeNotebookFile(path: string, text: string, options: { replaceForeign: boolean }): Promise<void> {
  if (inspectNotebookTarget(path) === 'foreign' && !options.replaceForeign) {
    throw new TrainerError(
      'FILE_EXISTS',
      t('{0} already exists and was not written by Fashion-MNIST Trainer, so it was not replaced.', path),
      path,
      t('Choose another file name, or confirm that it may be replaced (--force on the command line).'),
    );
  }
  await writeExportFile(path, text);
}
