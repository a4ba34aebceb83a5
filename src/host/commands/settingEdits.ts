/** The settings the dashboard's controls change, written to the user's settings in order (a preset sets three at once). */
import { toUserError } from '../../core/errors';
import type { EditableSetting, SettingValue } from '../../protocol/webview';
import { writeUserSetting } from '../settingsAccess';
import type { CommandFeedback } from './commandFeedback';

export class SettingEdits {
  constructor(private readonly feedback: CommandFeedback) {}

  /** Writes the values (already validated by parseWebviewMessage); a failed write is said, not thrown. */
  write(values: { key: EditableSetting; value: SettingValue }[]): void {
    void (async () => {
      for (const { key, value } of values) await writeUserSetting(key, value);
    })().catch((error: unknown) => this.feedback.failed(toUserError(error)));
  }
}
