// The architecture's arrows, enforced: a wrong import fails `npm run check` (the lint rules of
// eslint.config.mjs, tried here on a line of code in a file of each folder), and the folders of src/ import
// each other without a cycle (read off the real sources).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ESLint } from 'eslint';

const root = join(__dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

/** The messages of the boundary rule for `code` placed in `file` (a path under src/ that need not exist). */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath: join(root, file) });
  return result.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

const WRONG: [string, string][] = [
  ['src/domain/x.ts', "import { TrainerError } from '../core/errors';"],
  ['src/domain/x.ts', "import { readFileSync } from 'node:fs';"],
  ['src/protocol/x.ts', "import { t } from '../core/text/l10n';"],
  ['src/core/x.ts', "import * as tf from '@tensorflow/tfjs';"],
  ['src/core/data/x.ts', "import { selectBackend } from '../../training/backend';"],
  ['src/core/x.ts', "import * as vscode from 'vscode';"],
  ['src/training/x.ts', "import { TrainingClient } from '../worker/client';"],
  ['src/worker/x.ts', "import { TrainingSession } from '../host/trainingSession';"],
  ['src/host/x.ts', "import { runTutorial } from '../training/run';"],
  ['src/host/x.ts', "import { parseTrainArgs } from '../cli/args';"],
  ['src/host/x.ts', "import { TrainingWorker } from '../worker/trainingWorker';"],
  ['src/host/x.ts', "import * as tf from '@tensorflow/tfjs';"],
  ['src/cli/x.ts', "import { TrainingSession } from '../host/trainingSession';"],
  ['src/cli/x.ts', "import * as vscode from 'vscode';"],
  ['src/webview/x.ts', "import { t } from '../core/text/l10n';"],
  ['src/webview/cells/x.ts', "import { TrainerError } from '../../core/errors';"],
  ['src/webview/x.ts', "import { readFileSync } from 'node:fs';"],
];

const RIGHT: [string, string][] = [
  ['src/protocol/x.ts', "import type { EpochMetrics } from '../domain/metrics';"],
  ['src/core/data/x.ts', "import { PIXELS } from '../../domain/classes';"],
  ['src/training/x.ts', "import { TrainerError } from '../core/errors';"],
  ['src/worker/x.ts', "import { runTutorial } from '../training/run';"],
  ['src/host/x.ts', "import { TrainingClient } from '../worker/client';"],
  ['src/cli/x.ts', "import { TrainingClient } from '../worker/client';"],
  ['src/webview/cells/x.ts', "import type { HostToWebview } from '../../protocol/webview';"],
];

test('an import that crosses a boundary the wrong way is a lint error', async () => {
  for (const [file, code] of WRONG) {
    const errors = await boundaryErrors(file, code);
    assert.equal(errors.length, 1, `${file}: ${code} should be refused`);
  }
});

test('the imports the arrows allow pass', async () => {
  for (const [file, code] of RIGHT) assert.deepEqual(await boundaryErrors(file, code), [], `${file}: ${code}`);
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** src/a/b.ts -> "a" (the top folder); src/extension.ts -> "host" (it is the host's entry). */
function folderOf(file: string): string {
  const [top, next] = relative(join(root, 'src'), file).split('/');
  return next === undefined ? 'host' : top;
}

test('the folders of src/ import each other without a cycle', () => {
  const edges = new Map<string, Set<string>>();
  for (const file of sources(join(root, 'src'))) {
    const from = folderOf(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const to = folderOf(resolve(dirname(file), m[1]));
      if (to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  const cycle = (start: string, at: string, path: string[]): string[] | undefined => {
    for (const next of edges.get(at) ?? []) {
      if (next === start) return [...path, next];
      if (!path.includes(next)) {
        const found = cycle(start, next, [...path, next]);
        if (found) return found;
      }
    }
    return undefined;
  };
  for (const folder of edges.keys()) {
    const found = cycle(folder, folder, [folder]);
    assert.equal(found, undefined, `import cycle between folders: ${found?.join(' -> ')}`);
  }
  // The layering itself: the webview stands on domain and protocol alone, the host never on training.
  assert.deepEqual([...(edges.get('webview') ?? [])].sort(), ['domain', 'protocol']);
  assert.ok(!edges.get('host')?.has('training'), 'the host imports src/training');
});
