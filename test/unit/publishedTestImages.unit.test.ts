import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_FILES, DEFAULT_DEBIAN_DIR, decodeDataFile } from '../../src/core/data/dataset';
import { sha256Hex } from '../../src/core/data/idx';
import { publishedDataChecksum, readTestImages } from '../../src/core/data/publishedTestImages';
import { PIXELS } from '../../src/domain/classes';
import { requires } from '../requirements';

const testImagesSpec = DATA_FILES.find((f) => f.key === 'testImages')!;
const debianPresent = existsSync(join(DEFAULT_DEBIAN_DIR, `${testImagesSpec.name}.gz`));

test('the published checksum is the one the loader gives the published data', () => {
  assert.equal(publishedDataChecksum(), sha256Hex(DATA_FILES.map((f) => f.sha256).join('')));
});

test('a kept run reads its test images again from the first folder with a verified copy', requires(!debianPresent && `${DEFAULT_DEBIAN_DIR} lacks the test images (apt install dataset-fashion-mnist)`), async () => {
  const empty = mkdtempSync(join(tmpdir(), 'fmt-no-data-'));
  try {
    const whole = (await decodeDataFile(join(DEFAULT_DEBIAN_DIR, `${testImagesSpec.name}.gz`), testImagesSpec)).data;
    const read = await readTestImages({ checksum: publishedDataChecksum(), count: 5 }, [empty, DEFAULT_DEBIAN_DIR]);
    assert.equal(read?.count, 5);
    assert.deepEqual(read?.images, whole.subarray(0, 5 * PIXELS), 'the first five test images, exactly');
    assert.equal(await readTestImages({ checksum: 'f'.repeat(64), count: 5 }, [DEFAULT_DEBIAN_DIR]), undefined, 'other data is not the published set');
    assert.equal(await readTestImages({ checksum: publishedDataChecksum(), count: 5 }, [empty, join(empty, 'missing')]), undefined, 'no folder holds it');
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
