/** The errors a model folder that cannot be used gives: what is wrong, which file, what to do. */
import { TrainerError } from '../errors';
import { t } from '../text/l10n';

export function invalidModel(file: string | undefined, message: string): TrainerError {
  return new TrainerError('MODEL_INVALID', message, file, t('Choose a model trained on Fashion-MNIST by this extension or the tutorial (28 x 28 input, 10 outputs), or train a new one.'));
}

/** A weight file model.json lists is not there (or cannot be read). */
export function missingWeights(file: string): TrainerError {
  return invalidModel(file, t('The weights file {0} is missing or unreadable.', file));
}

