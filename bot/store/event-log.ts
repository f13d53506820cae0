import type { ProcessState } from '../domain/process-state.js';
import type { DocCollection, DocWriteOptions, Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';

/** Something that happened to a ticket that the bot may act on. */
export type TicketEvent =
  | { kind: 'ticket_new'; ticketKey: string; state: ProcessState; owner?: string | null }
  /** The person the team sees on the ticket changed (LGD analyst keys), whatever its state did. */
  | { kind: 'owner_changed'; ticketKey: string; from: string | null; to: string | null }
  /** The raise user heard from the team (an end-user update made or queued, or a note in LGD they were told of), at `updatedAt`. */
  | { kind: 'user_updated'; ticketKey: string; updatedAt: Date }
  | { kind: 'state_changed'; ticketKey: string; from: ProcessState; to: ProcessState; source: 'lgd' | 'teams' }
  | { kind: 'write_refused'; ticketKey: string; entryId: string; message: string; requestedBy: { name: string; aadObjectId?: string; teamsUserId?: string } }
  /** Long work raised with the Operations Lead (by its owner, or by the duty pass), agreed by a lead, or handed back before a day off. */
  | { kind: 'long_work_raised'; ticketKey: string; by: string; reason: string | null; auto: boolean }
  | { kind: 'long_work_agreed'; ticketKey: string; by: string }
  | { kind: 'handed_back'; ticketKey: string; by: string; to: string };

/** An event in the log: its sequence number, when it was committed, and the ticket journal entry it came from. */
export type StoredEvent = TicketEvent & { _id: number; at: Date; journalId?: string };

interface CounterDoc {
  _id: string;
  seq: number;
}

/**
 * The durable, ordered log of ticket events. Events are committed with their ticket (in its
 * journal); the worker, holding the lease, moves them here and numbers them, so sequence numbers
 * only grow and a reader after its own cursor (the bot) misses none across restarts.
 */
export class EventLog {
  private listeners = new Set<(e: StoredEvent) => void>();
  private readonly col: DocCollection<StoredEvent>;
  private readonly counters: DocCollection<CounterDoc>;

  constructor(store: Store) {
    this.col = store.collection<StoredEvent>(COLLECTIONS.events);
    this.counters = store.collection<CounterDoc>(COLLECTIONS.counters);
  }

  async init(): Promise<void> {
    await this.col.createIndex({ ticketKey: 1 });
    // An event drained twice (a crash between its move and its removal from the journal) is stored once.
    await this.col.createIndex({ journalId: 1 }, { unique: true, sparse: true });
    // Insights read events by kind, and new tickets by the state they arrived in (insights-repository.ts).
    await this.col.createIndex({ kind: 1 });
    await this.col.createIndex({ state: 1 }, { sparse: true });
  }

  /**
   * Appends journaled events, in the order given, with the next sequence numbers (one counter
   * round trip for all); events already moved (by their journal id) are skipped. Only the worker
   * holding the lease calls this, so numbers are handed out in commit order. `write` is the writes'
   * durability (the drain's, see JournalDrain.drain).
   */
  async appendJournaled(entries: readonly { id: string; at: Date; event: TicketEvent }[], write?: DocWriteOptions): Promise<StoredEvent[]> {
    if (entries.length === 0) return [];
    const ids = entries.map((e) => e.id);
    const known = new Set((await this.col.find({ journalId: { $in: ids } }, { projection: { journalId: 1 } }).toArray()).map((e) => e.journalId));
    const seen = new Set<string>();
    const fresh = entries.filter((e) => !known.has(e.id) && !seen.has(e.id) && seen.add(e.id));
    if (fresh.length === 0) return [];
    const c = await this.counters.findOneAndUpdate({ _id: 'events' }, { $inc: { seq: fresh.length } }, { upsert: true, returnDocument: 'after', ...write });
    const first = (c?.seq ?? fresh.length) - fresh.length + 1;
    // `_id` first (as stored), then the event: a literal led by a spread that adds keys takes V8's slow path (see derive in domain/ticket.ts).
    const stored: StoredEvent[] = fresh.map((e, i) => ({ _id: first + i, ...e.event, at: e.at, journalId: e.id }));
    await this.col.insertMany(stored, write);
    for (const s of stored) for (const l of this.listeners) l(s);
    return stored;
  }

  /** Events after a sequence number, oldest first. */
  after(seq: number, limit = 500): Promise<StoredEvent[]> {
    return this.col.find({ _id: { $gt: seq } }, { sort: { _id: 1 }, limit }).toArray();
  }

  /** The latest event of `kind` about a ticket, or null. */
  async latestOf<K extends TicketEvent['kind']>(ticketKey: string, kind: K): Promise<Extract<StoredEvent, { kind: K }> | null> {
    return (await this.col.findOne({ ticketKey, kind }, { sort: { _id: -1 } })) as Extract<StoredEvent, { kind: K }> | null;
  }

  /** Subscribes to events appended by this process; returns the unsubscribe function. */
  subscribe(fn: (e: StoredEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
