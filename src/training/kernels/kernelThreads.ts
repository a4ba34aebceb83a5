/**
 * Runs the trainer's split kernels (the forward pass, the gradient to the layer below, the weight
 * gradient with Adam) on one thread or on two (the helper thread, helperThread.ts, on shared memory).
 * The split is the same computation in two halves, so the weights are bit-identical either way and
 * the choice can change between any two steps.
 *
 * With `threads: 'auto'` the choice is timed, not assumed: after warm-up steps (a few on one thread, while
 * the engine optimizes the kernels and the helper starts; then a few hundred on two, which speed up over
 * that long) it times a run of two-thread steps and then a run of one-thread steps, each after it has
 * settled (a helper woken from its sleep pays a start-up that steady two-thread steps do not: timed as
 * alternating single steps, the tutorial's two-thread step was 0.63 ms against 0.28 ms steady, and auto
 * kept one thread, 0.74 s/epoch against 0.53 on two). It keeps two threads only when they are clearly
 * faster by the median. It times again soon after a choice (two-thread steps keep speeding up over the
 * first thousand or two, and on a shared machine either way can be slower for a while), then less and
 * less often while the choice holds, and at once when steps get much slower than when it chose (the
 * machine got busy).
 */
import { median } from '../../core/analysis/median';
import type { TrainingThreads } from '../../protocol/worker';
import { KernelHelper } from './helperThread';
import { instantiateKernels, type MlpKernels } from './kernelModule';
import type { SplitKernel } from './splitKernels';

/** Steps on one thread before any timing (the kernels reach their optimized code, the helper starts). */
const WARM_UP_STEPS = 12;
/**
 * Then steps on two threads before the first trial: two-thread steps start slow and speed up over a few
 * hundred steps (the tutorial's: 0.55 ms at step 90, 0.34 at 400, 0.29 later, against 0.40 on one
 * thread), so a trial timed earlier kept one thread (0.74 s/epoch against 0.58 on two).
 */
const TWO_THREAD_WARM_UP_STEPS = 200;
/** How long `threads: 2` waits for its helper thread to start before the first step. */
const HELPER_START_MS = 10_000;
/**
 * A trial runs two-thread steps, then one-thread steps, and times the last TRIAL_STEPS_EACH of each. Before
 * those, two-thread steps need a run of their own when the steps ran on one thread: after a while on one
 * thread, two-thread steps are slow for dozens of steps (the helper's core and caches are cold; timed after
 * 2 steps, a re-trial of the tutorial found two threads no faster, 0.38 ms against 0.38, where they ran
 * 0.25 ms steadily). One-thread steps right after two-thread ones are slow too (0.58 ms against 0.38 steady:
 * the helper's rows come back to this core's cache) and are timed after TRIAL_ONE_SETTLE; two-thread steps
 * right after two-thread steps after TRIAL_SETTLE.
 */
const TRIAL_STEPS_EACH = 12;
const TRIAL_TWO_SETTLE = 100;
const TRIAL_ONE_SETTLE = 20;
const TRIAL_SETTLE = 2;
/** Two threads must beat one by this factor (median step time) to be kept. */
const TWO_THREADS_MARGIN = 0.9;
/**
 * Steps after a choice before the next trial: the first, doubled each time a trial keeps the choice up to
 * the last (a trial's 24 steps on the slower way cost about 1% of the steps between two trials, then
 * 0.2%); a changed choice starts again from the first. And the slow-down that starts one at once.
 */
const FIRST_RECHECK_STEPS = 500;
const RECHECK_STEPS = 4000;
const SLOWDOWN_FACTOR = 1.6;
/** Steps averaged to notice a slow-down. */
const SLOWDOWN_WINDOW = 64;

/** One timed choice: the median milliseconds per step each way and the threads kept. */
export interface ThreadDecision {
  afterStep: number;
  oneThreadMs: number;
  twoThreadsMs: number;
  threads: 1 | 2;
}

/** The helper thread; with 'auto', none where a thread cannot start (the steps then run on this one). */
function startHelper(module: WebAssembly.Module, memory: WebAssembly.Memory, commandAt: number, threads: 'auto' | 2): KernelHelper | undefined {
  try {
    return new KernelHelper(module, memory, commandAt);
  } catch (error) {
    if (threads === 2) throw error;
    return undefined;
  }
}

export class KernelThreads {
  readonly kernels: MlpKernels;
  private readonly helper: KernelHelper | undefined;
  private readonly auto: boolean;
  private using: 1 | 2;
  private step = 0;
  /** The helper's results collected by a `split` that waited for earlier calls, for the next `join`. */
  private helperResults = 0;
  private stepStarted = 0;
  /** Auto: 'warm-up' → 'trial' → 'running' → 'trial' … */
  private phase: 'warm-up' | 'trial' | 'running';
  private trial: { 1: number[]; 2: number[] } = { 1: [], 2: [] };
  /** Steps into the current trial, and how many of its first two-thread steps are not timed. */
  private trialStep = 0;
  private settleTwo = 0;
  private chosenMs = 0;
  private decidedAt = 0;
  private recheckAfter = FIRST_RECHECK_STEPS;
  private recent: number[] = [];
  readonly decisions: ThreadDecision[] = [];

