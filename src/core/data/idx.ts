/**
 * The IDX file format of (Fashion-)MNIST: a big-endian header (magic number, then one 32-bit size per
 * dimension) followed by unsigned bytes. These functions parse and check one file; they know nothing of
 * where the file came from, so their errors carry the file but no `action` — the loader adds the action
 * that fits the source (the user's folder, the cache, the Debian package, a download).
 */
import { createHash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import { IMAGE_SIZE, NUM_CLASSES } from '../../domain/classes';
import { TrainerError } from '../errors';
import { t } from '../text/l10n';
import { errorMessage } from '../../domain/errors';

/** 0x00000803: unsigned bytes, 3 dimensions (count, rows, columns). */
export const IDX_IMAGES_MAGIC = 2051;
/** 0x00000801: unsigned bytes, 1 dimension (count). */
export const IDX_LABELS_MAGIC = 2049;
export const IDX_IMAGES_HEADER_BYTES = 16;
export const IDX_LABELS_HEADER_BYTES = 8;

export interface IdxImages {
  /** count * rows * cols bytes, a view on the file's bytes (no copy). */
  images: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

export interface IdxLabels {
  /** count bytes, a view on the file's bytes (no copy). */
  labels: Uint8Array;
  count: number;
}

function header(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function checkHeaderPresent(bytes: Uint8Array, headerBytes: number, file: string): void {
  if (bytes.byteLength < headerBytes) {
    throw new TrainerError(
      'DATA_CORRUPT',
      t('{0} is too short to be an IDX file: it has only {1} bytes.', file, bytes.byteLength),
      file,
    );
  }
}

function checkLength(bytes: Uint8Array, expected: number, file: string): void {
  if (bytes.byteLength !== expected) {
    throw new TrainerError(
      'DATA_CORRUPT',
      t('{0} has {1} bytes, but its header says it should have {2} (the file is truncated or damaged).', file, bytes.byteLength, expected),
      file,
    );
  }
}

/** Parses an IDX image file and checks magic number, 28x28 size and length. */
export function parseIdxImages(bytes: Uint8Array, file: string): IdxImages {
  checkHeaderPresent(bytes, IDX_IMAGES_HEADER_BYTES, file);
  const view = header(bytes);
  const magic = view.getUint32(0);
  if (magic !== IDX_IMAGES_MAGIC) {
    throw new TrainerError(
      'DATA_CORRUPT',
      t('{0} is not an IDX image file: its magic number is {1}, expected {2}.', file, magic, IDX_IMAGES_MAGIC),
      file,
    );
  }
  const count = view.getUint32(4);
  const rows = view.getUint32(8);
  const cols = view.getUint32(12);
  if (rows !== IMAGE_SIZE || cols !== IMAGE_SIZE) {
    throw new TrainerError(
      'DATA_CORRUPT',
      t('{0} holds images of {1}x{2} pixels; Fashion-MNIST images are {3}x{3}.', file, rows, cols, IMAGE_SIZE),
      file,
    );
  }
  checkLength(bytes, IDX_IMAGES_HEADER_BYTES + count * rows * cols, file);
  return { images: bytes.subarray(IDX_IMAGES_HEADER_BYTES), count, rows, cols };
}

/** Parses an IDX label file and checks magic number, length and that every label is a class (0..9). */
export function parseIdxLabels(bytes: Uint8Array, file: string): IdxLabels {
  checkHeaderPresent(bytes, IDX_LABELS_HEADER_BYTES, file);
  const view = header(bytes);
  const magic = view.getUint32(0);
  if (magic !== IDX_LABELS_MAGIC) {
    throw new TrainerError(
      'DATA_CORRUPT',
      t('{0} is not an IDX label file: its magic number is {1}, expected {2}.', file, magic, IDX_LABELS_MAGIC),
      file,
    );
  }
  const count = view.getUint32(4);
  checkLength(bytes, IDX_LABELS_HEADER_BYTES + count, file);
  const labels = bytes.subarray(IDX_LABELS_HEADER_BYTES);
  checkLabelRange(labels, file);
  return { labels, count };
}

export function checkLabelRange(labels: Uint8Array, file: string): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= NUM_CLASSES) {
      throw new TrainerError(
        'DATA_CORRUPT',
        t('{0} has the label {1} at position {2}; labels must be 0 to {3}.', file, labels[i], i, NUM_CLASSES - 1),
        file,
      );
    }
  }
}

