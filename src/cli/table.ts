/** Text tables for the terminal (runs, sweeps): columns aligned by display width, so Chinese lines up too. */
import { displayWidth, padEnd } from '../core/text/format';

/** Aligned columns: text left, numbers right (a column is numeric when its header says so). */
export function formatTable(headers: string[], rows: string[][], numeric: boolean[]): string[] {
  const widths = headers.map((header, c) => Math.max(displayWidth(header), ...rows.map((row) => displayWidth(row[c] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (numeric[c] ? ' '.repeat(Math.max(0, widths[c] - displayWidth(cell))) + cell : padEnd(cell, widths[c])))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
