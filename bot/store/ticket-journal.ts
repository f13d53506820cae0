import type { AuditEntry } from './audit-log.js';
import type { BacklogRequest } from './backlog-request-repository.js';
import type { NewCardJob } from './card-job-repository.js';
import type { TicketEvent } from './event-log.js';
import type { NewNotice } from './notice-repository.js';

/** An audit record as an action writes it; the time is the commit's. */
export type AuditDraft = Omit<AuditEntry, 'at'>;

/**
 * What a write to a ticket brings about, committed in the same atomic write as the ticket (its
 * journal): the events that announce it, the audit record of the action, and the work it leaves
 * for the worker (messages owed to people, a backlog item, a card job). The worker's JournalDrain
 * moves each into its own collection, idempotently, and only then removes it from the ticket.
 */
export interface TicketRecords {
  events?: readonly TicketEvent[];
  audit?: readonly AuditDraft[];
  notices?: readonly NewNotice[];
  backlog?: readonly BacklogRequest[];
  jobs?: readonly NewCardJob[];
}

/** One entry of a ticket's journal: its id makes its move into its collection idempotent. */
export type JournalEntry = { id: string; at: Date } & (
  | { kind: 'event'; event: TicketEvent }
  | { kind: 'audit'; audit: AuditDraft }
  | { kind: 'notice'; notice: NewNotice }
  | { kind: 'backlog'; request: BacklogRequest }
  | { kind: 'job'; job: NewCardJob }
);

/** The journal entries of `records`, stamped `at`; notices, backlog items and jobs keep their own idempotency keys as ids. */
export function journalEntries(records: TicketRecords | undefined, at: Date, newId: () => string): JournalEntry[] {
  if (!records) return [];
  return [
    ...(records.events ?? []).map((event): JournalEntry => ({ id: newId(), at, kind: 'event', event })),
    ...(records.audit ?? []).map((audit): JournalEntry => ({ id: newId(), at, kind: 'audit', audit })),
    ...(records.notices ?? []).map((notice): JournalEntry => ({ id: notice._id, at, kind: 'notice', notice })),
    ...(records.backlog ?? []).map((request): JournalEntry => ({ id: request._id, at, kind: 'backlog', request })),
    ...(records.jobs ?? []).map((job): JournalEntry => ({ id: job._id, at, kind: 'job', job })),
  ];
}
