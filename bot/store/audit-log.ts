import type { Filter } from 'mongodb';
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
  source: 'teams' | 'lgd';
  detail: string | null;
}

/** The audit trail, append-only. */
export class AuditLog {
  private readonly col: DocCollection<AuditEntry>;

  constructor(
    store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.col = store.collection<AuditEntry>(COLLECTIONS.audit);
  }

  async init(): Promise<void> {
    await this.col.createIndex({ ticketKey: 1 });
    await this.col.createIndex({ at: -1 });
  }

  async record(e: Omit<AuditEntry, 'at'>): Promise<void> {
    await this.col.insertOne({ ...e, at: this.clock() });
  }

  /** Entries for one ticket (or all), newest first. */
  list(opts: { ticketKey?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    const filter = (opts.ticketKey ? { ticketKey: opts.ticketKey } : {}) as Filter<AuditEntry>;
    return this.col.find(filter, { sort: { at: -1 }, limit: opts.limit ?? 100 }).toArray();
  }
}
