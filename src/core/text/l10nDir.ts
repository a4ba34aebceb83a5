/** Where the l10n bundles are, found from the running file; shared by the worker and the CLI. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The l10n folder: `../l10n` from dist/*.js, `../../l10n` from src/* under tsx. Found by walking up from
 * `start`, so another bundle layout still finds it; undefined when there is none (English is used).
 */
export function findL10nDir(start: string = __dirname): string | undefined {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'l10n', 'bundle.l10n.json'))) return join(dir, 'l10n');
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
