/** Where the run history lives: one folder per user, the same for the CLI and the extension. */
import { isAbsolute, join } from 'node:path';
import { defaultCacheDir } from '../data/dataLocation';

/** The environment variable that moves the CLI's run history (the extension has a setting). */
export const RUN_HISTORY_ENV = 'FASHION_MNIST_RUNS';

/**
 * $FASHION_MNIST_RUNS when it is an absolute path, else `runs` in the per-user cache folder
 * ($XDG_CACHE_HOME/fashion-mnist-trainer or ~/.cache/fashion-mnist-trainer; %LOCALAPPDATA% on Windows).
 */
export function defaultRunHistoryDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const named = env[RUN_HISTORY_ENV];
  if (named && isAbsolute(named)) return named;
  return join(defaultCacheDir(env, platform), 'runs');
}
