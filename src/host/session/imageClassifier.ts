/** Classifies image files with the model of the run shown (in the worker); the results go into the state and the panel. */
import { noModelError, TrainerError } from '../../core/errors';
import { findSavedModel, hasSavedModel } from '../../core/modelFiles/savedModel';
import { t } from '../../core/text/l10n';
import type { ClassificationResult } from '../../domain/classification';
import type { TrainingClient } from '../../worker/client';
import { withClassifications, withModel } from '../dashboardState';
import type { DashboardStore } from './dashboardStore';
import type { RunArchive } from './runArchive';

export class ImageClassifier {
  constructor(
    private readonly client: Pick<TrainingClient, 'classify'>,
    private readonly store: DashboardStore,
    private readonly archive: RunArchive,
    private readonly options: { modelDir: string; nativeBackendFolders?: () => string[] },
  ) {}

  /** True when a trained model is saved (only checks that model.json exists). */
  get hasModel(): boolean {
    return hasSavedModel(this.options.modelDir);
  }

  /** Classifies image files with the saved model, in the worker; results go into the state and the panel. */
  async classify(files: string[], locale: string): Promise<ClassificationResult[]> {
    const modelDir = this.archive.shownModelDir;
    if (this.archive.showsPastRun && !hasSavedModel(modelDir)) {
      throw new TrainerError(
        'NO_MODEL',
        t('The model of run {0} is no longer kept in the run history.', this.store.current.shownRun?.id ?? ''),
        modelDir,
        t('Show the latest run to classify with its model, or pin a run in the Runs view to keep its model.'),
      );
    }
    if (!hasSavedModel(modelDir)) throw noModelError();
    const results = await this.client.classify(files, modelDir, locale, this.options.nativeBackendFolders?.());
    this.store.replace(withClassifications(this.store.current, results));
    this.store.post({ type: 'classification', results });
    this.store.reveal('classify');
    return results;
  }

  /** Puts the saved model's record into the state, without posting (at the first look). */
  recordModel(): void {
    this.store.replace(withModel(this.store.current, findSavedModel(this.options.modelDir)));
  }

  /** Re-reads the saved model's record (after an import). */
  refreshModel(): void {
    this.recordModel();
    this.store.postState();
  }
}
