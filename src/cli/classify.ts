/**
 * `npm run classify -- IMAGE... [--model DIR]`: the three most likely classes per image, computed in the
 * training worker through the same `classify` path the extension's right-click uses.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TrainerError } from '../core/errors';
import { RunHistory } from '../core/runs/runHistory';
import { defaultRunHistoryDir } from '../core/runs/historyLocation';
import { t } from '../core/text/l10n';
import { MODEL_FILE } from '../core/modelFiles/layout';
import { modelFolderToRead } from '../core/modelFiles/folderReplace';
import { describePath, resolveUserPath } from '../core/userPath';
import { TrainingClient } from '../worker/client';
import type { ClassificationResult } from '../domain/classification';
import { parseClassifyArgs } from './args';
import { classifyHelp, cliNativeBackendFolders, defaultModelDir, EXIT, printError, workerPath, type CliContext } from './common';
import { displayWidth, localizedClassNames, padEnd, topClasses } from '../core/text/format';

/** The model folder of a kept run; NO_MODEL saying why when the run's model is no longer kept. */
async function runModelDir(id: string): Promise<string> {
  const history = new RunHistory(defaultRunHistoryDir());
  await history.load(id);
  const dir = history.modelDir(id);
  if (!existsSync(join(dir, 'model.json'))) {
    throw new TrainerError('NO_MODEL', t('Run {0} is in the run history, but its model is no longer kept (only the latest runs and pinned runs keep theirs).', id), dir,
      t('Pin a run in the Runs view to keep its model, or train the run again.'));
  }
  return dir;
}

export async function runClassify(argv: string[], context: CliContext): Promise<number> {
  const parsed = parseClassifyArgs(argv);
  if (parsed.help) {
    context.stdout.write(classifyHelp().join('\n') + '\n');
    return EXIT.ok;
  }
  const runId = parsed.options.runId;
  const typedModel = parsed.options.modelDir;
  const named = runId !== undefined ? await runModelDir(runId) : modelFolder(typedModel);
  // Read-only: a save cut off by a crash left the model in its backup, which is read where it lies.
  const modelDir = await modelFolderToRead(named);
  if (!existsSync(join(modelDir, MODEL_FILE))) {
    throw new TrainerError(
      'NO_MODEL',
      t('No trained model was found in {0}.', describePath(typedModel, named)),
      undefined,
      typedModel === undefined
        ? t('Train one first with "npm run train" (it saves there), or name a model folder with --model DIR.')
        : t('Name the folder that holds model.json, or train one with "npm run train -- --save {0}".', typedModel),
    );
  }
  const typedFiles = parsed.options.images;
  const files = typedFiles.map((file) => resolveUserPath(file));
  const client = new TrainingClient({ workerPath: workerPath() });
  try {
    const results = await client.classify(files, modelDir, context.locale, cliNativeBackendFolders());
    // Each image is named as the user typed it.
    const shown = results.map((result, i) => ({ ...result, file: typedFiles[i] ?? result.file }));
    for (const lines of shown.map(formatResult)) context.stdout.write(lines.join('\n') + '\n');
    const failures = results.filter((r) => !r.ok);
    for (const failure of failures) if (!failure.ok) printError(context, failure.error);
    return failures.length > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    client.dispose();
  }
}

/**
 * The model folder `--model` names (or the default): `~` expanded, relative to where the command was run;
 * a model.json named directly stands for its folder.
 */
function modelFolder(typed: string | undefined): string {
  const path = resolveUserPath(typed ?? defaultModelDir());
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) return path;
  if (basename(path) === MODEL_FILE) return dirname(path);
  throw new TrainerError(
    'NO_MODEL',
    t('--model names the file {0}; it names a model folder (one that holds model.json).', describePath(typed, path)),
    path,
    t('Name the folder that holds model.json and its weights.'),
  );
}

/** One block per image: its path, then the top three classes with probabilities and any warning. */
export function formatResult(result: ClassificationResult): string[] {
  if (!result.ok) return [t('{0}: could not be classified (see the error below).', result.file)];
  const names = localizedClassNames();
  const nameWidth = Math.max(...names.map(displayWidth));
  const lines = [result.inverted ? t('{0} (inverted: light background):', result.file) : t('{0}:', result.file)];
  topClasses(result.probabilities, 3).forEach(([c, p], rank) => {
    lines.push(`  ${rank + 1}. ${padEnd(names[c], nameWidth)}  ${(p * 100).toFixed(1).padStart(5)}%`);
  });
  for (const warning of result.warnings) {
    lines.push(
      warning === 'lowConfidence'
        ? t('  Warning: the model is unsure (top probability below 50%).')
        : warning === 'softmaxApplied'
          ? t('  Warning: the model outputs logits (no softmax in its last layer, as in the current TensorFlow tutorial), so a softmax was applied to give these probabilities.')
          : t('  Warning: this image looks unlike the Fashion-MNIST pictures, so the answer may mean little.'),
    );
  }
  return lines;
}
