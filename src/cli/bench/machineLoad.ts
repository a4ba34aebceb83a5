/**
 * How busy the machine is while the bench measures: the load average (1, 5, 15 min) printed before and
 * after, a loud warning when it is above what an idle 2-core machine shows, and an optional bounded wait
 * for it to drop before measuring (`--wait-idle SECONDS`).
 */
import { loadavg } from 'node:os';
import { t } from '../../core/text/l10n';

/** Above this 1-minute load average the figures are not an idle machine's. */
export const BUSY_LOAD = 1.5;
/** How often the wait looks again. */
const WAIT_STEP_MS = 5000;

export function formatLoad(load: number[] = loadavg()): string {
  return load.map((l) => l.toFixed(2)).join(', ');
}

/** The warning for a busy machine, or undefined when the 1-minute load is at most BUSY_LOAD. */
export function busyWarning(load: number[] = loadavg()): string | undefined {
  if (load[0] <= BUSY_LOAD) return undefined;
  return t(
    'WARNING: the machine is busy (load average {0} > {1}): other programs share the CPU, so wall times and ratios are not an idle machine\'s. Compare CPU times, or run again when it is idle (--wait-idle SECONDS).',
    load[0].toFixed(2),
    BUSY_LOAD,
  );
}

/** Waits up to `seconds` for the 1-minute load average to drop to BUSY_LOAD; says what it did. */
export async function waitForIdle(seconds: number, print: (line: string) => void, sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))): Promise<void> {
  if (seconds <= 0 || loadavg()[0] <= BUSY_LOAD) return;
  print(t('Waiting up to {0} s for the load average ({1}) to drop to {2}…', seconds, loadavg()[0].toFixed(2), BUSY_LOAD));
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline && loadavg()[0] > BUSY_LOAD) await sleep(Math.min(WAIT_STEP_MS, deadline - Date.now()));
  print(t('Load average now: {0}', formatLoad()));
}
