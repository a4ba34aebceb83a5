/** Where the run history lives: one folder per user, the same for the CLI and the extension. */
import { join } from 'node:path';
import { defaultCacheDir } from '../data/dataLocation';
import { invocationFolder, resolveUserPath } from '../userPath';

/** The environment variable that moves the CLI's run history (the extension has a setting). */
export const RUN_HISTORY_ENV = 'FASHION_MNIST_RUNS';

/**
 * $FASHION_MNIST_RUNS as a path the user typed (`~` expanded, a relative one taken from the folder the
 * command was run in, as every other path), else `runs` in the per-user cache folder
 * ($XDG_CACHE_HOME/fashion-mnist-trainer or ~/.cache/fashion-mnist-trainer; %LOCALAPPDATA% on Windows).
 */
export function defaultRunHistoryDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const named = env[RUN_HISTORY_ENV];
  if (named !== undefined && named.trim() !== '') return resolveUserPath(named, invocationFolder(env));
  return join(defaultCacheDir(env, platform), 'runs');
}
