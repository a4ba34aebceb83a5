/**
 * The pinned test images and the classified files followed across the epochs: the lists (kept in the pin
 * store, or in memory without one), the followed files' inputs sent with a run, and their ten probabilities
 * after each epoch of it, posted to the panel as they arrive.
 */
import { t } from '../../core/text/l10n';
import type { ClassificationResult } from '../../domain/classification';
import { NUM_CLASSES, PIXELS } from '../../domain/classes';
import { errorMessage } from '../../domain/errors';
import type { FollowedFile } from '../../protocol/webview';
import type { PinStore } from '../pinStore';
import type { DashboardStore } from './dashboardStore';

export class PinsAndFollowed {
  private memoryPins: number[] = [];
  private memoryFollowed: string[] = [];
  /** The files the current run follows (in its `followImages` order) and their probabilities after each epoch. */
  private following: { files: string[]; epochs: number[]; probabilities: number[][][] } = { files: [], epochs: [], probabilities: [] };

  constructor(
    private readonly store: DashboardStore,
    private readonly pinStore: PinStore | undefined,
    private readonly warn: (message: string) => void,
  ) {}

  /** The pinned test images, oldest first. */
  get pins(): number[] {
    return this.pinStore?.current ?? this.memoryPins;
  }

  /** Pins or unpins a test image; the panel gets the new list. */
  setPin(index: number, pinned: boolean): void {
    if (this.pinStore) this.save(this.pinStore.set(index, pinned));
    else this.memoryPins = [...this.memoryPins.filter((n) => n !== index), ...(pinned ? [index] : [])];
    this.store.post({ type: 'pins', pins: this.pins });
  }

  /** The classified files followed across the epochs, oldest first. */
  get followedPaths(): string[] {
    return this.pinStore?.files ?? this.memoryFollowed;
  }

  /** Follows a classified file across the epochs of the next runs, or stops; the panel gets the new list. */
  setFilePin(file: string, pinned: boolean): void {
    if (this.pinStore) this.save(this.pinStore.setFile(file, pinned));
    else this.memoryFollowed = [...this.memoryFollowed.filter((f) => f !== file), ...(pinned ? [file] : [])];
    this.postFollowed();
  }

  /**
   * The followed files a run can take along: those classified in this session (their 28 × 28 inputs, one
   * after the other); the others wait for a classification.
   */
  inputsForRun(classifications: readonly ClassificationResult[] | undefined): { files: string[]; pixels?: Uint8Array } {
    const inputs = new Map((classifications ?? []).flatMap((r) => (r.ok ? [[r.file, r.input] as const] : [])));
    const files = this.followedPaths.filter((file) => inputs.has(file));
    if (files.length === 0) return { files };
    const pixels = new Uint8Array(files.length * PIXELS);
    files.forEach((file, i) => pixels.set((inputs.get(file) as Uint8Array).subarray(0, PIXELS), i * PIXELS));
    return { files, pixels };
  }

  /** A run was accepted with these files followed: their probabilities start empty. */
  beginRun(files: string[]): void {
    this.following = { files, epochs: [], probabilities: files.map(() => []) };
  }

  /** A past run is shown: what the live run followed is in its state now; the past run shows its own. */
  forgetRun(): void {
    this.following = { files: [], epochs: [], probabilities: [] };
  }

  /** Puts every followed file into the state, without posting (the caller posts the state). */
  recordInState(): void {
    this.store.replace({ ...this.store.current, followedFiles: this.followedFiles() });
  }

  /** The followed files' ten probabilities after an epoch of the run (k-th file's at k × 10). */
  receive(epoch: number, probabilities: Float32Array): void {
    const { files } = this.following;
    if (probabilities.length < files.length * NUM_CLASSES || this.following.epochs.includes(epoch)) return;
    this.following.epochs.push(epoch);
    files.forEach((_, k) => this.following.probabilities[k].push(Array.from(probabilities.subarray(k * NUM_CLASSES, (k + 1) * NUM_CLASSES))));
    this.postFollowed();
  }

  /** Every followed file with what the run shown knows of it (this run's epochs, or what a kept run recorded). */
  private followedFiles(): FollowedFile[] {
    const recorded = new Map((this.store.current.followedFiles ?? []).map((f) => [f.file, f]));
    return this.followedPaths.map((file) => {
      const k = this.following.files.indexOf(file);
      if (k >= 0 && this.following.epochs.length > 0) return { file, epochs: [...this.following.epochs], probabilities: this.following.probabilities[k].map((p) => [...p]) };
      return recorded.get(file) ?? { file, epochs: [], probabilities: [] };
    });
  }

  private postFollowed(): void {
    const files = this.followedFiles();
    this.store.replace({ ...this.store.current, followedFiles: files });
    this.store.post({ type: 'followedFiles', files });
  }

  /** A pins write that fails costs only the pins' persistence: say so, do not stop anything. */
  private save(writing: Promise<void>): void {
    writing.catch((error: unknown) => this.warn(t('The pinned images could not be saved: {0}', errorMessage(error))));
  }
}
