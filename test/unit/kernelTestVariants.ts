// The kernel builds the math tests run over: every instruction set (kernelModule.ts), each tested
// explicitly. Relaxed SIMD is behind a flag in Node 20 (validated by default from Node 22, and in VS
// Code's Electron): the flag is turned on here, before any module is compiled, so that this build is
// tested too. A build that still does not run here is reported as a skipped test with the reason,
// never counted as passed.
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { INSTRUCTION_SETS, instructionSetRuns, type InstructionSet } from '../../src/training/kernels/kernelModule';

setFlagsFromString('--experimental-wasm-relaxed-simd');

/** One test per instruction set, named after it; skipped with the reason where that build cannot run. */
export function variantTest(name: string, body: (instructions: InstructionSet) => void | Promise<void>): void {
  for (const instructions of INSTRUCTION_SETS) {
    const runs = instructionSetRuns(instructions);
    const skip = runs ? false : `the ${instructions} kernels do not validate in this runtime (Node ${process.versions.node})`;
    test(`[${instructions}] ${name}`, { skip }, () => body(instructions));
  }
}
