import type { Filter } from 'mongodb';
import type { LgdIncident, LgdNote } from '../lgd/lgd-types.js';
import type { ProcessState } from '../domain/process-state.js';
import { isSettling } from '../domain/outbox.js';
import { derive, mergeNotes, newTicket, storedNotes, type LgdRead, type Ticket, type TicketRules } from '../domain/ticket.js';
import type { AuthorDirectory } from '../domain/note-author.js';
import { StoreError } from '../errors.js';
import type { DocCollection, Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';
import { isDuplicateKeyError } from './duplicate-key.js';

/** What one LGD sync did to a ticket. */
export interface TicketChange {
  ticket: Ticket;
  created: boolean;
  before: ProcessState | null;
  after: ProcessState;
  /** False when LGD's view and the notes were already known (an idempotent repeat). */
  changed: boolean;
}

/** The team's tickets, keyed by LGD key; every write is conditional on the document's version. */
export class TicketRepository {
  private readonly col: DocCollection<Ticket>;

  constructor(
    store: Store,
    private readonly rules: TicketRules,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.col = store.collection<Ticket>(COLLECTIONS.tickets);
  }

  /** Creates the indexes the queries use. */
  async init(): Promise<void> {
    await this.col.createIndex({ state: 1 });
    await this.col.createIndex({ 'lgd.id': 1 }, { unique: true });
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

  /** The tickets a person (analyst key) owns now, as the team sees them, oldest first. */
  ownedBy(analystKey: string): Promise<Ticket[]> {
    return this.col.find({ state: 'owned', 'owner.key': analystKey }, { sort: { 'lgd.createdAt': 1 } }).toArray();
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
   * Inserts tickets not seen before in one batch (a first sync brings thousands); one that
   * appeared meanwhile is applied as a change instead.
   */
  async insertNew(items: readonly { inc: LgdIncident; notes: readonly LgdNote[]; read?: LgdRead }[]): Promise<TicketChange[]> {
    const now = this.clock();
    const fresh = items.map(({ inc, notes, read }) => newTicket(inc, [...notes], this.rules, now, read));
    try {
      await this.col.insertMany(fresh);
      return fresh.map((t) => ({ ticket: t, created: true, before: null, after: t.state, changed: true }));
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const out: TicketChange[] = [];
      for (const { inc, notes, read } of items) out.push(await this.applyLgd(inc, notes, read));
      return out;
    }
  }

  /** Keys and numbers of the tickets the team still has open in its groups. */
  async openInGroup(): Promise<{ key: string; id: number }[]> {
    const open = await this.col
      .find({ state: { $nin: ['resolved', 'reassigned'] }, 'lgd.status': { $nin: [...this.rules.resolvedStatuses] } }, {
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
   * stale read. Notes are only ever added.
   */
  async applyLgd(inc: LgdIncident, notes: readonly LgdNote[] = [], read: LgdRead = {}): Promise<TicketChange> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const now = this.clock();
      const readAt = read.readAt ?? now;
      const current = await this.get(inc.key);
      if (!current) {
        const fresh = newTicket(inc, [...notes], this.rules, now, { ...read, readAt });
        try {
          await this.col.insertOne(fresh);
          return { ticket: fresh, created: true, before: null, after: fresh.state, changed: true };
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
      if (await this.replaceIfUnchanged(current, next)) {
        return { ticket: next, created: false, before: current.state, after: next.state, changed: !same || next.state !== current.state };
      }
    }
    throw new StoreError(`ticket ${inc.key} kept changing while it was being synced`);
  }

  /** Adds notes found by the notes poll to a known ticket; unknown tickets and known notes change nothing. */
  async applyNotes(key: string, notes: readonly LgdNote[], authors?: AuthorDirectory): Promise<TicketChange | null> {
    const res = await this.mutate(key, (t, now) => {
      const merged = mergeNotes(t.notes, storedNotes(notes, t.lgd.raiseUser, authors));
      return merged.length === t.notes.length ? null : { ...t, notes: merged, syncedAt: now };
    });
    return res && { ticket: res.after, created: false, before: res.before.state, after: res.after.state, changed: true };
  }

  /**
   * Read-modify-write with optimistic concurrency: `fn` gets the current ticket and returns the
   * next one (or null to leave it); retried when someone else wrote in between.
   */
  async mutate(key: string, fn: (t: Ticket, now: Date) => Ticket | null): Promise<{ before: Ticket; after: Ticket } | null> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const now = this.clock();
      const current = await this.get(key);
      if (!current) return null;
      const proposed = fn(current, now);
      if (!proposed) return null;
      const next = derive(proposed, this.rules, now);
      if (await this.replaceIfUnchanged(current, next)) return { before: current, after: next };
    }
    throw new StoreError(`ticket ${key} kept changing while it was being updated`);
  }

  private async replaceIfUnchanged(current: Ticket, next: Ticket): Promise<boolean> {
    const { _id, ...rest } = next;
    const res = await this.col.replaceOne({ _id, version: current.version }, { ...rest, version: current.version + 1 });
    if (res.matchedCount === 1) {
      next.version = current.version + 1;
      return true;
    }
    return false;
  }

  private stateFilter(states?: readonly ProcessState[]): Filter<Ticket> {
    return states && states.length > 0 ? { state: { $in: [...states] } } : {};
  }
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
