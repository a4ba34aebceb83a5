/**
 * Shared by the image, classify and model-store tests: the fixture folder, the original 28x28 test
 * pictures the fixtures were made from, and a quickly trained tutorial model (6,000 real training
 * pictures, two epochs) so predictions mean something.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Tf } from '../../src/training/backend';
import { buildTutorialModel } from '../../src/training/model';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'images');
export const DATA_DIR = '/usr/share/datasets/fashion-mnist';

export interface Originals {
  indices: number[];
  labels: number[];
  /** 10 * 784 bytes. */
  pixels: Uint8Array;
}

export function readOriginals(): Originals {
  const json = JSON.parse(readFileSync(join(FIXTURES, 'originals.json'), 'utf8')) as { indices: number[]; labels: number[]; pixelsBase64: string };
  return { indices: json.indices, labels: json.labels, pixels: new Uint8Array(Buffer.from(json.pixelsBase64, 'base64')) };
}

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** The first `count` images and labels of a Fashion-MNIST split, read straight from the gzipped IDX files. */
export function readSplit(prefix: 'train' | 't10k', count: number): { images: Uint8Array; labels: Uint8Array } {
  const images = gunzipSync(readFileSync(join(DATA_DIR, `${prefix}-images-idx3-ubyte.gz`)));
  const labels = gunzipSync(readFileSync(join(DATA_DIR, `${prefix}-labels-idx1-ubyte.gz`)));
  return { images: images.subarray(16, 16 + count * 784), labels: labels.subarray(8, 8 + count) };
}

/** The tutorial model trained on the first 6,000 training pictures for two epochs (about 80% accurate). */
export async function trainSmallModel(tf: Tf): Promise<LayersModel> {
  const count = 6000;
  const { images, labels } = readSplit('train', count);
  const model = buildTutorialModel(tf, { hiddenUnits: 128, learningRate: 0.001, seed: 7 });
  const x = new Float32Array(count * 784);
  for (let i = 0; i < x.length; i++) x[i] = images[i] / 255;
  const xs = tf.tensor3d(x, [count, 28, 28]);
  const ys = tf.tensor1d(Float32Array.from(labels));
  await model.fit(xs, ys, { epochs: 2, batchSize: 32, shuffle: false, verbose: 0 });
  xs.dispose();
  ys.dispose();
  return model;
}

/** Predicted classes for 28x28 pictures (0..255), fed exactly as in training. */
export function predictOriginals(tf: Tf, model: LayersModel, pixels: Uint8Array, count: number): number[] {
  return tf.tidy(() => {
    const x = tf.tensor3d(Float32Array.from(pixels.subarray(0, count * 784), (v) => v / 255), [count, 28, 28]);
    return Array.from((model.predict(x) as ReturnType<Tf['tensor']>).argMax(-1).dataSync());
  });
}
