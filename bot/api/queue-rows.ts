import type { QueueRow, QueueState } from '../../tab/src/api/contract.js';
import { QUEUE_STATES } from '../../tab/src/api/contract.js';
import type { TeamCalendar } from '../domain/calendar.js';
import { ownedTooLong, userUpdatedToday, workingDaysOwned, type Guidelines } from '../domain/guidelines.js';
import { queuedForLgd } from '../domain/outbox.js';
import type { Ticket } from '../domain/ticket.js';
import { lastUserUpdate, ownedSince, stateSince } from '../domain/ticket-times.js';
import { longWorkAgreed } from '../domain/duties.js';
import type { EventLog } from '../store/event-log.js';
import type { CommandPorts } from '../teams/commands/chat-command.js';
import type { Person } from '../teams/teams-ports.js';

const DAY_MS = 86_400_000;

/** What every row of one answer is judged against: one clock reading, one calendar, one read of tomorrow's rota. */
export interface QueueFacts {
  now: Date;
  calendar: TeamCalendar;
  today: string;
  nextWorkingDay: string;
  /** E-mails (lower case) on the next working day's support list; null when that day's list was never set. */
  supportNext: ReadonlySet<string> | null;
  guidelines: Guidelines;
  link: (t: Ticket) => string;
  /** The people the owners' analyst keys map to (null: nobody the app knows). */
  owners: ReadonlyMap<string, Person | null>;
  /** When the Operations Lead last agreed to the long work of each owned-too-long ticket (absent: never). */
  agreedAt: ReadonlyMap<string, Date>;
}

/** The reads a queue answer needs, from the Teams side's ports. */
export type QueuePorts = Pick<CommandPorts, 'calendar' | 'rota' | 'people' | 'guidelines' | 'link' | 'now'>;

/** Reads the facts the rows of these tickets are judged against (owners looked up once each). */
export async function queueFacts(ports: QueuePorts, events: Pick<EventLog, 'latestOf'>, tickets: readonly Ticket[]): Promise<QueueFacts> {
  const now = ports.now();
  const calendar = await ports.calendar.current();
  const today = calendar.todayIn(now);
  const nextWorkingDay = calendar.nextWorkingDay(today);
  const [nextDay] = await ports.rota.range(nextWorkingDay, nextWorkingDay);
  const support = nextDay?.support ?? null;
  const owners = new Map<string, Person | null>();
  for (const key of new Set(tickets.flatMap((t) => (t.owner ? [t.owner.key] : [])))) owners.set(key, await ports.people.byAnalystKey(key));
  // Agreements are read only for the few tickets past the long-work guideline.
  const agreedAt = new Map<string, Date>();
  for (const t of tickets) {
    const since = t.state === 'owned' ? ownedSince(t) : null;
    if (!since || !ownedTooLong(since, now, calendar, ports.guidelines)) continue;
    const agreed = await events.latestOf(t._id, 'long_work_agreed');
    if (agreed) agreedAt.set(t._id, agreed.at);
  }
  return {
    now,
    calendar,
    today,
    nextWorkingDay,
    supportNext: support === null ? null : new Set(support.map((p) => p.email.toLowerCase())),
    guidelines: ports.guidelines,
    link: ports.link,
    owners,
    agreedAt,
  };
}

const isQueueState = (s: string): s is QueueState => (QUEUE_STATES as readonly string[]).includes(s);

/** The last write LGD refused on the ticket in the past day, in LGD's words. */
function lastRefusal(t: Ticket, now: Date): string | null {
  const last = t.outbox.at(-1);
  return last && last.status === 'refused' && last.finishedAt && now.getTime() - last.finishedAt.getTime() < DAY_MS ? last.refusal : null;
}

/**
 * One ticket as the queue shows it, with its warnings, all from the domain's rules (guidelines,
 * ticket times, outbox); null for a ticket the queue does not show (reassigned away).
 */
export function queueRow(t: Ticket, f: QueueFacts): QueueRow | null {
  if (!isQueueState(t.state)) return null;
  const owned = t.state === 'owned';
  const since = ownedSince(t);
  const heard = lastUserUpdate(t);
  const person = t.owner ? (f.owners.get(t.owner.key) ?? null) : null;
  const ownerEmail = person?.email ?? person?.upn ?? null;
  const daysOwned = since ? workingDaysOwned(since, f.now, f.calendar) : null;
  const closed = t.state === 'project' || t.state === 'resolved';
  return {
    key: t._id,
    number: t.lgd.id,
    link: f.link(t),
    title: t.lgd.title,
    raisedBy: t.lgd.raiseUser,
    raisedAt: t.lgd.createdAt.toISOString(),
    ageWorkingDays: f.calendar.workingDaysBetween(f.calendar.todayIn(t.lgd.createdAt), f.today),
    state: t.state,
    status: t.lgd.status,
    priority: t.lgd.priority,
    owner: t.owner ? { key: t.owner.key, name: t.owner.title ?? person?.name ?? t.owner.key, email: ownerEmail?.toLowerCase() ?? null } : null,
    assignedInLgd: t.state === 'needs_triage' ? t.lgd.userTitle : null,
    decision: t.decision && { kind: t.decision.kind, by: t.decision.by, at: t.decision.at.toISOString(), source: t.decision.source },
    ownedSince: since?.toISOString() ?? null,
    ownedWorkingDays: daysOwned,
    userLastHeard: heard?.toISOString() ?? null,
    resolvedAt: closed ? stateSince(t).toISOString() : null,
    warnings: {
      noUserUpdateToday: owned && !userUpdatedToday(heard, f.now, f.calendar),
      ownedTooLong: owned && since && ownedTooLong(since, f.now, f.calendar, f.guidelines) ? { workingDays: daysOwned ?? 0, agreed: longWorkAgreed(f.agreedAt.get(t._id) ?? null, since) } : null,
      ownerOffTomorrow: owned && f.supportNext !== null && !(ownerEmail && f.supportNext.has(ownerEmail.toLowerCase())) ? { nextWorkingDay: f.nextWorkingDay } : null,
      queuedForLgd: queuedForLgd(t.outbox),
      lgdRefused: lastRefusal(t, f.now),
    },
    version: t.version,
  };
}

/** The queue's display order (QueueResponse.rows): by state; needs triage and approved oldest raised first; owned by owner, then oldest taken; project and resolved newest first. */
export function inDisplayOrder(rows: QueueRow[]): QueueRow[] {
  const at = (s: string | null): number => (s ? Date.parse(s) : 0);
  return rows.sort((a, b) => {
    const s = QUEUE_STATES.indexOf(a.state) - QUEUE_STATES.indexOf(b.state);
    if (s !== 0) return s;
    if (a.state === 'owned') return (a.owner?.name ?? '').localeCompare(b.owner?.name ?? '') || at(a.ownedSince) - at(b.ownedSince) || a.number - b.number;
    if (a.state === 'project' || a.state === 'resolved') return at(b.resolvedAt) - at(a.resolvedAt) || b.number - a.number;
    return at(a.raisedAt) - at(b.raisedAt) || a.number - b.number;
  });
}
