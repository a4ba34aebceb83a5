// The builds of the training kernels, shared by the build script (compile.mjs) and the loader
// (kernelModule.ts): the instruction sets, best first, and each variant's file in dist/.

/** 'relaxed-simd' adds f32x4.relaxed_madd (fused multiply-add where the CPU has it); 'simd' is plain 128-bit SIMD. */
export const INSTRUCTION_SETS = /** @type {const} */ (['relaxed-simd', 'simd']);

/** dist/ file of a variant: mlpKernels[.relaxed][.shared].wasm. */
export function kernelsFile({ instructions, shared }) {
  return `mlpKernels${instructions === 'relaxed-simd' ? '.relaxed' : ''}${shared ? '.shared' : ''}.wasm`;
}
