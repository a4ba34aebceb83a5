import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DATA_FILES, DEFAULT_DEBIAN_DIR, loadFashionMnist, type DataFileKey } from '../../src/core/data/dataset';
import { downloadToFile } from '../../src/core/data/download';
import { TrainerError } from '../../src/core/errors';
import { craftedFiles, craftedSpecs, tempFolder, TEST_LABELS, TRAIN_LABELS, writeDataFolder } from './datasetFixtures';
import { requires } from '../requirements';

const temp = tempFolder('download');
after(temp.cleanup);
let folders = 0;
const folder = (name: string) => join(temp.dir, `${name}-${++folders}`);
const MIRROR = 'https://mirror.test/datasets/';

/** A fake fetch that records the URLs asked for and answers with `respond`. */
function fakeFetch(respond: (url: string, call: number) => Response | Promise<Response>): { fetchImpl: typeof fetch; urls: string[] } {
  const urls: string[] = [];
  const fetchImpl = (async (input: string | URL | Request) => {
    const url = String(input);
    urls.push(url);
    return respond(url, urls.length);
  }) as typeof fetch;
  return { fetchImpl, urls };
}

/** Serves `<mirror><name>.gz` from the given decompressed files, gzipped, with a Content-Length. */
function mirrorOf(files: Map<DataFileKey, Uint8Array>, transform: (bytes: Uint8Array) => Uint8Array<ArrayBuffer> = (b) => gzipSync(b)) {
  return (url: string) => {
    const spec = DATA_FILES.find((f) => url === `${MIRROR}${f.name}.gz`);
    if (!spec) return new Response('not found', { status: 404 });
    const body = transform(files.get(spec.key)!);
    return new Response(body, { status: 200, headers: { 'content-length': String(body.byteLength) } });
  };
}

/** Files in the folder, hidden temporaries included. */
const listing = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<TrainerError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TrainerError, `expected a TrainerError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected a ${code} error`);
}

