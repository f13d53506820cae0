/** Builders for domain tests: a ticket of the team's group as LGD shows it, and the rules. */
import type { IncidentFacts as LgdIncident, IncidentNote as LgdNote } from '../../bot/domain/incident-facts.js';
import { newTicket, type Ticket, type TicketRules } from '../../bot/domain/ticket.js';
import { decisionPatterns } from '../../bot/domain/triage-decision.js';
import { authorDirectory, type AuthorDirectory } from '../../bot/domain/note-author.js';
import type { OutboxEntry, OutboxWrite } from '../../bot/domain/outbox.js';

export const TEAM = 'LGSS-IT-Digital';
export const T0 = new Date('2026-03-02T09:00:00Z');
export const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

export const rules: TicketRules = {
  groups: [TEAM],
  resolvedStatuses: ['Resolved', 'Closed'],
  resolvedStatus: 'Resolved',
  patterns: decisionPatterns({ approved: ['Approved'], project: ['Project'] }),
  deciders: 'analysts',
};

/** LGD's analysts: Ann Lead (a lead), Dev One and Jane Doe; the app logs on as svc.teams ("Teams Service"). */
export const directory: AuthorDirectory = authorDirectory({
  service: ['svc.teams', 'Teams Service'],
  analysts: ['Ann Lead', 'Dev One', 'Jane Doe', 'Teams Service'],
  team: ['Ann Lead', 'Dev One'],
});

export function incident(over: Partial<LgdIncident> = {}): LgdIncident {
  return {
    key: 'inc-1',
    id: 40123,
    title: 'The form is broken',
    description: '',
    status: 'Active',
    groupTitle: TEAM,
    groupKey: 'g-team',
    userTitle: null,
    userKey: null,
    raiseUser: 'Pat Customer',
    priority: null,
    category: null,
    createdAt: at(-60),
    lastUpdate: at(-60),
    ...over,
  };
}

let n = 0;
export function note(text: string, createdBy: string | null, minutes: number): LgdNote {
  return { key: `note-${++n}`, incidentKey: 'inc-1', title: text.slice(0, 20), text, createdAt: at(minutes), createdBy, notifyRaiseUser: false };
}

/** A ticket first seen at T0 with these notes, their authors classified by `directory`. */
export function seen(inc: LgdIncident = incident(), notes: LgdNote[] = [], r: TicketRules = rules): Ticket {
  return newTicket(inc, notes, r, T0, { readAt: T0, notesReadAt: T0, authors: directory });
}

/** An outbox entry as a command queues it, then moved to `status`. */
export function entry(id: string, write: OutboxWrite, over: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    id,
    write,
    requestedBy: { name: 'Dev One' },
    requestedAt: at(1),
    status: 'pending',
    attempts: 0,
    nextAttemptAt: at(1),
    claimedUntil: null,
    lastError: null,
    finishedAt: null,
    refusal: null,
    ...over,
  };
}
