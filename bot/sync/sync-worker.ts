import type { Logger } from '../logger.js';
import type { AuthorDirectory } from '../domain/note-author.js';
import type { LgdPage, LgdPort, ListIncidentsQuery } from '../lgd/lgd-port.js';
import type { LgdIncident, LgdNote } from '../lgd/lgd-types.js';
import { LgdAuthFailed, LgdBadResponse, LgdRefused, LgdUnavailable } from '../lgd/client/lgd-errors.js';
import { RELAXED_WRITE } from '../store/doc-collection.js';
import { REFERENCE_PARTS, type ReferenceRepository } from '../store/reference-repository.js';
import type { DegradedPart, StatusRepository } from '../store/status-repository.js';
import type { SyncStateDoc, SyncStateRepository } from '../store/sync-state-repository.js';
import type { JournalDrain } from '../store/journal-drain.js';
import type { TicketChange, TicketRepository } from '../store/ticket-repository.js';
import type { LgdRead, Ticket } from '../domain/ticket.js';
import { limiter } from './limiter.js';
import { readAhead } from './read-ahead.js';

/** What one sync pass did. */
export interface SyncReport {
  full: boolean;
  fetched: number;
  created: number;
  changed: number;
  notesAdded: number;
  leftGroup: number;
  ms: number;
}

export interface SyncWorkerDeps {
  lgd: LgdPort;
  tickets: TicketRepository;
  reference: ReferenceRepository;
  state: SyncStateRepository;
  groups: readonly string[];
  resolvedStatuses: readonly string[];
  /** The note authors the sync knows now (analysts, the service account, the team), read once per pass. */
  authors: () => Promise<AuthorDirectory>;
  /** How far back each poll looks before its cursor (covers the hour the clocks go back). */
  overlapMs: number;
  /** How often reference data is refreshed. */
  referenceEveryMs?: number;
  /** How soon a reference list LGD refused is asked again (default 5 minutes). */
  referenceRetryMs?: number;
  /** Where degraded parts (a refused reference list, a missing time-zone switch) are kept for /healthz. */
  status?: StatusRepository;
  /** Tickets checked per membership query. */
  membershipBatch?: number;
  /** Notes requests in flight at once while a pass reads the notes of changed open tickets (default 4). */
  notesConcurrency?: number;
  /**
   * The worker's journal drain (the pass runs under its lease): run after each stored batch but the
   * last, while LGD answers for the next, so that a first sync's events are not all moved after it.
   */
  journal?: Pick<JournalDrain, 'drain'>;
  logger: Logger;
  clock?: () => Date;
}

/** One ticket's notes as read (or why not), settled into a value. */
type NotesRead = { ok: true; key: string; notes: LgdNote[]; notesReadAt: Date } | { ok: false; err: unknown };

/** A batch of listed incidents, with what storing it needs (see SyncWorker.listedBatches). */
interface ListedBatch {
  chunk: LgdIncident[];
  /** The stored tickets among them, as read before their notes were. */
  known: Map<string, Ticket>;
  notesOf: Map<string, { notes: LgdNote[]; notesReadAt: Date }>;
  /** The total the first page gave, if any. */
  total: number | null;
  last: boolean;
}

const maxDate = (a: Date | null, b: Date): Date => (a && a.getTime() >= b.getTime() ? a : b);

/** Incidents stored at a time (see SyncWorker.listedBatches). */
const BATCH = 500;
/**
 * A tail of the list shorter than this is stored with the batch before it: a batch costs a few
 * commits whatever its size (its announcement, its tickets, and their events when drained).
 */
const TAIL = BATCH / 4;

/**
 * True for an error in which LGD answered about one request (404, class not found, an error page,
 * an answer of the wrong shape): one reference list is affected, not the whole sync. No answer at
 * all, or a refused log-on, is LGD as a whole and fails the pass.
 */
