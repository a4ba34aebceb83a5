import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const root = join(__dirname, '..', '..');

/**
 * The extension host must never load tfjs (a native addon or minutes of compute there would freeze every
 * extension in the window): training and classifying happen in the worker. Bundling the host entry the way
 * esbuild.mjs does and listing what went in catches an import chain that drags tfjs in.
 */
test('the extension host bundle contains no tfjs and nothing that loads it', async () => {
  const result = await esbuild.build({
    entryPoints: [join(root, 'src/extension.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(inputs.some((path) => path.endsWith('src/host/session/trainingSession.ts')), 'the bundle was not built from the host entry');
  const forbidden = inputs.filter((path) => /@tensorflow|src\/core\/(backend|trainer|model|run|classify|modelStore|image)\.ts$/.test(path));
  assert.deepEqual(forbidden, []);
  const output = result.outputFiles[0].text;
  assert.doesNotMatch(output, /require\(["']@tensorflow/);
});
