/**
 * Chooses and starts the tfjs backend. tfjs-node is optional (its install fails where libtensorflow
 * cannot be downloaded), so it is required at run time and may be missing; wasm is always bundled.
 * All compute code uses the `tf` namespace returned here: tfjs-node carries its own copy of tfjs, and
 * tensors of one copy mean nothing to the other.
 */
import * as tfjs from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BackendChoice, BackendInfo, BackendName } from '../domain/hyperParameters';
import { TrainerError } from '../core/errors';
import { t } from '../core/text/l10n';

export type Tf = typeof import('@tensorflow/tfjs');

const WASM_FILE = 'tfjs-backend-wasm-simd.wasm';

/**
 * The folder holding the backend's .wasm files: beside the running bundle (esbuild copies them into
 * dist/), or, when running from sources under tsx, the package's own dist folder found upwards.
 */
export function wasmDirectory(start: string = __dirname): string | undefined {
  if (existsSync(join(start, WASM_FILE))) return start;
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
    if (existsSync(join(candidate, WASM_FILE))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Loads tfjs-node if it is installed and its native addon loads; undefined otherwise. */
export type NodeLoader = () => Tf | undefined;

export function loadTfjsNode(): Tf | undefined {
  try {
    // A plain require: the bundle keeps the package external, so a missing install is a caught error.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@tensorflow/tfjs-node') as Tf;
  } catch {
    return undefined;
  }
}

let wasmReady: Promise<boolean> | undefined;

async function startWasm(): Promise<boolean> {
  const dir = wasmDirectory();
  if (dir === undefined) return false;
  // Trailing separator: tfjs appends the file name to the prefix.
  setWasmPaths(dir.endsWith('/') ? dir : `${dir}/`);
  try {
    return await tfjs.setBackend('wasm');
  } catch {
    return false;
  }
}

async function useWasm(): Promise<boolean> {
  wasmReady ??= startWasm();
  const ok = await wasmReady;
  // setBackend is cheap once the backend is initialised; another caller may have switched to cpu.
  if (ok && tfjs.getBackend() !== 'wasm') await tfjs.setBackend('wasm');
  return ok;
}

async function useCpu(): Promise<void> {
  await tfjs.setBackend('cpu');
}

function info(requested: BackendChoice, name: BackendName, reason: string): BackendInfo {
  return { requested, name, reason };
}

/**
 * Starts the backend the user asked for. `auto`: tfjs-node when it loads, else wasm, else cpu, with a
 * sentence saying which and why. `node` without tfjs-node is an error the user can act on.
 */
export async function selectBackend(
  choice: BackendChoice,
  loadNode: NodeLoader = loadTfjsNode,
): Promise<{ tf: Tf; info: BackendInfo }> {
  if (choice === 'node' || choice === 'auto') {
    const tfNode = loadNode();
    if (tfNode !== undefined) {
      await tfNode.setBackend('tensorflow');
      const reason =
        choice === 'node'
          ? t('Using tfjs-node (native TensorFlow), as requested.')
          : t('tfjs-node is installed; using native TensorFlow, the fastest backend.');
      return { tf: tfNode, info: info(choice, 'tensorflow', reason) };
    }
    if (choice === 'node') {
      throw new TrainerError(
        'BACKEND_UNAVAILABLE',
        t('The node backend needs @tensorflow/tfjs-node, which is not installed or does not load on this machine.'),
        undefined,
        t('Run "npm install @tensorflow/tfjs-node", or choose the wasm or auto backend.'),
      );
    }
    if (await useWasm()) {
      return {
        tf: tfjs,
        info: info(choice, 'wasm', t('tfjs-node is not installed; using the WebAssembly backend (wasm).')),
      };
    }
    await useCpu();
    return {
      tf: tfjs,
      info: info(choice, 'cpu', t('Neither tfjs-node nor the WebAssembly backend could start; using the slow plain JavaScript backend (cpu).')),
    };
  }
  if (choice === 'wasm') {
    if (await useWasm()) {
      return { tf: tfjs, info: info(choice, 'wasm', t('Using the WebAssembly backend (wasm), as requested.')) };
    }
    throw new TrainerError(
      'BACKEND_UNAVAILABLE',
      t('The WebAssembly backend could not start: its .wasm files were not found next to the program.'),
      undefined,
      t('Reinstall the extension, or choose the cpu backend.'),
    );
  }
  await useCpu();
  return { tf: tfjs, info: info(choice, 'cpu', t('Using the plain JavaScript backend (cpu), as requested; it is slow.')) };
}