function isAnsweredRefusal(err: unknown): err is LgdRefused | LgdBadResponse | LgdUnavailable {
  if (err instanceof LgdAuthFailed) return false;
  if (err instanceof LgdRefused || err instanceof LgdBadResponse) return true;
  return err instanceof LgdUnavailable && err.lgdAnswer !== undefined;
}

/**
 * One pass of the sync: reference data, the group's tickets changed since the cursor (paged to
 * the end by the client), their notes, notes added since the notes cursor, and the known open
 * tickets that no longer match the group filter. Upserts are idempotent by LGD key, so a pass
 * that dies half-way is simply repeated: the cursor moves only after a pass completes.
 *
 * What a pass writes is LGD's and can be fetched again, so it is written relaxed (RELAXED_WRITE:
 * no fsync of its own on the embedded store) but for the cursor's save at the end, a full write
 * that makes the whole pass durable: a power cut before it loses the pass's last writes and the
 * cursor with them, and the next pass fetches them again. (A ticket write that settles a person's
 * outbox entry is committed in full whatever it is asked: see TicketRepository.commit.)
 */
export class SyncWorker {
  private readonly clock: () => Date;
  private referenceRequested = false;
  /** Reference lists failing now, by part, so that a repeat is not logged again. */
  private readonly failingLists = new Map<string, string>();

  constructor(private readonly d: SyncWorkerDeps) {
    this.clock = d.clock ?? (() => new Date());
  }

  /** Makes the next pass refresh the reference lists whatever their age. */
  requestReferenceRefresh(): void {
    this.referenceRequested = true;
  }

  async syncOnce(): Promise<SyncReport> {
    try {
      return await this.pass();
    } finally {
      // Whatever the pass's fate, the session it logged on with may lack something optional.
      await this.reportSession();
    }
  }

