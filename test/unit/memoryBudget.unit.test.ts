import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrainerError } from '../../src/core/errors';
import { checkMemoryBudget, largestBatchThatFits, memoryBudgetBytes, trainingPeakBytes, WASM_HEAP_MAX_BYTES } from '../../src/training/memoryBudget';
import { DEFAULT_HYPER_PARAMETERS } from '../../src/domain/hyperParameters';
import { singleHiddenLayer } from '../../src/domain/architecture';

const wide = singleHiddenLayer(4096);

test('the tutorial settings need tens of megabytes; the estimate grows with batch × width', () => {
  const tutorial = trainingPeakBytes(DEFAULT_HYPER_PARAMETERS, DEFAULT_HYPER_PARAMETERS.architecture);
  assert.ok(tutorial > 10e6 && tutorial < 100e6, String(tutorial));
  // Up to a batch of about 8,000 the tfjs side is the tighter memory (its estimate does not depend on the batch there).
  assert.ok(trainingPeakBytes({ batchSize: 16384 }, wide) > trainingPeakBytes({ batchSize: 8192 }, wide));
  // One batch of 60,000 × 4,096 alone is 60,000 × 4,096 floats per activation: gigabytes.
  assert.ok(trainingPeakBytes({ batchSize: 60_000 }, wide) > 4 * 60_000 * 4096 * 4);
});

test('a batch × width that overflows the wasm heap is refused before training, saying what fits', () => {
  checkMemoryBudget({ ...DEFAULT_HYPER_PARAMETERS }, 'wasm');
  checkMemoryBudget({ ...DEFAULT_HYPER_PARAMETERS, batchSize: 8192, architecture: wide }, 'wasm');
  const params = { ...DEFAULT_HYPER_PARAMETERS, batchSize: 60_000, architecture: wide };
  assert.throws(
    () => checkMemoryBudget(params, 'wasm'),
    (e: unknown) => {
      assert.ok(e instanceof TrainerError);
      assert.equal(e.code, 'INVALID_PARAMS');
      assert.match(e.message, /60000 with hidden layers of 4096 units needs about \d+\.\d GB .* more than the (4\.0 GB the training kernels' memory can hold|2\.0 GB the wasm backend can use)/);
      const fits = largestBatchThatFits(params, 'wasm', wide);
      assert.ok(fits > 1000 && fits < 60_000);
      assert.match(e.action ?? '', new RegExp(`at most ${fits} `));
      // What the message offers does fit, and one more does not.
      checkMemoryBudget({ ...params, batchSize: fits }, 'wasm');
      assert.throws(() => checkMemoryBudget({ ...params, batchSize: fits + 1 }, 'wasm'));
      return true;
    },
  );
  assert.equal(memoryBudgetBytes('wasm'), Math.floor(WASM_HEAP_MAX_BYTES / 2));
  assert.equal(memoryBudgetBytes('tensorflow', 16 * 2 ** 30), 8 * 2 ** 30);
});

test('a conv stack that would not fit is refused before training with the estimate, and a smaller batch offered fits', () => {
  const cnn = { convLayers: [{ filters: 8, kernelSize: 5 }, { filters: 16, kernelSize: 5 }], hiddenLayers: [{ units: 64, dropout: 0 }], l2: 0 };
  checkMemoryBudget({ ...DEFAULT_HYPER_PARAMETERS, architecture: cnn }, 'wasm');
  // 256 filters at 28 × 28 are 200,704 values per image per map; the kernels keep patches and maps per image.
  const huge = { convLayers: [{ filters: 256, kernelSize: 5 }, { filters: 256, kernelSize: 5 }], hiddenLayers: [{ units: 64, dropout: 0 }], l2: 0 };
  assert.ok(trainingPeakBytes({ batchSize: 32 }, huge) > 10 * trainingPeakBytes({ batchSize: 32 }, cnn));
  const params = { ...DEFAULT_HYPER_PARAMETERS, batchSize: 4096, architecture: huge };
  assert.throws(
    () => checkMemoryBudget(params, 'wasm'),
    (e: unknown) => {
      assert.ok(e instanceof TrainerError);
      assert.match(e.message, /A batch size of 4096 with conv blocks 256:5,256:5 and hidden layers of 64 units needs about \d+\.\d GB of memory to train, more than the 4\.0 GB the training kernels' memory can hold/);
      const fits = largestBatchThatFits(params, 'wasm', huge);
      assert.ok(fits >= 1 && fits < 4096);
      assert.match(e.action ?? '', new RegExp(`at most ${fits} `));
      checkMemoryBudget({ ...params, batchSize: fits }, 'wasm');
      return true;
    },
  );
});
