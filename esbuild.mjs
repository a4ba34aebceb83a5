// One build, four bundles: the extension host, the training worker, the CLI (all Node, CommonJS) and
// the dashboard webview (browser, IIFE). The wasm binaries of the tfjs wasm backend are copied beside
// the Node bundles, and the training kernels (AssemblyScript, src/training/kernels/assembly) are
// compiled there. tfjs-node is optional: it is never bundled; the worker requires it by path from the
// search folders (src/training/tfjsNodeLoader.ts) when it is set up there.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildKernels } from './src/training/kernels/compile.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const quiet = args.has('--quiet');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: quiet ? 'warning' : 'info',
  legalComments: 'linked',
};

const nodeCommon = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // vscode is provided by the host; tfjs-node is optional and loaded at run time when it is installed.
  external: ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
};

const builds = [
  { ...nodeCommon, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  { ...nodeCommon, entryPoints: { worker: 'src/worker/main.ts' }, outdir: 'dist' },
  { ...nodeCommon, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist' },
  {
    ...common,
    entryPoints: { webview: 'src/webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

function copyWasm() {
  const from = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  mkdirSync(join(root, 'dist'), { recursive: true });
  for (const file of readdirSync(from).filter((f) => f.endsWith('.wasm'))) {
    cpSync(join(from, file), join(root, 'dist', file));
  }
}

// The WebP decoder's wasm (@jsquash/webp): src/core/image/image.ts looks for it beside the bundle, since the
// packaged extension ships no node_modules.
function copyWebpDecoder() {
  const file = 'webp_dec.wasm';
  cpSync(join(root, 'node_modules/@jsquash/webp/codec/dec', file), join(root, 'dist', file));
}

copyWasm();
copyWebpDecoder();
await buildKernels(join(root, 'dist'));
if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
