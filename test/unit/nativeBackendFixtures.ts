/** Fake tfjs-node packages in temporary folders, laid out as `npm install --prefix <folder>` lays them out. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type FakeTfjsNode =
  /** Loads and starts a `tensorflow` backend; `tf.whichFake` says which folder it came from. */
  | 'works'
  /** Throws while loading, as a real one does when libtensorflow is missing. */
  | 'throws'
  /** Loads, but registers no `tensorflow` backend (setBackend answers false). */
  | 'registersNothing';

const SOURCES: Record<FakeTfjsNode, (tag: string) => string> = {
  works: (tag) => `let backend = 'cpu';
module.exports = { whichFake: ${JSON.stringify(tag)}, setBackend: async (name) => { backend = name; return name === 'tensorflow'; }, getBackend: () => backend };
`,
  throws: () => `throw new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory');\n`,
  registersNothing: (tag) => `module.exports = { whichFake: ${JSON.stringify(tag)}, setBackend: async () => false };\n`,
};

/** A fresh temporary folder; remove it with `removeFolder`. */
export function tempFolder(prefix = 'fmnist-native-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a fake @tensorflow/tfjs-node into `folder`/node_modules; `tag` names it for the test. */
export function writeFakeTfjsNode(folder: string, kind: FakeTfjsNode, tag: string = folder): string {
  const packageDir = join(folder, 'node_modules', '@tensorflow', 'tfjs-node');
  mkdirSync(packageDir, { recursive: true });
  writeFileSync(join(packageDir, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', version: '4.22.0', main: 'index.js' }));
  writeFileSync(join(packageDir, 'index.js'), SOURCES[kind](tag));
  return packageDir;
}

export function removeFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
}
