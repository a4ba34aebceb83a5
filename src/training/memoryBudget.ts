/**
 * Will this batch size and hidden width fit in memory? Checked before any data loads, so a combination that
 * cannot run is a clear message in a second instead of "memory access out of bounds" half a minute later.
 *
 * The estimate follows what training allocates: the weights with their gradients and Adam moments, one
 * batch's activations and gradients (input, pre-activation, ReLU output, their gradients, logits), and the
 * larger of the test evaluation (in chunks of 2,500) and the final prediction over all test images at once.
 * The wasm backend's heap can grow to 4 GB (emscripten's getHeapMax), but tfjs never returns memory to it and
 * freed blocks fragment, so half of it is the budget; the cpu backend's typed arrays get the same budget;
 * tfjs-node's native heap gets half the machine's memory.
 */
import { totalmem } from 'node:os';
import { NUM_CLASSES, PIXELS } from '../domain/classes';
import type { BackendName, HyperParameters } from '../domain/hyperParameters';
import { TrainerError } from '../core/errors';
import { t } from '../core/text/l10n';

/** The largest the tfjs wasm heap can grow (tfjs-backend-wasm's getHeapMax: 4 GB less one 64 KB page). */
export const WASM_HEAP_MAX_BYTES = 4_294_901_760;
const FLOAT_BYTES = 4;
/** Test images the estimate assumes when the run does not limit them: the whole Fashion-MNIST test set. */
const TEST_IMAGES = 10_000;
const EVALUATION_CHUNK = 2_500;

/** The bytes a run with these settings needs at its peak. */
export function trainingPeakBytes(p: Pick<HyperParameters, 'batchSize' | 'hiddenUnits' | 'testLimit'>): number {
  const hidden = p.hiddenUnits;
  const weights = PIXELS * hidden + hidden + hidden * NUM_CLASSES + NUM_CLASSES;
  // Weights, gradients, two Adam moments, and the update's temporaries.
  const model = 6 * weights;
  const perBatch = (rows: number) => 2 * rows * PIXELS + 6 * rows * hidden + 4 * rows * NUM_CLASSES;
  const tests = Math.min(p.testLimit ?? TEST_IMAGES, TEST_IMAGES);
  const prediction = tests * PIXELS + 2 * tests * hidden + 2 * tests * NUM_CLASSES;
  const evaluation = perBatch(Math.min(tests, EVALUATION_CHUNK));
  return FLOAT_BYTES * (model + Math.max(perBatch(p.batchSize), evaluation, prediction));
}

/** What the backend can give a run. */
export function memoryBudgetBytes(backend: BackendName, machineBytes: number = totalmem()): number {
  return backend === 'tensorflow' ? Math.floor(machineBytes / 2) : Math.floor(WASM_HEAP_MAX_BYTES / 2);
}

/** The largest batch size that fits the budget with this hidden width (at least 1 when anything fits). */
export function largestBatchThatFits(p: Pick<HyperParameters, 'hiddenUnits' | 'testLimit'>, budget: number): number {
  let low = 0;
  let high = 60_000;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (trainingPeakBytes({ ...p, batchSize: mid }) <= budget) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Refuses, with INVALID_PARAMS saying what fits, a batch size and width that would overflow the backend's memory. */
export function checkMemoryBudget(p: HyperParameters, backend: BackendName, machineBytes?: number): void {
  const budget = memoryBudgetBytes(backend, machineBytes);
  const needed = trainingPeakBytes(p);
  if (needed <= budget) return;
  const fits = largestBatchThatFits(p, budget);
  throw new TrainerError(
    'INVALID_PARAMS',
    t(
      'A batch size of {0} with {1} hidden units needs about {2} of memory to train, more than the {3} the {4} backend can use.',
      p.batchSize,
      p.hiddenUnits,
      gigabytes(needed),
      gigabytes(budget),
      backend,
    ),
    undefined,
    fits >= 1
      ? t('Use a batch size of at most {0} with {1} hidden units, or fewer hidden units.', fits, p.hiddenUnits)
      : t('Use fewer hidden units.'),
  );
}

function gigabytes(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GB`;
}
