/**
 * Batch progress arrives from the worker faster than a panel needs it: this passes the latest on at most every
 * PROGRESS_INTERVAL_MS (at once when the last one went out long enough ago, else when the interval has passed).
 */
import type { Subscription } from '../core/emitter';
import { PROGRESS_INTERVAL_MS } from '../protocol/events';

export class ProgressThrottle implements Subscription {
  private timer: NodeJS.Timeout | undefined;
  private due = false;
  private lastFlushAt = 0;

  constructor(private readonly flush: () => void) {}

  /** Something new to report: it goes out now or at the end of the interval, once. */
  request(): void {
    this.due = true;
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlushAt + PROGRESS_INTERVAL_MS - Date.now());
    if (wait === 0) {
      this.flushNow();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushNow();
    }, wait);
  }

  /** Drops what is pending (the run ended: its last state goes out whole). */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.due = false;
  }

  dispose(): void {
    this.cancel();
  }

  private flushNow(): void {
    if (!this.due) return;
    this.due = false;
    this.lastFlushAt = Date.now();
    this.flush();
  }
}
