import type { Filter } from 'mongodb';
import { AppError, BacklogRefused, BacklogUnavailable } from '../errors.js';
import type { Logger } from '../logger.js';
import type { DocCollection, Store } from '../store/doc-collection.js';
import { isDuplicateKeyError } from '../store/duplicate-key.js';
import { newBacklogItemSchema, type BacklogPort, type CreatedBacklogItem, type NewBacklogItem } from './backlog-port.js';

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

/** What one `deliverDue` pass did, by request id. */
export interface BacklogDeliveryReport {
  created: string[];
  retrying: string[];
  failed: string[];
}

/** Options of the queue: the hooks let the app tell people; they are awaited, and their failures logged. */
export interface BacklogQueueOptions {
  port: BacklogPort;
  logger: Logger;
  /** Called once per request, at its first failed attempt (retryable or not: see `error.retryable`). */
  onFirstFailure?: (request: BacklogRequest, error: BacklogUnavailable | BacklogRefused) => Promise<void> | void;
  /** Called when the item is in the backlog. */
  onCreated?: (request: BacklogRequest) => Promise<void> | void;
  /** How long an attempt holds its claim before another pass may take it over (default 2 min). */
  claimMs?: number;
  /** Most requests tried per pass (default 20). */
  batchSize?: number;
  clock?: () => Date;
}

const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 60 * 60_000;

