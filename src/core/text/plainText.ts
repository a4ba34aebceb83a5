/**
 * Data is never markup or a command: a file name, a folder name or a field of a record is shown exactly as it
 * is, on every surface that would otherwise interpret it. One home for the three ways text is interpreted:
 * - notification and dialog messages turn `[label](command:…)`, `(https://…)` and `(file:…)` into links
 *   (VS Code's parseLinkedText); `linkFree` breaks that syntax with an invisible word joiner;
 * - markdown (MarkdownString tooltips) renders links, autolinks, HTML, code and `$(icon)`; `markdownText`
 *   backslash-escapes every ASCII punctuation character, which CommonMark then shows literally;
 * - a terminal obeys control characters (escape sequences can rewrite the screen or the title);
 *   `terminalText` shows each one as a visible `\xNN`.
 */

/** U+2060 WORD JOINER: invisible, zero width, not a space (a name still reads and wraps as one word). */
const JOINER = '\u2060';

/** A message for a notification or a dialog: no `[label](target)` in it is a link any more. */
export function linkFree(message: string): string {
  return message.replace(/\]\(/g, `]${JOINER}(`);
}

/** Text to put inside a markdown string, shown as it is written (no link, HTML, code, emphasis or icon). */
export function markdownText(text: string): string {
  // Every ASCII punctuation character may be backslash-escaped in CommonMark; `$` too, so `$(icon)` stays text.
  // Line breaks become spaces: a new line could start a heading, a list or a block of code.
  return text.replace(/[\r\n]+/g, ' ').replace(/[!-/:-@[-`{-~]/g, (ch) => `\\${ch}`);
}

/** Our own terminal control: the progress line's "back to the start of the line, clear it". */
export const CLEAR_LINE = '\r\x1b[K';

/** What a terminal would obey in a name: C0 and C1 controls but line feed and tab, and bidirectional overrides. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const TERMINAL_CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text for a terminal: C0 and C1 control characters (escape sequences, carriage returns, bells) and the
 * bidirectional overrides that reorder what a name seems to say are shown as `\xNN` / `\uNNNN`; line feeds
 * and tabs stay. Our own CLEAR_LINE at the start of a write is the one control sequence let through.
 */
export function terminalText(text: string): string {
  const ours = text.startsWith(CLEAR_LINE) ? CLEAR_LINE : '';
  const rest = text.slice(ours.length);
  return (
    ours +
    rest.replace(TERMINAL_CONTROLS, (ch) => {
      const code = ch.charCodeAt(0);
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    })
  );
}

/** A writable stream whose every write goes through `terminalText` (the CLI's stdout and stderr). */
export function terminalSafe<T extends { write(text: string): unknown }>(stream: T): T {
  return new Proxy(stream, {
    get(target, key) {
      if (key === 'write') return (chunk: unknown, ...rest: unknown[]) => (target.write as (...a: unknown[]) => unknown)(typeof chunk === 'string' ? terminalText(chunk) : chunk, ...rest);
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
