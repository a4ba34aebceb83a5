/** The errors an image that cannot be classified gives: what is wrong with which file, and what to do. */
import { basename } from 'node:path';
import { TrainerError } from '../errors';
import { t } from '../text/l10n';
import { FORMAT_NAMES, SUPPORTED_LIST, type SupportedFormat } from './formats';

export function notAnImage(file: string): TrainerError {
  return new TrainerError(
    'IMAGE_INVALID',
    t('The file {0} is not an image.', basename(file)),
    file,
    t('Choose a PNG, JPEG, GIF, BMP or WebP image.'),
  );
}

export function corrupt(file: string, format: SupportedFormat): TrainerError {
  return new TrainerError(
    'IMAGE_INVALID',
    t('The image {0} could not be decoded: the {1} data is damaged or incomplete.', basename(file), FORMAT_NAMES[format]),
    file,
    t('Open the image in an image editor and save it again, or choose another image.'),
  );
}

export function unsupported(file: string, format: string): TrainerError {
  return new TrainerError(
    'IMAGE_UNSUPPORTED',
    t('The image {0} is in {1} format, which cannot be classified. Supported formats: {2}.', basename(file), format, SUPPORTED_LIST),
    file,
    t('Convert the image to PNG or JPEG and try again.'),
  );
}

export function tooLarge(file: string, message: string): TrainerError {
  return new TrainerError('IMAGE_TOO_LARGE', message, file, t('Scale the image down (the model only looks at 28 x 28 pixels) and try again.'));
}
