/**
 * How a request asks the worker for a pass soon ("act on what I just recorded") without holding
 * the worker: made first, handed to the command service and the bot, which kick it, and to the
 * worker loop, which answers it. A kick before the worker listens (or while it is stopped) is
 * dropped: the worker's own cadence picks the work up anyway.
 */
export class WorkSignal {
  private readonly listeners = new Set<() => void>();

  /** Asks for a pass soon; never waits. */
  kick(): void {
    for (const l of this.listeners) l();
  }

  /** Calls `fn` on every kick; returns the function that stops it. */
  listen(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
