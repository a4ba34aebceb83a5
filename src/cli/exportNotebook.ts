/**
 * `npm run export-notebook -- --out FILE.ipynb [--run ID | --model DIR | --sweep ID] [--force]`: a run (or a sweep) as a Jupyter notebook.
 * A run in the run history (the latest by default) gives its settings, every epoch, how it ended and its
 * confusion matrix; a saved model's run record (`--model`) gives only the settings and final accuracies, so
 * the training and chart cells are left for Jupyter to fill.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrainerError } from '../core/errors';
import { writeNotebookFile } from '../core/notebook/exportFile';
import { buildNotebook, serializeNotebook } from '../core/notebook/notebook';
import type { NotebookRun } from '../core/notebook/notebookRun';
import { notebookStrings } from '../core/notebook/notebookStrings';
import { notebookRunFromHistory, notebookRunFromRecord } from '../core/notebook/runSources';
import { modelFolderToRead } from '../core/modelFiles/folderReplace';
import { readRunRecord } from '../core/modelFiles/modelFolder';
import { defaultRunHistoryDir } from '../core/runs/historyLocation';
import { RunHistory } from '../core/runs/runHistory';
import { loadTrialRuns } from '../core/runs/sweepResults';
import { SweepStore } from '../core/runs/sweepStore';
import { buildSweepNotebook } from '../core/notebook/sweepNotebook';
import { sweepNotebookStrings } from '../core/notebook/sweepNotebookStrings';
import { resolveUserPath } from '../core/userPath';
import { t } from '../core/text/l10n';
import { parseExportNotebookArgs, type ExportNotebookOptions } from './args';
import { EXIT, exportNotebookHelp, type CliContext } from './common';

export async function runExportNotebook(argv: string[], context: CliContext): Promise<number> {
  const parsed = parseExportNotebookArgs(argv);
  if (parsed.help) {
    context.stdout.write(exportNotebookHelp().join('\n') + '\n');
    return EXIT.ok;
  }
  const { out, force } = parsed.options;
  if (parsed.options.sweepId !== undefined) return exportSweep(parsed.options.sweepId, out, force, context);
  const run = parsed.options.modelDir !== undefined ? await runFromModel(parsed.options.modelDir) : await runFromHistory(parsed.options, context);
  // Paths as typed where `npm run` was started (npm itself runs in the project folder).
  const target = resolveUserPath(out);
  const notebook = buildNotebook(run, notebookStrings(), extensionVersion());
  await writeNotebookFile(target, serializeNotebook(notebook), { replaceForeign: force });
  context.stdout.write(t('Notebook written to {0}.', target) + '\n');
  if (run.history.length === 0) {
    context.stdout.write(t('A saved model keeps no per-epoch metrics, so the training and chart cells have no outputs until the notebook is run.') + '\n');
  }
  return EXIT.ok;
}

/** A sweep of the run history: its grid as Keras code and its results as the loop's output. */
async function exportSweep(id: string, out: string, force: boolean, context: CliContext): Promise<number> {
  const history = new RunHistory(defaultRunHistoryDir());
  const sweep = await new SweepStore(history.root).load(id);
  const notebook = buildSweepNotebook(sweep, await loadTrialRuns(sweep, history), sweepNotebookStrings(), notebookStrings(), extensionVersion());
  const target = resolveUserPath(out);
  await writeNotebookFile(target, serializeNotebook(notebook), { replaceForeign: force });
  context.stdout.write(t('Notebook written to {0}.', target) + '\n');
  return EXIT.ok;
}

/** The named run, or the latest one in the run history. */
async function runFromHistory(options: ExportNotebookOptions, context: CliContext): Promise<NotebookRun> {
  const history = new RunHistory(defaultRunHistoryDir());
  let id = options.runId;
  if (id === undefined) {
    const { runs, warnings } = await history.list();
    for (const warning of warnings) context.stderr.write(t('Warning: {0}', warning) + '\n');
    id = runs[0]?.id;
    if (id === undefined) {
      throw new TrainerError('NO_RUN', t('The run history {0} holds no run yet.', history.root), history.root,
        t('Train one first with "npm run train", or export a saved model with --model DIR.'));
    }
    context.stdout.write(t('Exporting the latest run, {0}.', id) + '\n');
  }
  return notebookRunFromHistory(await history.load(id));
}

/** A saved model's run record: settings and final accuracies. */
async function runFromModel(typed: string): Promise<NotebookRun> {
  // Read-only: a save cut off between its renames left the model in its backup, which is read where it lies.
  const modelDir = await modelFolderToRead(resolveUserPath(typed));
  const record = readRunRecord(modelDir);
  if (!record) {
    throw new TrainerError('NO_MODEL', t('No run record (run.json) was found in {0}.', modelDir), join(modelDir, 'run.json'),
      t('Name a folder that "npm run train" or the extension saved a model to.'));
  }
  return notebookRunFromRecord(record);
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
