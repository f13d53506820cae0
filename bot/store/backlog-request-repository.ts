import type { CreatedBacklogItem, NewBacklogItem } from '../backlog/backlog-port.js';
import type { DocCollection, Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';
import { isDuplicateKeyError } from './duplicate-key.js';

/** Who asked for the backlog item (the person who decided "Project"). */
export interface BacklogRequester {
  name: string;
  aadObjectId?: string;
  teamsUserId?: string;
}

/** A queued backlog item and how its delivery is going (collection `backlog_requests`). */
export interface BacklogRequest {
  /** The item's requestId. */
  _id: string;
  item: NewBacklogItem;
  /** pending: not made yet (retrying); created: in the backlog; failed: refused, will not be retried. */
  status: 'pending' | 'created' | 'failed';
  attempts: number;
  /** When the next attempt is due; while an attempt runs, the end of its claim. */
  nextAttemptAt: Date;
  lastError: string | null;
  result?: CreatedBacklogItem;
  requestedBy: BacklogRequester;
  createdAt: Date;
  updatedAt: Date;
  /** True once the requester has been told of a failure. */
  notifiedFailure?: boolean;
  /** Who to tell once the item is made (the Project decision's contacts); absent on requests made before, which use the area's. */
  notify?: string[];
}

/**
 * The backlog requests in the store. Every step of a delivery is one conditional update on the
 * request, so two workers never send the same request at once and a decided outcome stays.
 */
export class BacklogRequestRepository {
  private readonly col: DocCollection<BacklogRequest>;

  constructor(store: Store) {
    this.col = store.collection<BacklogRequest>(COLLECTIONS.backlogRequests);
  }

  /** Creates the indexes delivery and listing use. */
  async init(): Promise<void> {
    await this.col.createIndex({ status: 1, nextAttemptAt: 1 });
    await this.col.createIndex({ createdAt: -1 });
  }

  /** Stores a new request; a request with the same id already stored is returned instead, with `added` false. */
  async add(request: BacklogRequest): Promise<{ request: BacklogRequest; added: boolean }> {
    try {
      await this.col.insertOne(request);
      return { request, added: true };
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const existing = await this.col.findOne({ _id: request._id });
      if (!existing) throw err;
      return { request: existing, added: false };
    }
  }

  /** Stores requests journaled with a ticket, each once (a request with the same id is kept as it is); how many were added. */
  async addJournaled(requests: readonly BacklogRequest[]): Promise<number> {
    if (requests.length === 0) return 0;
    const known = new Set((await this.col.find({ _id: { $in: requests.map((r) => r._id) } }, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
    const fresh = new Map<string, BacklogRequest>();
    for (const r of requests) if (!known.has(r._id) && !fresh.has(r._id)) fresh.set(r._id, r);
    if (fresh.size > 0) await this.col.insertMany([...fresh.values()]);
    return fresh.size;
  }

  /** One request, or null. */
  get(requestId: string): Promise<BacklogRequest | null> {
    return this.col.findOne({ _id: requestId });
  }

  /** Requests, newest first. */
  list(opts: { skip?: number; limit?: number } = {}): Promise<BacklogRequest[]> {
    return this.col.find({}, { sort: { createdAt: -1, _id: 1 }, skip: opts.skip ?? 0, limit: opts.limit ?? 100 }).toArray();
  }

  /** Ids of pending requests due at `now`, the longest waiting first. */
  async dueIds(now: Date, limit: number): Promise<string[]> {
    const due = await this.col
      .find({ status: 'pending', nextAttemptAt: { $lte: now } }, { sort: { nextAttemptAt: 1 }, limit, projection: { _id: 1 } })
      .toArray();
    return due.map((d) => d._id);
  }

  /** Claims a due request until `until`, counting the attempt; null when it is not due (another pass claimed it). */
  claim(requestId: string, now: Date, until: Date): Promise<BacklogRequest | null> {
    return this.col.findOneAndUpdate(
      { _id: requestId, status: 'pending', nextAttemptAt: { $lte: now } },
      { $set: { nextAttemptAt: until, updatedAt: now }, $inc: { attempts: 1 } },
      { returnDocument: 'after' },
    );
  }

  /** The item is made: the request as it is now, or null when it was no longer pending. */
  created(requestId: string, result: CreatedBacklogItem, now: Date): Promise<BacklogRequest | null> {
    return this.col.findOneAndUpdate(
      { _id: requestId, status: 'pending' },
      { $set: { status: 'created', result, lastError: null, updatedAt: now } },
      { returnDocument: 'after' },
    );
  }

  /** An attempt failed: retried at `nextAttemptAt`, or given up (`failed`) when the backlog refused the item. */
  async failed(requestId: string, f: { lastError: string; nextAttemptAt: Date; final: boolean }, now: Date): Promise<void> {
    const set: Partial<BacklogRequest> = { lastError: f.lastError, updatedAt: now, nextAttemptAt: f.nextAttemptAt };
    if (f.final) set.status = 'failed';
    await this.col.updateOne({ _id: requestId, status: 'pending' }, { $set: set });
  }

  /** Marks the requester as told of a failure; the request when this call marked it, null when they were told already. */
  markFailureTold(requestId: string): Promise<BacklogRequest | null> {
    return this.col.findOneAndUpdate(
      { _id: requestId, notifiedFailure: { $ne: true } },
      { $set: { notifiedFailure: true } },
      { returnDocument: 'after' },
    );
  }

  /** Telling the requester failed: the next failure tries again. */
  async unmarkFailureTold(requestId: string): Promise<void> {
    await this.col.updateOne({ _id: requestId }, { $set: { notifiedFailure: false } });
  }
}
