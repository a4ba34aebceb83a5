/**
 * One data file read and verified, with bounded work: its size on disk is checked before it is read, a file
 * that claims to be gzip but has a damaged header is called that, the gunzip stops as soon as the output
 * passes the size the published file has, and then the count and the SHA-256 must match.
 */
import { open } from 'node:fs/promises';
import { TrainerError } from '../errors';
import { t } from '../text/l10n';
import { isImagesKey, largestFileBytes, unpackedBytes, type DataFileSpec } from './dataFiles';
import { gunzipWithSha256, isGzip, parseIdxImages, parseIdxLabels, sha256Hex } from './idx';
import { errorMessage } from '../../domain/errors';

/** One verified file: its decompressed bytes and the images or labels inside them. */
export interface DecodedFile {
  spec: DataFileSpec;
  path: string;
  sha256: string;
  /** Images (count * 784) or labels (count), a view on the decompressed bytes. */
  data: Uint8Array;
  count: number;
  /** True when the file on disk was gzipped. */
  gzipped: boolean;
}

/** Reads one file, gunzips it if needed, parses it and checks its count and SHA-256 against `spec`. */
export async function decodeDataFile(path: string, spec: DataFileSpec): Promise<DecodedFile> {
  const raw = await readBounded(path, spec);
  const gzipped = isGzip(raw);
  if (!gzipped && (raw[0] === 0x1f || /\.gz$/i.test(path))) {
    // Not an IDX file either (those start with two zero bytes): a gzip file whose first bytes are damaged.
    const head = Array.from(raw.subarray(0, 3), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new TrainerError(
      'DATA_CORRUPT',
      t('{0} is not a valid gzip file: its header is damaged (it starts with the bytes {1}, a gzip file with 1f 8b).', path, head),
      path,
    );
  }
  const limit = unpackedBytes(spec);
  const { bytes, sha256 } = gzipped ? await gunzipWithSha256(raw, path, limit) : { bytes: raw, sha256: sha256Hex(raw) };
  if (gzipped && bytes.byteLength > limit) throw tooLarge(path, spec, t('more than {0} bytes unpacked', limit));
  const parsed = isImagesKey(spec.key) ? parseIdxImages(bytes, path) : parseIdxLabels(bytes, path);
  const count = parsed.count;
  if (count !== spec.count) {
    throw new TrainerError(
      'DATA_CORRUPT',
      t('{0} holds {1} entries, but the Fashion-MNIST file {2} holds {3}.', path, count, spec.name, spec.count),
      path,
    );
  }
  if (sha256 !== spec.sha256) {
    throw new TrainerError(
      'DATA_CHECKSUM',
      t('The contents of {0} differ from the published Fashion-MNIST file {1} (SHA-256 {2}, expected {3}).', path, spec.name, sha256, spec.sha256),
      path,
    );
  }
  const data = 'images' in parsed ? parsed.images : parsed.labels;
  return { spec, path, sha256, data, count, gzipped };
}

/** The file's bytes, refused unread when its size says it cannot be the published file. */
async function readBounded(path: string, spec: DataFileSpec): Promise<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new TrainerError('DATA_MISSING', t('{0} is a folder, not a data file.', path), path);
    if (stat.size > largestFileBytes(spec)) throw tooLarge(path, spec, t('{0} bytes on disk', stat.size));
    const buffer = await handle.readFile();
    // A plain Uint8Array view (not a Buffer), so raw and gzipped files hand out the same type.
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    if (error instanceof TrainerError) throw error;
    const reason = errorMessage(error);
    throw new TrainerError('DATA_MISSING', t('{0} cannot be read: {1}', path, reason), path);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function tooLarge(path: string, spec: DataFileSpec, what: string): TrainerError {
  return new TrainerError(
    'DATA_CORRUPT',
    t('{0} is too large to be the Fashion-MNIST file {1} ({2}; the published file is {3} bytes unpacked), so it was not read further.', path, spec.name, what, unpackedBytes(spec)),
    path,
  );
}
