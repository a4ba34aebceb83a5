/**
 * `npm run classify -- IMAGE... [--model DIR]`: the three most likely classes per image, computed in the
 * training worker through the same `classify` path the extension's right-click uses.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TrainerError } from '../core/errors';
import { RunHistory } from '../core/runs/runHistory';
import { defaultRunHistoryDir } from '../core/runs/historyLocation';
import { t } from '../core/text/l10n';
import { recoverInterruptedSave } from '../training/modelStore';
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
  const modelDir = runId !== undefined ? await runModelDir(runId) : resolve(parsed.options.modelDir ?? defaultModelDir());
  // A save cut off between its two renames leaves the model beside the folder; put it back before looking.
  recoverInterruptedSave(modelDir);
  if (!existsSync(join(modelDir, 'model.json'))) {
    throw new TrainerError(
      'NO_MODEL',
      t('No trained model was found in {0}.', modelDir),
      undefined,
      parsed.options.modelDir === undefined
        ? t('Train one first with "npm run train" (it saves there), or name a model folder with --model DIR.')
        : t('Name the folder that holds model.json, or train one with "npm run train -- --save {0}".', modelDir),
    );
  }
  const files = parsed.options.images.map((file) => resolve(file));
  const client = new TrainingClient({ workerPath: workerPath() });
  try {
    const results = await client.classify(files, modelDir, context.locale, cliNativeBackendFolders());
    for (const lines of results.map(formatResult)) context.stdout.write(lines.join('\n') + '\n');
    const failures = results.filter((r) => !r.ok);
    for (const failure of failures) if (!failure.ok) printError(context, failure.error);
    return failures.length > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    client.dispose();
  }
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
        : t('  Warning: this image looks unlike the Fashion-MNIST pictures, so the answer may mean little.'),
    );
  }
  return lines;
}
