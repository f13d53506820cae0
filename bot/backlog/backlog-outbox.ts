import { AppError, BacklogRefused, BacklogUnavailable } from '../errors.js';
import type { Logger } from '../logger.js';
import type { BacklogRequest, BacklogRequester, BacklogRequestRepository } from '../store/backlog-request-repository.js';
import type { BacklogPort, CreatedBacklogItem, NewBacklogItem } from './backlog-port.js';
import { backlogRequestOf } from './backlog-request.js';

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
  private readonly clock: () => Date;
  private readonly log: Logger;

  constructor(
    private readonly requests: BacklogRequestRepository,
    private readonly o: BacklogQueueOptions,
  ) {
    this.clock = o.clock ?? (() => new Date());
    this.log = o.logger.child({ component: 'backlog-queue' });
  }

  /** Queues the item, with who to tell once it is made; a repeat of the same requestId returns the request already queued. */
  async enqueue(item: NewBacklogItem, requestedBy: BacklogRequester, notify?: readonly string[]): Promise<{ request: BacklogRequest; queued: boolean }> {
    const { request: stored, added } = await this.requests.add(backlogRequestOf(item, requestedBy, this.clock(), notify));
    return { request: stored, queued: added };
  }

  /** One request, or null. */
  get(requestId: string): Promise<BacklogRequest | null> {
    return this.requests.get(requestId);
  }

  /** Requests, newest first. */
  list(opts: { skip?: number; limit?: number } = {}): Promise<BacklogRequest[]> {
    return this.requests.list(opts);
  }

  /** Tries every due request once; each is claimed atomically, so two workers never send the same one at once. */
  async deliverDue(now: Date = this.clock()): Promise<BacklogDeliveryReport> {
    const report: BacklogDeliveryReport = { created: [], retrying: [], failed: [] };
    for (const id of await this.requests.dueIds(now, this.o.batchSize ?? 20)) {
      const outcome = await this.deliverOne(id, now);
      if (outcome) report[outcome].push(id);
    }
    return report;
  }

  /** Claims, sends and records one request; null when another pass claimed it first. */
  private async deliverOne(requestId: string, now: Date): Promise<keyof BacklogDeliveryReport | null> {
    const claimed = await this.requests.claim(requestId, now, new Date(now.getTime() + (this.o.claimMs ?? 120_000)));
    if (!claimed) return null;
    let result: CreatedBacklogItem;
    try {
      result = await this.o.port.create(claimed.item);
    } catch (err) {
      return this.recordFailure(claimed, asBacklogError(err), now);
    }
    const done = await this.requests.created(requestId, result, now);
    this.log.info({ requestId, externalId: result.externalId, attempts: claimed.attempts, backlog: this.o.port.kind }, 'backlog item made');
    if (done) await this.runHook('onCreated', () => this.o.onCreated?.(done));
    return 'created';
  }

  private async recordFailure(claimed: BacklogRequest, error: BacklogUnavailable | BacklogRefused, now: Date): Promise<'retrying' | 'failed'> {
    const final = error instanceof BacklogRefused;
    const wait = final ? 0 : Math.max(backlogBackoffMs(claimed.attempts), error.retryAfterMs ?? 0);
    const nextAttemptAt = new Date(now.getTime() + wait);
    await this.requests.failed(claimed._id, { lastError: error.message, nextAttemptAt, final }, now);
    this.log.warn(
      { requestId: claimed._id, attempts: claimed.attempts, code: error.code, err: error, nextAttemptAt: final ? null : nextAttemptAt },
      final ? 'backlog refused the item; not retrying' : 'backlog unavailable; will retry',
    );
    const first = await this.requests.markFailureTold(claimed._id);
    if (first && this.o.onFirstFailure) {
      const told = await this.runHook('onFirstFailure', () => this.o.onFirstFailure?.(first, error));
      // Not told: let the next failure try again rather than stay silent.
      if (!told) await this.requests.unmarkFailureTold(claimed._id);
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
