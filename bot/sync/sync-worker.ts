import type { Filter } from 'mongodb';
import type { Logger } from '../logger.js';
import type { AuthorDirectory } from '../domain/note-author.js';
import type { LgdPort } from '../lgd/lgd-port.js';
import type { LgdIncident, LgdNote } from '../lgd/lgd-types.js';
import type { DocCollection } from '../store/doc-collection.js';
import type { EventLog } from '../store/event-log.js';
import type { ReferenceRepository } from '../store/reference-repository.js';
import type { TicketChange, TicketRepository } from '../store/ticket-repository.js';
import type { LgdRead } from '../domain/ticket.js';

/** Where the sync stands; survives restarts. */
export interface SyncStateDoc {
  _id: 'lgd';
  /** Latest LastUpdate seen (LGD's clock). */
  cursor: Date | null;
  /** Latest note CreationDate seen. */
  notesCursor: Date | null;
  referenceAt: Date | null;
  lastRunAt: Date | null;
  tickets: number;
}

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
  events: EventLog;
  state: DocCollection<SyncStateDoc>;
  groups: readonly string[];
  resolvedStatuses: readonly string[];
  /** The note authors the sync knows now (analysts, the service account, the team), read once per pass. */
  authors: () => Promise<AuthorDirectory>;
  /** How far back each poll looks before its cursor (covers the hour the clocks go back). */
  overlapMs: number;
  /** How often reference data is refreshed. */
  referenceEveryMs?: number;
  /** Tickets checked per membership query. */
  membershipBatch?: number;
  logger: Logger;
  clock?: () => Date;
}

const maxDate = (a: Date | null, b: Date): Date => (a && a.getTime() >= b.getTime() ? a : b);

/**
 * One pass of the sync: reference data, the group's tickets changed since the cursor (paged to
 * the end by the client), their notes, notes added since the notes cursor, and the known open
 * tickets that no longer match the group filter. Upserts are idempotent by LGD key, so a pass
 * that dies half-way is simply repeated: the cursor moves only after a pass completes.
 */
export class SyncWorker {
  private readonly clock: () => Date;

  constructor(private readonly d: SyncWorkerDeps) {
    this.clock = d.clock ?? (() => new Date());
  }