  private async pass(): Promise<SyncReport> {
    const started = Date.now();
    const log = this.d.logger;
    const found = await this.d.state.get();
    // A document written only with first-sync progress lacks the other fields: read them as unset.
    const st: SyncStateDoc = {
      _id: 'lgd',
      cursor: found?.cursor ?? null,
      notesCursor: found?.notesCursor ?? null,
      referenceAt: found?.referenceAt ?? null,
      referenceTriedAt: found?.referenceTriedAt ?? null,
      lastRunAt: found?.lastRunAt ?? null,
      tickets: found?.tickets ?? 0,
    };
    const now = this.clock();
    const every = this.d.referenceEveryMs ?? 3_600_000;
    const retry = Math.min(every, this.d.referenceRetryMs ?? 300_000);
    const stale = !st.referenceAt || now.getTime() - st.referenceAt.getTime() > every;
    const triedLately = st.referenceTriedAt != null && now.getTime() - st.referenceTriedAt.getTime() < retry;
    const full = st.cursor === null;
    const first = full && st.lastRunAt === null;
    // A first sync that failed and is tried again keeps the time it began (health says "since").
    const firstStarted = found?.firstSync?.startedAt ?? now;
    if (first && !found?.firstSync) await this.firstSyncProgress(0, null, firstStarted);
    const since = st.cursor ? new Date(st.cursor.getTime() - this.d.overlapMs) : undefined;
    // When each read started (app clock): the stored view of a ticket never goes back to an older read.
    const readAt = this.clock();
    const report: SyncReport = { full, fetched: 0, created: 0, changed: 0, notesAdded: 0, leftGroup: 0, ms: 0 };
    let cursor = st.cursor;
    let notesCursor = st.notesCursor;
    // Every key this pass listed (lower case), with the LastUpdate read: a key LGD lists again on a later page keeps the newest.
    const seen = new Map<string, number>();
    let done = 0;
    // The list is stored a batch at a time as its pages arrive: a first sync of many thousand tickets
    // never holds them all. The next batch (its pages and the notes of its changed open tickets) is
    // read while one is stored: LGD answers while the app works, and neither waits for the other.
    // A full pass into a store without tickets (a first sync) need not look its listed keys up (see listedBatches).
    const storeEmpty = full && (await this.d.tickets.count()) === 0;
    const batches = readAhead(this.listedBatches(since, seen, first, firstStarted, storeEmpty), (err) =>
      log.warn({ err }, 'the LGD batch read ahead failed after the pass had already stopped'),
    );
    // The list's first batch is read while the reference lists are refreshed; nothing of it is stored before them.
    // Settled into a value at once: a list read that fails while the reference lists are refreshed is no unhandled rejection.
    const firstBatch = batches.next().then(
      (r) => ({ ok: true as const, r }),
      (err: unknown) => ({ ok: false as const, err }),
    );
    let authors: AuthorDirectory;
    try {
      if (this.referenceRequested || (stale && !triedLately)) {
        this.referenceRequested = false;
        st.referenceTriedAt = now;
        if (await this.refreshReference(now)) st.referenceAt = now;
      }
      // Notes are classified by author as they come in (see TicketRepository.applyLgd).
      authors = await this.d.authors();
    } catch (err) {
      // The pass fails: the list's read is let finish (its own failure only logged) and closed.
      const got = await firstBatch;
      if (got.ok) await batches.return(undefined);
      else log.warn({ err: got.err }, 'the LGD list read failed too, after the pass had already failed');
      throw err;
    }
    const storeListed = async (b: ListedBatch): Promise<void> => {
      if (b.chunk.length === 0) return;
      const got = await this.storeBatch(b, readAt, authors);
      if (got.cursor) cursor = maxDate(cursor, got.cursor);
      if (got.notesCursor) notesCursor = maxDate(notesCursor, got.notesCursor);
      for (const c of got.changes) this.record(c, report);
      done += b.chunk.length;
      const of = b.total !== null && b.total >= done ? b.total : null;
      if (full && !b.last) log.info({ done, of }, `sync progress: ${done}/${of ?? '?'}`);
      if (first && !b.last) await this.firstSyncProgress(done, of, firstStarted);
      // Not when only the last batch is still to come (by the first page's total): the drain after the
      // pass moves both at once, with one counter, one insert of events and one settle instead of two.
      if (!b.last && (of === null || of - done > BATCH + TAIL)) await this.drainJournals();
    };
    const head = await firstBatch;
    if (!head.ok) throw head.err;
    if (!head.r.done) {
      try {
        await storeListed(head.r.value);
      } catch (err) {
        await batches.return(undefined);
        throw err;
      }
      for await (const b of batches) await storeListed(b);
    }
    report.fetched = seen.size;

    if (!full && st.notesCursor) {
      const noteSince = new Date(st.notesCursor.getTime() - this.d.overlapMs);
      const notes = await this.d.lgd.listNotes({ createdSince: noteSince });
      const byTicket = new Map<string, LgdNote[]>();
      for (const n of notes) {
        notesCursor = maxDate(notesCursor, n.createdAt);
        byTicket.set(n.incidentKey, [...(byTicket.get(n.incidentKey) ?? []), n]);
      }
      for (const [key, list] of byTicket) {
        const change = await this.d.tickets.applyNotes(key, list, authors, RELAXED_WRITE);
        if (change) {
          report.notesAdded += list.length;
          this.record(change, report);
        }
      }
    }
    notesCursor = notesCursor ?? cursor;

    report.leftGroup = await this.checkMembership(seen, report, authors);

    await this.d.state.save({
      cursor,
      notesCursor,
      referenceAt: st.referenceAt,
      referenceTriedAt: st.referenceTriedAt,
      lastRunAt: now,
      tickets: await this.d.tickets.count(),
      firstSync: null,
    });
    report.ms = Date.now() - started;
    log[report.created + report.changed > 0 || full ? 'info' : 'debug'](report, 'sync pass done');
    return report;
  }

