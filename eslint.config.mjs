// Lint rules: the recommended JS and TypeScript sets, plus the architecture's boundaries. The arrows run one
// way (../shared/ARCHITECTURE.md): domain <- protocol <- core <- training <- worker <- (host, cli); the webview
// stands on protocol and domain alone. Each folder below lists what it may not import, so a wrong import fails
// `npm run check` (test/unit/boundaries.unit.test.ts proves each rule fires).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// A top-level folder of src/, reached from one, two or three folders down (core/data/x.ts -> ../../training).
const layer = (name) => ['../', '../../', '../../../'].flatMap((up) => [`${up}${name}`, `${up}${name}/**`]);
const NODE = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads'];
const forbid = (message, ...groups) => ({ group: groups.flat(), message });

/** folder -> the patterns its files may not import. */
export const BOUNDARIES = {
  'src/domain': [
    forbid('src/domain holds plain facts and types: it imports nothing but other domain files.',
      layer('protocol'), layer('core'), layer('training'), layer('worker'), layer('host'), layer('cli'), layer('webview'),
      NODE, ['vscode', '@tensorflow/*', '@jimp/*', '@jsquash/*', '@vscode/*']),
  ],
  'src/protocol': [
    forbid('src/protocol describes the channels over domain types: it imports domain and protocol only.',
      layer('core'), layer('training'), layer('worker'), layer('host'), layer('cli'), layer('webview'),
      NODE, ['vscode', '@tensorflow/*', '@jimp/*', '@jsquash/*']),
  ],
  'src/core': [
    forbid('src/core is tfjs-free logic under training, the worker, the host and the CLI.',
      layer('training'), layer('worker'), layer('host'), layer('cli'), layer('webview'), ['vscode', '@tensorflow/*']),
  ],
  'src/training': [
    forbid('src/training runs inside the worker (or the benchmark): no VS Code, no host, CLI or worker code.',
      layer('worker'), layer('host'), layer('cli'), layer('webview'), ['vscode']),
  ],
  'src/worker': [
    forbid('src/worker serves the host and the CLI; it must not import them (nor VS Code).',
      layer('host'), layer('cli'), layer('webview'), ['vscode']),
  ],
  'src/host': [
    forbid('The extension host never loads tfjs (src/training) and never imports the CLI or the webview.',
      layer('training'), layer('cli'), layer('webview'), ['../worker/main', '../worker/trainingWorker', '@tensorflow/*']),
  ],
  'src/cli': [
    forbid('The CLI runs without VS Code and never imports the extension host or the webview.',
      layer('host'), layer('webview'), ['vscode']),
  ],
  'src/webview': [
    forbid('The webview runs in a browser: domain, protocol and its own files only (no tfjs, no Node, no VS Code).',
      layer('core'), layer('training'), layer('worker'), layer('host'), layer('cli'), NODE, ['vscode', '@tensorflow/*']),
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'dist-vsix/**', 'node_modules/**', 'test-output/**', '.vscode-test/**', 'out/**',
    // AssemblyScript, checked by its own compiler (src/training/kernels/assembly/tsconfig.json).
    'src/training/kernels/assembly/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly', process: 'readonly', Buffer: 'readonly', setTimeout: 'readonly',
        clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly',
        __dirname: 'readonly', require: 'readonly', module: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Data is never markup: every notification and dialog goes through src/host/userMessages.ts (linkFree).
    files: ['src/host/**/*.ts', 'src/extension.ts'],
    ignores: ['src/host/userMessages.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "MemberExpression[object.property.name='window'][property.name=/^show(Information|Warning|Error)Message$/]",
        message: 'Show messages through userMessage (src/host/userMessages.ts), which keeps file names from becoming links.',
      }],
    },
  },
  ...Object.entries(BOUNDARIES).map(([folder, patterns]) => ({
    files: [`${folder}/**/*.ts`],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  })),
);
