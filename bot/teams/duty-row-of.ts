import type { TeamCalendar } from '../domain/calendar.js';
import { lastUserUpdate } from '../domain/ticket-times.js';
import type { Ticket } from '../domain/ticket.js';
import type { DutyTicketRow } from './cards/duty-row.js';
import { describeLastUpdate } from './commands/my-tickets.js';

/** A ticket as a duty card lists it, with when its user last heard from the team. */
export function dutyRowOf(t: Ticket, link: (t: Ticket) => string, now: Date, calendar: TeamCalendar): DutyTicketRow {
  return {
    key: t._id,
    number: t.lgd.id,
    title: t.lgd.title,
    version: t.version,
    lgdLink: link(t),
    lastHeard: describeLastUpdate(lastUserUpdate(t), now, calendar),
    owner: t.owner?.title ?? null,
  };
}
