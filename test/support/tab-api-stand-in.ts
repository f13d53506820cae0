/**
 * A STAND-IN for the tab's API, for the tab's front-end tests only: written from docs/tab-api.md
 * and typed by tab/src/api/contract.ts, with a small fixed team and queue in memory. It is not the
 * app's server (which runs the domain commands against the store: see bot/api/ and
 * test/tab/tab-real-server.test.ts). It also serves the built tab (tab/dist) under /tab/, same origin as /api, as the app
 * will. Listens on 127.0.0.1, port 0; records every API request for tests to read.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import {
  DEMO_PERSON_HEADER,
  ERROR_STATUS,
  LIMITS,
  PATTERN_DAYS,
  type ActionResponse,
  type ApiError,
  type Area,
  type AreasResponse,
  type DaysOffResponse,
  type DemoPerson,
  type ErrorCode,
  type InsightWeek,
  type InsightsResponse,
  type LeadsResponse,
  type LiveEventName,
  type MappingsResponse,
  type Me,
  type MeResponse,
  type PeopleResponse,
  type PersonLoad,
  type PersonRef,
  type ProjectDefaults,
  type QueueResponse,
  type QueueRow,
  type RotaDayView,
  type RotaDaySetting,
  type RotaResponse,
  type RotaWriteResponse,
  type SettingsWriteResponse,
  type Target,
  type TeamDayOff,
} from '../../tab/src/api/contract.js';

/** One request the stand-in received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  body: unknown;
}

export interface StandInOptions {
  /** `open` (demo people, X-Demo-Person) or `checked` (401 to everything: no tokens here). */
  mode: 'open' | 'checked';
  /** The built tab to serve under /tab/. */
  distDir: string;
  /** Offer `GET /api/events` (else 404, and `live.events: false`). */
  events?: boolean;
  pollSeconds?: number;
}

/** A running stand-in. */
export interface TabApiStandIn {
  url: string;
  requests: RecordedRequest[];
  /** Every API route answers 503 while down (the tab must keep its data and retry). */
  setDown(down: boolean): void;
  /** A change made elsewhere (Teams, LGD): a new ticket needing triage, announced as an event. */
  addTicket(row: Partial<QueueRow> & { number: number; title: string }): QueueRow;
  rows(): QueueRow[];
  close(): Promise<void>;
}

const TODAY = '2026-12-02';
const NEXT = '2026-12-03';
const TZ = 'Europe/London';
const NOW = `${TODAY}T10:30:00.000Z`;
const BANK_HOLIDAYS: TeamDayOff[] = [
  { date: '2026-12-25', name: 'Christmas Day' },
  { date: '2026-12-28', name: 'Boxing Day (substitute day)' },
  { date: '2027-01-01', name: "New Year's Day" },
];

interface StandInPerson extends DemoPerson {
  id: string;
  isLead: boolean;
  isRotaLeadToday: boolean;
  analystRef: { key: string; name: string; title: string } | null;
}

const PEOPLE: StandInPerson[] = [
  {
    id: 'demo:ann@example.org',
    email: 'ann@example.org',
    name: 'Ann Smith',
    roles: ['lead'],
    analyst: 'Ann Smith',
    isLead: true,
    isRotaLeadToday: false,
    analystRef: { key: 'an-ann', name: 'asmith', title: 'Ann Smith' },
  },
  {
    id: 'demo:olu@example.org',
    email: 'olu@example.org',
    name: 'Olu Okafor',
    roles: ['Operations Lead today', 'developer'],
    analyst: 'Olu Okafor',
    isLead: false,
    isRotaLeadToday: true,
    analystRef: { key: 'an-olu', name: 'ookafor', title: 'Olu Okafor' },
  },
  {
    id: 'demo:dana@example.org',
    email: 'dana@example.org',
    name: 'Dana Evans',
    roles: ['developer'],
    analyst: 'Dana Evans',
    isLead: false,
    isRotaLeadToday: false,
    analystRef: { key: 'an-dana', name: 'devans', title: 'Dana Evans' },
  },
  {
    id: 'demo:sam@example.org',
    email: 'sam@example.org',
    name: 'Sam Patel',
    roles: ['developer', 'not mapped'],
    analyst: null,
    isLead: false,
    isRotaLeadToday: false,
    analystRef: null,
  },
];

const noWarnings = (): QueueRow['warnings'] => ({ noUserUpdateToday: false, ownedTooLong: null, ownerOffTomorrow: null, queuedForLgd: 0, lgdRefused: null });

