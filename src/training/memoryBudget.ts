/**
 * Will this batch size and network fit in memory? Checked before any data loads, so a combination that
 * cannot run is a clear message in a second instead of "memory access out of bounds" half a minute later.
 *
 * Two memories count. The training kernels allocate one WebAssembly memory, sized up front by
 * kernels/networkMemory.ts (weights, Adam moments, one batch's activations, gradients and sparse input
 * lists); a wasm32 memory holds at most 4 GB. tfjs holds the model for the test evaluation (in chunks of
 * 2,500) and the final prediction over all test images at once, and on the portable path (no kernels) also
 * each batch's activations and gradients: on the wasm backend that is its heap, which can grow to 4 GB
 * (emscripten's getHeapMax) but never returns memory and fragments, so half of it is the budget; the cpu
 * backend's typed arrays get the same budget, tfjs-node's native heap half the machine's memory.
 */
import { totalmem } from 'node:os';
import { NUM_CLASSES, PIXELS } from '../domain/classes';
import { convLayersOf, convSides, describeConvLayers, flattenedWidth, isConvolutional, type Architecture } from '../domain/architecture';
import { parameterCount } from '../domain/networkLayers';
import type { BackendName, HyperParameters } from '../domain/hyperParameters';
import { TrainerError } from '../core/errors';
import { t } from '../core/text/l10n';
import { WASM_PAGE_BYTES } from './kernels/kernelModule';
import { kernelsAvailable, MIN_CAPACITY } from './kernels/kernelTrainer';
import { layOutNetwork, trainerCapacity } from './kernels/networkMemory';
import { CONV_IMAGES_PER_PASS } from './predictAll';
// Test images the estimate assumes when the run does not limit them: the whole Fashion-MNIST test set.
import { TEST_IMAGES, TRAIN_IMAGES } from '../domain/classes';

/** The largest a wasm32 memory (and tfjs-backend-wasm's heap, its getHeapMax) can be: 4 GB less one 64 KB page. */
export const WASM_HEAP_MAX_BYTES = 4_294_901_760;
const FLOAT_BYTES = 4;
const EVALUATION_CHUNK = 2_500;

type Settings = Pick<HyperParameters, 'batchSize' | 'testLimit'>;

/**
 * The kernels' memory for this network and batch size, exactly as the trainer allocates it: laid out by
 * kernels/networkMemory.ts for its evaluation chunk (the batch, padded up to a minimum capacity: for a conv
 * network at batch 32 that doubles the patch buffers, so the batch size alone read half the memory).
 */
export function kernelBytes(p: Pick<HyperParameters, 'batchSize'>, architecture: Architecture): number {
  return layOutNetwork(architecture, p.batchSize, trainerCapacity(architecture, p.batchSize, MIN_CAPACITY)).pages * WASM_PAGE_BYTES;
}

/** Whether a run trains on tfjs ops: no kernels built (the kernels train MLPs and conv networks). */
function onTfjsOps(_architecture: Architecture): boolean {
  return !kernelsAvailable();
}

/**
 * The values one image makes on its way through the network: per conv block its conv output and its pooled
 * output (and the padded input the filter gradient reads), then every Dense layer's output.
 */
function activationsPerImage(architecture: Architecture): number {
  const conv = convLayersOf(architecture);
  const sides = convSides(conv);
  let values = 0;
  let channels = 1;
  conv.forEach((layer, i) => {
    const padded = sides[i] + layer.kernelSize - 1;
    values += padded * padded * channels + sides[i] * sides[i] * layer.filters + sides[i + 1] * sides[i + 1] * layer.filters;
    channels = layer.filters;
  });
  for (const layer of architecture.hiddenLayers) values += layer.units;
  return values + NUM_CLASSES;
}

/** What tfjs holds at its peak: the model (weights, gradients, Adam moments) and the largest pass over images. */
export function tfjsPeakBytes(p: Settings, architecture: Architecture, portablePath: boolean = onTfjsOps(architecture)): number {
  const weights = parameterCount(architecture);
  const activationsPerRow = activationsPerImage(architecture) + (isConvolutional(architecture) ? flattenedWidth(architecture) : 0);
  const model = 6 * weights;
  // Input and its copy, then per layer its output, activation and their gradients.
  const pass = (rows: number) => rows * (2 * PIXELS + 4 * activationsPerRow);
  const tests = Math.min(p.testLimit ?? TEST_IMAGES, TEST_IMAGES);
  // A conv network's evaluations and predictions go in chunks of CONV_IMAGES_PER_PASS images.
  const conv = isConvolutional(architecture);
  const prediction = (conv ? Math.min(tests, CONV_IMAGES_PER_PASS) : tests) * (PIXELS + 2 * activationsPerRow);
  // The dashboard's first-layer view of an MLP (training/epochInsight.ts): every test image as floats, and its
  // hidden units' activations (product, bias, relu, transposed, top-k) at once.
  const firstUnits = architecture.hiddenLayers[0]?.units ?? 0;
  const firstLayerView = conv || architecture.hiddenLayers.length === 0 ? 0 : tests * (PIXELS + 5 * firstUnits);
  const largest = Math.max(pass(Math.min(tests, conv ? CONV_IMAGES_PER_PASS : EVALUATION_CHUNK)), prediction, firstLayerView, portablePath ? pass(p.batchSize) : 0);
  return FLOAT_BYTES * (model + largest);
}

