/**
 * Which epoch the epoch views (evaluate, prediction grid, confusion matrix) show, shared by their sliders:
 * one choice, kept in the saved UI state, and a play mode that steps through the held epochs. Views watch it
 * and redraw only their epoch-dependent part, at most once per frame, so the sliders themselves are never
 * rebuilt under a dragging pointer.
 */
import type { EpochStore } from './epochStore';

/** How long each epoch shows while playing. */
export const PLAY_STEP_MS = 700;

interface Watcher {
  element: Element;
  draw: () => void;
}

export class EpochSelection {
  private readonly watchers = new Set<Watcher>();
  private frame: number | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  /**
   * @param getChosen / setChosen the saved choice (undefined: follow the newest epoch, as during a run).
   */
  constructor(
    private readonly store: EpochStore,
    private readonly getChosen: () => number | undefined,
    private readonly setChosen: (epoch: number | undefined) => void,
  ) {
    store.onChange(() => this.changed());
  }

  /** The held epochs, ascending. */
  get epochs(): number[] {
    return this.store.epochs;
  }

  /** The epoch shown: the chosen one if it is held, else the newest; undefined when none is held. */
  get current(): number | undefined {
    const epochs = this.store.epochs;
    if (epochs.length === 0) return undefined;
    const chosen = this.getChosen();
    return chosen !== undefined && epochs.includes(chosen) ? chosen : epochs[epochs.length - 1];
  }

  /** True when the newest held epoch is shown (the run's final state once it has finished). */
  get atLatest(): boolean {
    const epochs = this.store.epochs;
    return epochs.length === 0 || this.current === epochs[epochs.length - 1];
  }

  get playing(): boolean {
    return this.timer !== undefined;
  }

  /** Shows `epoch` (the newest means "follow the newest"). */
  choose(epoch: number): void {
    const epochs = this.store.epochs;
    this.setChosen(epoch === epochs[epochs.length - 1] ? undefined : epoch);
    this.changed();
  }

  /** Steps through the epochs from the shown one (from the first when at the end), one per PLAY_STEP_MS. */
  play(): void {
    if (this.playing) return;
    const epochs = this.store.epochs;
    if (epochs.length < 2) return;
    if (this.atLatest) this.choose(epochs[0]);
    this.timer = setInterval(() => this.step(), PLAY_STEP_MS);
    this.changed();
  }

  pause(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.changed();
  }

  /** Calls `draw` after every change while `element` is on the page; the first time it is off the page, forgets it. */
  watch(element: Element, draw: () => void): void {
    this.watchers.add({ element, draw });
  }

  private step(): void {
    const epochs = this.store.epochs;
    const at = epochs.indexOf(this.current ?? epochs[0]);
    if (at + 1 >= epochs.length) {
      this.pause();
      return;
    }
    this.choose(epochs[at + 1]);
    if (at + 2 >= epochs.length) this.pause();
  }

  /** Redraws the watchers on the next frame (several changes in one frame draw once). */
  private changed(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      for (const watcher of [...this.watchers]) {
        if (!watcher.element.isConnected) this.watchers.delete(watcher);
        else watcher.draw();
      }
    });
  }
}
