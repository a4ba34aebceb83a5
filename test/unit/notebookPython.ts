/**
 * Checks an .ipynb with the real tools, in a real Python: nbformat.validate (Debian's python3-nbformat),
 * ast.parse of every code cell, and xml.etree of every SVG output (whose title, texts and series it reports).
 * Shared by the unit and the CLI tests.
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
import xml.etree.ElementTree as ET
import nbformat
SVG = '{http://www.w3.org/2000/svg}'
nb = nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT)
nbformat.validate(nb)
code = [cell for cell in nb.cells if cell.cell_type == 'code']
svgs = []
for cell in code:
    ast.parse(cell.source)
    for output in cell.outputs:
        if 'image/svg+xml' not in output.get('data', {}):
            continue
        root = ET.fromstring(output['data']['image/svg+xml'])
        assert root.tag == SVG + 'svg', root.tag
        series = [g for g in root.iter(SVG + 'g') if g.get('class') == 'series']
        svgs.append({
            'width': root.get('width'),
            'height': root.get('height'),
            'title': root.find(SVG + 'title').text,
            'texts': [''.join(t.itertext()) for t in root.iter(SVG + 'text')],
            'classes': {c: [''.join(t.itertext()) for t in root.iter(SVG + 'text') if t.get('class') == c] for c in ['x-title', 'y-title']},
            'series': [{'name': g.get('data-series'), 'paths': len(g.findall(SVG + 'path')), 'markers': len(g.findall(SVG + 'circle')) + len(g.findall(SVG + 'rect'))} for g in series],
            'cells': len([r for g in root.iter(SVG + 'g') if g.get('class') == 'cells' for r in g.findall(SVG + 'rect')]),
        })
print(json.dumps({'nbformat': nb.nbformat, 'minor': nb.nbformat_minor, 'cells': len(nb.cells), 'code': len(code), 'svgs': svgs}))
`;

/** What xml.etree found in one SVG output: its size, title, every text, the axis titles, the series (markers include the legend's). */
export interface SvgSummary {
  width: string;
  height: string;
  title: string;
  texts: string[];
  classes: { 'x-title': string[]; 'y-title': string[] };
  series: { name: string; paths: number; markers: number }[];
  cells: number;
}

export interface NotebookSummary {
  nbformat: number;
  minor: number;
  cells: number;
  code: number;
  svgs: SvgSummary[];
}

/** Validates with nbformat, parses every code cell with ast and every SVG output with xml.etree, in a real Python; returns its summary. */
export function validateWithPython(text: string): NotebookSummary {
  const dir = mkdtempSync(join(tmpdir(), 'fmt-nb-'));
  try {
    const file = join(dir, 'run.ipynb');
    writeFileSync(file, text);
    const result = spawnSync(pythonWithNbformat(), ['-c', VALIDATE, file], { encoding: 'utf8' });
    assert.equal(result.status, 0, `nbformat/ast rejected the notebook:\n${result.stderr}`);
    return JSON.parse(result.stdout) as NotebookSummary;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