function row(p: Partial<QueueRow> & { number: number; title: string }): QueueRow {
  return {
    key: `k-${p.number}`,
    link: `https://lgd.example/ServiceDesk.WebAccess/wd/object/open.rails?class_name=IncidentManagement.Incident&key=k-${p.number}`,
    raisedBy: 'A. User',
    raisedAt: `${TODAY}T08:00:00.000Z`,
    ageWorkingDays: 0,
    state: 'needs_triage',
    status: 'Open',
    priority: '3',
    owner: null,
    assignedInLgd: null,
    decision: null,
    ownedSince: null,
    ownedWorkingDays: null,
    userLastHeard: null,
    resolvedAt: null,
    version: 1,
    ...p,
    warnings: { ...noWarnings(), ...(p.warnings ?? {}) },
  };
}

const STATE_ORDER = ['needs_triage', 'approved_unassigned', 'owned', 'project', 'resolved'];

/** The queue's display order (docs/tab-api.md): by state; needs triage and approved oldest first; owned by owner; project and resolved newest first. */
function displayOrder(rows: QueueRow[]): QueueRow[] {
  const t = (r: QueueRow): number => Date.parse(r.raisedAt);
  return [...rows].sort((a, b) => {
    const s = STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state);
    if (s !== 0) return s;
    if (a.state === 'owned') return (a.owner?.name ?? '').localeCompare(b.owner?.name ?? '') || Date.parse(a.ownedSince ?? '') - Date.parse(b.ownedSince ?? '');
    if (a.state === 'project' || a.state === 'resolved') return Date.parse(b.resolvedAt ?? '') - Date.parse(a.resolvedAt ?? '');
    return t(a) - t(b);
  });
}

const owner = (who: StandInPerson): QueueRow['owner'] => ({ key: who.analystRef!.key, name: who.name, email: who.email });

function initialRows(): QueueRow[] {
  const [, olu, dana] = PEOPLE as [StandInPerson, StandInPerson, StandInPerson, StandInPerson];
  return [
    row({ number: 40101, title: 'Payroll export fails with a timeout after the November release', raisedBy: 'Priya Shah', raisedAt: '2026-11-26T09:12:00.000Z', ageWorkingDays: 4 }),
    row({ number: 40112, title: 'Cannot attach PDFs to planning applications', raisedBy: 'Tom Reed', raisedAt: '2026-11-30T14:40:00.000Z', ageWorkingDays: 2, assignedInLgd: 'Dana Evans' }),
    row({ number: 40120, title: 'New starter needs access to the housing repairs dashboard', raisedBy: 'Jo Bloggs', raisedAt: `${TODAY}T08:05:00.000Z`, ageWorkingDays: 0 }),
    row({
      number: 40088,
      title: 'Council tax portal shows the wrong balance for some accounts',
      raisedBy: 'Mel Carter',
      raisedAt: '2026-11-24T10:00:00.000Z',
      ageWorkingDays: 6,
      state: 'approved_unassigned',
      decision: { kind: 'approved', by: 'Ann Smith', at: '2026-11-25T09:00:00.000Z', source: 'teams' },
      version: 3,
    }),
    row({
      number: 40070,
      title: 'Scheduled report e-mails arrive twice',
      raisedBy: 'Kim Lee',
      raisedAt: '2026-11-20T11:00:00.000Z',
      ageWorkingDays: 8,
      state: 'owned',
      owner: owner(olu),
      ownedSince: '2026-11-23T09:00:00.000Z',
      ownedWorkingDays: 7,
      userLastHeard: '2026-12-01T15:20:00.000Z',
      decision: { kind: 'approved', by: 'Ann Smith', at: '2026-11-23T08:30:00.000Z', source: 'lgd' },
      warnings: { ...noWarnings(), noUserUpdateToday: true, ownedTooLong: { workingDays: 7, agreed: false } },
      version: 9,
    }),
    row({
      number: 40095,
      title: 'Map layer for gritting routes is blank',
      raisedBy: 'Ravi Gupta',
      raisedAt: '2026-11-27T13:00:00.000Z',
      ageWorkingDays: 3,
      state: 'owned',
      owner: owner(dana),
      ownedSince: '2026-11-30T09:30:00.000Z',
      ownedWorkingDays: 2,
      userLastHeard: `${TODAY}T09:45:00.000Z`,
      decision: { kind: 'approved', by: 'Olu Okafor', at: '2026-11-30T09:00:00.000Z', source: 'teams' },
      warnings: { ...noWarnings(), ownerOffTomorrow: { nextWorkingDay: NEXT }, queuedForLgd: 1 },
      version: 5,
    }),
    row({
      number: 40060,
      title: 'Replace the bin collection calendar with the new supplier’s feed',
      raisedBy: 'Nia Jones',
      raisedAt: '2026-11-18T09:00:00.000Z',
      ageWorkingDays: 10,
      state: 'project',
      status: 'Resolved',
      decision: { kind: 'project', by: 'Ann Smith', at: '2026-11-30T16:00:00.000Z', source: 'teams' },
      resolvedAt: '2026-11-30T16:05:00.000Z',
      version: 7,
    }),
    row({
      number: 40052,
      title: 'Password reset link expired too early',
      raisedBy: 'Lee Ford',
      raisedAt: '2026-11-16T09:00:00.000Z',
      ageWorkingDays: 12,
      state: 'resolved',
      status: 'Resolved',
      owner: owner(dana),
      resolvedAt: '2026-12-01T11:00:00.000Z',
      userLastHeard: '2026-12-01T11:00:00.000Z',
      warnings: { ...noWarnings(), lgdRefused: null },
      version: 11,
    }),
  ];
}

