import type { DocCollection, Store } from './doc-collection.js';
import { claimDue, releaseClaims, type DueWork } from './claim-due.js';
import { COLLECTIONS } from './collections.js';

/** A card job as an action asks for it: `discuss` opens the ticket card's thread in the ops channel. */
export interface NewCardJob {
  /** Idempotency key, e.g. `discuss:<ticket key>`: the same job is queued once. */
  _id: string;
  kind: 'discuss';
  ticketKey: string;
  /** Who asked, as the job's message names them. */
  requestedBy: { name: string };
}

/**
 * Work on the team's cards that an action leaves to the worker (collection `card_jobs`), because
 * it talks to Teams: kept until done, retried with backoff, or given up when it cannot be done
 * (no ops channel).
 */
export interface CardJob extends NewCardJob {
  status: 'pending' | 'done' | 'failed';
  attempts: number;
  /** When the next attempt is due; while an attempt runs, the end of its claim. */
  nextAttemptAt: Date;
  lastError: string | null;
  /** The end of the claim of the attempt under way; null or absent when none is. */
  claimedUntil?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The card jobs in the store, so that none is lost to a failed send or a restart. */
export class CardJobRepository {
  private readonly col: DocCollection<CardJob>;

  constructor(
    store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.col = store.collection<CardJob>(COLLECTIONS.cardJobs);
  }

  async init(): Promise<void> {
    await this.col.createIndex({ status: 1, nextAttemptAt: 1 });
  }

  /** Stores the jobs journaled at `at` that are not stored yet (a job with the same id is kept as it is); how many were added. */
  async addJournaled(jobs: readonly { job: NewCardJob; at: Date }[]): Promise<number> {
    const known = await this.existing(jobs.map((j) => j.job._id));
    const fresh = new Map<string, CardJob>();
    for (const { job, at } of jobs) {
      if (known.has(job._id) || fresh.has(job._id)) continue;
      fresh.set(job._id, { ...job, status: 'pending', attempts: 0, nextAttemptAt: at, lastError: null, createdAt: at, updatedAt: at });
    }
    if (fresh.size > 0) await this.col.insertMany([...fresh.values()]);
    return fresh.size;
  }

  get(id: string): Promise<CardJob | null> {
    return this.col.findOne({ _id: id });
  }

  /** Claims up to `limit` due jobs for `claimMs`, each atomically: two workers never run the same one at once. */
  async claimDue(now: Date, claimMs: number, limit: number): Promise<CardJob[]> {
    return claimDue(this.col, now, claimMs, limit);
  }

  /** Frees the claims of a process proven gone (see releaseClaims): due at once; how many. */
  releaseAbandonedClaims(now: Date = this.clock()): Promise<number> {
    return releaseClaims(this.col as unknown as DocCollection<DueWork>, now);
  }

  /** The job is done. */
  async done(id: string): Promise<void> {
    await this.col.updateOne({ _id: id, status: 'pending' }, { $set: { status: 'done', lastError: null, claimedUntil: null, updatedAt: this.clock() } });
  }

  /** The job cannot be done: recorded, not retried. */
  async failed(id: string, reason: string): Promise<void> {
    await this.col.updateOne({ _id: id, status: 'pending' }, { $set: { status: 'failed', lastError: reason, claimedUntil: null, updatedAt: this.clock() } });
  }

  /** The attempt failed: try again at `at`. */
  async retryAt(id: string, at: Date, error: string): Promise<void> {
    await this.col.updateOne({ _id: id, status: 'pending' }, { $set: { nextAttemptAt: at, lastError: error, claimedUntil: null, updatedAt: this.clock() } });
  }

  private async existing(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    return new Set((await this.col.find({ _id: { $in: [...ids] } }, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
  }
}
