/**
 * `npm run export-notebook -- --out FILE.ipynb [--model DIR] [--force]`: the run that trained a saved model as
 * a Jupyter notebook. The model's run record gives the settings and the final accuracies; it keeps no
 * per-epoch metrics, so the training and chart cells are left for Jupyter to fill.
 *
 * Where the run history (issue #16) plugs in: `--run ID` reads that run's history record and turns it into a
 * NotebookRun with the history adapter in src/core/notebook/runSources.ts; the rest of this file stays.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrainerError } from '../core/errors';
import { writeNotebookFile } from '../core/notebook/exportFile';
import { buildNotebook, serializeNotebook } from '../core/notebook/notebook';
import { notebookStrings } from '../core/notebook/notebookStrings';
import { notebookRunFromRecord } from '../core/notebook/runSources';
import { tidyModelFolder } from '../core/modelFiles/folderReplace';
import { readRunRecord } from '../core/modelFiles/modelFolder';
import { resolveUserPath } from '../core/userPath';
import { t } from '../core/text/l10n';
import { parseExportNotebookArgs } from './args';
import { defaultModelDir, EXIT, exportNotebookHelp, type CliContext } from './common';

export async function runExportNotebook(argv: string[], context: CliContext): Promise<number> {
  const parsed = parseExportNotebookArgs(argv);
  if (parsed.help) {
    context.stdout.write(exportNotebookHelp().join('\n') + '\n');
    return EXIT.ok;
  }
  const { out, force } = parsed.options;
  // Paths as typed where `npm run` was started (npm itself runs in the project folder).
  const modelDir = resolveUserPath(parsed.options.modelDir ?? defaultModelDir());
  // A save cut off between its renames leaves the model beside the folder; put it back before reading.
  await tidyModelFolder(modelDir);
  const record = readRunRecord(modelDir);
  if (!record) {
    throw new TrainerError(
      'NO_MODEL',
      t('No run record (run.json) was found in {0}.', modelDir),
      join(modelDir, 'run.json'),
      parsed.options.modelDir === undefined
        ? t('Train one first with "npm run train" (it saves there), or name a model folder with --model DIR.')
        : t('Name a folder that "npm run train" or the extension saved a model to.'),
    );
  }
  const target = resolveUserPath(out);
  const notebook = buildNotebook(notebookRunFromRecord(record), notebookStrings(), extensionVersion());
  await writeNotebookFile(target, serializeNotebook(notebook), { replaceForeign: force });
  context.stdout.write(t('Notebook written to {0}.', target) + '\n');
  context.stdout.write(t('A saved model keeps no per-epoch metrics, so the training and chart cells have no outputs until the notebook is run.') + '\n');
  return EXIT.ok;
}

/** The version in package.json beside dist/ (the notebook's marker records it). */
function extensionVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
