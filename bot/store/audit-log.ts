import type { ObjectId } from 'mongodb';
import type { DocCollection, Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';

/** One decision or attempt, kept for the team's records: who, when, what, from where, and how it ended. */
export interface AuditEntry {
  at: Date;
  actor: { name: string; aadObjectId: string | null; email: string | null };
  /** The verb or command, e.g. "approve", "takeOwnership", "rota set", or "lgd:approved". */
  action: string;
  ticketKey: string | null;
  ticketNumber: number | null;
  /** done: accepted; refused: the ticket did not allow it; not_allowed: the person lacks the role; invalid: bad input; unmapped: no LGD analyst; unreachable: a person Teams cannot reach was not told. */
  outcome: 'done' | 'refused' | 'not_allowed' | 'invalid' | 'unmapped' | 'unreachable';
  /** Where it was done: a card or chat in Teams, the Teams tab, or LGD itself. */
  source: 'teams' | 'tab' | 'lgd';
  detail: string | null;
}

/** As stored: records that came through a ticket's journal keep the journal entry's id as `_id`. */
type AuditDoc = AuditEntry & { _id?: string | ObjectId };

/** The audit records still waiting in tickets' journals (one ticket's, or all). */
export type JournaledAudit = (ticketKey?: string) => Promise<(Omit<AuditEntry, 'at'> & { id: string; at: Date })[]>;

/** The audit trail, append-only. */
export class AuditLog {
  private readonly col: DocCollection<AuditDoc>;

  constructor(
    store: Store,
    private readonly clock: () => Date = () => new Date(),
    /** Records committed with their ticket and not moved here yet: the trail shows them at once. */
    private readonly journaled: JournaledAudit = () => Promise.resolve([]),
  ) {
    this.col = store.collection<AuditDoc>(COLLECTIONS.audit);
  }

  async init(): Promise<void> {
    await this.col.createIndex({ ticketKey: 1 });
    await this.col.createIndex({ at: -1 });
  }

  /** Records what changed no ticket (a refusal, a chat command): one write of its own. */
  async record(e: Omit<AuditEntry, 'at'>): Promise<void> {
    await this.col.insertOne({ ...e, at: this.clock() });
  }

  /** Stores records moved from tickets' journals, each once (by its journal id); how many were added. */
  async addJournaled(entries: readonly { id: string; at: Date; audit: Omit<AuditEntry, 'at'> }[]): Promise<number> {
    if (entries.length === 0) return 0;
    const known = new Set((await this.col.find({ _id: { $in: entries.map((e) => e.id) } }, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id)));
    const fresh = new Map<string, AuditDoc>();
    for (const e of entries) if (!known.has(e.id)) fresh.set(e.id, { _id: e.id, ...e.audit, at: e.at });
    if (fresh.size > 0) await this.col.insertMany([...fresh.values()]);
    return fresh.size;
  }

  /** Entries for one ticket (or all), newest first, including those still in the tickets' journals. */
  async list(opts: { ticketKey?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    const limit = opts.limit ?? 100;
    const [stored, waiting] = await Promise.all([
      this.col.find(opts.ticketKey ? { ticketKey: opts.ticketKey } : {}, { sort: { at: -1 }, limit }).toArray(),
      this.journaled(opts.ticketKey),
    ]);
    const moved = new Set(stored.map((d) => String(d._id)));
    const all: AuditEntry[] = [...stored.map(({ _id: _drop, ...e }) => e), ...waiting.filter((w) => !moved.has(w.id)).map(({ id: _drop, ...e }) => e)];
    return all.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit);
  }
}
