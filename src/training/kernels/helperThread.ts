/**
 * A second thread for the training kernels: a worker thread with its own instance of the kernels on
 * the same shared memory, which runs one kernel call at a time while the calling thread runs another
 * (its half of a batch, or of a weight matrix's rows). Calls are handed over through a small command
 * block in the shared memory and Atomics (no messages, no copies); the caller waits for the helper's
 * half before going on, so every step is exactly the single-threaded computation, split.
 */
import { Worker } from 'node:worker_threads';
import { SPLIT_KERNELS, type SplitKernel } from './splitKernels';

/**
 * Command block layout (Int32 slots): [0] sequence number posted, [1] sequence done, [2] kernel, [3]
 * argument count, [4] 1 once the helper is ready, [5] 1 once a call failed on it; arguments as f64 from
 * byte 24; the result as f64 after them.
 */
const POSTED = 0;
const DONE = 1;
const KERNEL = 2;
const ARGUMENT_COUNT = 3;
const READY = 4;
const FAILED = 5;
const SLOTS = 6;
const ARGUMENTS_BYTE = 24;
export const MAX_ARGUMENTS = 15;
export const COMMAND_BYTES = ARGUMENTS_BYTE + 8 * (MAX_ARGUMENTS + 1);
/** Checks of the shared counter before a thread sleeps in Atomics.wait (a few microseconds). */
const SPIN_CHECKS = 2_000;

// The helper's whole program: instantiate the kernels on the shared memory, then wait for commands.
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, commandAt, names } = workerData;
const kernels = new WebAssembly.Instance(module, { env: { memory, exp: Math.exp, log: Math.log } }).exports;
const control = new Int32Array(memory.buffer, commandAt, ${SLOTS});
const args = new Float64Array(memory.buffer, commandAt + ${ARGUMENTS_BYTE}, ${MAX_ARGUMENTS + 1});
Atomics.store(control, ${READY}, 1);
let seen = 0;
for (;;) {
  // Spin briefly before sleeping: the next call of a step follows within microseconds, and waking a
  // sleeping thread takes longer than that.
  for (let spin = 0; spin < ${SPIN_CHECKS} && Atomics.load(control, ${POSTED}) === seen; spin++);
  Atomics.wait(control, ${POSTED}, seen);
  seen = Atomics.load(control, ${POSTED});
  if (seen < 0) break;
  try {
    const result = kernels[names[control[${KERNEL}]]](...Array.from(args.subarray(0, control[${ARGUMENT_COUNT}])));
    args[${MAX_ARGUMENTS}] = typeof result === 'number' ? result : 0;
  } catch {
    Atomics.store(control, ${FAILED}, 1);
  }
  Atomics.store(control, ${DONE}, seen);
  Atomics.notify(control, ${DONE});
}
`;

export class KernelHelper {
  private readonly worker: Worker;
  private readonly control: Int32Array;
  private readonly args: Float64Array;
  private sequence = 0;

  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, commandAt: number) {
    this.control = new Int32Array(memory.buffer, commandAt, SLOTS);
    this.args = new Float64Array(memory.buffer, commandAt + ARGUMENTS_BYTE, MAX_ARGUMENTS + 1);
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
    return this.sequence;
  }

  /** Starts `name(...args)` on the helper thread; `join` waits for it. */
  start(name: SplitKernel, args: number[]): void {
    this.args.set(args);
    this.control[KERNEL] = SPLIT_KERNELS.indexOf(name);
    this.control[ARGUMENT_COUNT] = args.length;
    this.sequence += 1;
    Atomics.store(this.control, POSTED, this.sequence);
    Atomics.notify(this.control, POSTED);
  }

  /** Waits for the call started last; returns its result (0 for kernels without one). */
  join(): number {
    for (let spin = 0; spin < SPIN_CHECKS && Atomics.load(this.control, DONE) !== this.sequence; spin++);
    while (Atomics.load(this.control, DONE) !== this.sequence) Atomics.wait(this.control, DONE, this.sequence - 1);
    if (Atomics.load(this.control, FAILED) !== 0) throw new Error(`The training kernels' helper thread failed in ${SPLIT_KERNELS[this.control[KERNEL]]}.`);
    return this.args[MAX_ARGUMENTS];
  }

  dispose(): void {
    Atomics.store(this.control, POSTED, -1);
    Atomics.notify(this.control, POSTED);
    void this.worker.terminate();
  }
}
