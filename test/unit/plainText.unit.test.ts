// Data is never markup or a command: the one home (core/text/plainText.ts) for showing names as plain text
// in notifications, markdown tooltips and the terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
// markdown-it (CommonMark, with HTML and bare-URL links on: stricter than VS Code's renderer) renders the result.
// @ts-expect-error markdown-it ships no types (it is here through @vscode/vsce)
import MarkdownIt from 'markdown-it';
import { CLEAR_LINE, linkFree, markdownText, TERMINAL_CONTROLS, terminalText, terminalSafe } from '../../src/core/text/plainText';

const CRAFTED = '[See details](command:workbench.action.terminal.sendSequence?%7B%7D).png';
const HOSTILE = [
  CRAFTED,
  '[x](https://example.com/a).png',
  '[x](file:///etc/passwd "title").png',
  '[x](COMMAND:workbench.action.quit).png',
  '<command:workbench.action.quit>.png',
  '<https://example.com>.png',
  'https://example.com/bare.png',
  '$(zap) free $(loading~spin).png',
  '`code` and ```fence```.png',
  '<img src=x onerror=alert(1)>.png',
  '<a href="command:x">a</a>.png',
  '**bold** _em_ ~~strike~~ # head.png',
  '![image](https://example.com/i.png).png',
  '[ref]: command:workbench.action.quit',
  '&lt;b&gt; &amp; entities.png',
  'back\\slash\\[x\\](command:y).png',
  'line\n# heading\n- list.png',
];

/** VS Code's rule for a link in a notification: [label](target) with an http(s):, command: or file: target. */
function notificationLinks(message: string): string[] {
  return [...message.matchAll(/\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)\3)?\)/gi)].map((m) => m[0]);
}

test('linkFree: no crafted name is a link in a notification, and it reads the same', () => {
  for (const name of HOSTILE) {
    const message = linkFree(`${name}: most likely Shirt (93.3%).`);
    assert.deepEqual(notificationLinks(message), [], message);
    assert.equal(message.replace(/\u2060/g, ''), `${name}: most likely Shirt (93.3%).`, 'only invisible joiners are added');
  }
  assert.ok(notificationLinks(`${CRAFTED}`).length === 1, 'the check itself finds the crafted link');
  assert.equal(linkFree('A plain sentence (with parentheses) [and brackets].'), 'A plain sentence (with parentheses) [and brackets].');
});

test('markdownText: every crafted name renders as exactly its own text, with no link, HTML, code or icon', () => {
  const md = new MarkdownIt({ html: true, linkify: true });
  for (const name of HOSTILE) {
    const html = md.render(markdownText(name));
    assert.doesNotMatch(html, /<(a|img|code|pre|strong|em|s|h\d|ul|li|script)\b/, `${JSON.stringify(name)} -> ${html}`);
    const text = html.replace(/^<p>|<\/p>\n$/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    assert.equal(text, name.replace(/\n/g, ' '), `${JSON.stringify(name)} shows as ${text}`);
  }
  // `$(icon)` syntax is escaped too (VS Code renders theme icons in markdown that supports them).
  assert.match(markdownText('$(zap)'), /^\\\$\\\(zap\\\)$/);
});

test('terminalText: escape sequences and other controls in a name are shown, never obeyed', () => {
  const name = 'evil\x1b]0;pwned\x07\x1b[2J\r\x9b31mname\u202egnp.exe';
  const shown = terminalText(`Classified ${name}\n`);
  assert.equal(shown.match(TERMINAL_CONTROLS), null);
  assert.equal(shown, 'Classified evil\\x1b]0;pwned\\x07\\x1b[2J\\x0d\\x9b31mname\\u202egnp.exe\n');
  assert.equal(terminalText('a\tb\n'), 'a\tb\n', 'tabs and line feeds stay');
  // The progress line's own clear-the-line stays a control sequence; the same bytes later in the text do not.
  assert.equal(terminalText(`${CLEAR_LINE}Epoch 1 ${CLEAR_LINE}`), `${CLEAR_LINE}Epoch 1 \\x0d\\x1b[K`);

  const written: string[] = [];
  const stream = terminalSafe({ write: (text: string) => written.push(text), isTTY: true, columns: 80 });
  stream.write('x\x1b[31my\n');
  assert.deepEqual(written, ['x\\x1b[31my\n']);
  assert.equal(stream.isTTY, true);
  assert.equal(stream.columns, 80);
});
