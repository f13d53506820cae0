/** One write LGD is still working on. */
interface HeldWrite {
  dueAt: number;
  apply: () => void;
  /** Settles the waiting request when the write is lost unapplied. */
  lose: () => void;
}

/**
 * Writes LGD is still working on (the late-apply fault): each is applied once the simulator's clock
 * reaches its due time. Due writes are applied, in arrival order, before any later request is
 * handled (`flush`), so a controlled clock decides what a read sees; a timer also flushes them, so
 * on the real clock they land with no request to prompt them. Writes still held when LGD stops are
 * lost, as a request in progress is when a server goes down.
 */
export class LateWrites {
  private held: HeldWrite[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly now: () => Date) {}

  /** How many writes are held. */
  get size(): number {
    return this.held.length;
  }

  /**
   * Holds `apply` until the simulator's clock reaches `dueAt` (ms); resolves with what it returned
   * once applied, or null when LGD stopped first and it never was.
   */
  hold<T>(dueAt: number, apply: () => T): Promise<T | null> {
    return new Promise<T | null>((resolve) => {
      this.held.push({ dueAt, apply: () => resolve(apply()), lose: () => resolve(null) });
      this.arm();
    });
  }

  /** Applies, in arrival order, every held write that is due. */
  flush(): void {
    const t = this.now().getTime();
    const due = this.held.filter((w) => w.dueAt <= t);
    if (due.length === 0) return;
    this.held = this.held.filter((w) => w.dueAt > t);
    for (const w of due) w.apply();
    this.arm();
  }

  /** Forgets every held write unapplied (LGD went down while working on them). */
  clear(): void {
    const lost = this.held;
    this.held = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const w of lost) w.lose();
  }

  /** Wakes up when the earliest held write is due (a controlled clock that has not moved just means another wait). */
  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.held.length === 0) return;
    const next = Math.min(...this.held.map((w) => w.dueAt));
    const wait = Math.max(10, next - this.now().getTime());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
      this.arm();
    }, wait);
    this.timer.unref();
  }
}
