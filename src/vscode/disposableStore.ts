// Owns disposables from the moment they are created, so nothing outlives the extension (or the
// engine generation) that made it, whatever order activation fails in.

export interface DisposableLike {
  dispose(): unknown;
}

export class DisposableStore implements DisposableLike {
  private readonly items: DisposableLike[] = [];
  private disposed = false;

  /** Registers `item` and returns it, so creation and registration read as one expression. */
  add<T extends DisposableLike>(item: T): T {
    if (this.disposed) {
      // Late registrations after disposal would leak; release them at once instead.
      item.dispose();
      return item;
    }
    this.items.push(item);
    return item;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Disposes in reverse order of creation; one failing disposable does not strand the rest. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    while (this.items.length > 0) {
      const item = this.items.pop();
      try {
        item?.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'several disposables failed');
  }
}
