import type { DemoPerson, Me, MeResponse } from '../../tab/src/api/contract.js';
import type { Route } from '../http/http-server.js';
import type { Person } from '../teams/teams-ports.js';
import { sendJson } from './api-answer.js';
import { RECENT_RESOLVED_DAYS } from './queue-route.js';
import { callerOf } from './request-identity.js';
import type { TabApiDeps } from './tab-api-deps.js';
import type { ApiRoute } from './guard-api-routes.js';

/** At most this many demo people are offered. */
const MAX_DEMO_PEOPLE = 50;

/** Seconds between the tab's polls of the queue when it cannot use the event stream. */
export const POLL_SECONDS = 15;

/** What an unmapped person is told (the tab shows it up front; a write answers 403 NotMapped with it). */
export const mappingHint = (p: Pick<Person, 'email' | 'upn'>): string =>
  `Ask a lead to map you: in Settings → People, or "map ${p.email ?? p.upn ?? '<your e-mail>'} to <your LGD login>" in the bot's chat. Until then the app cannot write to LGD for you.`;

const addressOf = (p: Pick<Person, 'email' | 'upn'>): string | null => (p.email ?? p.upn)?.toLowerCase() ?? null;

/**
 * `GET /api/me`: who is asking (as the server sees them), the mode, and the team-wide facts the
 * tab needs before its first view. Policy `choosing`: in open mode it answers without a demo
 * person (`me: null`) and lists the people to choose from; checked mode needs a valid token.
 */
export function meRoute(d: TabApiDeps): ApiRoute {
  const route: Route = {
    name: 'tab me',
    method: 'get',
    path: '/api/me',
    handler: async (req, res) => {
      const caller = callerOf(req);
      const now = d.ports.now();
      const calendar = await d.ports.calendar.current();
      const today = calendar.todayIn(now);
      const [leads, leadToday] = await Promise.all([d.ports.leads.emails(), d.ports.roles.leadToday(now)]);
      const rotaLead = leadToday?.email.toLowerCase() ?? null;
      const isLead = (p: Person): boolean => [p.email, p.upn].some((a) => !!a && leads.includes(a.toLowerCase()));
      const isRotaLead = (p: Person): boolean => rotaLead !== null && [p.email, p.upn].some((a) => a?.toLowerCase() === rotaLead);

      let me: Me | null = null;
      if (caller.person) {
        const p = caller.person;
        const lead = isLead(p);
        const rota = isRotaLead(p);
        me = {
          id: caller.mode === 'checked' ? p._id : `demo:${addressOf(p) ?? p._id}`,
          name: p.name,
          email: addressOf(p),
          analyst: p.analyst,
          isLead: lead,
          isRotaLeadToday: rota,
          canTriage: await d.ports.roles.canTriage(p, now),
        };
      }

      let demoPeople: DemoPerson[] | null = null;
      if (caller.mode === 'open') {
        const wanted = [...new Set([...leads, ...(rotaLead ? [rotaLead] : [])])];
        const known = [...(await d.ports.people.byEmails(wanted)), ...(await d.people.list(MAX_DEMO_PEOPLE))];
        const seen = new Set<string>();
        demoPeople = [];
        for (const p of known) {
          const email = addressOf(p);
          if (!email || seen.has(email) || demoPeople.length >= MAX_DEMO_PEOPLE) continue;
          seen.add(email);
          const roles = [...(isLead(p) ? ['lead'] : []), ...(isRotaLead(p) ? ['Operations Lead today'] : []), ...(!isLead(p) ? ['developer'] : []), ...(p.analyst ? [] : ['not mapped'])];
          demoPeople.push({ email, name: p.name, roles, analyst: p.analyst?.title ?? null });
        }
      }

      sendJson(res, 200, {
        mode: caller.mode,
        me,
        mappingHint: caller.person && !caller.person.analyst ? mappingHint(caller.person) : null,
        demoPeople,
        team: { timeZone: calendar.timeZone, today, nextWorkingDay: calendar.nextWorkingDay(today), groups: [...d.groups] },
        guidelines: { maxOwnedTickets: d.ports.guidelines.maxOwned, longWorkDays: d.ports.guidelines.longWorkDays, recentResolvedDays: RECENT_RESOLVED_DAYS },
        lgdTicketLink: d.ticketLinkTemplate,
        live: { events: d.live !== null, pollSeconds: POLL_SECONDS },
        serverTime: now.toISOString(),
      } satisfies MeResponse);
    },
  };
  return { ...route, caller: 'choosing' };
}