describe('one-time download into the cache', () => {
  const specs = craftedSpecs();
  const common = { allowDownload: true, mirrorUrl: MIRROR, expectedFiles: specs, retryDelayMs: 1 };

  test('correct bytes are downloaded, verified, cached under their names, then read from the cache', async () => {
    const cache = folder('cache');
    const server = fakeFetch(mirrorOf(craftedFiles()));
    const progress: [string, number, number | null][] = [];
    const data = await loadFashionMnist({
      ...common,
      cacheDir: cache,
      debianDir: folder('no-debian'),
      fetchImpl: server.fetchImpl,
      onDownloadProgress: (file, received, total) => progress.push([file, received, total]),
    });
    assert.equal(data.sourceKind, 'download');
    assert.equal(data.directory, cache);
    assert.deepEqual(Array.from(data.train.labels), TRAIN_LABELS);
    assert.deepEqual(Array.from(data.test.labels), TEST_LABELS);
    assert.deepEqual(server.urls, DATA_FILES.map((f) => `${MIRROR}${f.name}.gz`));
    assert.deepEqual(listing(cache), DATA_FILES.map((f) => `${f.name}.gz`).sort(), 'four files, no temporaries');
    // Every file reports its last byte, and the total is the Content-Length.
    for (const spec of DATA_FILES) {
      const reports = progress.filter(([file]) => file === `${spec.name}.gz`);
      const size = readFileSync(join(cache, `${spec.name}.gz`)).byteLength;
      assert.deepEqual(reports.at(-1), [`${spec.name}.gz`, size, size]);
    }

    const again = await loadFashionMnist({ ...common, cacheDir: cache, debianDir: folder('no-debian'), fetchImpl: server.fetchImpl });
    assert.equal(again.sourceKind, 'cache');
    assert.equal(server.urls.length, 4, 'no second download');
    assert.equal(again.checksum, data.checksum);
  });

  test('only what the cache lacks is downloaded; a damaged cached file is replaced', async () => {
    const files = craftedFiles();
    const damaged = new Map(files);
    damaged.set('testLabels', Buffer.from('not an idx file at all'));
    const cache = writeDataFolder(folder('partial'), { gzip: true, files: damaged, only: ['trainImages', 'trainLabels', 'testLabels'] });
    const server = fakeFetch(mirrorOf(files));
    const warnings: string[] = [];
    const data = await loadFashionMnist({
      ...common,
      cacheDir: cache,
      debianDir: folder('no-debian'),
      fetchImpl: server.fetchImpl,
      onWarning: (w) => warnings.push(w),
    });
    assert.equal(data.sourceKind, 'download');
    assert.deepEqual(server.urls, [`${MIRROR}t10k-images-idx3-ubyte.gz`, `${MIRROR}t10k-labels-idx1-ubyte.gz`]);
    assert.deepEqual(Array.from(data.test.labels), TEST_LABELS);
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0].includes('t10k-labels-idx1-ubyte.gz'));
  });

  test('corrupted bytes: DATA_CHECKSUM, and nothing is left in the cache', async () => {
    const cache = folder('corrupt');
    const flipOneByte = (bytes: Uint8Array) => {
      const copy = Buffer.from(bytes);
      copy[copy.length - 1] ^= 0xff;
      return gzipSync(copy);
    };
    const server = fakeFetch(mirrorOf(craftedFiles(), flipOneByte));
    const error = await rejectsWith(
      loadFashionMnist({ ...common, cacheDir: cache, debianDir: folder('no-debian'), fetchImpl: server.fetchImpl }),
      'DATA_CHECKSUM',
    );
    assert.equal(error.file, `${MIRROR}train-images-idx3-ubyte.gz`);
    assert.ok(error.message.includes(`${MIRROR}train-images-idx3-ubyte.gz`));
    assert.ok(error.action);
    assert.deepEqual(listing(cache), [], 'no file and no temporary kept');
    assert.equal(server.urls.length, 1, 'a bad file is not fetched again and again');
  });

  test('a failing network: retried, then DATA_DOWNLOAD with the network action; the cache stays clean', async () => {
    const cache = folder('offline');
    const server = fakeFetch(() => {
      throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND mirror.test') });
    });
    const error = await rejectsWith(
      loadFashionMnist({ ...common, retries: 2, cacheDir: cache, debianDir: folder('no-debian'), fetchImpl: server.fetchImpl }),
      'DATA_DOWNLOAD',
    );
    assert.equal(server.urls.length, 3, 'one attempt and two retries');
    assert.ok(error.message.includes('ENOTFOUND'), error.message);
    assert.ok(error.message.includes('3'), error.message);
    assert.match(error.action ?? '', /network/);
    assert.match(error.action ?? '', /sudo apt install dataset-fashion-mnist/);
    assert.deepEqual(listing(cache), []);
  });

  test('a busy server (503) is retried and the download then succeeds', async () => {
    const good = mirrorOf(craftedFiles());
    const server = fakeFetch((url, call) => (call === 1 ? new Response('busy', { status: 503 }) : good(url)));
    const data = await loadFashionMnist({ ...common, cacheDir: folder('busy'), debianDir: folder('no-debian'), fetchImpl: server.fetchImpl });
    assert.equal(data.sourceKind, 'download');
    assert.equal(server.urls.length, 5);
    assert.equal(server.urls[0], server.urls[1], 'the same file again');
  });

  test('HTTP 404 is not retried', async () => {
    const server = fakeFetch(() => new Response('gone', { status: 404 }));
    const error = await rejectsWith(
      loadFashionMnist({ ...common, cacheDir: folder('404'), debianDir: folder('no-debian'), fetchImpl: server.fetchImpl }),
      'DATA_DOWNLOAD',
    );
    assert.equal(server.urls.length, 1);
    assert.ok(error.message.includes('404'));
  });

  test('a server that sends the file already decompressed: kept under the raw name', async () => {
    const cache = folder('identity');
    const server = fakeFetch(mirrorOf(craftedFiles(), (bytes) => new Uint8Array(bytes)));
    const data = await loadFashionMnist({ ...common, cacheDir: cache, debianDir: folder('no-debian'), fetchImpl: server.fetchImpl });
    assert.deepEqual(Array.from(data.train.labels), TRAIN_LABELS);
    assert.deepEqual(listing(cache), DATA_FILES.map((f) => f.name).sort());
  });

  test('no download without a cache folder or without permission', async () => {
    const server = fakeFetch(mirrorOf(craftedFiles()));
    await rejectsWith(loadFashionMnist({ ...common, debianDir: folder('no-debian'), fetchImpl: server.fetchImpl }), 'DATA_MISSING');
    await rejectsWith(
      loadFashionMnist({ ...common, allowDownload: false, cacheDir: folder('c'), debianDir: folder('no-debian'), fetchImpl: server.fetchImpl }),
      'DATA_MISSING',
    );
    assert.equal(server.urls.length, 0);
  });

  const debianPresent = DATA_FILES.every((f) => existsSync(join(DEFAULT_DEBIAN_DIR, `${f.name}.gz`)));
  test(
    'the real files, served by a fake mirror, pass the real checksums',
    requires(!debianPresent && `${DEFAULT_DEBIAN_DIR} lacks the four files (apt install dataset-fashion-mnist)`),
    async () => {
      const server = fakeFetch((url) => {
        const spec = DATA_FILES.find((f) => url.endsWith(`/${f.name}.gz`));
        if (!spec) return new Response('', { status: 404 });
        return new Response(readFileSync(join(DEFAULT_DEBIAN_DIR, `${spec.name}.gz`)));
      });
      const cache = folder('real');
      const data = await loadFashionMnist({ allowDownload: true, cacheDir: cache, debianDir: folder('no-debian'), fetchImpl: server.fetchImpl });
      assert.equal(data.sourceKind, 'download');
      assert.equal(data.train.count, 60_000);
      assert.equal(data.test.count, 10_000);
      assert.ok(server.urls.every((url) => url.startsWith('https://storage.googleapis.com/tensorflow/tf-keras-datasets/')));
      assert.deepEqual(listing(cache), DATA_FILES.map((f) => `${f.name}.gz`).sort());
    },
  );
});