/** Rota days as stored: only the days ever set. */
interface StoredDay {
  lead: PersonRef | null;
  support: PersonRef[] | null;
  setBy: string | null;
  updatedAt: string | null;
}

const DAY_MS = 86_400_000;
const addDays = (d: string, n: number): string => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const isoWeekday = (d: string): number => ((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const realDate = (s: unknown): s is string => typeof s === 'string' && ISO_DATE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const personRef = (p: StandInPerson): PersonRef => ({ name: p.name, email: p.email });

function initialRota(): Map<string, StoredDay> {
  const rota = new Map<string, StoredDay>();
  const [ann, olu, dana] = PEOPLE as [StandInPerson, StandInPerson, StandInPerson, StandInPerson];
  // This week and next: Olu leads Mon–Wed, Ann Thu–Fri; support lists set this week only.
  for (let i = 0; i < 12; i++) {
    const d = addDays('2026-11-30', i);
    const wd = isoWeekday(d);
    if (wd > 5) continue;
    const lead = i === 8 ? null : wd <= 3 ? olu : ann; // Wed 9 Dec: a gap
    rota.set(d, { lead: lead && personRef(lead), support: i < 5 ? (wd === 4 ? [personRef(olu)] : [personRef(olu), personRef(dana)]) : null, setBy: ann.name, updatedAt: '2026-11-27T12:00:00.000Z' });
  }
  return rota;
}

function insightsWeeks(n: number): InsightWeek[] {
  const lastMonday = '2026-11-30';
  const out: InsightWeek[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const k = n - 1 - i;
    out.push({
      weekStart: addDays(lastMonday, -7 * i),
      triageHours: { count: 6 + (k % 4), median: 3 + ((k * 7) % 9) / 2, p90: 12 + ((k * 5) % 11) },
      decisions: { approved: 4 + (k % 3), project: k % 2, reassigned: 1 + (k % 2) },
      dailyUpdateShare: 0.55 + ((k * 3) % 9) / 20,
      ticketsOverLimit: k % 3 === 0 ? 1 : 0,
      escalations: k % 4 === 1 ? 1 : 0,
      handBacks: k % 2,
    });
  }
  return out;
}

const MIME: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };

/** Starts a stand-in on 127.0.0.1 (port 0). */
export async function startTabApiStandIn(opts: StandInOptions): Promise<TabApiStandIn> {
  const events = opts.events ?? true;
  const pollSeconds = opts.pollSeconds ?? 15;
  const requests: RecordedRequest[] = [];
  let rows = initialRows();
  let down = false;
  let etagSeq = 1;
  const rota = initialRota();
  const areas: Area[] = [
    { area: 'Revenues and Benefits', contacts: ['pdm.revs@example.org'] },
    { area: 'Waste', contacts: ['dsa.waste@example.org', 'pdm.waste@example.org'] },
  ];
  const leads: PersonRef[] = [personRef(PEOPLE[0]!)];
  const daysOff: TeamDayOff[] = [{ date: '2026-12-24', name: 'Christmas Eve: team closed' }];
  const overrides = new Map<string, string>();
  const streams = new Set<ServerResponse>();

  const queueEtag = (): string => `q-${etagSeq}-${rows.map((r) => `${r.key}:${r.version}`).join(',').length}`;
  const bump = (): void => {
    etagSeq += 1;
  };
  const emit = (event: LiveEventName, data: unknown): void => {
    for (const s of streams) s.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, code: ErrorCode, message: string, extra: Partial<ApiError> = {}): void => send(res, ERROR_STATUS[code], { code, message, ...extra } satisfies ApiError);
  const withEtag = (req: IncomingMessage, res: ServerResponse, etag: string, body: unknown): void => {
    if (req.headers['if-none-match'] === `"${etag}"`) {
      res.writeHead(304, { ETag: `"${etag}"`, 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    send(res, 200, body, { ETag: `"${etag}"` });
  };

  const holidayOf = (d: string): TeamDayOff | undefined => BANK_HOLIDAYS.find((h) => h.date === d);
  const dayOffOf = (d: string): TeamDayOff | undefined => daysOff.find((h) => h.date === d);
  const dayView = (date: string): RotaDayView => {
    const wd = isoWeekday(date);
    const bank = holidayOf(date);
    const team = dayOffOf(date);
    const off: RotaDayView['off'] = wd > 5 ? { kind: 'weekend' } : bank ? { kind: 'bank_holiday', name: bank.name } : team ? { kind: 'team_day_off', name: team.name } : null;
    const s = rota.get(date);
    const working = off === null;
    const gaps: RotaDayView['gaps'] = [];
    if (working && !s?.lead) gaps.push('noLead');
    if (working && (s?.support ?? null) === null) gaps.push('supportNotSet');
    return { date, weekday: wd, working, off, lead: s?.lead ?? null, support: s?.support ?? null, gaps, setBy: s?.setBy ?? null, updatedAt: s?.updatedAt ?? null };
  };

  const meOf = (p: StandInPerson): Me => ({
    id: p.id,
    name: p.name,
    email: p.email,
    analyst: p.analystRef,
    isLead: leads.some((l) => l.email === p.email),
    isRotaLeadToday: p.isRotaLeadToday,
    canTriage: leads.some((l) => l.email === p.email) || p.isRotaLeadToday,
  });

  const meResponse = (p: StandInPerson | null): MeResponse => ({
    mode: 'open',
    me: p && meOf(p),
    mappingHint: p && !p.analystRef ? 'Ask a lead to map you: in Settings → People, or "map <your e-mail> to <your LGD login>" in the bot\'s chat.' : null,
    demoPeople: PEOPLE.map(({ email, name, roles, analyst }) => ({ email, name, roles, analyst })),
    team: { timeZone: TZ, today: TODAY, nextWorkingDay: NEXT, groups: ['LGSS-IT-Digital'] },
    guidelines: { maxOwnedTickets: 3, longWorkDays: 3, recentResolvedDays: 7 },
    lgdTicketLink: 'https://lgd.example/ServiceDesk.WebAccess/wd/object/open.rails?class_name=IncidentManagement.Incident&key={key}',
    live: { events, pollSeconds },
    serverTime: NOW,
  });

  const people = (): PeopleResponse => {
    const next = dayView(NEXT);
    const loads: PersonLoad[] = PEOPLE.map((p) => {
      const mine = rows.filter((r) => r.state === 'owned' && r.owner?.key === p.analystRef?.key);
      return {
        name: p.name,
        email: p.email,
        analyst: p.analystRef,
        known: true,
        owned: mine.length,
        overLimit: mine.length > 3,
        tickets: mine.map((r) => ({ key: r.key, number: r.number, title: r.title, link: r.link, ownedWorkingDays: r.ownedWorkingDays ?? 0, userUpdatedToday: !r.warnings.noUserUpdateToday, version: r.version })),
        updatesDueToday: mine.filter((r) => r.warnings.noUserUpdateToday).length,
        onSupportNextWorkingDay: next.support === null ? null : next.support.some((s) => s.email === p.email),
        leadNextWorkingDay: next.lead?.email === p.email,
      };
    });
    loads.sort((a, b) => b.owned - a.owned || a.name.localeCompare(b.name));
    return { etag: `p-${etagSeq}`, today: TODAY, nextWorkingDay: NEXT, maxOwnedTickets: 3, longWorkDays: 3, people: loads };
  };

  const readBody = async (req: IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 64 * 1024) throw new Error('too large');
      chunks.push(c as Buffer);
    }
    if (chunks.length === 0) return undefined;
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  };

  const ticketAction = (res: ServerResponse, who: StandInPerson, key: string, verb: string, body: Record<string, unknown>): void => {
    const idx = rows.findIndex((r) => r.key === key);
    const r = rows[idx];
    if (!r) return fail(res, 'TicketNotFound', 'That is not one of the team’s tickets; nothing was changed.');
    const me = meOf(who);
    if (!Number.isInteger(body.v) || (body.v as number) < 0) return fail(res, 'BadBody', 'v must be the version the view showed.', { field: 'v' });
    if (!who.analystRef) return fail(res, 'NotMapped', 'You are not linked to an LGD analyst yet. Ask a lead to map you: in Settings → People. Nothing was changed.');
    const moved = (what: string): void => fail(res, 'TicketMovedOn', `Ticket ${r.number} is ${what}, so it cannot be ${verb === 'take' ? 'taken' : `${verb}d`} now. Nothing was changed.`, { row: r });
    const triage = (): boolean => {
      if (me.canTriage) return true;
      fail(res, 'NotAllowed', "Only today's Operations Lead or a lead developer / scrum master can triage. Today that is Olu Okafor. Nothing was changed.");
      return false;
    };
    const open = ['needs_triage', 'approved_unassigned', 'owned'].includes(r.state);
    let next: QueueRow;
    let notice: ActionResponse['notice'];
    switch (verb) {
      case 'approve':
        if (!triage()) return;
        if (r.state !== 'needs_triage') return moved(r.state.replace('_', ' '));
        next = { ...r, state: 'approved_unassigned', decision: { kind: 'approved', by: who.name, at: NOW, source: 'teams' } };
        notice = { kind: 'info', text: `Approved LGD ${r.number}: it is support work, waiting for someone to take ownership.` };
        break;
      case 'take':
        if (r.state === 'owned') return fail(res, 'AlreadyOwned', `Ticket ${r.number} is already owned by ${r.owner?.name ?? 'someone else'}.`, { row: r });
        if (r.state !== 'approved_unassigned') return moved(r.state.replace('_', ' '));
        next = { ...r, state: 'owned', owner: { key: who.analystRef.key, name: who.name, email: who.email }, ownedSince: NOW, ownedWorkingDays: 0 };
        notice = { kind: 'info', text: `You own LGD ${r.number} now. Remember to update the user at least once a day.` };
        break;
      case 'reassign': {
        if (!me.canTriage && r.owner?.key !== who.analystRef.key) return void triage();
        if (typeof body.target !== 'string' || !/^(group|user):.+$/.test(body.target)) return fail(res, 'BadBody', 'Choose a group or a person from the list.', { field: 'target' });
        if (typeof body.reason !== 'string' || !body.reason.trim() || body.reason.length > LIMITS.reason) return fail(res, 'BadBody', 'Say why the ticket is being reassigned.', { field: 'reason' });
        if (!open) return moved(r.state);
        next = { ...r, state: 'resolved', status: 'Reassigned', resolvedAt: NOW };
        notice = { kind: 'info', text: `Reassigned to ${body.target.slice(body.target.indexOf(':') + 1)}.` };
        break;
      }
      case 'project':
        if (!triage()) return;
        if (typeof body.message !== 'string' || !body.message.trim() || body.message.length > LIMITS.userMessage) return fail(res, 'BadBody', 'Write the message to the user: LGD sends it to them.', { field: 'message' });
        if (typeof body.backlogTitle !== 'string' || !body.backlogTitle.trim()) return fail(res, 'BadBody', 'Give the backlog item a title.', { field: 'backlogTitle' });
        if (!open) return moved(r.state);
        next = { ...r, state: 'project', decision: { kind: 'project', by: who.name, at: NOW, source: 'teams' }, resolvedAt: NOW };
        notice = { kind: 'info', text: `Project work. "${body.backlogTitle}" goes to the backlog.` };
        break;
      case 'update-user':
        if (typeof body.text !== 'string' || !body.text.trim() || body.text.length > LIMITS.userMessage) return fail(res, 'BadBody', 'The message to the user is empty.', { field: 'text' });
        next = { ...r, userLastHeard: NOW, warnings: { ...r.warnings, noUserUpdateToday: false } };
        notice = { kind: 'info', text: `LGD will send your update to ${r.raisedBy ?? 'the user'}.` };
        break;
      default:
        return fail(res, 'NotFound', 'No such action.');
    }
    next = { ...next, version: r.version + 1, warnings: { ...next.warnings, queuedForLgd: next.warnings.queuedForLgd + 1 } };
    rows[idx] = next;
    bump();
    send(res, 200, { row: next, notice } satisfies ActionResponse);
    emit('ticket', { key: next.key, version: next.version, state: next.state });
  };

  const rotaWrite = (res: ServerResponse, who: StandInPerson, body: Record<string, unknown>): void => {
    if (!meOf(who).canTriage) return fail(res, 'NotAllowed', 'Only the Operations Lead of the day and the leads can change the rota. Nothing was changed.');
    const { from, to } = body;
    if (!realDate(from)) return fail(res, 'BadBody', 'from must be a YYYY-MM-DD date.', { field: 'from' });
    if (!realDate(to) || to < from) return fail(res, 'BadBody', 'to must be a YYYY-MM-DD date on or after from.', { field: 'to' });
    if (from < TODAY) return fail(res, 'BadBody', 'The rota cannot be changed for days already past.', { field: 'from' });
    const known = (e: unknown, field: string): PersonRef | string => {
      if (typeof e !== 'string' || !EMAIL.test(e)) return `${field}: not an e-mail address.`;
      const p = PEOPLE.find((x) => x.email === e.toLowerCase());
      return p ? personRef(p) : `${e} is neither a team member nor a mapped person.`;
    };
    const settingOf = (s: RotaDaySetting, field: string): { lead?: PersonRef | null; support?: PersonRef[] | null } | { error: string; field: string } => {
      const out: { lead?: PersonRef | null; support?: PersonRef[] | null } = {};
      if (s.lead === null) out.lead = null;
      else if (s.lead !== undefined) {
        const p = known(s.lead, `${field}lead`);
        if (typeof p === 'string') return { error: p, field: `${field}lead` };
        out.lead = p;
      }
      if (s.support === null) out.support = null;
      else if (s.support !== undefined) {
        if (!Array.isArray(s.support) || s.support.length > LIMITS.support) return { error: 'support must be a list of at most 20 e-mails.', field: `${field}support` };
        const list: PersonRef[] = [];
        for (const [i, e] of s.support.entries()) {
          const p = known(e, `${field}support.${i}`);
          if (typeof p === 'string') return { error: p, field: `${field}support.${i}` };
          list.push(p);
        }
        out.support = list;
      }
      return out;
    };
    const pattern = body.pattern as Record<string, RotaDaySetting> | undefined;
    if (pattern !== undefined && ('lead' in body || 'support' in body)) return fail(res, 'BadBody', 'Send a pattern or a lead/support, not both.', { field: 'pattern' });
    const perDay = new Map<number, ReturnType<typeof settingOf>>();
    if (pattern) {
      for (const [i, day] of PATTERN_DAYS.entries()) {
        if (!pattern[day]) continue;
        const s = settingOf(pattern[day], `pattern.${day}.`);
        if ('error' in s) return fail(res, 'BadBody', s.error, { field: s.field });
        perDay.set(i + 1, s);
      }
      if (perDay.size === 0) return fail(res, 'BadBody', 'Set a lead or people on support for at least one weekday.', { field: 'pattern' });
    } else {
      const s = settingOf(body, '');
      if ('error' in s) return fail(res, 'BadBody', s.error, { field: s.field });
      if (!('lead' in s) && !('support' in s)) return fail(res, 'BadBody', 'Choose an Operations Lead or the people on support.', { field: 'lead' });
      for (let wd = 1; wd <= 5; wd++) perDay.set(wd, s);
    }
    const days: RotaDayView[] = [];
    const skipped: RotaWriteResponse['skipped'] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) {
      const view = dayView(d);
      if (!view.working) {
        skipped.push({ date: d, reason: view.off?.kind ?? 'weekend' });
        continue;
      }
      const s = perDay.get(view.weekday);
      if (!s || 'error' in s) {
        skipped.push({ date: d, reason: 'not_in_pattern' });
        continue;
      }
      const had = rota.get(d) ?? { lead: null, support: null, setBy: null, updatedAt: null };
      rota.set(d, { lead: 'lead' in s ? (s.lead ?? null) : had.lead, support: 'support' in s ? (s.support ?? null) : had.support, setBy: who.name, updatedAt: NOW });
      days.push(dayView(d));
    }
    bump();
    send(res, 200, { days, skipped, notice: { kind: 'info', text: `Rota set for ${days.length} working day${days.length === 1 ? '' : 's'}; ${skipped.length} skipped.` } } satisfies RotaWriteResponse);
    emit('rota', { from, to });
  };

  const settings = async (req: IncomingMessage, res: ServerResponse, who: StandInPerson, parts: string[]): Promise<void> => {
    const [what, item] = [parts[0], parts[1] === undefined ? undefined : decodeURIComponent(parts[1])];
    const method = req.method ?? 'GET';
    const current = (): unknown => {
      if (what === 'areas') return { areas } satisfies AreasResponse;
      if (what === 'leads') return { leads } satisfies LeadsResponse;
      if (what === 'days-off') return { daysOff, bankHolidays: BANK_HOLIDAYS } satisfies DaysOffResponse;
      return {
        mappings: PEOPLE.map((p) => ({
          personId: p.id,
          name: p.name,
          email: p.email,
          analyst: overrides.has(p.email) ? { key: `an-${overrides.get(p.email)}`, name: overrides.get(p.email)!, title: overrides.get(p.email)! } : p.analystRef,
          mappedBy: overrides.has(p.email) ? 'override' : p.analystRef ? 'email' : null,
        })),
      } satisfies MappingsResponse;
    };
    if (!['areas', 'leads', 'mappings', 'days-off'].includes(what ?? '')) return fail(res, 'NotFound', 'No such settings list.');
    if (method === 'GET' && item === undefined) return send(res, 200, current());
    if (!meOf(who).isLead) return fail(res, 'NotAllowed', 'Only the team’s leads can change settings. Nothing was changed.');
    if (item === undefined || (method !== 'PUT' && method !== 'DELETE')) return fail(res, 'NotFound', 'Name the item to change.');
    const body = (method === 'PUT' ? ((await readBody(req)) ?? {}) : {}) as Record<string, unknown>;
    let text: string;
    if (what === 'areas') {
      if (method === 'PUT') {
        const contacts = body.contacts;
        if (!Array.isArray(contacts) || contacts.some((c) => typeof c !== 'string' || !EMAIL.test(c))) return fail(res, 'BadBody', 'Contacts must be e-mail addresses.', { field: 'contacts' });
        const had = areas.find((a) => a.area.toLowerCase() === item.toLowerCase());
        if (had) had.contacts = contacts as string[];
        else areas.push({ area: item, contacts: contacts as string[] });
        text = `Area ${item} saved.`;
      } else {
        const i = areas.findIndex((a) => a.area.toLowerCase() === item.toLowerCase());
        if (i < 0) return fail(res, 'NotFound', `There is no area ${item}.`);
        areas.splice(i, 1);
        text = `Area ${item} removed.`;
      }
    } else if (what === 'leads') {
      if (!EMAIL.test(item)) return fail(res, 'BadBody', `${item} is not an e-mail address.`, { field: 'email' });
      if (method === 'PUT') {
        if (!leads.some((l) => l.email === item)) leads.push({ name: PEOPLE.find((p) => p.email === item)?.name ?? item, email: item });
        text = `${item} is a lead now.`;
      } else {
        if (leads.length <= 1) return fail(res, 'Refused', `${item} is the last lead: add another lead first, so someone can still manage the team.`);
        const i = leads.findIndex((l) => l.email === item);
        if (i < 0) return fail(res, 'NotFound', `${item} is not a lead.`);
        leads.splice(i, 1);
        text = `${item} is no longer a lead.`;
      }
    } else if (what === 'mappings') {
      if (!PEOPLE.some((p) => p.email === item)) return fail(res, 'BadBody', `The app does not know ${item}.`, { field: 'email' });
      if (method === 'PUT') {
        if (typeof body.analyst !== 'string' || !body.analyst.trim()) return fail(res, 'BadBody', 'Name the LGD login.', { field: 'analyst' });
        overrides.set(item, body.analyst.trim());
        text = `${item} is mapped to ${body.analyst.trim()}.`;
      } else {
        overrides.delete(item);
        text = `${item} is mapped automatically again.`;
      }
    } else {
      if (!realDate(item) || item < TODAY) return fail(res, 'BadBody', 'Choose a date from today on.', { field: 'date' });
      if (method === 'PUT') {
        if (typeof body.name !== 'string' || !body.name.trim() || body.name.length > LIMITS.dayOffName) return fail(res, 'BadBody', 'Say what the day is.', { field: 'name' });
        const had = daysOff.find((d) => d.date === item);
        if (had) had.name = body.name.trim();
        else daysOff.push({ date: item, name: body.name.trim() });
        daysOff.sort((a, b) => a.date.localeCompare(b.date));
        text = `${item} is a team day off.`;
      } else {
        const i = daysOff.findIndex((d) => d.date === item);
        if (i < 0) return fail(res, 'NotFound', `${item} is not a team day off.`);
        daysOff.splice(i, 1);
        text = `${item} is a working day again.`;
      }
      emit('rota', { from: item, to: item });
    }
    bump();
    send(res, 200, { notice: { kind: 'info', text }, value: current() } satisfies SettingsWriteResponse<unknown>);
    emit('settings', { what });
  };

  const api = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const query = Object.fromEntries(url.searchParams);
    const path = url.pathname.slice('/api'.length);
    let body: unknown;
    const method = req.method ?? 'GET';
    if (method === 'POST' || method === 'PUT') {
      try {
        body = await readBody(req);
      } catch {
        return fail(res, 'BadBody', 'The body is not JSON (or is larger than 64 KB).');
      }
    }
    requests.push({ method, path, query, headers: { authorization: req.headers.authorization, 'x-demo-person': req.headers[DEMO_PERSON_HEADER.toLowerCase()] as string | undefined }, body });
    if (down) return fail(res, 'StoreUnavailable', 'The app could not read its data just now; nothing was changed.');

    if (opts.mode === 'checked') return fail(res, 'Unauthorized', 'Sign-in is required: open LGD Support in Teams, which signs you in.');
    const demo = String(req.headers[DEMO_PERSON_HEADER.toLowerCase()] ?? '').toLowerCase();
    const who = PEOPLE.find((p) => p.email === demo) ?? null;
    if (path === '/me' && method === 'GET') return send(res, 200, meResponse(who));
    if (!who) return fail(res, 'ChooseDemoPerson', 'Choose a demo person first.');

    const parts = path.split('/').filter(Boolean);
    if (method === 'GET' && path === '/queue') {
      const days = query.resolvedDays === undefined ? 7 : Number(query.resolvedDays);
      if (!Number.isInteger(days) || days < 0 || days > LIMITS.resolvedDays) return fail(res, 'BadQuery', 'resolvedDays must be a whole number from 0 to 30.', { field: 'resolvedDays' });
      const etag = queueEtag();
      return withEtag(req, res, etag, {
        etag,
        generatedAt: NOW,
        complete: true,
        firstSync: null,
        lgd: { state: 'ok', since: null, message: null },
        resolvedDays: days,
        rows: displayOrder(rows.filter((r) => r.status !== 'Reassigned')),
        truncated: false,
      } satisfies QueueResponse);
    }
    if (parts[0] === 'tickets' && parts.length === 3) {
      const key = decodeURIComponent(parts[1]!);
      if (method === 'POST') return ticketAction(res, who, key, parts[2]!, (body ?? {}) as Record<string, unknown>);
      if (method === 'GET' && parts[2] === 'project-defaults') {
        const r = rows.find((x) => x.key === key);
        if (!r) return fail(res, 'TicketNotFound', 'That is not one of the team’s tickets.');
        return send(res, 200, {
          message: `Hello, thank you for raising LGD ${r.number}. This is a request for new work rather than a fault, so we have passed it to the project team, who will be in touch. — ${who.name}, LGSS IT Digital`,
          backlogTitle: r.title,
          areas,
        } satisfies ProjectDefaults);
      }
    }
    if (method === 'GET' && path === '/targets') {
      const q = (query.q ?? '').toLowerCase();
      if (q.length > LIMITS.targetsQuery) return fail(res, 'BadQuery', 'q is too long.', { field: 'q' });
      const all: Target[] = [
        { value: 'group:g-sd', kind: 'group', title: 'Service Desk', email: null },
        { value: 'group:g-infra', kind: 'group', title: 'Infrastructure', email: null },
        { value: 'group:g-digital', kind: 'group', title: 'LGSS-IT-Digital', email: null },
        ...PEOPLE.filter((p) => p.analystRef).map((p) => ({ value: `user:${p.analystRef!.key}`, kind: 'user' as const, title: p.name, email: p.email })),
      ];
      return send(res, 200, { results: all.filter((t) => t.title.toLowerCase().includes(q) || (t.email ?? '').includes(q)).slice(0, 15) });
    }
    if (method === 'GET' && path === '/areas') return send(res, 200, { areas } satisfies AreasResponse);
    if (method === 'GET' && path === '/rota') {
      const from = query.from ?? '2026-11-30';
      const to = query.to ?? addDays(from, 27);
      if (!realDate(from) || !realDate(to) || to < from) return fail(res, 'BadQuery', 'from and to must be YYYY-MM-DD dates, from before to.', { field: realDate(from) ? 'to' : 'from' });
      const days: RotaDayView[] = [];
      for (let d = from; d <= to; d = addDays(d, 1)) days.push(dayView(d));
      const etag = `r-${etagSeq}-${from}-${to}`;
      return withEtag(req, res, etag, { etag, timeZone: TZ, from, to, days, today: dayView(TODAY), nextWorkingDay: dayView(NEXT) } satisfies RotaResponse);
    }
    if (method === 'PUT' && path === '/rota') return rotaWrite(res, who, (body ?? {}) as Record<string, unknown>);
    if (method === 'GET' && path === '/people') {
      const p = people();
      return withEtag(req, res, p.etag, p);
    }
    if (method === 'GET' && path === '/insights') {
      const weeks = query.weeks === undefined ? 12 : Number(query.weeks);
      if (!Number.isInteger(weeks) || weeks < 1 || weeks > LIMITS.insightsWeeks) return fail(res, 'BadQuery', 'weeks must be a whole number from 1 to 52.', { field: 'weeks' });
      return send(res, 200, { weeks: insightsWeeks(weeks), computedAt: NOW, timeZone: TZ, longWorkDays: 3, maxOwnedTickets: 3 } satisfies InsightsResponse);
    }
    if (parts[0] === 'settings') return settings(req, res, who, parts.slice(1));
    if (method === 'GET' && path === '/events' && events) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(`event: hello\ndata: ${JSON.stringify({ serverTime: NOW, queueEtag: queueEtag() })}\n\n`);
      streams.add(res);
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 20_000);
      req.on('close', () => {
        clearInterval(keepAlive);
        streams.delete(res);
      });
      return;
    }
    return fail(res, 'NotFound', `No route ${method} /api${path}.`);
  };

  const statics = async (res: ServerResponse, pathname: string): Promise<void> => {
    const rel = pathname === '/tab/' || pathname === '/tab' ? 'index.html' : pathname.slice('/tab/'.length);
    const file = normalize(join(opts.distDir, rel));
    if (!file.startsWith(opts.distDir + sep) && file !== join(opts.distDir, 'index.html')) {
      res.writeHead(404).end();
      return;
    }
    try {
      const data = await readFile(file);
      res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
      res.end(data);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const handle = url.pathname.startsWith('/api/') ? api(req, res, url) : url.pathname.startsWith('/tab') ? statics(res, url.pathname) : Promise.resolve(void res.writeHead(404).end());
    handle.catch((err: unknown) => {
      if (!res.headersSent) fail(res, 'StoreUnavailable', `The stand-in failed: ${String(err)}`);
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setDown: (d) => {
      down = d;
    },
    addTicket: (p) => {
      const r = row({ ...p, key: p.key ?? `k-${p.number}` });
      rows = [r, ...rows];
      bump();
      emit('ticket', { key: r.key, version: r.version, state: r.state });
      return r;
    },
    rows: () => rows,
    close: async () => {
      for (const s of streams) s.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
