import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrainerError } from '../../src/core/errors';
import { checkMemoryBudget, kernelBytes, largestBatchThatFits, memoryBudgetBytes, tfjsPeakBytes, trainingPeakBytes, WASM_HEAP_MAX_BYTES } from '../../src/training/memoryBudget';
import { DEFAULT_HYPER_PARAMETERS } from '../../src/domain/hyperParameters';
import { singleHiddenLayer } from '../../src/domain/architecture';
import { selectBackend } from '../../src/training/backend';
import { KernelTrainer, kernelsAvailable } from '../../src/training/kernels/kernelTrainer';

const wide = singleHiddenLayer(4096);

test('the tutorial settings need tens of megabytes; the estimate grows with batch × width', () => {
  const tutorial = trainingPeakBytes(DEFAULT_HYPER_PARAMETERS, DEFAULT_HYPER_PARAMETERS.architecture);
  assert.ok(tutorial > 10e6 && tutorial < 100e6, String(tutorial));
  // The tighter memory at 4,096 units is tfjs's (the dashboard's first-layer view of 10,000 images), which no batch changes.
  assert.ok(trainingPeakBytes({ batchSize: 8192 }, wide) >= trainingPeakBytes({ batchSize: 4096 }, wide));
  assert.ok(kernelBytes({ batchSize: 8192 }, wide) > kernelBytes({ batchSize: 4096 }, wide));
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

test('the kernels\' memory estimate is what the kernel trainer allocates (conv at batch 32 pads its chunk to 64), and grows with batch, filters and blocks', async () => {
  assert.ok(kernelsAvailable(), 'the compiled kernels are part of every build');
  const { tf } = await selectBackend('cpu', () => undefined);
  const cnn = { convLayers: [{ filters: 8, kernelSize: 5 }, { filters: 16, kernelSize: 5 }], hiddenLayers: [{ units: 64, dropout: 0 }], l2: 0 };
  const mlp = singleHiddenLayer(128);
  for (const [architecture, batchSize] of [[cnn, 32], [cnn, 64], [cnn, 8], [mlp, 32]] as const) {
    let allocated = 0;
    const trainer = new KernelTrainer(tf, undefined, {
      learningRate: 0.001, batchSize, architecture, threads: 1,
      instrument: (kernels, memory) => ((allocated = memory.buffer.byteLength), kernels),
    });
    trainer.dispose();
    assert.ok(allocated > 0);
    assert.equal(kernelBytes({ batchSize }, architecture), allocated, `${JSON.stringify(architecture.convLayers ?? [])} at batch ${batchSize}`);
  }
  // Monotonic: more images per step, more filters, another block never need less.
  const wider = { ...cnn, convLayers: [{ filters: 16, kernelSize: 5 }, { filters: 32, kernelSize: 5 }] };
  const deeper = { ...cnn, convLayers: [...cnn.convLayers, { filters: 16, kernelSize: 3 }] };
  let previous = 0;
  for (const batchSize of [1, 16, 32, 64, 65, 128, 512]) {
    const bytes = kernelBytes({ batchSize }, cnn);
    assert.ok(bytes >= previous, `batch ${batchSize}`);
    assert.ok(kernelBytes({ batchSize }, wider) > bytes && kernelBytes({ batchSize }, deeper) > bytes, `batch ${batchSize}`);
    previous = bytes;
  }
  assert.ok(kernelBytes({ batchSize: 128 }, cnn) > kernelBytes({ batchSize: 64 }, cnn));
});

test('tfjs\'s estimate covers an MLP\'s first-layer view (every test image and its hidden activations at once)', () => {
  const tutorial = singleHiddenLayer(128);
  // The view's own tensors: 10,000 × 784 input floats and 10,000 × 128 activations four times over.
  const viewTensors = 4 * 10_000 * (784 + 4 * 128);
  assert.ok(tfjsPeakBytes({ batchSize: 32 }, tutorial, false) >= viewTensors);
  assert.ok(tfjsPeakBytes({ batchSize: 32, testLimit: 1000 }, tutorial, false) < tfjsPeakBytes({ batchSize: 32 }, tutorial, false), 'fewer test images, less');
  assert.ok(tfjsPeakBytes({ batchSize: 32 }, singleHiddenLayer(512), false) > tfjsPeakBytes({ batchSize: 32 }, tutorial, false), 'wider, more');
});
