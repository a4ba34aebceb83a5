// Runs one folder of Node test-runner tests (`*.test.ts` below it) through tsx: test/unit, test/cli or
// test/browser. `node scripts/node-tests.mjs test/unit [filter...]`; Node 20 has no glob for --test.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildKernels } from '../src/training/kernels/compile.mjs';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? find(path) : name.endsWith('.test.ts') ? [path] : [];
  });
}

const [folder = 'test/unit', ...filter] = process.argv.slice(2);
const files = find(folder).filter((f) => filter.length === 0 || filter.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error(`no test files in ${folder}${filter.length ? ` matching ${filter.join(', ')}` : ''}`);
  process.exit(1);
}
// The trainer loads the compiled kernels from dist/; build them from the current sources first.
await buildKernels();
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
