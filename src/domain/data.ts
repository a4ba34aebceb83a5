/** Where the data came from and what the Data and Preprocess cells show of it. */
/** Where the data was found, in the order they are tried. */
export type DataSourceKind = 'user' | 'cache' | 'debian' | 'download';

export interface DataInfo {
  trainCount: number;
  testCount: number;
  sourceKind: DataSourceKind;
  /** The folder the four files were read from. */
  directory: string;
  /** The first 25 training images (25 * 784 bytes, 0..255) and their labels, for the Data cell. */
  sampleImages: Uint8Array;
  sampleLabels: Uint8Array;
  /** Raw pixel range before scaling (0..255) and after (0..1), for the Preprocess cell. */
  rawRange: [number, number];
  scaledRange: [number, number];
  /** Milliseconds spent reading, decompressing and verifying the four files. */
  decodeMs: number;
  /**
   * SHA-256 of the four files' digests (the run record's dataChecksum): a kept run's test images are read
   * again from any verified copy of this data instead of being copied into the run. Absent before 0.2.
   */
  checksum?: string;
}