  /**
   * The group's incidents changed since `since`, in batches of 500 (sorted by number; a short tail,
   * by the first page's total, joins the batch before it), each with what storing it needs from LGD
   * and the store: the stored tickets among them and the notes of the changed open ones, asked for
   * as each page arrives (a few at a time), so that LGD works on them while the next page is read
   * and while the app stores the batch before. `seen` gets every key listed, with the newest
   * LastUpdate read. The first page's total is logged and recorded as first-sync progress.
   */
  private async *listedBatches(
    since: Date | undefined,
    seen: Map<string, number>,
    first: boolean,
    firstStarted: Date,
    storeEmpty: boolean,
  ): AsyncGenerator<ListedBatch> {
    const gate = limiter(this.d.notesConcurrency ?? 4);
    let batch = new Map<string, LgdIncident>();
    let known = new Map<string, Ticket>();
    // Settled into values: a notes read that fails while a page is read is no unhandled rejection.
    let notes: Promise<NotesRead>[] = [];
    let total: number | null = null;
    // Incidents listed so far (the first page's total less this is what is still to come).
    let listed = 0;
    // The next page is read while a page is taken in (one page ahead).
    const pages = readAhead(this.incidentPages({ groups: this.d.groups, changedSince: since }), (err) =>
      this.d.logger.warn({ err }, 'the LGD page read ahead failed after the pass had already stopped'),
    );
    const complete = async (last: boolean): Promise<ListedBatch> => {
      const chunk = [...batch.values()].sort((x, y) => x.id - y.id);
      const read = await Promise.all(notes);
      notes = [];
      const failed = read.find((r) => !r.ok);
      if (failed && !failed.ok) throw failed.err;
      const notesOf = new Map(read.flatMap((r) => (r.ok ? [[r.key, { notes: r.notes, notesReadAt: r.notesReadAt }] as const] : [])));
      const out: ListedBatch = { chunk, known, notesOf, total, last };
      batch = new Map();
      known = new Map();
      return out;
    };
    try {
      let firstPage = true;
      for await (const page of pages) {
        if (firstPage) {
          firstPage = false;
          total = page.total;
          if (since === undefined) this.d.logger.info({ tickets: total }, `first sync: ${total ?? 'an unknown number of'} tickets in ${this.d.groups.join(', ')}`);
          if (first) await this.firstSyncProgress(0, total, firstStarted);
        }
        const taken: LgdIncident[] = [];
        // The keys whose stored tickets are read. A pass that began with no ticket stored reads only those
        // it lists a second time (an earlier batch of it may have stored them): no other can be stored,
        // and an insert that meets one all the same (stored meanwhile) applies its batch as changes (insertNew).
        const lookUp: string[] = [];
        listed += page.items.length;
        for (const inc of page.items) {
          const id = inc.key.toLowerCase();
          const at = inc.lastUpdate.getTime();
          const prior = seen.get(id);
          if (prior !== undefined && prior >= at) continue;
          seen.set(id, at);
          batch.set(id, inc);
          taken.push(inc);
          if (!storeEmpty || prior !== undefined) lookUp.push(inc.key);
        }
        if (taken.length > 0) {
          if (lookUp.length > 0) for (const [key, t] of await this.d.tickets.getMany(lookUp)) known.set(key, t);
          for (const inc of taken) {
            if (this.isResolved(inc) || known.get(inc.key)?.lgd.lastUpdate.getTime() === inc.lastUpdate.getTime()) continue;
            notes.push(
              gate(async () => {
                const notesReadAt = this.clock();
                return { ok: true as const, key: inc.key, notes: await this.d.lgd.listNotes({ incidentKey: inc.key }), notesReadAt };
              }).catch((err: unknown) => ({ ok: false as const, err })),
            );
          }
        }
        const tail = total !== null && total - listed <= TAIL;
        if (batch.size >= (tail ? BATCH + TAIL : BATCH)) yield await complete(false);
      }
      if (firstPage && first) await this.firstSyncProgress(0, 0, firstStarted);
      if (batch.size > 0) yield await complete(true);
    } finally {
      // A pass that stops early lets the notes reads it started finish (their failures were its own), and starts no more.
      if (notes.length > 0) {
        const dropped = (await Promise.all(notes)).filter((r) => !r.ok).length;
        if (dropped > 0) this.d.logger.warn({ dropped }, 'notes reads failed after the pass had already stopped');
      }
    }
  }

