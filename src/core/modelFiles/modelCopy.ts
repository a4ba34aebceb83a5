/**
 * Copying a saved model (export from the extension's folder, import into it): the source is read and checked
 * first, so a bad model is refused before anything changes, and the copy is written like a save, by the same
 * rules (the target is never a folder or file the tool did not write; it is replaced as one step).
 */
import { join, resolve } from 'node:path';
import { MODEL_FILE, RECORD_FILE } from './layout';
import { readModelFolder } from './modelFolder';
import { nodeFileSystem, replaceFolder, type ReplaceOptions, type StoreFileSystem } from './folderReplace';
import { TrainerError } from '../errors';
import { t } from '../text/l10n';

/**
 * Copies the model in `from` (a folder, or a model.json in one) with its weight files and run.json (when
 * present) to the folder `to`. Returns the folder written (a symbolic link followed).
 */
export async function copyModelFolder(from: string, to: string, fileSystem: StoreFileSystem = nodeFileSystem, options: ReplaceOptions = {}): Promise<string> {
  const source = readModelFolder(from);
  const target = resolve(to);
  if (source.directory === target) {
    throw new TrainerError(
      'MODEL_SAVE',
      t('The model in {0} cannot be copied onto itself.', target),
      target,
      t('Choose another folder.'),
    );
  }
  const extra = source.hasRunRecord ? [RECORD_FILE] : [];
  return replaceFolder(
    target,
    fileSystem,
    async (temp) => {
      for (const name of [...source.weightFiles, ...extra]) {
        await fileSystem.copyFile(join(source.directory, name), join(temp, name));
      }
      // model.json last: a folder with model.json is a folder whose other files are complete.
      await fileSystem.copyFile(source.modelPath, join(temp, MODEL_FILE));
    },
    options,
  );
}
