import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { LayersModel } from '@tensorflow/tfjs';
import { selectBackend, type Tf } from '../../src/training/backend';
import { checkedProbabilities, classifyFiles, LOW_CONFIDENCE } from '../../src/training/classify';
import { TrainerError } from '../../src/core/errors';
import type { ClassificationResult } from '../../src/domain/classification';
import { fixture, predictOriginals, readOriginals, trainSmallModel } from './imageFixtures';

type Ok = Extract<ClassificationResult, { ok: true }>;

describe('classifyFiles with a model trained on real data', () => {
  let tf: Tf;
  let model: LayersModel;
  let expected: number[];
  const originals = readOriginals();

  before(async () => {
    ({ tf } = await selectBackend('wasm', () => undefined));
    model = await trainSmallModel(tf);
    expected = predictOriginals(tf, model, originals.pixels, 10);
  });

  const kinds = ['dark-112-{}.png', 'light-90x140-{}.png', 'dark-90x140-{}.jpg', 'light-112-{}.jpg'];
  for (const kind of kinds) {
    test(`${kind}: the class predicted from the file equals the prediction on the original 28x28 picture for at least 9 of 10`, async () => {
      const files = originals.indices.map((i) => fixture(kind.replace('{}', String(i).padStart(2, '0'))));
      const results = await classifyFiles(tf, model, files);
      assert.equal(results.length, 10);
      const agree = results.filter((r, i) => r.ok && r.predicted === expected[i]).length;
      assert.ok(agree >= 9, `only ${agree}/10 agree: ${JSON.stringify(results.map((r) => (r.ok ? r.predicted : r.error.code)))} vs ${JSON.stringify(expected)}`);
      const light = kind.startsWith('light');
      for (const r of results as Ok[]) {
        assert.equal(r.inverted, light, `${r.file} inverted`);
        assert.equal(r.input.length, 784);
        assert.ok(Math.abs(r.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-4);
        assert.ok(!r.warnings.includes('unlikeDataset'), `${r.file} should look like the dataset`);
      }
    });
  }

  test('WebP, GIF, BMP and a transparent PNG give the same class as their originals (at least 3 of 4)', async () => {
    const cases: [string, number][] = [
      ['other-light.webp', 0],
      ['other-light.gif', 1],
      ['other-dark.bmp', 2],
      ['other-transparent.png', 3],
    ];
    const results = await classifyFiles(tf, model, cases.map(([name]) => fixture(name)));
    assert.ok(results.every((r) => r.ok), JSON.stringify(results.map((r) => (r.ok ? 'ok' : r.error))));
    const agree = results.filter((r, i) => r.ok && r.predicted === expected[cases[i][1]]).length;
    assert.ok(agree >= 3, `only ${agree}/4 agree`);
    assert.deepEqual(
      (results as Ok[]).map((r) => r.inverted),
      [true, true, false, true],
    );
  });

  test('bad files get errors naming them, and the good files in the same call still get answers', async () => {
    const names = ['bad-not-an-image.png', 'dark-112-00.png', 'bad-truncated.png', 'bad-format.tiff', 'bad-drawing.svg', 'bad-huge-header.png', 'missing.png'];
    const files = names.map(fixture);
    const results = await classifyFiles(tf, model, files);
    assert.deepEqual(results.map((r) => r.file), files);
    const codes = results.map((r) => (r.ok ? 'ok' : r.error.code));
    assert.deepEqual(codes, ['IMAGE_INVALID', 'ok', 'IMAGE_INVALID', 'IMAGE_UNSUPPORTED', 'IMAGE_UNSUPPORTED', 'IMAGE_TOO_LARGE', 'IMAGE_INVALID']);
    for (const r of results) {
      if (r.ok) continue;
      assert.equal(r.error.file, r.file);
      assert.ok(r.error.action && r.error.action.length > 0);
    }
    assert.equal((results[1] as Ok).predicted, expected[0]);
  });

  test('a model that cannot tell the classes apart gets the lowConfidence warning; a confident one does not', async () => {
    const flat = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28] }), tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: 'zeros' })] });
    const [uncertain] = (await classifyFiles(tf, flat, [fixture('dark-112-01.png')])) as Ok[];
    assert.ok(uncertain.probabilities.every((p) => Math.abs(p - 0.1) < 1e-6));
    assert.ok(uncertain.warnings.includes('lowConfidence'));
    flat.dispose();

    const [confident] = (await classifyFiles(tf, model, [fixture('dark-112-01.png')])) as Ok[];
    const top = Math.max(...confident.probabilities);
    assert.equal(confident.warnings.includes('lowConfidence'), top < LOW_CONFIDENCE);
  });

  test('a model whose input is 784 values (not 28x28) is fed the same picture', async () => {
    const flatInput = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }), tf.layers.dense({ units: 10, activation: 'softmax' })],
    });
    // Same weights as the trained model's two Dense layers: the answers must match.
    flatInput.setWeights(model.getWeights());
    const files = [fixture('dark-112-02.png'), fixture('light-112-05.jpg')];
    const a = (await classifyFiles(tf, model, files)) as Ok[];
    const b = (await classifyFiles(tf, flatInput, files)) as Ok[];
    for (let i = 0; i < files.length; i++) {
      assert.equal(b[i].predicted, a[i].predicted);
      b[i].probabilities.forEach((p, k) => assert.ok(Math.abs(p - a[i].probabilities[k]) < 1e-5));
    }
    flatInput.dispose();
  });

  test('a logits model (Dense(10) without softmax, as the current tutorial builds it) gets a softmax, with the reason as a warning', async () => {
    const logits = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [28, 28] }), tf.layers.dense({ units: 128, activation: 'relu' }), tf.layers.dense({ units: 10 })],
    });
    logits.setWeights(model.getWeights());
    const files = [fixture('dark-112-02.png'), fixture('light-112-05.jpg')];
    const a = (await classifyFiles(tf, model, files)) as Ok[];
    const b = (await classifyFiles(tf, logits, files)) as Ok[];
    for (let i = 0; i < files.length; i++) {
      assert.ok(b[i].warnings.includes('softmaxApplied'));
      assert.ok(!a[i].warnings.includes('softmaxApplied'));
      assert.equal(b[i].predicted, a[i].predicted);
      b[i].probabilities.forEach((p, k) => assert.ok(Math.abs(p - a[i].probabilities[k]) < 1e-5));
      assert.ok(Math.abs(b[i].probabilities.reduce((x, y) => x + y, 0) - 1) < 1e-9);
    }
    logits.dispose();
  });

  test('a model whose last layer is another activation is refused by name; so is one with NaN weights', async () => {
    const relu = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28] }), tf.layers.dense({ units: 10, activation: 'relu' })] });
    await assert.rejects(classifyFiles(tf, relu, [fixture('dark-112-01.png')]), (e: unknown) => e instanceof TrainerError && e.code === 'MODEL_INVALID' && /relu/.test(e.message));
    relu.dispose();
    const broken = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28] }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
    const weights = broken.getWeights();
    const kernel = weights[0].dataSync().slice();
    kernel[5] = NaN;
    const nan = tf.tensor(kernel, weights[0].shape);
    broken.setWeights([nan, weights[1]]);
    nan.dispose();
    await assert.rejects(classifyFiles(tf, broken, [fixture('dark-112-01.png')]), (e: unknown) => e instanceof TrainerError && e.code === 'MODEL_INVALID' && /kernel.*NaN/.test(e.message));
    broken.dispose();
  });

  test('classifying leaves no tensors behind', async () => {
    await classifyFiles(tf, model, [fixture('dark-112-03.png')]);
    const before = tf.memory().numTensors;
    await classifyFiles(tf, model, [fixture('dark-112-03.png'), fixture('bad-truncated.png'), fixture('light-112-04.jpg')]);
    assert.equal(tf.memory().numTensors, before);
  });
});

test('outputs that are not probabilities are refused, never shown as 434% or NaN%; good ones sum to exactly 1', () => {
  const refused = (row: number[], pattern: RegExp) =>
    assert.throws(() => checkedProbabilities(row), (e: unknown) => e instanceof TrainerError && e.code === 'MODEL_INVALID' && pattern.test(e.message));
  refused([4.34, 0, 0, 0, 0, 0, 0, 0, 0, 0], /not probabilities/);
  refused([NaN, 0, 0, 0, 0, 0, 0, 0, 0, 1], /NaN/);
  refused([-0.5, 1.5, 0, 0, 0, 0, 0, 0, 0, 0], /not probabilities/);
  const row = checkedProbabilities([0.1000001, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.0999]);
  assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12);
});
