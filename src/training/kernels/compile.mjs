// Compiles the AssemblyScript training kernels (./assembly) to dist/mlpKernels.wasm. Run by the build
// (esbuild.mjs) and before the unit tests (scripts/unit.mjs); the binary is a build output, never
// committed. The kernels run in memory the trainer owns and lays out from address 0 up, so the module
// must have no static data, globals or start function (it must not write anywhere the trainer did not
// ask): checked here on the text form.
import asc from 'assemblyscript/asc';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const KERNELS_FILE = 'mlpKernels.wasm';

const FLAGS = [
  '--runtime', 'stub',
  '--importMemory',
  '--noAssert',
  '--optimizeLevel', '3',
  '--shrinkLevel', '0',
  '--enable', 'simd',
  '--use', 'abort=',
];

/**
 * Compiles the kernels; `shared` builds the variant that imports a shared memory (for the threaded
 * trainer). Returns the binary.
 */
export async function compileKernels({ shared = false } = {}) {
  const outputs = {};
  const stderr = [];
  const flags = shared ? [...FLAGS, '--sharedMemory', '--maximumMemory', '65536', '--enable', 'threads'] : FLAGS;
  const { error } = await asc.main([join(here, 'assembly', 'index.ts'), ...flags, '--outFile', 'kernels.wasm', '--textFile', 'kernels.wat'], {
    writeFile: (name, contents) => {
      outputs[name] = contents;
    },
    stderr: { write: (text) => stderr.push(String(text)) },
  });
  if (error) throw new Error(`AssemblyScript failed to compile the kernels: ${error.message}\n${stderr.join('')}`);
  const text = String(outputs['kernels.wat']);
  for (const forbidden of ['(data', '(global', '(start']) {
    if (text.includes(forbidden)) throw new Error(`The compiled kernels contain ${forbidden}); they must not write memory the trainer did not lay out.`);
  }
  return outputs['kernels.wasm'];
}

/** Compiles both variants into `outDir` (dist/ by default). */
export async function buildKernels(outDir = join(here, '..', '..', '..', 'dist')) {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, KERNELS_FILE), await compileKernels());
  writeFileSync(join(outDir, KERNELS_FILE.replace('.wasm', '.shared.wasm')), await compileKernels({ shared: true }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildKernels();