/** Delay before attempt `attempts + 1`: 30 s doubling, capped at 1 h. */
export function backlogBackoffMs(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * The backlog items waiting to be made, in the store, so that a "Project" decision stands even
 * while the backlog is down: each is retried with backoff until made or refused.
 */
export class BacklogQueue {
  private readonly col: DocCollection<BacklogRequest>;
  private readonly clock: () => Date;
  private readonly log: Logger;

  constructor(
    store: Store,
    private readonly o: BacklogQueueOptions,
  ) {
    this.col = store.collection<BacklogRequest>('backlog_requests');
    this.clock = o.clock ?? (() => new Date());
    this.log = o.logger.child({ component: 'backlog-queue' });
  }

  /** Creates the indexes delivery and listing use. */
  async init(): Promise<void> {
    await this.col.createIndex({ status: 1, nextAttemptAt: 1 });
    await this.col.createIndex({ createdAt: -1 });
  }

  /** Queues the item, with who to tell once it is made; a repeat of the same requestId returns the request already queued. */
  async enqueue(item: NewBacklogItem, requestedBy: BacklogRequester, notify?: readonly string[]): Promise<{ request: BacklogRequest; queued: boolean }> {
    const valid = newBacklogItemSchema.parse(item);
    const now = this.clock();
    const request: BacklogRequest = {
      _id: valid.requestId,
      item: valid,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
      requestedBy,
      createdAt: now,
      updatedAt: now,
      ...(notify ? { notify: [...notify] } : {}),
    };
    try {
      await this.col.insertOne(request);
      return { request, queued: true };
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const existing = await this.col.findOne({ _id: valid.requestId });
      if (!existing) throw err;
      return { request: existing, queued: false };
    }
  }

  /** One request, or null. */
  get(requestId: string): Promise<BacklogRequest | null> {
    return this.col.findOne({ _id: requestId });
  }

  /** Requests, newest first. */
  list(opts: { skip?: number; limit?: number } = {}): Promise<BacklogRequest[]> {
    return this.col.find({}, { sort: { createdAt: -1, _id: 1 }, skip: opts.skip ?? 0, limit: opts.limit ?? 100 }).toArray();
  }

  /** Tries every due request once; each is claimed atomically, so two workers never send the same one at once. */
  async deliverDue(now: Date = this.clock()): Promise<BacklogDeliveryReport> {
    const report: BacklogDeliveryReport = { created: [], retrying: [], failed: [] };
    const due = await this.col
      .find({ status: 'pending', nextAttemptAt: { $lte: now } } as Filter<BacklogRequest>, {
        sort: { nextAttemptAt: 1 },
        limit: this.o.batchSize ?? 20,
        projection: { _id: 1 },
      })
      .toArray();
    for (const { _id } of due) {
      const outcome = await this.deliverOne(_id, now);
      if (outcome) report[outcome].push(_id);
    }
    return report;
  }

  /** Claims, sends and records one request; null when another pass claimed it first. */
  private async deliverOne(requestId: string, now: Date): Promise<keyof BacklogDeliveryReport | null> {
    const claimed = await this.col.findOneAndUpdate(
      { _id: requestId, status: 'pending', nextAttemptAt: { $lte: now } } as Filter<BacklogRequest>,
      { $set: { nextAttemptAt: new Date(now.getTime() + (this.o.claimMs ?? 120_000)), updatedAt: now }, $inc: { attempts: 1 } },
      { returnDocument: 'after' },
    );
    if (!claimed) return null;
    let result: CreatedBacklogItem;
    try {
      result = await this.o.port.create(claimed.item);
    } catch (err) {
      return this.recordFailure(claimed, asBacklogError(err), now);
    }
    const done = await this.col.findOneAndUpdate(
      { _id: requestId, status: 'pending' } as Filter<BacklogRequest>,
      { $set: { status: 'created', result, lastError: null, updatedAt: now } },
      { returnDocument: 'after' },
    );
    this.log.info({ requestId, externalId: result.externalId, attempts: claimed.attempts, backlog: this.o.port.kind }, 'backlog item made');
    if (done) await this.runHook('onCreated', () => this.o.onCreated?.(done));
    return 'created';
  }

  private async recordFailure(claimed: BacklogRequest, error: BacklogUnavailable | BacklogRefused, now: Date): Promise<'retrying' | 'failed'> {
    const final = error instanceof BacklogRefused;
    const wait = final ? 0 : Math.max(backlogBackoffMs(claimed.attempts), error.retryAfterMs ?? 0);
    const set: Partial<BacklogRequest> = { lastError: error.message, updatedAt: now, nextAttemptAt: new Date(now.getTime() + wait) };
    if (final) set.status = 'failed';
    await this.col.updateOne({ _id: claimed._id, status: 'pending' } as Filter<BacklogRequest>, { $set: set });
    this.log.warn(
      { requestId: claimed._id, attempts: claimed.attempts, code: error.code, err: error, nextAttemptAt: final ? null : set.nextAttemptAt },
      final ? 'backlog refused the item; not retrying' : 'backlog unavailable; will retry',
    );
    const first = await this.col.findOneAndUpdate(
      { _id: claimed._id, notifiedFailure: { $ne: true } } as Filter<BacklogRequest>,
      { $set: { notifiedFailure: true } },
      { returnDocument: 'after' },
    );
    if (first && this.o.onFirstFailure) {
      const told = await this.runHook('onFirstFailure', () => this.o.onFirstFailure?.(first, error));
      // Not told: let the next failure try again rather than stay silent.
      if (!told) await this.col.updateOne({ _id: claimed._id }, { $set: { notifiedFailure: false } });
    }
    return final ? 'failed' : 'retrying';
  }

  /** Runs a hook; a hook's failure is logged and never undoes the delivery. */
  private async runHook(name: string, fn: () => Promise<void> | void): Promise<boolean> {
    try {
      await fn();
      return true;
    } catch (err) {
      this.log.error({ err, hook: name }, 'backlog hook failed');
      return false;
    }
  }
}

/** A port failure as one of the two backlog errors; anything unexpected is treated as retryable. */
function asBacklogError(err: unknown): BacklogUnavailable | BacklogRefused {
  if (err instanceof BacklogUnavailable || err instanceof BacklogRefused) return err;
  const detail = err instanceof AppError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
  return new BacklogUnavailable(`unexpected failure: ${detail}`, { cause: err });
}
