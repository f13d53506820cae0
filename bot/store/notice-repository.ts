import type { DocCollection, Store } from './doc-collection.js';
import { claimDue, releaseClaims, type DueWork } from './claim-due.js';
import { COLLECTIONS } from './collections.js';
import { isDuplicateKeyError } from './duplicate-key.js';

/** Who is told: a person in Teams. */
export interface NoticeRecipient {
  name: string;
  aadObjectId?: string;
  teamsUserId: string;
}

/** What they are told: the fields of a message card, as plain text (the card builder escapes them). */
export interface NoticeMessage {
  title: string;
  text: string;
  kind: 'info' | 'warning' | 'error';
  facts?: { title: string; value: string }[];
  actions?: { title: string; url: string }[];
}

/**
 * A message owed to a person (collection `person_notices`): kept until Teams took it, retried with
 * backoff, or recorded as unreachable (app not installed for them, or blocked) and not retried.
 */
export interface PersonNotice {
  /** Idempotency key, e.g. `refusal:<outbox entry id>`: the same notice is queued once. */
  _id: string;
  to: NoticeRecipient;
  message: NoticeMessage;
  /** Why they are told, in a few words, for the log and the audit trail. */
  about: string;
  ticketKey: string | null;
  ticketNumber: number | null;
  status: 'pending' | 'sent' | 'unreachable';
  attempts: number;
  /** When the next attempt is due; while an attempt runs, the end of its claim. */
  nextAttemptAt: Date;
  lastError: string | null;
  /** The end of the claim of the attempt under way; null or absent when none is. */
  claimedUntil?: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Once told of a refused LGD write: the outbox entry to mark `refusalNotified`. */
  refusal?: { ticketKey: string; entryId: string };
  /** Whom to tell instead when this person cannot be reached. */
  fallback?: { id: string; to: NoticeRecipient; message: NoticeMessage; about: string };
  /** A card with actions (built, escaped, by a card builder) sent instead of `message`'s card; `message` still names it in the log. */
  card?: Record<string, unknown>;
}

/** What a caller queues. */
export type NewNotice = Pick<PersonNotice, '_id' | 'to' | 'message' | 'about' | 'refusal' | 'fallback' | 'card'> & { ticketKey?: string | null; ticketNumber?: number | null };

/** A new notice as stored: due at once. */
function noticeOf(n: NewNotice, now: Date): PersonNotice {
  return {
    _id: n._id,
    to: n.to,
    message: n.message,
    about: n.about,
    ticketKey: n.ticketKey ?? null,
    ticketNumber: n.ticketNumber ?? null,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    createdAt: now,
    updatedAt: now,
    ...(n.refusal ? { refusal: n.refusal } : {}),
    ...(n.fallback ? { fallback: n.fallback } : {}),
    ...(n.card ? { card: n.card } : {}),
  };
}

/** The messages owed to people, in the store, so that none is lost to a failed send or a restart. */
export class NoticeRepository {
  private readonly col: DocCollection<PersonNotice>;

  constructor(
    store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.col = store.collection<PersonNotice>(COLLECTIONS.personNotices);
  }

  async init(): Promise<void> {
    await this.col.createIndex({ status: 1, nextAttemptAt: 1 });
  }

  /** Queues a notice; one with the same id already queued (or sent) is kept, and `queued` is false. */
  async enqueue(n: NewNotice): Promise<{ notice: PersonNotice; queued: boolean }> {
    const notice = noticeOf(n, this.clock());
    try {
      await this.col.insertOne(notice);
      return { notice, queued: true };
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const existing = await this.col.findOne({ _id: n._id });
      if (!existing) throw err;
      return { notice: existing, queued: false };
    }
  }

  /** Queues notices journaled with a ticket at `at`, each once (a notice with the same id is kept as it is); how many were added. */
  async addJournaled(notices: readonly { notice: NewNotice; at: Date }[]): Promise<number> {
    if (notices.length === 0) return 0;
    const known = new Set((await this.col.find({ _id: { $in: notices.map((n) => n.notice._id) } }, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
    const fresh = new Map<string, PersonNotice>();
    for (const { notice, at } of notices) if (!known.has(notice._id) && !fresh.has(notice._id)) fresh.set(notice._id, noticeOf(notice, at));
    if (fresh.size > 0) await this.col.insertMany([...fresh.values()]);
    return fresh.size;
  }

  get(id: string): Promise<PersonNotice | null> {
    return this.col.findOne({ _id: id });
  }

  /** Notices in a status, oldest first. */
  list(status?: PersonNotice['status'], limit = 100): Promise<PersonNotice[]> {
    return this.col.find(status ? { status } : {}, { sort: { createdAt: 1, _id: 1 }, limit }).toArray();
  }

  /** Claims up to `limit` due notices for `claimMs`, each atomically: two workers never send the same one at once. */
  async claimDue(now: Date, claimMs: number, limit: number): Promise<PersonNotice[]> {
    return claimDue(this.col, now, claimMs, limit);
  }

  /** Frees the claims of a process proven gone (see releaseClaims): due at once; how many. */
  releaseAbandonedClaims(now: Date = this.clock()): Promise<number> {
    return releaseClaims(this.col as unknown as DocCollection<DueWork>, now);
  }

  /** Teams took it. */
  async markSent(id: string): Promise<void> {
    await this.col.updateOne({ _id: id, status: 'pending' }, { $set: { status: 'sent', lastError: null, claimedUntil: null, updatedAt: this.clock() } });
  }

  /** The person cannot be reached in Teams: recorded, not retried. */
  async markUnreachable(id: string, reason: string): Promise<void> {
    await this.col.updateOne({ _id: id, status: 'pending' }, { $set: { status: 'unreachable', lastError: reason, claimedUntil: null, updatedAt: this.clock() } });
  }

  /** The send failed: try again at `at`. */
  async retryAt(id: string, at: Date, error: string): Promise<void> {
    await this.col.updateOne({ _id: id, status: 'pending' }, { $set: { nextAttemptAt: at, lastError: error, claimedUntil: null, updatedAt: this.clock() } });
  }
}
