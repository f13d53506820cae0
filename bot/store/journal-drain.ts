import type { AuditLog } from './audit-log.js';
import { RELAXED_WRITE } from './doc-collection.js';
import type { BacklogRequestRepository } from './backlog-request-repository.js';
import type { CardJobRepository } from './card-job-repository.js';
import type { EventLog } from './event-log.js';
import type { NoticeRepository } from './notice-repository.js';
import type { JournalEntry } from './ticket-journal.js';
import type { TicketRepository } from './ticket-repository.js';

/** What one drain moved, by kind. */
export interface DrainReport {
  tickets: number;
  events: number;
  audit: number;
  notices: number;
  backlog: number;
  jobs: number;
}

type Of<K extends JournalEntry['kind']> = Extract<JournalEntry, { kind: K }>;

/**
 * Moves what tickets' journals hold into the events, the audit trail and the queues, then removes
 * it from the journals. Each move is idempotent by the entry's id, so a drain that dies half-way is
 * simply run again. A worker job under the lease: only the lease holder numbers events, in commit
 * order. Runs before the event processor in every worker tick.
 */
export class JournalDrain {
  constructor(
    private readonly d: {
      tickets: TicketRepository;
      events: EventLog;
      audit: AuditLog;
      notices: NoticeRepository;
      backlogRequests: BacklogRequestRepository;
      cardJobs: CardJobRepository;
    },
  ) {}

  /**
   * Drains up to `limit` tickets' journals, and new tickets' announcements up to about as many (a
   * first sync announces thousands at once: the next pass takes the rest). `tickets` counts the
   * tickets whose entries moved (an announcement still waiting for its ticket does not count).
   */
  async drain(limit = 1000): Promise<DrainReport> {
    const journals = await this.d.tickets.journals(limit);
    // Read after the journals: a ticket whose journal was read is found by the announcements' check.
    const announced = await this.d.tickets.pendingAnnouncements(limit);
    const all = [...announced.ready.flatMap((a) => a.entries), ...journals.flatMap((j) => j.entries)];
    const of = <K extends JournalEntry['kind']>(kind: K): Of<K>[] => all.filter((e): e is Of<K> => e.kind === kind);
    // Commit order across tickets (each ticket's own entries are already in order: the sort is stable).
    const events = of('event').sort((a, b) => a.at.getTime() - b.at.getTime());
    // Only new tickets' announcements (the events of tickets as LGD gave them, a first sync's thousands):
    // relaxed (RELAXED_WRITE), as the sync's writes that made them. A move lost to a power cut leaves the
    // announcements in place (a loss is always of the last commits), and the next drain moves them again.
    // Anything from a ticket's journal (what a person did, or is owed) is moved with full writes.
    const write = journals.length === 0 ? RELAXED_WRITE : undefined;
    const report: DrainReport = { tickets: journals.length + announced.ready.length, events: 0, audit: 0, notices: 0, backlog: 0, jobs: 0 };
    if (report.tickets === 0) {
      // Only announcements past their wait may be left to remove.
      if (announced.docs.some((d) => d.waiting.length === 0)) await this.d.tickets.settleAnnouncements(announced.docs, write);
      return report;
    }
    report.events = (await this.d.events.appendJournaled(events, write)).length;
    report.audit = await this.d.audit.addJournaled(of('audit'));
    report.notices = await this.d.notices.addJournaled(of('notice'));
    report.backlog = await this.d.backlogRequests.addJournaled(of('backlog').map((e) => e.request));
    report.jobs = await this.d.cardJobs.addJournaled(of('job'));
    await this.d.tickets.clearJournals(journals.map((j) => ({ key: j.key, ids: j.entries.map((e) => e.id) })));
    await this.d.tickets.settleAnnouncements(announced.docs, write);
    return report;
  }
}
