/** Errors the user can act on. Core code throws `TrainerError`; every boundary turns errors into `UserError`. */
import { errorMessage, type ErrorCode, type UserError } from '../domain/errors';
import { t } from './text/l10n';

export class TrainerError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly file?: string,
    readonly action?: string,
  ) {
    super(message);
    this.name = 'TrainerError';
  }

  toUserError(): UserError {
    const error: UserError = { code: this.code, message: this.message };
    if (this.file !== undefined) error.file = this.file;
    if (this.action !== undefined) error.action = this.action;
    return error;
  }
}

/** Any thrown value as a `UserError`; unknown failures keep their message under code INTERNAL. */
export function toUserError(error: unknown): UserError {
  if (error instanceof TrainerError) return error.toUserError();
  const message = errorMessage(error);
  return { code: 'INTERNAL', message: t('Unexpected error: {0}', message) };
}

/** A second run asked for while one is going (the worker and its client refuse it with the same words). */
export function busyError(): TrainerError {
  return new TrainerError('BUSY', t('A training run is already in progress.'), undefined, t('Wait for it to finish, or stop it first.'));
}

/** There is no trained model to classify, explain or export with yet: the one sentence for it, and what to do. */
export function noModelError(): TrainerError {
  return new TrainerError('NO_MODEL', t('There is no trained model yet.'), undefined, t('Train the model first; it is saved automatically when training finishes.'));
}

/** What to do after the worker crashed. */
export function crashAdvice(): string {
  return t('Start again; a fresh worker is used. If it keeps failing, try another backend.');
}
