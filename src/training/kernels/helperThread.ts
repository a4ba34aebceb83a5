/**
 * A second thread for the training kernels: a worker thread with its own instance of the kernels on
 * the same shared memory, which runs kernel calls (its half of a batch, or of a weight matrix's rows)
 * while the calling thread runs its own. Calls are handed over through a small ring of commands in the
 * shared memory and Atomics (no messages, no copies). The helper runs them in the order they were
 * posted, so the caller can post several (one half of a batch through a chain of kernels) and wait
 * once, where the next kernel needs both halves; every step is exactly the single-threaded
 * computation, split.
 */
import { Worker } from 'node:worker_threads';
import { SPLIT_KERNELS, type SplitKernel } from './splitKernels';

/**
 * Command block layout: Int32 slots [0] calls posted, [1] calls done, [2] 1 once the helper is ready,
 * [3] 1 once a call failed on it, [4] the kernel that failed; then RING commands from byte 24, each
 * [kernel i32, argument count i32, arguments f64 × MAX_ARGUMENTS, result f64].
 */
const POSTED = 0;
const DONE = 1;
const READY = 2;
const FAILED = 3;
const FAILED_KERNEL = 4;
const SLOTS = 5;
const RING_BYTE = 24;
export const MAX_ARGUMENTS = 15;
/** Commands in the ring: more than a step posts between two waits. */
const RING = 16;
const COMMAND_STRIDE = 8 + 8 * (MAX_ARGUMENTS + 1);
export const COMMAND_BYTES = RING_BYTE + RING * COMMAND_STRIDE;
/** Checks of the shared counter before a thread sleeps in Atomics.wait (a few microseconds). */
const SPIN_CHECKS = 2_000;

// The helper's whole program: instantiate the kernels on the shared memory, then run the commands.
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, commandAt, names } = workerData;
const kernels = new WebAssembly.Instance(module, { env: { memory, exp: Math.exp, log: Math.log } }).exports;
const control = new Int32Array(memory.buffer, commandAt, ${SLOTS});
const ints = new Int32Array(memory.buffer);
const floats = new Float64Array(memory.buffer);
Atomics.store(control, ${READY}, 1);
let done = 0;
for (;;) {
  // Spin briefly before sleeping: the next call of a step follows within microseconds, and waking a
  // sleeping thread takes longer than that.
  for (let spin = 0; spin < ${SPIN_CHECKS} && Atomics.load(control, ${POSTED}) === done; spin++);
  Atomics.wait(control, ${POSTED}, done);
  const posted = Atomics.load(control, ${POSTED});
  if (posted < 0) break;
  while (done < posted) {
    const at = commandAt + ${RING_BYTE} + (done % ${RING}) * ${COMMAND_STRIDE};
    const kernel = ints[at / 4];
    try {
      const args = floats.subarray(at / 8 + 1, at / 8 + 1 + ints[at / 4 + 1]);
      const result = kernels[names[kernel]](...args);
      floats[at / 8 + 1 + ${MAX_ARGUMENTS}] = typeof result === 'number' ? result : 0;
    } catch {
      control[${FAILED_KERNEL}] = kernel;
      Atomics.store(control, ${FAILED}, 1);
    }
    done += 1;
    Atomics.store(control, ${DONE}, done);
    Atomics.notify(control, ${DONE});
  }
}
`;

export class KernelHelper {
  private readonly worker: Worker;
  private readonly control: Int32Array;
  private readonly ints: Int32Array;
  private readonly floats: Float64Array;
  private readonly commandAt: number;
  private posted = 0;
  /** Calls whose results were added to `results`. */
  private collected = 0;
  private results = 0;

  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, commandAt: number) {
    this.commandAt = commandAt;
    this.control = new Int32Array(memory.buffer, commandAt, SLOTS);
    this.ints = new Int32Array(memory.buffer);
    this.floats = new Float64Array(memory.buffer);
    this.worker = new Worker(HELPER_SOURCE, { eval: true, workerData: { module, memory, commandAt, names: SPLIT_KERNELS } });
    this.worker.unref();
  }

  /**
   * Whether calls can be handed over: the helper has started (it takes some milliseconds, meanwhile the
   * caller runs everything itself) and no call has failed on it.
   */
  get ready(): boolean {
    return Atomics.load(this.control, READY) === 1 && Atomics.load(this.control, FAILED) === 0;
  }

  /** Blocks until the helper is ready or `timeoutMs` passed; whether it is ready. */
  waitUntilReady(timeoutMs: number): boolean {
    Atomics.wait(this.control, READY, 0, timeoutMs);
    return this.ready;
  }

  /** Calls handed over so far. */
  get calls(): number {
    return this.posted;
  }

  /** Whether calls are posted and not yet waited for. */
  get pending(): boolean {
    return this.collected < this.posted;
  }

  private commandByte(call: number): number {
    return this.commandAt + RING_BYTE + (call % RING) * COMMAND_STRIDE;
  }

  /** Waits until at most `outstanding` posted calls are not done, adding the done ones' results. */
  private waitFor(outstanding: number): void {
    const target = this.posted - outstanding;
    let done = Atomics.load(this.control, DONE);
    for (let spin = 0; spin < SPIN_CHECKS && done < target; spin++) done = Atomics.load(this.control, DONE);
    while (done < target) {
      Atomics.wait(this.control, DONE, done);
      done = Atomics.load(this.control, DONE);
    }
    if (Atomics.load(this.control, FAILED) !== 0) {
      throw new Error(`The training kernels' helper thread failed in ${SPLIT_KERNELS[this.control[FAILED_KERNEL]]}.`);
    }
    for (; this.collected < done; this.collected++) this.results += this.floats[this.commandByte(this.collected) / 8 + 1 + MAX_ARGUMENTS];
  }

  /** Posts `name(...args)` to the helper thread, after the calls posted before it; `join` waits for them. */
  start(name: SplitKernel, args: number[]): void {
    // A full ring: wait for the oldest call to be done.
    if (this.posted - this.collected >= RING) this.waitFor(RING - 1);
    const at = this.commandByte(this.posted);
    this.ints[at / 4] = SPLIT_KERNELS.indexOf(name);
    this.ints[at / 4 + 1] = args.length;
    this.floats.set(args, at / 8 + 1);
    this.posted += 1;
    Atomics.store(this.control, POSTED, this.posted);
    Atomics.notify(this.control, POSTED);
  }

  /** Waits for every call posted; returns the sum of their results since the last join (0 for kernels without one). */
  join(): number {
    this.waitFor(0);
    const results = this.results;
    this.results = 0;
    return results;
  }

  dispose(): void {
    Atomics.store(this.control, POSTED, -1);
    Atomics.notify(this.control, POSTED);
    void this.worker.terminate();
  }
}
