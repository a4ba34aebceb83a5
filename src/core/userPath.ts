/**
 * Paths as the user typed them: `~` is the home folder in every spelling (`~`, `~/x`, `~\x`, also after
 * `--flag=` where no shell expands it), and a relative path is taken from the folder the command was run
 * in. Under `npm run`, the process runs in the project folder; npm names the user's folder in INIT_CWD.
 * Messages show both the path as typed and what it became, so a surprise is visible.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { t } from './text/l10n';

/** `~` and `~/...` (or `~\...`) in the home folder; everything else unchanged. */
export function expandHome(path: string, home: string = homedir()): string {
  if (path === '~') return home;
  return /^~[/\\]/.test(path) ? join(home, path.slice(2)) : path;
}

/** The folder the user ran the command in: npm's INIT_CWD when it is set, else the process's folder. */
export function invocationFolder(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const init = env.INIT_CWD;
  return init !== undefined && init !== '' && isAbsolute(init) ? init : cwd;
}

/** An absolute path for what the user typed: `~` expanded, relative paths from `from`. */
export function resolveUserPath(typed: string, from: string = invocationFolder(), home?: string): string {
  return resolve(from, expandHome(typed, home));
}

/** The path as typed and, when it differs, as resolved: `~/fm (/home/ana/fm)`. */
export function describePath(typed: string | undefined, resolved: string): string {
  if (typed === undefined || typed === resolved) return resolved;
  return t('{0} ({1})', typed, resolved);
}
