/**
 * A minimal typed event emitter with VS Code's shape (`event(listener)` returns something disposable), and a
 * base class that releases what it registered, so the worker's client and the host's classes need no
 * `vscode` import and run in plain-Node unit tests.
 */
export interface Subscription {
  dispose(): void;
}

export type Event<T> = (listener: (value: T) => void) => Subscription;

export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    // A copy: a listener may unsubscribe (or subscribe another) while being called.
    for (const listener of [...this.listeners]) listener(value);
  }

  dispose(): void {
    this.listeners.clear();
  }
}

/** Owns subscriptions and releases them once, newest first, on `dispose()` (VS Code's Disposable pattern). */
export abstract class Disposable implements Subscription {
  private readonly owned: Subscription[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Takes ownership of the subscriptions; any registered after dispose() are released at once. */
  protected register(...subscriptions: Subscription[]): void {
    for (const subscription of subscriptions) {
      if (this.disposed) subscription.dispose();
      else this.owned.push(subscription);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const subscription of this.owned.splice(0).reverse()) subscription.dispose();
  }
}
