/** At most `max` sends in any `ms` milliseconds. */
export interface RateWindow {
  ms: number;
  max: number;
}

/** Teams' per-bot, per-conversation limits, with a 200 ms minimum gap between sends. */
export const CONVERSATION_WINDOWS: readonly RateWindow[] = [
  { ms: 200, max: 1 },
  { ms: 1_000, max: 7 },
  { ms: 2_000, max: 8 },
  { ms: 30_000, max: 60 },
];

/** The app's own cap across all conversations, under Teams' 50 requests a second per tenant. */
export const GLOBAL_WINDOWS: readonly RateWindow[] = [{ ms: 1_000, max: 40 }];

/** True when one more send at `s` keeps every window of `windows` within its limit. */
function fits(s: number, taken: readonly number[], windows: readonly RateWindow[]): boolean {
  const sends = [...taken, s].sort((a, b) => a - b);
  const at = sends.lastIndexOf(s);
  return windows.every((w) => {
    for (let j = Math.max(0, at - w.max); j <= at && j + w.max < sends.length; j++) {
      if ((sends[j + w.max] ?? 0) - (sends[j] ?? 0) < w.ms) return false;
    }
    return true;
  });
}

/** The earliest time >= t at which one more send fits both lists' windows (it is t or when a send leaves a window). */
function earliestSlot(t: number, lists: readonly { taken: readonly number[]; windows: readonly RateWindow[] }[]): number {
  const candidates = [t, ...lists.flatMap((l) => l.taken.flatMap((x) => l.windows.map((w) => x + w.ms)))]
    .filter((c) => c >= t)
    .sort((a, b) => a - b);
  const slot = candidates.find((c) => lists.every((l) => fits(c, l.taken, l.windows)));
  return slot ?? t;
}

/**
 * Paces sends: each conversation gets one send at a time, in order, within Teams' per-conversation
 * limits, and all of them together stay under a global cap. It reserves a slot, then sleeps until it.
 * The pacing is per process; with several instances each keeps to its own budget.
 */
export class SendThrottle {
  private readonly perConversation = new Map<string, number[]>();
  private readonly global: number[] = [];
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly opts: {
      now: () => number;
      sleep: (ms: number) => Promise<void>;
      conversationWindows?: readonly RateWindow[];
      globalWindows?: readonly RateWindow[];
    },
  ) {}

  /** Runs `task` after every earlier task for the same conversation, without holding others up. */
  serial<T>(conversationId: string, task: () => Promise<T>): Promise<T> {
    const before = this.queues.get(conversationId) ?? Promise.resolve();
    const run = before.then(task, task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(conversationId, tail);
    void tail.then(() => {
      if (this.queues.get(conversationId) === tail) this.queues.delete(conversationId);
    });
    return run;
  }

  /** Waits for the next slot in which the conversation may send, and takes it; resolves to the slot's time. */
  async slot(conversationId: string): Promise<number> {
    const conversationWindows = this.opts.conversationWindows ?? CONVERSATION_WINDOWS;
    const globalWindows = this.opts.globalWindows ?? GLOBAL_WINDOWS;
    const now = this.opts.now();
    const mine = this.prune(this.perConversation.get(conversationId) ?? [], now, conversationWindows);
    this.prune(this.global, now, globalWindows);
    const at = earliestSlot(now, [
      { taken: mine, windows: conversationWindows },
      { taken: this.global, windows: globalWindows },
    ]);
    mine.push(at);
    this.global.push(at);
    this.perConversation.set(conversationId, mine);
    if (at > now) await this.opts.sleep(at - now);
    return at;
  }

  /** Drops send times older than the longest window, in place. */
  private prune(times: number[], now: number, windows: readonly RateWindow[]): number[] {
    const horizon = now - Math.max(0, ...windows.map((w) => w.ms));
    const keep = times.filter((t) => t > horizon);
    times.splice(0, times.length, ...keep);
    return times;
  }
}
