/**
 * Checks an .ipynb with the real tools, in a real Python: nbformat.validate (Debian's python3-nbformat) and
 * ast.parse of every code cell. Shared by the unit and the CLI tests.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A Python with nbformat: Debian's python3-nbformat is for /usr/bin/python3, which a pyenv shim may hide. */
function pythonWithNbformat(): string {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import nbformat'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  assert.fail('No python3 with nbformat was found; install Debian\'s python3-nbformat (apt-get install python3-nbformat).');
}

const VALIDATE = `
import ast, json, sys
import nbformat
nb = nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT)
nbformat.validate(nb)
code = [cell for cell in nb.cells if cell.cell_type == 'code']
for cell in code:
    ast.parse(cell.source)
print(json.dumps({'nbformat': nb.nbformat, 'minor': nb.nbformat_minor, 'cells': len(nb.cells), 'code': len(code)}))
`;

/** Validates with nbformat and parses every code cell with ast, in a real Python; returns its summary. */
export function validateWithPython(text: string): { nbformat: number; minor: number; cells: number; code: number } {
  const dir = mkdtempSync(join(tmpdir(), 'fmt-nb-'));
  try {
    const file = join(dir, 'run.ipynb');
    writeFileSync(file, text);
    const result = spawnSync(pythonWithNbformat(), ['-c', VALIDATE, file], { encoding: 'utf8' });
    assert.equal(result.status, 0, `nbformat/ast rejected the notebook:\n${result.stderr}`);
    return JSON.parse(result.stdout) as { nbformat: number; minor: number; cells: number; code: number };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

