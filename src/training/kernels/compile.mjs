// Compiles the AssemblyScript training kernels (./assembly) into dist/, one binary per variant:
// instruction set (plain 128-bit SIMD, or with relaxed SIMD's fused multiply-add) × memory (the
// trainer's own, or shared with a helper thread). Run by the build (esbuild.mjs) and before the unit
// tests (scripts/node-tests.mjs); the binaries are build outputs, never committed. The kernels run in
// memory the trainer owns and lays out from address 0 up, so a module must have no static data,
// globals or start function (it must not write anywhere the trainer did not ask): checked here on the
// text form. The variants' names and files are kernelVariants.mjs's (one home for both sides).
import asc from 'assemblyscript/asc';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INSTRUCTION_SETS, kernelsFile } from './kernelVariants.mjs';

const here = dirname(fileURLToPath(import.meta.url));

const FLAGS = [
  '--runtime', 'stub',
  '--importMemory',
  '--noAssert',
  '--optimizeLevel', '3',
  '--shrinkLevel', '0',
  '--enable', 'simd',
  '--use', 'abort=',
];
const SHARED_FLAGS = ['--sharedMemory', '--maximumMemory', '65536', '--enable', 'threads'];
/** The extra features of each instruction set (the sources test ASC_FEATURE_RELAXED_SIMD). */
const SET_FLAGS = { simd: [], 'relaxed-simd': ['--enable', 'relaxed-simd'] };

/**
 * Compiles the kernels for `instructions` ('simd' or 'relaxed-simd'); `shared` builds the variant
 * that imports a shared memory (for the threaded trainer). Returns the binary.
 */
export async function compileKernels({ shared = false, instructions = 'simd' } = {}) {
  const outputs = {};
  const stderr = [];
  const flags = [...FLAGS, ...SET_FLAGS[instructions], ...(shared ? SHARED_FLAGS : [])];
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
  if (instructions === 'relaxed-simd' && !text.includes('relaxed_madd')) throw new Error('The relaxed-SIMD kernels contain no f32x4.relaxed_madd.');
  return outputs['kernels.wasm'];
}

/** Compiles every variant into `outDir` (dist/ by default). */
export async function buildKernels(outDir = join(here, '..', '..', '..', 'dist')) {
  mkdirSync(outDir, { recursive: true });
  const builds = INSTRUCTION_SETS.flatMap((instructions) => [false, true].map((shared) => ({ instructions, shared })));
  await Promise.all(
    builds.map(async (variant) => writeFileSync(join(outDir, kernelsFile(variant)), await compileKernels(variant))),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildKernels();