  /** The group's incidents page by page, from a port that pages, else as one page. */
  private async *incidentPages(query: ListIncidentsQuery): AsyncGenerator<LgdPage<LgdIncident>> {
    if (this.d.lgd.listIncidentPages) {
      yield* this.d.lgd.listIncidentPages(query);
      return;
    }
    const items = await this.d.lgd.listIncidents(query);
    yield { items, total: items.length };
  }

  /**
   * Stores one batch of listed incidents: the notes of its changed open tickets (read a few at a
   * time), the changes to known tickets, and the new tickets with the events that announce them in
   * one write. Returns the changes and the newest LastUpdate and note time it saw.
   */
  private async storeBatch(
    { chunk, known, notesOf }: ListedBatch,
    readAt: Date,
    authors: AuthorDirectory,
  ): Promise<{ changes: TicketChange[]; cursor: Date | null; notesCursor: Date | null }> {
    let cursor: Date | null = null;
    let notesCursor: Date | null = null;
    const changes: TicketChange[] = [];
    const fresh: { inc: LgdIncident; notes: LgdNote[]; read: LgdRead }[] = [];
    for (const inc of chunk) {
      cursor = maxDate(cursor, inc.lastUpdate);
      const stored = known.get(inc.key);
      if (stored && stored.lgd.lastUpdate.getTime() === inc.lastUpdate.getTime()) {
        // LastUpdate is minute- or second-grained: a second change within the same minute keeps
        // the string, so the fields are still applied (no write when they are equal), notes not.
        changes.push(await this.d.tickets.applyLgd(inc, [], { readAt, authors }, RELAXED_WRITE));
        continue;
      }
      const got = notesOf.get(inc.key);
      const notes: LgdNote[] = got?.notes ?? [];
      const notesReadAt: Date | null = got?.notesReadAt ?? null;
      for (const n of notes) notesCursor = maxDate(notesCursor, n.createdAt);
      const read: LgdRead = { readAt, notesReadAt, authors };
      if (stored) changes.push(await this.d.tickets.applyLgd(inc, notes, read, RELAXED_WRITE));
      else fresh.push({ inc, notes, read });
    }
    // Each new ticket is stored with the event that announces it (in its journal): one write for the batch.
    changes.push(...(await this.d.tickets.insertNew(fresh, RELAXED_WRITE)));
    return { changes, cursor, notesCursor };
  }

  private isResolved(inc: LgdIncident): boolean {
    return this.d.resolvedStatuses.some((s) => s.toLowerCase() === inc.status.toLowerCase());
  }

  /** Drains what the pass committed so far; a failure only logs (the worker drains again after the pass, idempotently). */
  private async drainJournals(): Promise<void> {
    if (!this.d.journal) return;
    try {
      await this.d.journal.drain();
    } catch (err) {
      this.d.logger.warn({ err }, 'could not drain the journals during the sync pass; the worker drains them after it');
    }
  }

  /** Records how far the first pass is, where every instance's /healthz and /api/tickets can read it. */
  private async firstSyncProgress(done: number, of: number | null, startedAt: Date): Promise<void> {
    await this.d.state.recordFirstSync({ done, of, startedAt });
  }

