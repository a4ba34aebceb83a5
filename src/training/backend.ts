/**
 * Chooses and starts the tfjs backend. tfjs-node is optional (its install fails where libtensorflow
 * cannot be downloaded, and the packaged extension carries no node_modules), so it is looked for at run
 * time in the search folders (tfjsNodeLoader.ts) and may be missing; wasm is always bundled.
 * All compute code uses the `tf` namespace returned here: tfjs-node carries its own copy of tfjs, and
 * tensors of one copy mean nothing to the other.
 */
import * as tfjs from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BackendChoice, BackendInfo, BackendName } from '../domain/hyperParameters';
import { TrainerError } from '../core/errors';
import { defaultNativeBackendFolders, installCommandLine, ownedNativeBackendFolder } from '../core/nativeBackend/nativeBackendFolders';
import { t } from '../core/text/l10n';
import type { Tf } from './tf';
import { loadTfjsNodeFrom, type NativeAttempt, type NativeLoad } from './tfjsNodeLoader';

/** The namespace selectBackend returns (defined in tf.ts); the compute files import it from here. */
export type { Tf };

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

/**
 * Finds and starts tfjs-node: the default searches the per-user folder and the program's own node_modules;
 * the worker passes the folders of its request. `undefined` means "not installed anywhere".
 */
export type NodeLoader = () => NativeLoad | undefined | Promise<NativeLoad | undefined>;

/** The loader for these search folders (the default search when none are given). */
export function tfjsNodeLoader(folders: readonly string[] = defaultNativeBackendFolders()): NodeLoader {
  return () => loadTfjsNodeFrom(folders);
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

function info(requested: BackendChoice, name: BackendName, reason: string, nativeProblem?: NativeAttempt): BackendInfo {
  const backend: BackendInfo = { requested, name, reason };
  if (nativeProblem !== undefined) backend.nativeProblem = nativeProblem.problem;
  return backend;
}

/** What went wrong with tfjs-node: the first copy that failed to load, else "not found" over all folders. */
function nativeProblem(load: NativeLoad | undefined): NativeAttempt {
  const attempts = load?.attempts ?? [];
  return attempts.find((a) => a.problem === 'failed') ?? { folder: attempts.map((a) => a.folder).join(', '), problem: 'notFound' };
}

/** Why tfjs-node is not running, as a clause: "it was not found in A, B" or "the copy in A did not load: …". */
function whyNotNative(problem: NativeAttempt): string {
  if (problem.problem === 'failed') return t('the copy in {0} did not load: {1}', problem.folder, problem.detail ?? '');
  return problem.folder === '' ? t('no folder to look in was given') : t('it was not found in {0}', problem.folder);
}

/**
 * Starts the backend the user asked for. `auto`: tfjs-node when it loads, else wasm, else cpu, with a
 * sentence saying which and why. `node` without a working tfjs-node is an error the user can act on.
 */
export async function selectBackend(
  choice: BackendChoice,
  loadNode: NodeLoader = tfjsNodeLoader(),
): Promise<{ tf: Tf; info: BackendInfo }> {
  if (choice === 'node' || choice === 'auto') {
    const load = await loadNode();
    if (load?.tf !== undefined) {
      const tfNode = load.tf;
      // Already started by the loader; again in case another caller switched this copy of tfjs since.
      await tfNode.setBackend('tensorflow');
      const reason =
        choice === 'node'
          ? t('Using tfjs-node (native TensorFlow) from {0}, as requested.', load.folder)
          : t('tfjs-node is set up ({0}); using native TensorFlow, the fastest backend.', load.folder);
      return { tf: tfNode, info: info(choice, 'tensorflow', reason) };
    }
    const problem = nativeProblem(load);
    if (choice === 'node') {
      throw new TrainerError(
        'BACKEND_UNAVAILABLE',
        t('The node backend needs @tensorflow/tfjs-node, which cannot be used: {0}.', whyNotNative(problem)),
        problem.problem === 'failed' ? problem.folder : undefined,
        t(
          'Run "Fashion-MNIST: Set Up the Native Backend" in VS Code, or {0} in a terminal; or choose the wasm or auto backend.',
          installCommandLine(ownedNativeBackendFolder()),
        ),
      );
    }
    if (await useWasm()) {
      return {
        tf: tfjs,
        info: info(choice, 'wasm', t('tfjs-node is not used ({0}); using the WebAssembly backend (wasm).', whyNotNative(problem)), problem),
      };
    }
    await useCpu();
    return {
      tf: tfjs,
      info: info(
        choice,
        'cpu',
        t('Neither tfjs-node nor the WebAssembly backend could start; using the slow plain JavaScript backend (cpu).'),
        problem,
      ),
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
