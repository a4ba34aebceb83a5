import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const readJson = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, unknown>;
const manifest = readJson('package.json') as {
  contributes: { commands: { command: string }[]; walkthroughs: { id: string; title: string; description: string; steps: Step[] }[] };
};
const english = readJson('package.nls.json') as Record<string, string>;
const chinese = readJson('package.nls.zh-cn.json') as Record<string, string>;

interface Step {
  id: string;
  title: string;
  description: string;
  media: { svg?: string; altText?: string };
  completionEvents: string[];
}

const key = (placeholder: string) => placeholder.replace(/^%|%$/g, '');
const walkthrough = manifest.contributes.walkthroughs[0];
const contributed = new Set(manifest.contributes.commands.map((c) => c.command));

test('one walkthrough of 5 to 7 steps, in the order the tutorial goes', () => {
  assert.equal(manifest.contributes.walkthroughs.length, 1);
  assert.ok(walkthrough.steps.length >= 5 && walkthrough.steps.length <= 7, `${walkthrough.steps.length} steps`);
  assert.deepEqual(walkthrough.steps.map((s) => s.id), ['getData', 'train', 'overfitting', 'predictions', 'classify', 'variant', 'exportNotebook']);
});

test('every step has a button that runs one of our commands and completes when that command runs, in both languages', () => {
  for (const step of walkthrough.steps) {
    const commands = step.completionEvents.filter((e) => e.startsWith('onCommand:')).map((e) => e.slice('onCommand:'.length));
    assert.ok(commands.length > 0, `${step.id} completes on a command`);
    for (const command of commands) assert.ok(contributed.has(command), `${command} is contributed`);
    for (const [language, strings] of [['en', english], ['zh-cn', chinese]] as const) {
      const description = strings[key(step.description)];
      assert.equal(typeof description, 'string', `${language} ${step.description}`);
      // A line of its own holding only a command link is what VS Code renders as the step's button.
      const buttons = description.split('\n').filter((line) => /^\[[^\]]+\]\(command:[\w.]+\)$/.test(line));
      assert.ok(buttons.length > 0, `${language} ${step.id} has a button`);
      const target = buttons[0].match(/\(command:([\w.]+)\)/)?.[1];
      assert.ok(target !== undefined && commands.includes(target), `${language} ${step.id}: its button runs ${target}, which completes it`);
      for (const placeholder of [step.title, step.media.altText ?? '']) assert.equal(typeof strings[key(placeholder)], 'string', `${language} ${placeholder}`);
    }
  }
  for (const placeholder of [walkthrough.title, walkthrough.description]) {
    assert.equal(typeof english[key(placeholder)], 'string');
    assert.equal(typeof chinese[key(placeholder)], 'string');
  }
});

test('the media are SVGs that take every colour from the theme and hold no words, so they suit every theme and language', () => {
  for (const step of walkthrough.steps) {
    assert.ok(step.media.svg, `${step.id} has an SVG`);
    const file = join(root, step.media.svg);
    assert.ok(existsSync(file), file);
    const svg = readFileSync(file, 'utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="[\d .]+"/);
    assert.doesNotMatch(svg, /<text|<image|<script|href=/, `${step.media.svg} holds no text, images, scripts or links`);
    // Every colour is a theme variable (a hex only as its fallback), never a fixed colour of its own.
    const withoutThemed = svg.replace(/var\(--vscode-[\w-]+,(?:var\(--vscode-[\w-]+,)?[^()]*(?:\([^()]*\))?\)?\)/g, '');
    assert.doesNotMatch(withoutThemed, /#[0-9a-f]{3,6}\b|rgba?\(/i, `${step.media.svg} has a colour outside the theme`);
  }
});

test('a step that also completes on a context key names a key the extension sets', () => {
  const sources = ['src/host/walkthroughProgress.ts', 'src/host/trainingProgress.ts'].map((file) => readFileSync(join(root, file), 'utf8')).join('\n');
  const keys = walkthrough.steps.flatMap((s) => s.completionEvents).filter((e) => e.startsWith('onContext:')).map((e) => e.slice('onContext:'.length));
  assert.ok(keys.length >= 3, keys.join(', '));
  for (const contextKey of keys) assert.ok(sources.includes(`'${contextKey}'`), `${contextKey} is never set`);
});