  /**
   * Refreshes each reference list on its own: a list LGD refuses (404, a class the account may not
   * list, an error page) keeps its last copy and is named on /healthz, and the tickets sync on.
   * LGD not answering at all fails the pass as before. True when every list was refreshed.
   */
  private async refreshReference(now: Date): Promise<boolean> {
    const r = this.d.reference;
    const lgd = this.d.lgd;
    const failed = (
      await Promise.all([
        this.refreshList(REFERENCE_PARTS.groups, 'support groups', () => lgd.listSupportGroups(), (x) => r.replaceGroups(x, now)),
        this.refreshList(REFERENCE_PARTS.analysts, 'analysts', () => lgd.listAnalysts(), (x) => r.replaceAnalysts(x, now)),
        this.refreshList(REFERENCE_PARTS.categories, 'resolution categories', () => lgd.listResolutionCategories(), (x) => r.replaceCategories(x, now)),
      ])
    ).filter((x) => x !== null);
    await this.d.status?.report('reference', failed);
    return failed.length === 0;
  }

  /** One reference list: saved when LGD gives it, else its problem (the kept copy stays); throws when LGD is not answering at all. */
  private async refreshList<T>(part: string, what: string, load: () => Promise<T[]>, save: (items: T[]) => Promise<number>): Promise<Omit<DegradedPart, 'since'> | null> {
    let items: T[];
    try {
      items = await load();
    } catch (err) {
      if (!isAnsweredRefusal(err)) throw err;
      const message =
        err.lgdAnswer === undefined
          ? `${err.userMessage} The last copy of the ${what} is kept and the tickets sync on.`
          : `LGD answered ${err.lgdAnswer} to the list of ${what}; the last copy is kept and the tickets sync on.`;
      if (this.failingLists.get(part) !== message) {
        this.d.logger.warn({ err, part }, `LGD refused the list of ${what}; the last copy is kept and the tickets sync on`);
      }
      this.failingLists.set(part, message);
      return { part, code: err.code, message, ...(err.lgdAnswer === undefined ? {} : { lgdAnswer: err.lgdAnswer }) };
    }
    const count = await save(items);
    if (this.failingLists.delete(part)) this.d.logger.info({ part, count }, `LGD gives the ${what} again`);
    this.d.logger.debug({ part, count }, 'reference list refreshed');
    return null;
  }

  /** Reports what the LGD session lacks (e.g. a time-zone switch); a store problem here only logs. */
  private async reportSession(): Promise<void> {
    if (!this.d.status || !this.d.lgd.degradations) return;
    try {
      await this.d.status.report('lgd-session', this.d.lgd.degradations());
    } catch (err) {
      this.d.logger.warn({ err }, 'could not record the LGD session status; it is tried again next pass');
    }
  }

  /** Re-reads the known open tickets this pass did not see: those that left the group or were resolved. */
  private async checkMembership(seen: ReadonlyMap<string, number>, report: SyncReport, authors: AuthorDirectory): Promise<number> {
    const missing = (await this.d.tickets.openInGroup()).filter((t) => !seen.has(t.key.toLowerCase()));
    let left = 0;
    const batch = this.d.membershipBatch ?? 50;
    for (let i = 0; i < missing.length; i += batch) {
      const slice = missing.slice(i, i + batch);
      const listedAt = this.clock();
      const found = await this.d.lgd.listIncidents({ ids: slice.map((t) => t.id) });
      const byKey = new Map(found.map((f) => [f.key, f]));
      for (const t of slice) {
        const listed = byKey.get(t.key);
        const readAt = listed ? listedAt : this.clock();
        const inc = listed ?? (await this.d.lgd.openIncident(t.key));
        const change = await this.d.tickets.applyLgd(inc, [], { readAt, authors }, RELAXED_WRITE);
        if (change.after === 'reassigned' && change.before !== 'reassigned') left++;
        this.record(change, report);
      }
    }
    return left;
  }

  /** Counts a change; its event was committed with the ticket (TicketRepository journals it). */
  private record(c: TicketChange, report: SyncReport): void {
    if (!c.changed) return;
    if (c.created) report.created++;
    else report.changed++;
  }
}
