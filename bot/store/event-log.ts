import type { ProcessState } from '../domain/process-state.js';
import type { DocCollection, Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';

/** Something that happened to a ticket that the bot may act on. */
export type TicketEvent =
  | { kind: 'ticket_new'; ticketKey: string; state: ProcessState }
  | { kind: 'state_changed'; ticketKey: string; from: ProcessState; to: ProcessState; source: 'lgd' | 'teams' }
  | { kind: 'write_refused'; ticketKey: string; entryId: string; message: string; requestedBy: { name: string; aadObjectId?: string; teamsUserId?: string } };

export type StoredEvent = TicketEvent & { _id: number; at: Date };

interface CounterDoc {
  _id: string;
  seq: number;
}

/**
 * The durable, ordered log of ticket events: the worker appends, the bot reads after its own
 * cursor, so nothing is lost across restarts and any instance can pick up.
 */
export class EventLog {
  private listeners = new Set<(e: StoredEvent) => void>();
  private readonly col: DocCollection<StoredEvent>;
  private readonly counters: DocCollection<CounterDoc>;

  constructor(
    store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.col = store.collection<StoredEvent>(COLLECTIONS.events);
    this.counters = store.collection<CounterDoc>(COLLECTIONS.counters);
  }

  async init(): Promise<void> {
    await this.col.createIndex({ ticketKey: 1 });
  }

  /** Appends an event with the next sequence number and tells in-process listeners. */
  async append(e: TicketEvent): Promise<StoredEvent> {
    const [stored] = await this.appendMany([e]);
    return stored as StoredEvent;
  }

  /** Appends several events in order with one sequence allocation. */
  async appendMany(list: readonly TicketEvent[]): Promise<StoredEvent[]> {
    if (list.length === 0) return [];
    const c = await this.counters.findOneAndUpdate({ _id: 'events' }, { $inc: { seq: list.length } }, { upsert: true, returnDocument: 'after' });
    const first = (c?.seq ?? list.length) - list.length + 1;
    const at = this.clock();
    const stored = list.map((e, i) => ({ ...e, _id: first + i, at }));
    await this.col.insertMany(stored);
    for (const s of stored) for (const l of this.listeners) l(s);
    return stored;
  }

  /** Events after a sequence number, oldest first. */
  after(seq: number, limit = 500): Promise<StoredEvent[]> {
    return this.col.find({ _id: { $gt: seq } }, { sort: { _id: 1 }, limit }).toArray();
  }

  /** Subscribes to events appended by this process; returns the unsubscribe function. */
  subscribe(fn: (e: StoredEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
