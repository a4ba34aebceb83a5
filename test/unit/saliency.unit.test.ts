import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forward, saliency, type DenseLayer } from '../../src/core/analysis/saliency';

/** A seeded small network: inputs -> hidden (relu) [-> hidden2 (relu)] -> 10 (softmax). */
function network(inputs: number, hidden: number[], seed = 7): DenseLayer[] {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const sizes = [inputs, ...hidden, 10];
  return sizes.slice(1).map((units, l) => ({
    inputs: sizes[l],
    units,
    kernel: Float32Array.from({ length: sizes[l] * units }, () => random() * 0.6),
    bias: Float32Array.from({ length: units }, () => random() * 0.1),
    activation: l === sizes.length - 2 ? 'softmax' : 'relu',
  }));
}

/** Central finite differences of p_k, times the input, in float64 through the same forward pass. */
function numeric(layers: DenseLayer[], x: Float32Array, k: number, h = 1e-3): number[] {
  return Array.from(x, (xi, i) => {
    const up = Float32Array.from(x);
    const down = Float32Array.from(x);
    up[i] = xi + h;
    down[i] = xi - h;
    return ((forward(layers, up).probabilities[k] - forward(layers, down).probabilities[k]) / (2 * h)) * xi;
  });
}

for (const hidden of [[16], [12, 8]]) {
  test(`gradient × input agrees with a finite-difference check (hidden layers ${hidden.join(', ')})`, () => {
    const layers = network(40, hidden);
    let seed = 3;
    const x = Float32Array.from({ length: 40 }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647));
    const result = saliency(layers, x);
    const probabilities = forward(layers, x).probabilities;
    assert.equal(result.predicted, probabilities.indexOf(Math.max(...probabilities)));
    assert.ok(Math.abs(result.probability - probabilities[result.predicted]) < 1e-7);
    const expected = numeric(layers, x, result.predicted);
    let worst = 0;
    for (let i = 0; i < 40; i++) worst = Math.max(worst, Math.abs(result.values[i] - expected[i]));
    const size = Math.max(...expected.map(Math.abs));
    assert.ok(size > 1e-4, 'the check is not vacuous');
    assert.ok(worst < 2e-3 * size + 1e-6, `worst difference ${worst} against values up to ${size}`);
    assert.ok(Math.abs(result.scale - Math.max(...Array.from(result.values, Math.abs))) < 1e-9);
  });
}

test('a zero pixel gets zero saliency, whatever its gradient', () => {
  const layers = network(10, [6]);
  const x = Float32Array.from([0, 0.5, 0, 1, 0.2, 0, 0, 0.9, 0.1, 0]);
  const result = saliency(layers, x);
  for (const i of [0, 2, 5, 6, 9]) assert.equal(Math.abs(result.values[i]), 0);
  assert.ok(result.values.some((v) => v !== 0));
});
