import type { AnalystRef, OwnedTicket, PeopleResponse, PersonLoad } from '../../tab/src/api/contract.js';
import type { TeamCalendar } from '../domain/calendar.js';
import { isOverOwnedLimit, userUpdateDue, userUpdatedToday, workingDaysOwned, type Guidelines } from '../domain/guidelines.js';
import { isOwnerOf } from '../domain/permissions.js';
import { lastUserUpdate, ownedSince } from '../domain/ticket-times.js';
import type { Ticket } from '../domain/ticket.js';
import type { Person, RotaDay } from '../teams/teams-ports.js';
import { etagOf, sendWithEtag } from './api-answer.js';
import type { ApiRoute } from './guard-api-routes.js';
import { personOf } from './request-identity.js';

/** Most owned tickets the view reads: the team owns tens; far more is a store to look at, not to list. */
const OWNED_READ_MAX = 2000;

/** What the people route reads. */
export interface PeopleRouteDeps {
  tickets: { list(opts: { states: readonly 'owned'[]; limit: number }): Promise<Ticket[]> };
  people: { mapped(): Promise<Person[]>; byEmails(emails: readonly string[]): Promise<Person[]>; byAnalystKey(key: string): Promise<Person | null> };
  leads: { emails(): Promise<string[]> };
  rota: { range(from: string, to: string): Promise<RotaDay[]> };
  calendar: { current(): Promise<TeamCalendar> };
  guidelines: Guidelines;
  link: (t: Ticket) => string;
  now: () => Date;
}

const analystOf = (p: Person | null): AnalystRef | null => (p?.analyst ? { key: p.analyst.key, name: p.analyst.name, title: p.analyst.title } : null);

/**
 * `GET /api/people`: each developer's load against the limit (the team's mapped people, the leads,
 * and every owner of an owned ticket, known or not), days owned, updates due today, and whether
 * they are on the next working day's support list or its Operations Lead. Every figure comes
 * from the rules in bot/domain/ (guidelines, ticket times); this route only gathers and shapes.
 */
export function peopleRoute(d: PeopleRouteDeps): ApiRoute {
  return {
    name: 'read people',
    method: 'get',
    path: '/api/people',
    handler: async (req, res) => {
      personOf(req);
      const now = d.now();
      const calendar = await d.calendar.current();
      const today = calendar.todayIn(now);
      const next = calendar.nextWorkingDay(today);
      const [owned, mapped, leadEmails, [nextDay]] = await Promise.all([
        d.tickets.list({ states: ['owned'], limit: OWNED_READ_MAX }),
        d.people.mapped(),
        d.leads.emails(),
        d.rota.range(next, next),
      ]);
      const leads = leadEmails.length > 0 ? await d.people.byEmails(leadEmails) : [];

      /** One entry per person (by id), and per unknown owner (by analyst key). */
      const entries = new Map<string, { person: Person | null; ref: { name: string; email: string | null }; analyst: AnalystRef | null; tickets: Ticket[] }>();
      const add = (p: Person): void => {
        if (!entries.has(p._id)) entries.set(p._id, { person: p, ref: { name: p.name || p.email || p._id, email: p.email ?? p.upn }, analyst: analystOf(p), tickets: [] });
      };
      mapped.forEach(add);
      leads.forEach(add);
      // Leads the app has not met yet still show, by e-mail.
      for (const email of leadEmails) {
        if (!leads.some((p) => p.email === email || p.upn === email)) entries.set(`lead:${email}`, { person: null, ref: { name: email, email }, analyst: null, tickets: [] });
      }
      const ownerKeys = [...new Set(owned.flatMap((t) => (t.owner ? [t.owner.key] : [])))];
      for (const key of ownerKeys) {
        const tickets = owned.filter((t) => isOwnerOf(t, key));
        const known = [...entries.values()].find((e) => e.analyst && isOwnerOf(tickets[0]!, e.analyst.key)) ?? null;
        if (known) {
          known.tickets.push(...tickets);
          continue;
        }
        const person = await d.people.byAnalystKey(key);
        if (person) {
          add(person);
          entries.get(person._id)!.tickets.push(...tickets);
        } else {
          const title = tickets[0]?.owner?.title ?? key;
          entries.set(`analyst:${key}`, { person: null, ref: { name: title, email: null }, analyst: { key, name: title, title }, tickets });
        }
      }

      const support = nextDay?.support ?? null;
      const people: PersonLoad[] = [...entries.values()].map((e) => {
        const emails = [e.person?.email, e.person?.upn, e.ref.email].filter((x): x is string => !!x).map((x) => x.toLowerCase());
        const tickets: OwnedTicket[] = e.tickets
          .map((t) => {
            const since = ownedSince(t) ?? t.stateChangedAt;
            return {
              key: t._id,
              number: t.lgd.id,
              title: t.lgd.title,
              link: d.link(t),
              ownedWorkingDays: workingDaysOwned(since, now, calendar),
              userUpdatedToday: userUpdatedToday(lastUserUpdate(t), now, calendar),
              version: t.version,
            };
          })
          .sort((a, b) => b.ownedWorkingDays - a.ownedWorkingDays || a.number - b.number);
        const due = e.tickets.filter((t) => userUpdateDue({ lastUpdate: lastUserUpdate(t), ownedSince: ownedSince(t) ?? t.stateChangedAt }, now, calendar, d.guidelines)).length;
        return {
          name: e.ref.name,
          email: e.ref.email,
          analyst: e.analyst,
          known: e.person !== null || e.analyst === null,
          owned: e.tickets.length,
          overLimit: isOverOwnedLimit(e.tickets.length, d.guidelines),
          tickets,
          updatesDueToday: due,
          onSupportNextWorkingDay: support === null ? null : support.some((s) => emails.includes(s.email)),
          leadNextWorkingDay: !!nextDay?.lead && emails.includes(nextDay.lead.email),
        };
      });
      people.sort((a, b) => b.owned - a.owned || a.name.localeCompare(b.name) || (a.email ?? '').localeCompare(b.email ?? ''));
      const body = { today, nextWorkingDay: next, maxOwnedTickets: d.guidelines.maxOwned, longWorkDays: d.guidelines.longWorkDays, people };
      const answer: PeopleResponse = { etag: etagOf('p', body), ...body };
      sendWithEtag(req, res, answer.etag, answer);
    },
  };
}
