import type { Request, Response } from 'restify';
import { z } from 'zod';
import type {
  AreasResponse,
  DaysOffResponse,
  LeadsResponse,
  Mapping,
  MappingsResponse,
  PersonRef,
  SettingsWriteResponse,
} from '../../tab/src/api/contract.js';
import { parseAreaName } from '../domain/area-name.js';
import type { TeamCalendar } from '../domain/calendar.js';
import { dayOffRefusal, parseDayOff } from '../domain/day-off.js';
import { EMAILS_MAX, parseEmail } from '../domain/email-address.js';
import { isIsoDate, withWeekday } from '../domain/iso-date.js';
import { leadRemovalRefusal, mayManageTeam } from '../domain/permissions.js';
import type { AreaRepository } from '../store/area-repository.js';
import type { AuditEntry, AuditLog } from '../store/audit-log.js';
import type { DaysOffRepository } from '../store/days-off-repository.js';
import type { LeadRepository } from '../store/lead-repository.js';
import type { PeopleRepository } from '../store/people-repository.js';
import type { ReferenceRepository } from '../store/reference-repository.js';
import type { Person, Roles } from '../teams/teams-ports.js';
import { parseOr400, sendBadInput } from './api-answer.js';
import type { ApiRoute } from './guard-api-routes.js';
import { personOf } from './request-identity.js';

/** What the settings routes read and change. */
export interface SettingsRouteDeps {
  areas: Pick<AreaRepository, 'list' | 'set' | 'remove'>;
  leads: Pick<LeadRepository, 'emails' | 'add' | 'remove'>;
  people: Pick<PeopleRepository, 'all' | 'byEmails' | 'override' | 'clearOverride'>;
  reference: Pick<ReferenceRepository, 'analyst'>;
  daysOff: Pick<DaysOffRepository, 'between' | 'set' | 'remove'>;
  calendar: { current(): Promise<TeamCalendar> };
  roles: Pick<Roles, 'isLead' | 'canTriage'>;
  audit: Pick<AuditLog, 'record'>;
  now: () => Date;
}

/** Longest path value read at all. */
const PARAM_MAX = 320;

const areaBody = z.object({ contacts: z.array(z.string().max(PARAM_MAX)).max(EMAILS_MAX) }).strict();
const mappingBody = z.object({ analyst: z.string().min(1).max(PARAM_MAX) }).strict();
const dayOffBody = z.object({ name: z.string().max(PARAM_MAX) }).strict();
const daysOffQuery = z
  .object({
    from: z.string().max(10).refine(isIsoDate, 'must be a real date written YYYY-MM-DD').optional(),
    to: z.string().max(10).refine(isIsoDate, 'must be a real date written YYYY-MM-DD').optional(),
  })
  .strict();

const NOT_ALLOWED_LEAD = 'Only a lead developer or scrum master can change the team\'s settings. Nothing was changed.';
const NOT_ALLOWED_TRIAGER = "Only a lead or today's Operations Lead can link people to LGD analysts. Nothing was changed.";

