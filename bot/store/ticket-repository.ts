import { randomUUID } from 'node:crypto';
import type { Filter } from 'mongodb';
import type { LgdIncident, LgdNote } from '../lgd/lgd-types.js';
import type { ProcessState } from '../domain/process-state.js';
import { isSettling } from '../domain/outbox.js';
import { lastUserUpdate, stateSince } from '../domain/ticket-times.js';
import { derive, mergeNotes, newTicket, storedNotes, type LgdRead, type Ticket, type TicketRules } from '../domain/ticket.js';
import type { AuthorDirectory } from '../domain/note-author.js';
import { StoreError } from '../errors.js';
import { isRelaxed, type DocCollection, type DocWriteOptions, type Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';
import { isDuplicateKeyError } from './duplicate-key.js';
import type { TicketEvent } from './event-log.js';
import { journalEntries, type AuditDraft, type JournalEntry, type TicketRecords } from './ticket-journal.js';

/** What one LGD sync did to a ticket. */
export interface TicketChange {
  ticket: Ticket;
  created: boolean;
  before: ProcessState | null;
  after: ProcessState;
  /** False when LGD's view and the notes were already known (an idempotent repeat). */
  changed: boolean;
}

/**
 * A ticket as stored: with its journal, what its writes brought about that the worker has not yet
 * moved to the events, the audit trail and the queues (see ticket-journal.ts), and a flag that
 * finds the tickets that have one through an index.
 */
type StoredTicket = Ticket & { journal?: JournalEntry[]; journaled?: true; closedOn?: string };

/**
 * The entries announcing a batch of new tickets (their `ticket_new` event and the `user_updated`
 * it may carry), written in one document just before the tickets themselves, which are inserted
 * without a journal: the drain moves an entry once its ticket exists, so a new ticket is not
 * rewritten a second time only to clear its journal (half the store work of a first sync).
 */
interface AnnouncementDoc {
  _id: string;
  at: Date;
  tickets: AnnouncedTicket[];
  /** Set when a drain left tickets of it waiting: read apart, so that it never holds up newer announcements. */
  waiting?: true;
}

/**
 * A new ticket as its announcement holds it: what its entries are made of (see creationEntries),
 * a fifth of the entries' size; the entries are made again when the drain moves them, stamped with
 * the announcement's time, so that their ids and contents are those the ticket's own journal would
 * carry. An announcement written before this form holds the entries themselves.
 */
type AnnouncedTicket = { key: string; state: ProcessState; owner: string | null; heard?: Date } | { key: string; entries: JournalEntry[] };

/** How long an announcement waits for a ticket that does not exist (its insert failed or the process died before it): far beyond a pass. */
const ANNOUNCEMENT_GRACE_MS = 24 * 3_600_000;

/** What a drain takes from the announcements: the entries of tickets that exist, and what to do with each document read. */
export interface AnnouncementsRead {
  ready: { key: string; entries: JournalEntry[] }[];
  /** Per document read: its id, the tickets still waiting (none: it is deleted once the entries are moved), and whether that differs from what it holds. */
  docs: { id: string; waiting: AnnouncementDoc['tickets']; changed: boolean }[];
}

/** States the queue shows as open (every one of them), and as closed (recent ones only). */
const QUEUE_OPEN_STATES: readonly ProcessState[] = ['needs_triage', 'approved_unassigned', 'owned'];
const QUEUE_CLOSED_STATES: readonly ProcessState[] = ['project', 'resolved'];

/**
 * The UTC date a ticket reached a closed state the queue shows (project, resolved), stored beside
 * it and indexed, so "closed in the last days" is an indexed equality lookup (`$in` of dates) and
 * not a scan of every resolved ticket ever stored.
 */
const closedOnOf = (t: Pick<Ticket, 'state' | 'stateChangedAt' | 'firstSeenAt' | 'lgd'>): string | undefined =>
  QUEUE_CLOSED_STATES.includes(t.state) ? stateSince(t).toISOString().slice(0, 10) : undefined;

/** The journal entries a write adds, and the ones already waiting on the ticket it read. */
function withJournal(doc: Omit<StoredTicket, '_id'>, waiting: readonly JournalEntry[], added: readonly JournalEntry[]): Omit<StoredTicket, '_id'> {
  const { journal: _j, journaled: _f, closedOn: _c, ...rest } = doc;
  const journal = [...waiting, ...added];
  const closedOn = closedOnOf(rest);
  // Object.assign, not a literal led by a spread that adds keys: see derive (domain/ticket.ts).
  return Object.assign({}, rest, closedOn ? { closedOn } : {}, journal.length > 0 ? { journal, journaled: true as const } : {});
}

/** What a sync write to a known ticket announces: a change of process state seen in LGD (a new ticket's: see creationEntries). */
function syncEvents(c: { ticket: Ticket; before: ProcessState | null; after: ProcessState }): TicketEvent[] {
  if (c.before && c.before !== c.after) return [{ kind: 'state_changed', ticketKey: c.ticket._id, from: c.before, to: c.after, source: 'lgd' }];
  return [];
}

/**
 * The journal entries announcing a new ticket. Their ids are the ticket's own (a ticket is created
 * once): an announcement and a journal that both carry one (an insert of the batch that failed on
 * a ticket someone else had just created) put one event in the log.
 */
function creationEntries(change: TicketChange, at: Date): JournalEntry[] {
  return announcedEntries(announced(change.ticket), at);
}

/** A new ticket's announcement: its state and owner on arrival, and when its user last heard from the team (if ever). */
function announced(t: Ticket): AnnouncedTicket {
  const heard = lastUserUpdate(t);
  return { key: t._id, state: t.state, owner: t.owner?.key ?? null, ...(heard ? { heard } : {}) };
}

/** The journal entries a new ticket's announcement stands for: its `ticket_new` event, and the `user_updated` one when its user heard from the team. */
function announcedEntries(a: AnnouncedTicket, at: Date): JournalEntry[] {
  if ('entries' in a) return a.entries;
  const events: TicketEvent[] = [{ kind: 'ticket_new', ticketKey: a.key, state: a.state, owner: a.owner }];
  if (a.heard) events.push({ kind: 'user_updated', ticketKey: a.key, updatedAt: a.heard });
  return events.map((event): JournalEntry => ({ id: `${event.kind}@new:${a.key}`, at, kind: 'event', event }));
}

/**
 * What every write records whoever made it (a sync, a command, a delivery), so the event log holds
 * each ticket's history for the process's figures (insights): a change of the person on it, and
 * the user hearing from the team.
 */
function factEvents(before: Ticket, after: Ticket): TicketEvent[] {
  const events: TicketEvent[] = [];
  const from = before.owner?.key ?? null;
  const to = after.owner?.key ?? null;
  if (from !== to) events.push({ kind: 'owner_changed', ticketKey: after._id, from, to });
  const heardBefore = lastUserUpdate(before);
  const heard = lastUserUpdate(after);
  if (heard && (!heardBefore || heard > heardBefore)) events.push({ kind: 'user_updated', ticketKey: after._id, updatedAt: heard });
  return events;
}

/**
 * The team's tickets, keyed by LGD key; every write is conditional on the document's version and
 * is one atomic write: what it brings about (events, audit, queued work) rides in the ticket's
 * journal, so a ticket and the event that announces it are never committed apart.
 */
export class TicketRepository {
  private readonly col: DocCollection<StoredTicket>;
  private readonly announcements: DocCollection<AnnouncementDoc>;

  constructor(
    store: Store,
    private readonly rules: TicketRules,
    private readonly clock: () => Date = () => new Date(),
    private readonly newId: () => string = randomUUID,
  ) {
    this.col = store.collection<StoredTicket>(COLLECTIONS.tickets);
    this.announcements = store.collection<AnnouncementDoc>(COLLECTIONS.ticketAnnouncements);
  }

  /** Creates the indexes the queries use. */
  async init(): Promise<void> {
    await this.col.createIndex({ state: 1 });
    await this.col.createIndex({ 'lgd.id': 1 }, { unique: true });
    await this.col.createIndex({ journaled: 1 }, { sparse: true });
    await this.col.createIndex({ 'owner.key': 1 });
    await this.col.createIndex({ closedOn: 1 }, { sparse: true });
    // Tickets with outbox entries in a status (`withOutbox`, each delivery tick; `openInGroup`'s writes
    // not read back): a few among the whole history, found without reading every ticket.
    await this.col.createIndex({ 'outbox.status': 1 });
    // The list's newest-change order (`list`): read in index order, not sorted per request. The
    // state-first one serves a list filtered by state on MongoDB (the embedded store walks the first
    // and judges each ticket's state through the state index).
    await this.col.createIndex({ 'lgd.lastUpdate': -1, _id: 1 });
    await this.col.createIndex({ state: 1, 'lgd.lastUpdate': -1, _id: 1 });
  }

  get(key: string): Promise<Ticket | null> {
    return this.col.findOne({ _id: key });
  }

  getByNumber(id: number): Promise<Ticket | null> {
    return this.col.findOne({ 'lgd.id': id });
  }

  /** A page of tickets, most recently changed first. */
  list(opts: { states?: readonly ProcessState[]; skip?: number; limit?: number } = {}): Promise<Ticket[]> {
    return this.col
      .find(this.stateFilter(opts.states), { sort: { 'lgd.lastUpdate': -1, _id: 1 }, skip: opts.skip ?? 0, limit: opts.limit ?? 50 })
      .toArray();
  }

  count(states?: readonly ProcessState[]): Promise<number> {
    return this.col.countDocuments(this.stateFilter(states));
  }

  /**
   * The team's queue: every open ticket (needs triage, approved, owned), and the Project decisions
   * and resolved tickets closed (`stateSince`) on one of `closedOn` (UTC dates), at most `closedLimit`. Both reads are indexed (state; closing date), so stored history costs nothing.
   */
  async queue(closedOn: readonly string[], closedLimit: number): Promise<{ open: Ticket[]; closed: Ticket[] }> {
    const [open, closed] = await Promise.all([
      this.col.find({ state: { $in: [...QUEUE_OPEN_STATES] } }).toArray(),
      closedOn.length === 0 || closedLimit <= 0
        ? Promise.resolve([])
        : this.col.find({ closedOn: { $in: [...closedOn] }, state: { $in: [...QUEUE_CLOSED_STATES] } }, { sort: { closedOn: -1, _id: 1 }, limit: closedLimit }).toArray(),
    ]);
    return { open, closed };
  }

  /** The queue's tickets as `queue` finds them, only their keys, versions and states: what the tab's live feed compares every few seconds. */
  async queueMarks(closedOn: readonly string[], closedLimit: number): Promise<{ key: string; version: number; state: ProcessState }[]> {
    const projection = { _id: 1, version: 1, state: 1 };
    const [open, closed] = await Promise.all([
      this.col.find({ state: { $in: [...QUEUE_OPEN_STATES] } }, { projection }).toArray(),
      closedOn.length === 0 || closedLimit <= 0
        ? Promise.resolve([])
        : this.col.find({ closedOn: { $in: [...closedOn] }, state: { $in: [...QUEUE_CLOSED_STATES] } }, { projection, sort: { closedOn: -1, _id: 1 }, limit: closedLimit }).toArray(),
    ]);
    return [...open, ...closed].map((t) => ({ key: t._id, version: t.version, state: t.state }));
  }

  /** The tickets a person (analyst key) owns now, as the team sees them, oldest first. */
  ownedBy(analystKey: string): Promise<Ticket[]> {
    // The person's own tickets first (indexed): a few, where the owned ones of the whole team are many.
    return this.col.find({ 'owner.key': analystKey, state: 'owned' }, { sort: { 'lgd.createdAt': 1 } }).toArray();
  }

  /** Tickets whose outbox has entries in the given statuses. */
  withOutbox(statuses: readonly string[]): Promise<Ticket[]> {
    return this.col.find({ 'outbox.status': { $in: [...statuses] } }).toArray();
  }

  /** The stored tickets among these keys. */
  async getMany(keys: readonly string[]): Promise<Map<string, Ticket>> {
    const found = await this.col.find({ _id: { $in: [...keys] } }).toArray();
    return new Map(found.map((t) => [t._id, t]));
  }

  /**
   * Inserts tickets not seen before in one batch (a first sync brings thousands), announced by one
   * document written just before them (see AnnouncementDoc): two writes for the batch, and the
   * drain never rewrites the tickets. One that appeared meanwhile is applied as a change instead
   * (its announcement has the same entry ids: the event log keeps one). `write` is the writes'
   * durability: the sync's are relaxed (RELAXED_WRITE), everything in them is LGD's.
   */
  async insertNew(items: readonly { inc: LgdIncident; notes: readonly LgdNote[]; read?: LgdRead }[], write?: DocWriteOptions): Promise<TicketChange[]> {
    if (items.length === 0) return [];
    const now = this.clock();
    const fresh = items.map(({ inc, notes, read }) => newTicket(inc, [...notes], this.rules, now, read));
    const changes = fresh.map((t): TicketChange => ({ ticket: t, created: true, before: null, after: t.state, changed: true }));
    await this.announcements.insertOne({ _id: this.newId(), at: now, tickets: fresh.map(announced) }, write);
    try {
      await this.col.insertMany(changes.map((c) => this.stored(c.ticket, [])), write);
      return changes;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const out: TicketChange[] = [];
      for (const { inc, notes, read } of items) out.push(await this.applyLgd(inc, notes, read, { ...write }));
      return out;
    }
  }

  /**
   * Keys and numbers of the tickets the team still has open in its groups, and of those whose
   * delivered write the app has not read back yet (a reassignment away shows as reassigned at once,
   * but only a read of LGD settles it: the group's listing no longer finds it once LGD has it).
   */
  async openInGroup(): Promise<{ key: string; id: number }[]> {
    const notReadBack = { outbox: { $elemMatch: { status: 'delivered', settledAt: null } } };
    const open = await this.col
      .find({ $or: [{ state: { $nin: ['resolved', 'reassigned'] } }, notReadBack], 'lgd.status': { $nin: [...this.rules.resolvedStatuses] } }, {
        projection: { _id: 1, 'lgd.id': 1 },
      })
      .toArray();
    return open.map((t) => ({ key: t._id, id: t.lgd.id }));
  }

  /**
   * Applies LGD's view of a ticket, read at `read.readAt`, and any notes read with it. Idempotent:
   * the same incident and notes twice change nothing the second time. A view read before the one
   * stored (a sync pass that listed the ticket before the deliverer wrote and re-read it) never
   * replaces it: the stored view only moves forward, so a confirmed write cannot be undone by a
   * stale read. Notes are only ever added. `opts.writeConcern` is the write's durability: the sync's
   * are relaxed (RELAXED_WRITE), but for a write that settles an outbox entry (see commit).
   */
  async applyLgd(inc: LgdIncident, notes: readonly LgdNote[] = [], read: LgdRead = {}, opts: { announce?: boolean } & DocWriteOptions = {}): Promise<TicketChange> {
    const announce = opts.announce ?? true;
    for (let attempt = 0; attempt < 20; attempt++) {
      const now = this.clock();
      const readAt = read.readAt ?? now;
      const current = await this.get(inc.key);
      if (!current) {
        const fresh = newTicket(inc, [...notes], this.rules, now, { ...read, readAt });
        const change: TicketChange = { ticket: fresh, created: true, before: null, after: fresh.state, changed: true };
        try {
          await this.col.insertOne(this.created(change, now), writeOptions(opts));
          return change;
        } catch (err) {
          if (isDuplicateKeyError(err) && (await this.get(inc.key))) continue;
          throw err;
        }
      }
      const { key: _key, ...incoming } = inc;
      const stale = !!current.lgdReadAt && readAt.getTime() < current.lgdReadAt.getTime();
      const lgd = stale ? current.lgd : incoming;
      const lgdReadAt = stale ? current.lgdReadAt : readAt;
      const mergedNotes = mergeNotes(current.notes, storedNotes(notes, lgd.raiseUser, read.authors));
      const notesReadAt = newer(current.notesReadAt ?? null, read.notesReadAt ?? null);
      const same = sameLgd(current.lgd, lgd) && mergedNotes.length === current.notes.length;
      const unchanged: TicketChange = { ticket: current, created: false, before: current.state, after: current.state, changed: false };
      // Nothing new, unless a delivered write waits for a read made after it to settle.
      if (same && !current.outbox.some(isSettling)) return unchanged;
      const next = derive({ ...current, lgd, notes: mergedNotes, lgdReadAt, notesReadAt, syncedAt: same ? current.syncedAt : now }, this.rules, now);
      const settled = next.outbox.some((e, i) => !!e.settledAt !== !!current.outbox[i]?.settledAt);
      if (same && !settled && next.state === current.state) return unchanged;
      const change: TicketChange = { ticket: next, created: false, before: current.state, after: next.state, changed: !same || next.state !== current.state };
      if (await this.commit(current, next, announce ? { events: syncEvents(change) } : undefined, writeOptions(opts))) return change;
    }
    throw new StoreError(`ticket ${inc.key} kept changing while it was being synced`);
  }

  /** Adds notes found by the notes poll to a known ticket; unknown tickets and known notes change nothing. `write`: as applyLgd's. */
  async applyNotes(key: string, notes: readonly LgdNote[], authors?: AuthorDirectory, write?: DocWriteOptions): Promise<TicketChange | null> {
    const res = await this.mutate(
      key,
      (t, now) => {
        const merged = mergeNotes(t.notes, storedNotes(notes, t.lgd.raiseUser, authors));
        return merged.length === t.notes.length ? null : { ...t, notes: merged, syncedAt: now };
      },
      (before, after) => ({ events: syncEvents({ ticket: after, before: before.state, after: after.state }) }),
      undefined,
      write,
    );
    return res && { ticket: res.after, created: false, before: res.before.state, after: res.after.state, changed: true };
  }

  /**
   * Read-modify-write with optimistic concurrency: `fn` gets the current ticket and returns the
   * next one (or null to leave it); retried when someone else wrote in between. `records` says
   * what the change brings about (from the ticket before and after it): it is committed with the
   * ticket in the same write.
   */
  async mutate(
    key: string,
    fn: (t: Ticket, now: Date) => Ticket | null,
    records?: (before: Ticket, after: Ticket) => TicketRecords | Promise<TicketRecords>,
    /** The ticket as the caller just read it, tried first (the write is conditional on its version). */
    read?: Ticket,
    /** The write's durability (see commit); a person's change omits it. */
    write?: DocWriteOptions,
  ): Promise<{ before: Ticket; after: Ticket } | null> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const now = this.clock();
      const current = attempt === 0 && read?._id === key ? read : await this.get(key);
      if (!current) return null;
      const proposed = fn(current, now);
      if (!proposed) return null;
      const next = derive(proposed, this.rules, now);
      if (await this.commit(current, next, await records?.(current, next), write)) return { before: current, after: next };
    }
    throw new StoreError(`ticket ${key} kept changing while it was being updated`);
  }

  /**
   * Writes `next` in place of `current` if nobody wrote the ticket since `current` was read, with
   * `records` in its journal: one atomic write (one durable commit on the embedded store, one
   * round trip on MongoDB). False when the ticket changed meanwhile (read it again and retry).
   *
   * `write` relaxed (RELAXED_WRITE, the sync's LGD view) is taken only when the write leaves the
   * outbox as read: the person's part of the document it rewrites is then what a full write of
   * theirs committed before, which a lost relaxed write leaves in place. A write that settles an
   * outbox entry changes a person's part and is committed in full.
   */
  async commit(current: Ticket, next: Ticket, records?: TicketRecords, write?: DocWriteOptions): Promise<boolean> {
    const { _id, ...rest } = next;
    // The journal as read: entries are only ever added by a write that moves the version on, so a
    // write conditional on the version read keeps every entry (one already drained may come back,
    // and is drained again idempotently).
    const waiting = (current as StoredTicket).journal ?? [];
    const facts = factEvents(current, next);
    const all = facts.length > 0 ? { ...records, events: [...(records?.events ?? []), ...facts] } : records;
    const doc = withJournal({ ...rest, version: current.version + 1 }, waiting, journalEntries(all, this.clock(), this.newId));
    const res = await this.col.replaceOne({ _id, version: current.version }, doc, isRelaxed(write) && sameOutbox(current, next) ? write : undefined);
    if (res.matchedCount === 1) {
      next.version = current.version + 1;
      return true;
    }
    return false;
  }

  /**
   * Records what must happen about a ticket without changing it (a message owed to someone, a
   * card job, the audit record of the action that asked): one atomic write. False when there is no
   * such ticket.
   */
  async record(key: string, records: TicketRecords): Promise<boolean> {
    const entries = journalEntries(records, this.clock(), this.newId);
    if (entries.length === 0) return (await this.get(key)) !== null;
    // The version moves on, so a write that read the ticket before cannot drop these entries.
    const res = await this.col.updateOne({ _id: key }, { $push: { journal: { $each: entries } }, $set: { journaled: true }, $inc: { version: 1 } });
    return res.matchedCount === 1;
  }

  /** Tickets whose journal waits to be drained, with their entries in order. */
  async journals(limit: number): Promise<{ key: string; entries: JournalEntry[] }[]> {
    const found = await this.col.find({ journaled: true }, { projection: { _id: 1, journal: 1 }, limit }).toArray();
    return found.map((t) => ({ key: t._id, entries: t.journal ?? [] }));
  }

  /** The audit records still in tickets' journals (one ticket's, or all), for an audit trail that shows an action at once. */
  async journaledAudit(ticketKey?: string): Promise<(AuditDraft & { id: string; at: Date })[]> {
    const filter: Filter<StoredTicket> = ticketKey ? { _id: ticketKey, journaled: true } : { journaled: true };
    const found = await this.col.find(filter, { projection: { _id: 1, journal: 1 } }).toArray();
    return found.flatMap((t) => (t.journal ?? []).flatMap((e) => (e.kind === 'audit' ? [{ ...e.audit, id: e.id, at: e.at }] : [])));
  }

  /**
   * Removes drained entries from their tickets' journals, with the flag that finds them: one
   * rewrite of each ticket. Not conditional on the version: a concurrent write keeps its own
   * (newer) entries, and a ticket left with some gets its flag back (the check reads ids only).
   */
  async clearJournals(drained: readonly { key: string; ids: readonly string[] }[]): Promise<void> {
    if (drained.length === 0) return;
    // One request for them all (one commit on the embedded store); each ticket is matched against its own ids only.
    await this.col.bulkWrite(
      drained.map((d) => ({ updateOne: { filter: { _id: d.key }, update: { $pull: { journal: { id: { $in: [...d.ids] } } }, $unset: { journaled: '' } } } })),
    );
    const keys = drained.map((d) => d.key);
    // Which kept entries (written since the drain read them): told apart here, not in the filter, so that the
    // embedded store answers a plain key list by its fast path instead of testing each key against all the others.
    const after = await this.col.find({ _id: { $in: keys } }, { projection: { _id: 1, journal: 1 } }).toArray();
    const left = after.filter((t) => (t.journal?.length ?? 0) > 0);
    if (left.length > 0) await this.col.updateMany({ _id: { $in: left.map((t) => t._id) } }, { $set: { journaled: true } });
  }

  /**
   * The announcements waiting, oldest first, until they hold `limit` tickets: the entries of the
   * tickets that exist now, and those still waiting for theirs (dropped after a day: the insert
   * that followed the announcement failed or never ran; a later insert announces the ticket again).
   */
  async pendingAnnouncements(limit: number): Promise<AnnouncementsRead> {
    const ready: AnnouncementsRead['ready'] = [];
    const out: AnnouncementsRead['docs'] = [];
    const now = this.clock().getTime();
    const take = async (docs: readonly AnnouncementDoc[]): Promise<void> => {
      const keys = docs.flatMap((d) => d.tickets.map((t) => t.key));
      // Read after the caller read the journals: a ticket with journal entries read then exists here.
      // Commonly all exist (a count says so without reading them); else which ones.
      const all = keys.length > 0 && (await this.col.countDocuments({ _id: { $in: keys } })) === new Set(keys).size;
      const existing = new Set(all || keys.length === 0 ? keys : (await this.col.find({ _id: { $in: keys } }, { projection: { _id: 1 } }).toArray()).map((t) => t._id));
      for (const d of docs) {
        const waiting = d.tickets.filter((t) => !existing.has(t.key));
        for (const t of d.tickets) if (existing.has(t.key)) ready.push({ key: t.key, entries: announcedEntries(t, d.at) });
        const kept = now - d.at.getTime() > ANNOUNCEMENT_GRACE_MS ? [] : waiting;
        out.push({ id: d._id, waiting: kept, changed: kept.length !== d.tickets.length || !d.waiting });
      }
    };
    await take(await this.announcements.find({ waiting: true }).toArray());
    // Oldest first, a few documents at a time (a batch announces up to a sync batch, 500), until `limit` tickets are ready.
    const page = Math.max(2, Math.ceil(limit / 250));
    for (let skip = 0; ready.length < limit; skip += page) {
      const docs = await this.announcements.find({ waiting: { $ne: true } }, { sort: { at: 1, _id: 1 }, skip, limit: page }).toArray();
      await take(docs);
      if (docs.length < page) break;
    }
    return { ready, docs: out };
  }

  /** After the drain moved their ready entries: deletes the announcements with none waiting, keeps the waiting ones of the others. `write`: the drain's durability. */
  async settleAnnouncements(read: AnnouncementsRead['docs'], write?: DocWriteOptions): Promise<void> {
    const done = read.filter((d) => d.waiting.length === 0).map((d) => d.id);
    const ops = [
      ...(done.length > 0 ? [{ deleteMany: { filter: { _id: { $in: done } } } }] : []),
      ...read
        .filter((d) => d.waiting.length > 0 && d.changed)
        .map((d) => ({ updateOne: { filter: { _id: d.id }, update: { $set: { tickets: d.waiting, waiting: true as const } } } })),
    ];
    if (ops.length > 0) await this.announcements.bulkWrite(ops, write);
  }

  /** A new ticket's document, announcing it in its journal (one atomic write: applyLgd's insert of a single ticket). */
  private created(change: TicketChange, now: Date): StoredTicket {
    return this.stored(change.ticket, creationEntries(change, now));
  }

  /** A ticket's document with these journal entries (none: no journal). */
  private stored(ticket: Ticket, entries: readonly JournalEntry[]): StoredTicket {
    const t = ticket as StoredTicket;
    // A ticket just derived (a batch of new ones): one copy at most, not one per field set apart.
    if (entries.length === 0 && t.journal === undefined && t.journaled === undefined && t.closedOn === undefined) {
      const closedOn = closedOnOf(ticket);
      return closedOn ? Object.assign({}, ticket, { closedOn }) : ticket;
    }
    const { _id, ...rest } = ticket;
    return { _id, ...withJournal(rest, [], entries) };
  }

  private stateFilter(states?: readonly ProcessState[]): Filter<StoredTicket> {
    return states && states.length > 0 ? { state: { $in: [...states] } } : {};
  }
}

/** Only a write's durability, of options that may carry more (applyLgd's). */
function writeOptions(opts: DocWriteOptions): DocWriteOptions | undefined {
  return opts.writeConcern ? { writeConcern: opts.writeConcern } : undefined;
}

/** True when `next` holds the very outbox entries `current` does (derive copies an entry only to settle it). */
function sameOutbox(current: Ticket, next: Ticket): boolean {
  return next.outbox.length === current.outbox.length && next.outbox.every((e, i) => e === current.outbox[i]);
}

function newer(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return b.getTime() > a.getTime() ? b : a;
}

function sameLgd(a: Ticket['lgd'], b: Ticket['lgd']): boolean {
  for (const k of Object.keys(b) as (keyof Ticket['lgd'])[]) {
    const x = a[k];
    const y = b[k];
    if (x instanceof Date && y instanceof Date ? x.getTime() !== y.getTime() : x !== y) return false;
  }
  return true;
}
