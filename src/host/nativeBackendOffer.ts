/**
 * The one-time offer of "Set Up the Native Backend": the first run that had to do without tfjs-node (it
 * was looked for, with the backend `auto`, and not found or did not load) asks once whether to set it up.
 * Whether it was asked is kept in the extension's global state, so it is never asked again, in any window.
 * No `vscode` import: the caller passes the memory and the question, so the rule is unit-tested in Node.
 */
import { t } from '../core/text/l10n';
import type { TrainingEvent } from '../protocol/events';

/** globalState key: the offer was made. */
export const NATIVE_BACKEND_OFFERED_KEY = 'fashionMnist.nativeBackendOffered';

/** The part of a vscode.Memento the offer uses. */
export interface OfferMemory {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface NativeBackendOfferOptions {
  memory: OfferMemory;
  /** Shows `message` with one button; resolves true when the user pressed it. */
  ask: (message: string, button: string) => PromiseLike<boolean>;
  /** Runs the setup command. */
  setUp: () => void;
}

/** The button's label (also the command's title in the palette). */
export function setUpButton(): string {
  return t('Set Up the Native Backend');
}

export class NativeBackendOffer {
  constructor(private readonly options: NativeBackendOfferOptions) {}

  /** Looks at each training event; offers the command at most once, ever. True when it offered now. */
  consider(event: TrainingEvent): boolean {
    if (event.type !== 'backend' || event.backend.requested !== 'auto' || event.backend.nativeProblem === undefined) return false;
    const { memory, ask, setUp } = this.options;
    if (memory.get(NATIVE_BACKEND_OFFERED_KEY) === true) return false;
    // Remembered before asking: a second run starting while the question is open must not ask again.
    void memory.update(NATIVE_BACKEND_OFFERED_KEY, true);
    const message = t(
      '{0} Native TensorFlow (tfjs-node) can train faster on this machine; set it up now? (Asked once: the command "Fashion-MNIST: Set Up the Native Backend" is always in the Command Palette.)',
      event.backend.reason,
    );
    void Promise.resolve(ask(message, setUpButton())).then((pressed) => {
      if (pressed) setUp();
    });
    return true;
  }
}