/** A path parameter as restify decoded it, bounded; "" when missing or too long. */
function param(req: Request, name: string): string {
  const v = (req.params as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' && v.length <= PARAM_MAX ? v : '';
}

/**
 * The tab's Settings: areas and their contacts, the leads, the Teams user ↔ LGD analyst mapping and
 * the team's days off. Anyone known reads them; leads change them (mappings: triagers, as the
 * chat's `map`). The same rules as the chat's commands (bot/domain/), each change audited.
 */
export function settingsRoutes(d: SettingsRouteDeps): ApiRoute[] {
  const audit = (p: Person, action: string, outcome: AuditEntry['outcome'], detail: string): Promise<void> =>
    d.audit.record({ actor: { name: p.name, aadObjectId: p._id, email: p.email }, action, ticketKey: null, ticketNumber: null, outcome, source: 'tab', detail: detail.slice(0, 500) });

  /** The acting person when they are a lead (or, with `triager`, may triage today); else answers 403 and returns null. */
  const allowed = async (req: Request, res: Response, action: string, who: 'lead' | 'triager'): Promise<Person | null> => {
    const p = personOf(req);
    // Roles.canTriage applies the domain's mayTriage (a lead, or today's Operations Lead).
    const ok = who === 'lead' ? mayManageTeam({ isLead: await d.roles.isLead(p) }) : await d.roles.canTriage(p, d.now());
    if (ok) return p;
    await audit(p, action, 'not_allowed', `${req.method ?? ''} ${req.url ?? ''}`);
    res.send(403, { code: 'NotAllowed', message: who === 'lead' ? NOT_ALLOWED_LEAD : NOT_ALLOWED_TRIAGER });
    return null;
  };

  const areasNow = async (): Promise<AreasResponse> => ({ areas: await d.areas.list() });
  const leadsNow = async (): Promise<LeadsResponse> => {
    const emails = await d.leads.emails();
    const people = emails.length > 0 ? await d.people.byEmails(emails) : [];
    const leads: PersonRef[] = emails.map((email) => ({ name: people.find((p) => p.email === email || p.upn === email)?.name || email, email }));
    return { leads };
  };
  const mappingsNow = async (): Promise<MappingsResponse> => ({
    mappings: (await d.people.all()).map(
      (p): Mapping => ({ personId: p._id, name: p.name, email: p.email ?? p.upn, analyst: p.analyst && { ...p.analyst }, mappedBy: p.mappedBy }),
    ),
  });
  const daysOffNow = async (from?: string, to?: string): Promise<DaysOffResponse> => {
    const calendar = await d.calendar.current();
    const year = Number(calendar.todayIn(d.now()).slice(0, 4));
    const f = from ?? `${year}-01-01`;
    const t = to ?? `${year + 1}-12-31`;
    const daysOff = (await d.daysOff.between(f, t)).map((x) => ({ date: x.date, name: x.name }));
    const bankHolidays = calendar
      .daysNotWorked(f, t)
      .filter((x) => x.kind === 'bank_holiday')
      .map((x) => ({ date: x.date, name: x.name }));
    return { daysOff, bankHolidays };
  };
  const written = <T>(res: Response, text: string, value: T): void => {
    const answer: SettingsWriteResponse<T> = { notice: { kind: 'info', text }, value };
    res.send(200, answer);
  };

  return [
    // ---------------------------------------------------------------- areas
    {
      name: 'settings: read areas',
      method: 'get',
      path: '/api/settings/areas',
      handler: async (req, res) => {
        personOf(req);
        res.send(200, await areasNow());
      },
    },
    {
      name: 'settings: set an area',
      method: 'put',
      path: '/api/settings/areas/:area',
      body: 'json',
      handler: async (req, res) => {
        const p = await allowed(req, res, 'area set', 'lead');
        if (!p) return;
        const name = parseAreaName(param(req, 'area'));
        if (!name.ok) return sendBadInput(res, 'BadBody', 'area', `${name.message} Nothing was changed.`);
        const b = parseOr400(res, areaBody, req.body, 'BadBody');
        if (!b) return;
        const contacts: string[] = [];
        for (const [i, c] of b.contacts.entries()) {
          const e = parseEmail(c);
          if (!e.ok) return sendBadInput(res, 'BadBody', `contacts.${i}`, `${e.message} Nothing was changed.`);
          contacts.push(e.value);
        }
        const area = await d.areas.set(name.value, contacts);
        await audit(p, 'area set', 'done', `${area.area}: ${area.contacts.join(', ')}`);
        written(res, `${area.created ? 'Added' : 'Updated'} ${area.area}${area.contacts.length > 0 ? ` (contacts: ${area.contacts.join(', ')})` : ' (no contacts)'}.`, await areasNow());
      },
    },
    {
      name: 'settings: remove an area',
      method: 'del',
      path: '/api/settings/areas/:area',
      handler: async (req, res) => {
        const p = await allowed(req, res, 'area remove', 'lead');
        if (!p) return;
        const name = parseAreaName(param(req, 'area'));
        const removed = name.ok ? await d.areas.remove(name.value) : null;
        if (!removed) {
          res.send(404, { code: 'NotFound', message: 'There is no such area. Nothing was changed.' });
          return;
        }
        await audit(p, 'area remove', 'done', removed.area);
        written(res, `Removed ${removed.area}.`, await areasNow());
      },
    },
    // ---------------------------------------------------------------- leads
    {
      name: 'settings: read leads',
      method: 'get',
      path: '/api/settings/leads',
      handler: async (req, res) => {
        personOf(req);
        res.send(200, await leadsNow());
      },
    },
    {
      name: 'settings: add a lead',
      method: 'put',
      path: '/api/settings/leads/:email',
      handler: async (req, res) => {
        const p = await allowed(req, res, 'lead add', 'lead');
        if (!p) return;
        const email = parseEmail(param(req, 'email'));
        if (!email.ok) return sendBadInput(res, 'BadBody', 'email', `${email.message} Nothing was changed.`);
        const added = await d.leads.add(email.value, p.name);
        await audit(p, 'lead add', 'done', `${email.value}${added ? '' : ' (already a lead)'}`);
        written(res, added ? `${email.value} is now a lead.` : `${email.value} was already a lead.`, await leadsNow());
      },
    },
    {
      name: 'settings: remove a lead',
      method: 'del',
      path: '/api/settings/leads/:email',
      handler: async (req, res) => {
        const p = await allowed(req, res, 'lead remove', 'lead');
        if (!p) return;
        const email = parseEmail(param(req, 'email'));
        if (!email.ok) return sendBadInput(res, 'BadBody', 'email', `${email.message} Nothing was changed.`);
        const outcome = await d.leads.remove(email.value);
        if (outcome !== 'removed') {
          const reason = leadRemovalRefusal(await d.leads.emails(), email.value) ?? `${email.value} could not be removed.`;
          await audit(p, 'lead remove', 'refused', reason);
          if (outcome === 'not_a_lead') res.send(404, { code: 'NotFound', message: `${reason} Nothing was changed.` });
          else res.send(409, { code: 'Refused', message: `${reason} Nothing was changed.` });
          return;
        }
        await audit(p, 'lead remove', 'done', email.value);
        written(res, `${email.value} is no longer a lead.`, await leadsNow());
      },
    },
    // ---------------------------------------------------------------- mappings
    {
      name: 'settings: read mappings',
      method: 'get',
      path: '/api/settings/mappings',
      handler: async (req, res) => {
        personOf(req);
        res.send(200, await mappingsNow());
      },
    },
    {
      name: 'settings: map a person',
      method: 'put',
      path: '/api/settings/mappings/:email',
      body: 'json',
      handler: async (req, res) => {
        const p = await allowed(req, res, 'map', 'triager');
        if (!p) return;
        const email = parseEmail(param(req, 'email'));
        if (!email.ok) return sendBadInput(res, 'BadBody', 'email', `${email.message} Nothing was changed.`);
        const b = parseOr400(res, mappingBody, req.body, 'BadBody');
        if (!b) return;
        const [known] = await d.people.byEmails([email.value]);
        if (!known) return sendBadInput(res, 'BadBody', 'email', `${email.value} has not used the app yet: they need to open a chat with the bot once, or be in a team the app is installed in. Nothing was changed.`);
        // `user:<key>` from the analyst picker, else an LGD login name.
        const login = b.analyst.startsWith('user:') ? ((await d.reference.analyst(b.analyst.slice('user:'.length)))?.name ?? null) : b.analyst.trim();
        const person = login ? await d.people.override({ email: email.value }, login) : null;
        if (!person) return sendBadInput(res, 'BadBody', 'analyst', `LGD has no analyst "${b.analyst.slice(0, 100)}". Nothing was changed.`);
        await audit(p, 'map', 'done', `${email.value} → ${person.analyst?.name ?? login ?? ''}`);
        written(res, `${person.name || email.value} now acts in LGD as ${person.analyst?.title ?? login ?? ''}.`, await mappingsNow());
      },
    },
    {
      name: 'settings: unmap a person',
      method: 'del',
      path: '/api/settings/mappings/:email',
      handler: async (req, res) => {
        const p = await allowed(req, res, 'map remove', 'triager');
        if (!p) return;
        const email = parseEmail(param(req, 'email'));
        const [known] = email.ok ? await d.people.byEmails([email.value]) : [];
        if (!email.ok || !known || known.mappedBy !== 'override') {
          res.send(404, { code: 'NotFound', message: 'Nobody with that e-mail has a mapping set by hand. Nothing was changed.' });
          return;
        }
        const person = await d.people.clearOverride(email.value);
        await audit(p, 'map remove', 'done', email.value);
        const now = person?.analyst ? `now acts in LGD as ${person.analyst.title} (found by ${person.mappedBy === 'email' ? 'e-mail' : 'login name'})` : 'is not linked to an LGD analyst now';
        written(res, `${known.name || email.value} ${now}.`, await mappingsNow());
      },
    },
    // ---------------------------------------------------------------- days off
    {
      name: 'settings: read days off',
      method: 'get',
      path: '/api/settings/days-off',
      handler: async (req, res) => {
        personOf(req);
        const q = parseOr400(res, daysOffQuery, req.query, 'BadQuery');
        if (!q) return;
        if (q.from && q.to && q.from > q.to) return sendBadInput(res, 'BadQuery', 'from', `${q.from} is after ${q.to}.`);
        res.send(200, await daysOffNow(q.from, q.to));
      },
    },
    {
      name: 'settings: add a day off',
      method: 'put',
      path: '/api/settings/days-off/:date',
      body: 'json',
      handler: async (req, res) => {
        const p = await allowed(req, res, 'day off', 'lead');
        if (!p) return;
        const date = param(req, 'date');
        if (!isIsoDate(date)) return sendBadInput(res, 'BadBody', 'date', 'The date must be a real date written YYYY-MM-DD. Nothing was changed.');
        const b = parseOr400(res, dayOffBody, req.body, 'BadBody');
        if (!b) return;
        if (!b.name.trim()) return sendBadInput(res, 'BadBody', 'name', 'Give the day off a name. Nothing was changed.');
        const parsed = parseDayOff(`${date} ${b.name}`);
        if (!parsed.ok) return sendBadInput(res, 'BadBody', 'name', `${parsed.message} Nothing was changed.`);
        const calendar = await d.calendar.current();
        const problem = dayOffRefusal(date, calendar.todayIn(d.now()), calendar);
        if (problem) {
          await audit(p, 'day off', 'refused', `${date}: ${problem}`);
          return sendBadInput(res, 'BadBody', 'date', `${problem} Nothing was changed.`);
        }
        const { added } = await d.daysOff.set(date, parsed.value.name, p.name);
        await audit(p, 'day off', 'done', `${date} ${parsed.value.name}${added ? '' : ' (renamed)'}`);
        written(res, `${withWeekday(date)} is ${added ? 'now' : 'still'} a day off: ${parsed.value.name}. It does not count as a working day.`, await daysOffNow());
      },
    },
    {
      name: 'settings: remove a day off',
      method: 'del',
      path: '/api/settings/days-off/:date',
      handler: async (req, res) => {
        const p = await allowed(req, res, 'day off remove', 'lead');
        if (!p) return;
        const date = param(req, 'date');
        const removed = isIsoDate(date) ? await d.daysOff.remove(date) : null;
        if (!removed) {
          res.send(404, { code: 'NotFound', message: 'There is no team day off on that date. Nothing was changed.' });
          return;
        }
        await audit(p, 'day off remove', 'done', `${date} ${removed.name}`);
        written(res, `${withWeekday(date)} (${removed.name}) is a working day again.`, await daysOffNow());
      },
    },
  ];
}
