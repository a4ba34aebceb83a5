/**
 * The four published Fashion-MNIST files as facts: names, digests, counts, and the exact size each one has
 * unpacked, which bounds the work any file may cost before it is refused.
 */
import type { DataSourceKind } from '../../domain/data';
import { PIXELS, TEST_IMAGES, TRAIN_IMAGES } from '../../domain/classes';
import { IDX_IMAGES_HEADER_BYTES, IDX_LABELS_HEADER_BYTES } from './idx';

export type DataFileKey = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

export interface DataFileSpec {
  key: DataFileKey;
  /** The file name without `.gz`, as published. */
  name: string;
  /** SHA-256 of the decompressed file. */
  sha256: string;
  /** Images or labels the file holds. */
  count: number;
}

/** The four published files. The order is also the order of the digests in `FashionMnist.checksum`. */
export const DATA_FILES: readonly DataFileSpec[] = Object.freeze([
  {
    key: 'trainImages',
    name: 'train-images-idx3-ubyte',
    sha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
    count: TRAIN_IMAGES,
  },
  {
    key: 'trainLabels',
    name: 'train-labels-idx1-ubyte',
    sha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
    count: TRAIN_IMAGES,
  },
  {
    key: 'testImages',
    name: 't10k-images-idx3-ubyte',
    sha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
    count: TEST_IMAGES,
  },
  {
    key: 'testLabels',
    name: 't10k-labels-idx1-ubyte',
    sha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
    count: TEST_IMAGES,
  },
] as const);

export const KEY_ORDER: readonly DataFileKey[] = ['trainImages', 'trainLabels', 'testImages', 'testLabels'];

export interface Split {
  /** count * 784 bytes, 0..255, row-major 28x28 per image; a view on the decompressed file. */
  images: Uint8Array;
  /** count bytes, 0..9. */
  labels: Uint8Array;
  count: number;
}

export interface FashionMnist {
  train: Split;
  test: Split;
  sourceKind: DataSourceKind;
  /** The folder the four files were read from (for a download: the cache folder). */
  directory: string;
  /** SHA-256 (hex) of the four decompressed files' SHA-256 hex digests concatenated in DATA_FILES order. */
  checksum: string;
  /** Milliseconds to read, gunzip and verify the four files. */
  decodeMs: number;
  /** Things the user should hear about that did not stop the load (a damaged cached file replaced). Localized. */
  warnings?: string[];
}

export function isImagesKey(key: DataFileKey): boolean {
  return key === 'trainImages' || key === 'testImages';
}

/** The exact size of the file unpacked: its IDX header plus one byte per pixel or label. */
export function unpackedBytes(spec: DataFileSpec): number {
  return isImagesKey(spec.key) ? IDX_IMAGES_HEADER_BYTES + spec.count * PIXELS : IDX_LABELS_HEADER_BYTES + spec.count;
}

/**
 * The largest a file holding `spec` can be on disk or on the wire: unpacked, or gzipped (gzip never grows
 * data by more than a few bytes per 16 KB block plus its header, so 1% and 1 KB is a generous bound).
 */
export function largestFileBytes(spec: DataFileSpec): number {
  const unpacked = unpackedBytes(spec);
  return unpacked + Math.ceil(unpacked / 100) + 1024;
}
