/** Errors the user can act on, as plain data (the throwable form is core/errors.ts). */
/** An error the user can act on: what failed, which file, what to do. `message` and `action` are localized. */
export interface UserError {
  code: ErrorCode;
  message: string;
  file?: string;
  action?: string;
}

export type ErrorCode =
  | 'DATA_MISSING'
  | 'DATA_CORRUPT'
  | 'DATA_CHECKSUM'
  | 'DATA_DOWNLOAD'
  | 'INVALID_PARAMS'
  | 'BACKEND_UNAVAILABLE'
  /** The native backend (tfjs-node) could not be installed or does not load after installing. */
  | 'NATIVE_SETUP_FAILED'
  | 'BUSY'
  | 'NO_MODEL'
  | 'MODEL_INVALID'
  | 'MODEL_SAVE'
  | 'IMAGE_INVALID'
  | 'IMAGE_TOO_LARGE'
  | 'IMAGE_UNSUPPORTED'
  | 'WORKER_CRASHED'
  /** An export would replace a file the extension did not write. */
  | 'FILE_EXISTS'
  /** An export (notebook, chart, CSV) could not be written. */
  | 'EXPORT_FAILED'
  | 'RUN_HISTORY'
  | 'NO_RUN'
  | 'INTERNAL';

/** What a thrown value says: an Error's message, anything else as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
