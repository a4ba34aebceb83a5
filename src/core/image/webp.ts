/** WebP: the Squoosh codec (wasm), compiled once from a file found beside the bundle or in node_modules. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { TrainerError } from '../errors';
import { t } from '../text/l10n';
import { errorMessage } from '../../domain/errors';

const WEBP_WASM = 'webp_dec.wasm';
let webpReady: Promise<(data: ArrayBuffer) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>> | undefined;

/** Where webp_dec.wasm is: beside the running bundle (dist/), or in the package found upwards. */
export function webpWasmPath(start: string = __dirname): string | undefined {
  if (existsSync(join(start, WEBP_WASM))) return join(start, WEBP_WASM);
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'node_modules', '@jsquash', 'webp', 'codec', 'dec', WEBP_WASM);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

async function loadWebpDecoder(): Promise<(data: ArrayBuffer) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>> {
  const path = webpWasmPath();
  if (path === undefined) throw new Error(`${WEBP_WASM} not found`);
  // Compiling the module ourselves spares the codec its own fetch of the wasm file by URL, which a
  // CommonJS bundle cannot resolve.
  const wasm = await WebAssembly.compile(await readFile(path));
  const codec = await import('@jsquash/webp/decode.js');
  await codec.init(wasm);
  return codec.default;
}

export async function decodeWebp(buffer: Buffer, file: string): Promise<{ width: number; height: number; data: Uint8ClampedArray }> {
  webpReady ??= loadWebpDecoder();
  let decode;
  try {
    decode = await webpReady;
  } catch (error) {
    webpReady = undefined;
    throw new TrainerError(
      'IMAGE_UNSUPPORTED',
      t('The WebP image {0} cannot be read: the WebP decoder could not be loaded ({1}).', basename(file), errorMessage(error)),
      file,
      t('Convert the image to PNG or JPEG, or reinstall the extension.'),
    );
  }
  const copy = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
  return decode(copy);
}

/** Whether a WebP file is an animation: its extended header (VP8X) has the animation flag, or it has frames. */
export function isAnimatedWebp(bytes: Uint8Array): boolean {
  const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  if (ascii(12, 16) === 'VP8X' && bytes.byteLength > 20 && (bytes[20] & 0x02) !== 0) return true;
  // Walk the chunks for ANIM/ANMF, in case the flag is missing.
  let pos = 12;
  while (pos + 8 <= bytes.byteLength) {
    const id = ascii(pos, pos + 4);
    if (id === 'ANIM' || id === 'ANMF') return true;
    const size = bytes[pos + 4] | (bytes[pos + 5] << 8) | (bytes[pos + 6] << 16) | (bytes[pos + 7] << 24);
    if (size < 0) return false;
    pos += 8 + size + (size % 2);
  }
  return false;
}