  async syncOnce(): Promise<SyncReport> {
    const started = Date.now();
    const log = this.d.logger;
    const st = (await this.d.state.findOne({ _id: 'lgd' } as Filter<SyncStateDoc>)) ?? {
      _id: 'lgd' as const,
      cursor: null,
      notesCursor: null,
      referenceAt: null,
      lastRunAt: null,
      tickets: 0,
    };
    const now = this.clock();
    if (!st.referenceAt || now.getTime() - st.referenceAt.getTime() > (this.d.referenceEveryMs ?? 3_600_000)) {
      await this.refreshReference(now);
      st.referenceAt = now;
    }

    // Notes are classified by author as they come in (see TicketRepository.applyLgd).
    const authors = await this.d.authors();
    const full = st.cursor === null;
    const since = st.cursor ? new Date(st.cursor.getTime() - this.d.overlapMs) : undefined;
    // When each read started (app clock): the stored view of a ticket never goes back to an older read.
    const readAt = this.clock();
    const incidents = await this.d.lgd.listIncidents({ groups: this.d.groups, changedSince: since });
    if (full) log.info({ tickets: incidents.length }, `first sync: ${incidents.length} tickets in ${this.d.groups.join(', ')}`);

    const report: SyncReport = { full, fetched: incidents.length, created: 0, changed: 0, notesAdded: 0, leftGroup: 0, ms: 0 };
    let cursor = st.cursor;
    let notesCursor = st.notesCursor;
    const seen = new Set<string>();
    const BATCH = 500;
    for (let i = 0; i < incidents.length; i += BATCH) {
      const chunk = incidents.slice(i, i + BATCH);
      const known = await this.d.tickets.getMany(chunk.map((inc) => inc.key));
      const fresh: { inc: LgdIncident; notes: LgdNote[]; read: LgdRead }[] = [];
      for (const inc of chunk) {
        seen.add(inc.key);
        cursor = maxDate(cursor, inc.lastUpdate);
        const stored = known.get(inc.key);
        if (stored && stored.lgd.lastUpdate.getTime() === inc.lastUpdate.getTime()) {
          // LastUpdate is minute- or second-grained: a second change within the same minute keeps
          // the string, so the fields are still applied (no write when they are equal), notes not.
          await this.record(await this.d.tickets.applyLgd(inc, [], { readAt, authors }), report);
          continue;
        }
        let notes: LgdNote[] = [];
        let notesReadAt: Date | null = null;
        if (!this.isResolved(inc)) {
          notesReadAt = this.clock();
          notes = await this.d.lgd.listNotes({ incidentKey: inc.key });
          for (const n of notes) notesCursor = maxDate(notesCursor, n.createdAt);
        }
        const read: LgdRead = { readAt, notesReadAt, authors };
        if (stored) await this.record(await this.d.tickets.applyLgd(inc, notes, read), report);
        else fresh.push({ inc, notes, read });
      }
      const created = await this.d.tickets.insertNew(fresh);
      report.created += created.filter((c) => c.created).length;
      await this.d.events.appendMany(created.filter((c) => c.created).map((c) => ({ kind: 'ticket_new' as const, ticketKey: c.ticket._id, state: c.after })));
      for (const c of created.filter((x) => !x.created)) await this.record(c, report);
      if (full && i + BATCH < incidents.length) log.info({ done: i + BATCH, of: incidents.length }, `sync progress: ${i + BATCH}/${incidents.length}`);
    }

    if (!full && st.notesCursor) {
      const noteSince = new Date(st.notesCursor.getTime() - this.d.overlapMs);
      const notes = await this.d.lgd.listNotes({ createdSince: noteSince });
      const byTicket = new Map<string, LgdNote[]>();
      for (const n of notes) {
        notesCursor = maxDate(notesCursor, n.createdAt);
        byTicket.set(n.incidentKey, [...(byTicket.get(n.incidentKey) ?? []), n]);
      }
      for (const [key, list] of byTicket) {
        const change = await this.d.tickets.applyNotes(key, list, authors);
        if (change) {
          report.notesAdded += list.length;
          await this.record(change, report);
        }
      }
    }
    notesCursor = notesCursor ?? cursor;

    report.leftGroup = await this.checkMembership(seen, report, authors);

    await this.d.state.replaceOne(
      { _id: 'lgd' } as Filter<SyncStateDoc>,
      { cursor, notesCursor, referenceAt: st.referenceAt, lastRunAt: now, tickets: await this.d.tickets.count() },
      { upsert: true },
    );
    report.ms = Date.now() - started;
    log[report.created + report.changed > 0 || full ? 'info' : 'debug'](report, 'sync pass done');
    return report;
  }

  private isResolved(inc: LgdIncident): boolean {
    return this.d.resolvedStatuses.some((s) => s.toLowerCase() === inc.status.toLowerCase());
  }

  private async refreshReference(now: Date): Promise<void> {
    const r = this.d.reference;
    const [groups, analysts, categories] = await Promise.all([
      this.d.lgd.listSupportGroups(),
      this.d.lgd.listAnalysts(),
      this.d.lgd.listResolutionCategories(),
    ]);
    await r.replace(r.groups, groups, now);
    await r.replace(r.analysts, analysts, now);
    await r.replace(r.categories, categories, now);
    this.d.logger.debug({ groups: groups.length, analysts: analysts.length, categories: categories.length }, 'reference data refreshed');
  }

  /** Re-reads the known open tickets this pass did not see: those that left the group or were resolved. */
  private async checkMembership(seen: Set<string>, report: SyncReport, authors: AuthorDirectory): Promise<number> {
    const missing = (await this.d.tickets.openInGroup()).filter((t) => !seen.has(t.key));
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
        const change = await this.d.tickets.applyLgd(inc, [], { readAt, authors });
        if (change.after === 'reassigned' && change.before !== 'reassigned') left++;
        await this.record(change, report);
      }
    }
    return left;
  }

  private async record(c: TicketChange, report: SyncReport): Promise<void> {
    if (!c.changed) return;
    if (c.created) {
      report.created++;
      await this.d.events.append({ kind: 'ticket_new', ticketKey: c.ticket._id, state: c.after });
      return;
    }
    report.changed++;
    if (c.before && c.before !== c.after) {
      await this.d.events.append({ kind: 'state_changed', ticketKey: c.ticket._id, from: c.before, to: c.after, source: 'lgd' });
    }
  }
}