describe('downloadToFile', () => {
  const options = { timeoutMs: 1_000, retries: 1, retryDelayMs: 1, action: 'check the network' };

  test('a body that stalls is abandoned after the timeout and retried', async () => {
    const path = join(writeDataFolder(folder('stall'), { gzip: false, only: [] }), 'x');
    const server = fakeFetch(() => new Response(new ReadableStream({ pull: () => new Promise(() => undefined) })));
    const error = await rejectsWith(downloadToFile('https://m/x', path, { ...options, timeoutMs: 30, fetchImpl: server.fetchImpl }), 'DATA_DOWNLOAD');
    assert.equal(server.urls.length, 2);
    assert.equal(error.action, 'check the network');
    assert.equal(existsSync(path), false, 'the partial file is removed');
  });

  test('a connection that closes early (fewer bytes than Content-Length) is a failed attempt', async () => {
    const dir = writeDataFolder(folder('short'), { gzip: false, only: [] });
    const path = join(dir, 'x');
    const full = new Uint8Array(1000).fill(7);
    const server = fakeFetch((_url, call) =>
      call === 1
        ? new Response(full.subarray(0, 400), { headers: { 'content-length': '1000' } })
        : new Response(full, { headers: { 'content-length': '1000' } }),
    );
    await downloadToFile('https://m/x', path, { ...options, fetchImpl: server.fetchImpl });
    assert.equal(server.urls.length, 2);
    assert.deepEqual(new Uint8Array(readFileSync(path)), full);
  });

  test('a body larger than the file can be is refused at once, whether announced or not, and not retried', async () => {
    const dir = writeDataFolder(folder('oversize'), { gzip: false, only: [] });
    const announced = fakeFetch(() => new Response(new Uint8Array(5000), { headers: { 'content-length': '5000' } }));
    const error = await rejectsWith(downloadToFile('https://m/x', join(dir, 'x'), { ...options, maxBytes: 1000, fetchImpl: announced.fetchImpl }), 'DATA_DOWNLOAD');
    assert.match(error.message, /5000 bytes, more than the file can be \(1000 bytes\)/);
    assert.equal(announced.urls.length, 1);
    const unannounced = fakeFetch(() => new Response(new Uint8Array(5000)));
    const silent = await rejectsWith(downloadToFile('https://m/y', join(dir, 'y'), { ...options, maxBytes: 1000, fetchImpl: unannounced.fetchImpl }), 'DATA_DOWNLOAD');
    assert.match(silent.message, /more than 1000 bytes/);
    assert.equal(existsSync(join(dir, 'y')), false, 'the partial file is removed');
  });

  test('with a Content-Encoding the length is neither a progress total nor a completeness check', async () => {
    const dir = writeDataFolder(folder('encoded'), { gzip: false, only: [] });
    const decoded = new Uint8Array(5000).fill(3);
    // What fetch hands over for a gzip-encoded response: decoded bytes, but the encoded length in the header.
    const server = fakeFetch(() => new Response(decoded, { headers: { 'content-length': '120', 'content-encoding': 'gzip' } }));
    const totals: (number | null)[] = [];
    await downloadToFile('https://m/x', join(dir, 'x'), { ...options, fetchImpl: server.fetchImpl, onProgress: (_r, total) => totals.push(total) });
    assert.equal(server.urls.length, 1);
    assert.equal(readFileSync(join(dir, 'x')).byteLength, 5000);
    assert.ok(totals.length > 0 && totals.every((total) => total === null));
  });

  test('a signal aborted before the call: no request at all', async () => {
    const controller = new AbortController();
    controller.abort();
    const server = fakeFetch(() => new Response('x'));
    await assert.rejects(downloadToFile('https://m/x', join(folder('pre'), 'x'), { ...options, fetchImpl: server.fetchImpl, signal: controller.signal }));
    assert.equal(server.urls.length, 0);
  });

  test('the user aborting stops at once with the abort reason, not a TrainerError', async () => {
    const dir = writeDataFolder(folder('abort'), { gzip: false, only: [] });
    const controller = new AbortController();
    const server = fakeFetch(() => {
      controller.abort();
      return new Promise<Response>(() => undefined);
    });
    await assert.rejects(
      downloadToFile('https://m/x', join(dir, 'x'), { ...options, retries: 5, fetchImpl: server.fetchImpl, signal: controller.signal }),
      (error: unknown) => !(error instanceof TrainerError) && (error as Error).name === 'AbortError',
    );
    assert.equal(server.urls.length, 1, 'no retry after an abort');
    assert.deepEqual(listing(dir), []);
  });
});