  /** `module` must be the shared-memory build over a shared `memory` when threads is not 1. */
  constructor(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    commandAt: number,
    threads: TrainingThreads,
    instrument?: (kernels: MlpKernels, memory: WebAssembly.Memory) => MlpKernels,
  ) {
    const kernels = instantiateKernels(module, memory);
    this.kernels = instrument === undefined ? kernels : instrument(kernels, memory);
    this.helper = threads === 1 ? undefined : startHelper(module, memory, commandAt, threads);
    this.auto = threads === 'auto';
    this.using = threads === 2 ? 2 : 1;
    this.phase = this.auto ? 'warm-up' : 'running';
    // Asked for two threads: wait for the helper here, so that every step is split (until it is ready a
    // split runs whole on this thread, which gives the same weights).
    if (threads === 2) this.helper?.waitUntilReady(HELPER_START_MS);
  }

  /** Kernel calls the helper thread has run (tests check that two threads did split the work). */
  get helperCalls(): number {
    return this.helper?.calls ?? 0;
  }

  /** The threads the next step uses. */
  get threads(): 1 | 2 {
    return this.using;
  }

  /**
   * Runs `name` over items [0, count) (samples, or weight rows), given the arguments for a range: all
   * here on one thread, the second half on the helper with two. The second half starts at a multiple of
   * `grain` (kernels that pair items keep the same pairs either way). Waits for the calls posted before
   * (`splitAhead`) first and for the helper's half after: the caller may then read every item. Returns
   * the sum of the results (the helper's earlier calls' results wait for `join`).
   */
  split(count: number, name: SplitKernel, argsFor: (from: number, count: number) => number[], grain = 1): number {
    const earlier = this.helper?.pending === true ? this.helper.join() : 0;
    const mine = this.splitAhead(count, name, argsFor, grain);
    const helper = this.helper?.pending === true ? this.helper.join() : 0;
    this.helperResults += earlier;
    return mine + helper;
  }

  /**
   * The same without waiting for the helper's half: it runs after the helper's earlier calls, so a chain
   * of kernels over the same halves (a batch's samples through the layers) needs no wait between them;
   * `join` waits where a kernel needs both halves. Returns this thread's result.
   */
  splitAhead(count: number, name: SplitKernel, argsFor: (from: number, count: number) => number[], grain = 1): number {
    const kernel = this.kernels[name] as (...args: number[]) => number | undefined;
    const half = Math.ceil(count / 2 / grain) * grain;
    if (this.using === 1 || this.helper === undefined || !this.helper.ready || half >= count) return kernel(...argsFor(0, count)) ?? 0;
    this.helper.start(name, argsFor(half, count - half));
    return kernel(...argsFor(0, half)) ?? 0;
  }

  /** Waits for the helper's calls (every item of every split kernel is then written); returns the sum of their results not returned yet. */
  join(): number {
    const results = this.helperResults + (this.helper?.pending === true ? this.helper.join() : 0);
    this.helperResults = 0;
    return results;
  }

  /** Marks the start of a training step (auto: picks the threads of a trial step). */
  beginStep(): void {
    if (!this.auto) return;
    if (this.phase === 'trial') this.using = this.trialStep < this.settleTwo + TRIAL_STEPS_EACH ? 2 : 1;
    this.stepStarted = performance.now();
  }

  /** Marks the end of a training step: auto records its time and decides when a trial is complete. */
  endStep(): void {
    if (!this.auto) return;
    const ms = performance.now() - this.stepStarted;
    this.step += 1;
    if (this.phase === 'warm-up') {
      if (this.step >= WARM_UP_STEPS && this.helper?.ready === true) this.startTrial(TWO_THREAD_WARM_UP_STEPS);
    } else if (this.phase === 'trial') {
      const settled = this.using === 2 ? this.trialStep >= this.settleTwo : this.trialStep >= this.settleTwo + TRIAL_STEPS_EACH + TRIAL_ONE_SETTLE;
      if (settled) this.trial[this.using].push(ms);
      this.trialStep += 1;
      if (this.trial[1].length >= TRIAL_STEPS_EACH) this.decide();
    } else {
      this.recent.push(ms);
      if (this.recent.length > SLOWDOWN_WINDOW) this.recent.shift();
      const slowed = this.recent.length === SLOWDOWN_WINDOW && median(this.recent) > SLOWDOWN_FACTOR * this.chosenMs;
      if (slowed || this.step - this.decidedAt >= this.recheckAfter) this.startTrial(this.using === 2 ? TRIAL_SETTLE : TRIAL_TWO_SETTLE);
    }
  }

  private startTrial(settleTwo: number): void {
    this.phase = 'trial';
    this.trial = { 1: [], 2: [] };
    this.trialStep = 0;
    this.settleTwo = settleTwo;
  }

  private decide(): void {
    const oneThreadMs = median(this.trial[1]);
    const twoThreadsMs = median(this.trial[2]);
    const threads = twoThreadsMs < TWO_THREADS_MARGIN * oneThreadMs ? 2 : 1;
    const kept = this.decisions.at(-1)?.threads === threads;
    this.recheckAfter = kept ? Math.min(2 * this.recheckAfter, RECHECK_STEPS) : FIRST_RECHECK_STEPS;
    this.using = threads;
    this.chosenMs = this.using === 2 ? twoThreadsMs : oneThreadMs;
    this.decidedAt = this.step;
    this.recent = [];
    this.phase = 'running';
    this.decisions.push({ afterStep: this.step, oneThreadMs, twoThreadsMs, threads: this.using });
  }

  dispose(): void {
    this.helper?.dispose();
  }
}
