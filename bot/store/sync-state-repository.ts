import { RELAXED_WRITE, type DocCollection, type Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';

/** Where the sync stands; survives restarts. */
export interface SyncStateDoc {
  _id: 'lgd';
  /** Latest LastUpdate seen (LGD's clock). */
  cursor: Date | null;
  /** Latest note CreationDate seen. */
  notesCursor: Date | null;
  /** When every reference list was last refreshed. */
  referenceAt: Date | null;
  /** When a refresh was last tried, so that a list LGD refuses is asked again only now and then. */
  referenceTriedAt?: Date | null;
  /** When a pass last completed; null until the first one has: the ticket list is partial until then. */
  lastRunAt: Date | null;
  tickets: number;
  /** Progress of a first (full) pass while it runs, for /healthz and /api/tickets. */
  firstSync?: { done: number; of: number | null; startedAt: Date } | null;
}

/** The sync's progress as stored with its cursor, as readers see it. */
export interface FirstSyncStatus {
  /** True once one sync pass has completed: the ticket list is whole. */
  complete: boolean;
  /** Tickets handled so far in the running first pass, and how many LGD listed (null until listed). */
  done: number | null;
  of: number | null;
  startedAt: Date | null;
}

const ID = 'lgd' as const;

/** The sync's one state document (collection `sync_state`): written by the sync worker, read by every instance. */
export class SyncStateRepository {
  private readonly col: DocCollection<SyncStateDoc>;

  constructor(store: Store) {
    this.col = store.collection<SyncStateDoc>(COLLECTIONS.syncState);
  }

  /** The stored state; a document written only with first-sync progress lacks the other fields. */
  get(): Promise<SyncStateDoc | null> {
    return this.col.findOne({ _id: ID });
  }

  /**
   * Replaces the state at the end of a completed pass: a full (fsynced) write, which makes every
   * relaxed write of the pass before it durable too, so a cursor on disk never covers a ticket
   * that is not.
   */
  async save(state: Omit<SyncStateDoc, '_id'>): Promise<void> {
    await this.col.replaceOne({ _id: ID }, state, { upsert: true });
  }

  /**
   * Records how far the first pass is, where every instance's /healthz and /api/tickets can read it.
   * Relaxed (RELAXED_WRITE): lost to a power cut, the pass it counts is lost too and starts again.
   */
  async recordFirstSync(progress: { done: number; of: number | null; startedAt: Date }): Promise<void> {
    await this.col.updateOne({ _id: ID }, { $set: { firstSync: progress } }, { upsert: true, ...RELAXED_WRITE });
  }

  /** Whether the first sync has completed, and how far the running one is. */
  async firstSync(): Promise<FirstSyncStatus> {
    const st = await this.get();
    const complete = st?.lastRunAt instanceof Date;
    const p = complete ? null : (st?.firstSync ?? null);
    return { complete, done: p?.done ?? null, of: p?.of ?? null, startedAt: p?.startedAt ?? null };
  }
}