describe('with the real fetch against a local HTTP server', () => {
  const files = craftedFiles();
  const specs = craftedSpecs(files);
  let server: Server;
  let base = '';
  const hits: string[] = [];
  let failFirst = new Set<string>();

  before(async () => {
    server = createServer((request, response) => {
      const url = request.url ?? '';
      hits.push(url);
      if (url.startsWith('/stall/')) {
        // Headers and a few bytes, then silence: only the stall timeout ends this.
        response.writeHead(200, { 'content-length': '1000' });
        response.write(Buffer.alloc(10));
        return;
      }
      if (failFirst.delete(url)) {
        response.writeHead(500).end('try later');
        return;
      }
      const spec = DATA_FILES.find((f) => url === `/mirror/${f.name}.gz`);
      if (!spec) {
        response.writeHead(404).end();
        return;
      }
      const body = gzipSync(files.get(spec.key)!);
      response.writeHead(200, { 'content-length': String(body.byteLength), 'content-type': 'application/x-gzip' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server?.closeAllConnections();
    server?.close();
  });

  test('downloads, retries a 500, verifies and caches the four files', async () => {
    failFirst = new Set([`/mirror/${DATA_FILES[2].name}.gz`]);
    hits.length = 0;
    const cache = folder('http');
    const data = await loadFashionMnist({
      allowDownload: true,
      cacheDir: cache,
      debianDir: folder('no-debian'),
      mirrorUrl: `${base}/mirror`,
      expectedFiles: specs,
      retryDelayMs: 1,
    });
    assert.equal(data.sourceKind, 'download');
    assert.deepEqual(Array.from(data.test.labels), TEST_LABELS);
    assert.equal(hits.length, 5, 'four files and one retry');
    assert.deepEqual(listing(cache), DATA_FILES.map((f) => `${f.name}.gz`).sort());
  });

  test('a server that stops sending is given up after the stall timeout', async () => {
    hits.length = 0;
    const dir = writeDataFolder(folder('http-stall'), { gzip: false, only: [] });
    const error = await rejectsWith(
      downloadToFile(`${base}/stall/x`, join(dir, 'x'), { fetchImpl: fetch, timeoutMs: 100, retries: 1, retryDelayMs: 1, action: 'a' }),
      'DATA_DOWNLOAD',
    );
    assert.equal(hits.length, 2);
    assert.ok(error.message.includes(`${base}/stall/x`));
    assert.ok(error.message.includes('0.1'), error.message);
    assert.deepEqual(listing(dir), []);
  });

  test('a refused connection is DATA_DOWNLOAD naming the cause', async () => {
    // A port that was just free: listen, note it, close.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const dir = writeDataFolder(folder('http-refused'), { gzip: false, only: [] });
    const error = await rejectsWith(
      downloadToFile(`http://127.0.0.1:${port}/x`, join(dir, 'x'), { fetchImpl: fetch, timeoutMs: 2_000, retries: 0, retryDelayMs: 1, action: 'a' }),
      'DATA_DOWNLOAD',
    );
    assert.match(error.message, /ECONNREFUSED/);
  });
});