/** The two bytes every gzip stream starts with. An IDX file starts with 0x00 0x00, so the two never clash. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

// Large output chunks: the 47 MB training images decompress in far fewer pieces, which measured
// faster than the 16 KB default. A small file gets a chunk just over its size, so its bytes do not
// pin a 1 MB buffer.
const GUNZIP_MAX_CHUNK_BYTES = 1 << 20;
const GUNZIP_MIN_CHUNK_BYTES = 1 << 10;
// The gzip trailer's size is only a hint (modulo 2^32, last member only, and a damaged file may lie):
// preallocate from it only up to this much, and check the real length at the end.
const MAX_PREALLOCATED_BYTES = 256 << 20;

/** ISIZE: the last 4 bytes of a gzip file, little-endian, the uncompressed size modulo 2^32. */
function gzipSizeHint(gz: Uint8Array): number {
  if (gz.byteLength < 18) return 0;
  return new DataView(gz.buffer, gz.byteOffset, gz.byteLength).getUint32(gz.byteLength - 4, true);
}

function gzipError(file: string, error: unknown): TrainerError {
  return new TrainerError(
    'DATA_CORRUPT',
    t('{0} is not a valid gzip file: {1}', file, errorMessage(error)),
    file,
  );
}

export interface Decompressed {
  /** The decompressed bytes, a plain Uint8Array. */
  bytes: Uint8Array;
  /** SHA-256 (hex) of `bytes`. */
  sha256: string;
}

/**
 * Gunzips and hashes at the same time: zlib works on the thread pool while this thread hashes and
 * copies the chunk before, so the 47 MB training images cost about the gunzip alone (measured ~25%
 * faster than gunzip-then-hash). Output goes straight into one buffer sized from the gzip trailer.
 */
export function gunzipWithSha256(gz: Uint8Array, file: string, maxBytes = Infinity): Promise<Decompressed> {
  return new Promise((resolve, reject) => {
    const hint = Math.min(gzipSizeHint(gz), maxBytes);
    const hash = createHash('sha256');
    let out = new Uint8Array(hint <= MAX_PREALLOCATED_BYTES ? hint : 0);
    let length = 0;
    const take = (chunk: Buffer) => {
      hash.update(chunk);
      if (length + chunk.byteLength > out.byteLength) {
        // The hint was wrong: grow (rare; only for odd or damaged files).
        const grown = new Uint8Array(Math.max(out.byteLength * 2, length + chunk.byteLength));
        grown.set(out.subarray(0, length));
        out = grown;
      }
      out.set(chunk, length);
      length += chunk.byteLength;
    };
    let failed = false;
    const stream = createGunzip({ chunkSize: Math.min(GUNZIP_MAX_CHUNK_BYTES, Math.max(GUNZIP_MIN_CHUNK_BYTES, hint + 64)) });
    // Deferred with setImmediate: by then zlib has started on the next chunk. setImmediate keeps the order.
    let produced = 0;
    stream.on('data', (chunk: Buffer) => {
      produced += chunk.byteLength;
      if (produced > maxBytes && !failed) {
        // More than the file can be: stop unpacking now rather than fill memory with it.
        failed = true;
        stream.destroy();
        reject(
          new TrainerError('DATA_CORRUPT', t('{0} unpacks to more than {1} bytes, more than the data it should hold; it was not unpacked further.', file, maxBytes), file),
        );
        return;
      }
      setImmediate(() => failed || take(chunk));
    });
    stream.on('end', () =>
      setImmediate(() => {
        if (failed) return;
        const bytes = length === out.byteLength ? out : out.subarray(0, length);
        resolve({ bytes, sha256: hash.digest('hex') });
      }),
    );
    stream.on('error', (error) => {
      failed = true;
      reject(gzipError(file, error));
    });
    stream.end(gz);
  });
}

/** Decompresses when the bytes are gzip (by content, not by file name); returns other bytes as they are. */
export async function decompressIfGzip(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  return isGzip(bytes) ? (await gunzipWithSha256(bytes, file)).bytes : bytes;
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
