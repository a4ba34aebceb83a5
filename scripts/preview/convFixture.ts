/**
 * The preview's conv network (the "conv" mode): the tfjs example's ConvNet, its first Conv2D's filters after
 * training (made-up but filter-like: oriented edge detectors under a Gaussian envelope, and a blob) and a
 * picture's feature maps under them, computed here as the worker would (conv 'same' + relu, 2 × 2 max pool).
 * Used by the server (Node) and the fake host (browser); type imports only, so both can bundle it.
 */
import type { ConvFiltersSnapshot, FeatureMapBlock, FeatureMaps } from '../../src/domain/convInsight';
import type { Architecture } from '../../src/domain/architecture';

export const CONV_FIXTURE_ARCHITECTURE: Architecture = {
  convLayers: [{ filters: 8, kernelSize: 5 }, { filters: 16, kernelSize: 5 }],
  hiddenLayers: [{ units: 64, dropout: 0 }],
  l2: 0,
};

const K = 5;
const SIDE = 28;

/** Eight 5 × 5 filters: edges at four angles, each sign, the last two a centre-surround blob and its inverse. */
export function convFiltersFixture(epoch: number): ConvFiltersSnapshot {
  const filters = 8;
  const weights = new Float32Array(filters * K * K);
  for (let f = 0; f < filters; f++) {
    const angle = (Math.PI / 4) * (f % 4);
    const sign = f < 4 ? 1 : -1;
    for (let y = 0; y < K; y++) {
      for (let x = 0; x < K; x++) {
        const [dx, dy] = [x - 2, y - 2];
        const envelope = Math.exp(-(dx * dx + dy * dy) / 6);
        const value = f >= 6 ? (dx * dx + dy * dy < 3 ? 0.4 : -0.15) * (f === 6 ? 1 : -1) : sign * 0.45 * envelope * (Math.cos(angle) * dx + Math.sin(angle) * dy) / 2;
        weights[f * K * K + y * K + x] = value;
      }
    }
  }
  const scale = new Float32Array(filters);
  weights.forEach((w, i) => (scale[Math.floor(i / (K * K))] = Math.max(scale[Math.floor(i / (K * K))], Math.abs(w))));
  const bias = Float32Array.from({ length: filters }, (_, f) => ((f % 3) - 1) * 0.02);
  return { epoch, kernelSize: K, filters, weights, scale, bias };
}

function quantize(values: Float32Array, side: number, filters: number): FeatureMapBlock {
  const scale = new Float32Array(filters);
  values.forEach((v, i) => (scale[Math.floor(i / (side * side))] = Math.max(scale[Math.floor(i / (side * side))], v)));
  const quantized = Uint8Array.from(values, (v, i) => (scale[Math.floor(i / (side * side))] > 0 ? Math.round((v / scale[Math.floor(i / (side * side))]) * 255) : 0));
  return { side, filters, values: quantized, scale };
}

/** conv 'same' of map-major `input` (channels × side²) with `kernel(out, in, y, x)`, plus relu. */
function convRelu(input: Float32Array, channels: number, side: number, outputs: number, kernel: (o: number, c: number, y: number, x: number) => number): Float32Array {
  const out = new Float32Array(outputs * side * side);
  for (let o = 0; o < outputs; o++) {
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        let sum = 0;
        for (let c = 0; c < channels; c++) {
          for (let ky = 0; ky < K; ky++) {
            for (let kx = 0; kx < K; kx++) {
              const [iy, ix] = [y + ky - 2, x + kx - 2];
              if (iy >= 0 && iy < side && ix >= 0 && ix < side) sum += input[c * side * side + iy * side + ix] * kernel(o, c, ky, kx);
            }
          }
        }
        out[o * side * side + y * side + x] = Math.max(0, sum);
      }
    }
  }
  return out;
}

function pool(input: Float32Array, channels: number, side: number): Float32Array {
  const half = side / 2;
  const out = new Float32Array(channels * half * half);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < half; y++) {
      for (let x = 0; x < half; x++) {
        const at = (dy: number, dx: number) => input[c * side * side + (2 * y + dy) * side + 2 * x + dx];
        out[c * half * half + y * half + x] = Math.max(at(0, 0), at(0, 1), at(1, 0), at(1, 1));
      }
    }
  }
  return out;
}

/** A picture's (784 pixel bytes) feature maps after each of the fixture's two conv blocks. */
export function featureMapsFixture(pixels: Uint8Array, filters: ConvFiltersSnapshot): FeatureMaps {
  const image = Float32Array.from(pixels, (v) => v / 255);
  const first = convRelu(image, 1, SIDE, filters.filters, (o, _c, y, x) => filters.weights[o * K * K + y * K + x]);
  const pooled = pool(first, filters.filters, SIDE);
  // The second block: each filter mixes two of the first block's maps through one of the first block's kernels.
  const second = convRelu(pooled, filters.filters, SIDE / 2, 16, (o, c, y, x) =>
    c === o % 8 || c === (o + 3) % 8 ? (o < 8 ? 0.5 : -0.4) * filters.weights[((o + c) % 8) * K * K + y * K + x] + (c === o % 8 ? 0.02 : 0) : 0);
  return { blocks: [quantize(first, SIDE, filters.filters), quantize(second, SIDE / 2, 16)] };
}