/** The bytes a run with these settings needs at its peak in the tighter of its two memories, against that memory's budget. */
function tightest(p: Settings, backend: BackendName, architecture: Architecture, machineBytes?: number): { needed: number; budget: number; kernels: boolean } {
  const kernels = !onTfjsOps(architecture) ? { needed: kernelBytes(p, architecture), budget: WASM_HEAP_MAX_BYTES, kernels: true } : { needed: 0, budget: 1, kernels: true };
  const tfjs = { needed: tfjsPeakBytes(p, architecture), budget: memoryBudgetBytes(backend, machineBytes), kernels: false };
  return kernels.needed / kernels.budget > tfjs.needed / tfjs.budget ? kernels : tfjs;
}

/** The bytes a run needs at its peak, in the memory closest to its limit (for messages and tests). */
export function trainingPeakBytes(p: Settings, architecture: Architecture): number {
  return tightest(p, 'wasm', architecture).needed;
}

/** What the tfjs backend can give a run. */
export function memoryBudgetBytes(backend: BackendName, machineBytes: number = totalmem()): number {
  return backend === 'tensorflow' ? Math.floor(machineBytes / 2) : Math.floor(WASM_HEAP_MAX_BYTES / 2);
}

function fits(p: Settings, backend: BackendName, architecture: Architecture, machineBytes?: number): boolean {
  const { needed, budget } = tightest(p, backend, architecture, machineBytes);
  return needed <= budget;
}

/** The largest batch size that fits with this network (0 when not even one image does). */
export function largestBatchThatFits(p: Pick<HyperParameters, 'testLimit'>, backend: BackendName, architecture: Architecture, machineBytes?: number): number {
  let low = 0;
  let high = TRAIN_IMAGES;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits({ ...p, batchSize: mid }, backend, architecture, machineBytes)) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Refuses, with INVALID_PARAMS saying what fits, a batch size and network that would overflow memory. */
export function checkMemoryBudget(p: HyperParameters, backend: BackendName, architecture: Architecture = p.architecture, machineBytes?: number): void {
  const { needed, budget, kernels } = tightest(p, backend, architecture, machineBytes);
  if (needed <= budget) return;
  const most = largestBatchThatFits(p, backend, architecture, machineBytes);
  const widths = architecture.hiddenLayers.map((layer) => layer.units).join(', ');
  if (isConvolutional(architecture)) {
    const blocks = describeConvLayers(convLayersOf(architecture));
    throw new TrainerError(
      'INVALID_PARAMS',
      kernels
        ? t('A batch size of {0} with conv blocks {1} and hidden layers of {2} units needs about {3} of memory to train, more than the {4} the training kernels\' memory can hold.',
          p.batchSize, blocks, widths, gigabytes(needed), gigabytes(budget))
        : t('A batch size of {0} with conv blocks {1} and hidden layers of {2} units needs about {3} of memory to train, more than the {4} the {5} backend can use.',
          p.batchSize, blocks, widths, gigabytes(needed), gigabytes(budget), backend),
      undefined,
      most >= 1
        ? t('Use a batch size of at most {0} with these layers, or fewer filters or conv blocks.', most)
        : t('Use fewer filters or conv blocks, or fewer or narrower hidden layers.'),
    );
  }
  throw new TrainerError(
    'INVALID_PARAMS',
    kernels
      ? t(
          'A batch size of {0} with hidden layers of {1} units needs about {2} of memory to train, more than the {3} the training kernels\' memory can hold.',
          p.batchSize,
          widths,
          gigabytes(needed),
          gigabytes(budget),
        )
      : t(
          'A batch size of {0} with hidden layers of {1} units needs about {2} of memory to train, more than the {3} the {4} backend can use.',
          p.batchSize,
          widths,
          gigabytes(needed),
          gigabytes(budget),
          backend,
        ),
    undefined,
    most >= 1
      ? t('Use a batch size of at most {0} with hidden layers of {1} units, or fewer or narrower hidden layers.', most, widths)
      : t('Use fewer or narrower hidden layers.'),
  );
}

function gigabytes(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GB`;
}
