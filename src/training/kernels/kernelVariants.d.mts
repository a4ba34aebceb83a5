/** The instruction sets of the kernel builds, best first (kernelVariants.mjs). */
export declare const INSTRUCTION_SETS: readonly ['relaxed-simd', 'simd'];
export type InstructionSet = (typeof INSTRUCTION_SETS)[number];
export interface KernelVariant {
  instructions: InstructionSet;
  shared: boolean;
}
/** dist/ file of a variant. */
export declare function kernelsFile(variant: KernelVariant): string;
