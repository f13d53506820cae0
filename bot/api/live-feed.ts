import type { Response } from 'restify';
import type { LgdStatus, LiveEventName, LiveEvents, TicketEvent } from '../../tab/src/api/contract.js';
import type { ProcessState } from '../domain/process-state.js';
import type { Logger } from '../logger.js';

/** A ticket as the feed compares it between two looks at the store. */
export interface TicketMark {
  key: string;
  version: number;
  state: ProcessState;
}

/** What the feed reads from the store on each look: never one process's memory, so another instance's changes show too. */
export interface LiveSource {
  /** The tickets of the queue now (open ones and recently closed), by key with version and state. */
  tickets(): Promise<TicketMark[]>;
  /** The state of a ticket that left the queue (reassigned away, or closed long ago); null when it is gone. */
  stateOf(key: string): Promise<ProcessState | null>;
  lgd(): Promise<LgdStatus>;
}

export interface LiveFeedOptions {
  source: LiveSource;
  logger: Logger;
  /** How often the store is looked at while anyone listens. */
  pollMs?: number;
  /** A comment line at least this often, so proxies keep the stream open. */
  keepAliveMs?: number;
  /** A stream ends after this long; the tab reconnects with a fresh token and refetches. */
  maxAgeMs?: number;
  /** Streams one person may hold; one more closes their oldest. */
  perPerson?: number;
  /** Streams this process serves at most; one more is refused. */
  total?: number;
}

interface Stream {
  res: Response;
  person: string;
  openedAt: number;
  timers: NodeJS.Timeout[];
}

/**
 * `GET /api/events`'s engine: the open streams of this process and one look at the store every
 * `pollMs` while any is open. A ticket whose version or state changed since the last look (a change
 * made in Teams, the tab, LGD's sync or by another instance) is sent as `ticket`; LGD's
 * reachability as `lgd`. Bounded: a few streams per person, a cap per process, a maximum age.
 */
export class LiveFeed {
  private readonly streams = new Set<Stream>();
  private marks: Map<string, TicketMark> | null = null;
  private lgd: LgdStatus['state'] | null = null;
  private timer: NodeJS.Timeout | null = null;
  private looking = false;
  private readonly pollMs: number;
  private readonly keepAliveMs: number;
  private readonly maxAgeMs: number;
  private readonly perPerson: number;
  private readonly total: number;

  constructor(private readonly o: LiveFeedOptions) {
    this.pollMs = o.pollMs ?? 2_000;
    this.keepAliveMs = o.keepAliveMs ?? 20_000;
    this.maxAgeMs = o.maxAgeMs ?? 15 * 60_000;
    this.perPerson = o.perPerson ?? 4;
    this.total = o.total ?? 200;
  }

  /** Streams open now. */
  get size(): number {
    return this.streams.size;
  }

  /** True when one more stream for `person` may open (their oldest is closed to make room; the process's cap is not). */
  hasRoom(): boolean {
    return this.streams.size < this.total;
  }

  /** Starts an event stream on `res` for `person`, sending `hello` first. */
  open(res: Response, person: string, hello: LiveEvents['hello']): void {
    const mine = [...this.streams].filter((s) => s.person === person).sort((a, b) => a.openedAt - b.openedAt);
    for (const old of mine.slice(0, Math.max(0, mine.length - this.perPerson + 1))) this.close(old);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const stream: Stream = { res, person, openedAt: Date.now(), timers: [] };
    this.streams.add(stream);
    this.send(stream, 'hello', hello);
    stream.timers.push(setInterval(() => this.write(stream, ': keep-alive\n\n'), this.keepAliveMs));
    stream.timers.push(setTimeout(() => this.close(stream), this.maxAgeMs));
    res.on('close', () => this.close(stream));
    this.ensureLooking();
  }

  /** Ends every stream and stops looking (the server is stopping). */
  closeAll(): void {
    for (const s of [...this.streams]) this.close(s);
    this.stopLooking();
  }

  private close(s: Stream): void {
    if (!this.streams.delete(s)) return;
    for (const t of s.timers) clearTimeout(t);
    if (!s.res.writableEnded) s.res.end();
    if (this.streams.size === 0) this.stopLooking();
  }

  private send<E extends LiveEventName>(s: Stream, event: E, data: LiveEvents[E]): void {
    this.write(s, `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private write(s: Stream, text: string): void {
    if (s.res.writableEnded || s.res.destroyed) return this.close(s);
    s.res.write(text);
  }

  private broadcast<E extends LiveEventName>(event: E, data: LiveEvents[E]): void {
    for (const s of [...this.streams]) this.send(s, event, data);
  }

  private ensureLooking(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.look(), this.pollMs);
    this.timer.unref();
    void this.look();
  }

  private stopLooking(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.marks = null;
    this.lgd = null;
  }

  /** One look at the store: what changed since the last look goes to every stream. */
  private async look(): Promise<void> {
    if (this.looking) return;
    this.looking = true;
    try {
      const [now, lgd] = await Promise.all([this.o.source.tickets(), this.o.source.lgd()]);
      const next = new Map(now.map((m) => [m.key, m]));
      const before = this.marks;
      this.marks = next;
      if (this.lgd !== null && this.lgd !== lgd.state) this.broadcast('lgd', lgd);
      this.lgd = lgd.state;
      if (!before) return;
      for (const m of now) {
        const was = before.get(m.key);
        if (!was || was.version !== m.version || was.state !== m.state) this.broadcast('ticket', eventOf(m.key, m.version, m.state));
      }
      for (const [key, was] of before) {
        if (next.has(key)) continue;
        const state = (await this.o.source.stateOf(key)) ?? was.state;
        this.broadcast('ticket', eventOf(key, was.version + 1, state));
      }
    } catch (err) {
      // The streams stay open: the next look tries again (the tab also refetches on reconnect).
      this.o.logger.warn({ err }, 'live updates: could not read the store');
    } finally {
      this.looking = false;
    }
  }
}

/** A ticket's change as the tab hears it (every process state is a queue state or `reassigned`). */
const eventOf = (key: string, version: number, state: ProcessState): TicketEvent => ({ key, version, state });
