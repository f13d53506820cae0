import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino, type Logger } from 'pino';
import type { ticketView } from '../../bot/api/tickets-route.js';
import { startTestApp } from '../support/test-app.js';
import {
  OTHER_GROUPS,
  TEAM_GROUP,
  seedMinimalLgd,
  startMinimalLgd,
  usDate,
  type FakeIncident,
  type MinimalLgdServer,
  type RecordedRequest,
} from '../support/minimal-lgd-server.js';

/**
 * The promise: pointed at any server that behaves as lgd-web-access-api.md describes,
 * the app logs on, pages through every ticket of the group and only those, follows changes and
 * logs on again when its session expires. The partner is test/support/minimal-lgd-server.ts,
 * written from the document alone: US minute-grained dates in New York, pages capped at 10,
 * paths without `wd/`, hash order, expired sessions redirected to the log-on page.
 */

type TicketView = ReturnType<typeof ticketView>;
type App = Awaited<ReturnType<typeof startTestApp>>;

const ZONE = 'America/New_York';
const T0 = new Date('2025-03-14T15:00:00Z');
const minutes = (n: number): Date => new Date(T0.getTime() + n * 60_000);
const toMinute = (d: Date): string => new Date(Math.floor(d.getTime() / 60_000) * 60_000).toISOString();
const CREDENTIALS = { LGD_USERNAME: 'svc.teams', LGD_PASSWORD: 'correct horse' };
const MAPPING = JSON.stringify({
  dateFormat: 'MM/dd/yyyy HH:mm',
  timeZone: ZONE,
  timeZoneKey: 'Eastern Standard Time',
  paths: { list: 'Query/List.rails', open: 'Object/Open.rails' },
});

/** A logger that keeps its JSON lines for assertions. */
function memoryLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { logger, lines };
}

async function startAgainst(server: MinimalLgdServer, logger: Logger, password = CREDENTIALS.LGD_PASSWORD): Promise<App> {
  return startTestApp(
    { LGD_URL: server.baseUrl, ...CREDENTIALS, LGD_PASSWORD: password, LGD_MAPPING: MAPPING, LGD_POLL_SECONDS: '3600' },
    { startWorker: false, logger },
  );
}

async function listTickets(app: App): Promise<TicketView[]> {
  const res = await fetch(`${app.url}/api/tickets?pageSize=200`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { total: number; items: TicketView[] };
  expect(body.items).toHaveLength(body.total);
  return body.items;
}

/** Runs one worker tick that includes a sync pass. */
async function syncTick(app: App): Promise<void> {
  await app.worker.tick({ forceSync: true });
}

const isIncidentList = (r: RecordedRequest): boolean => r.route === 'query/list.rails' && r.params.class_name === 'IncidentManagement.Incident';
const logons = (rs: readonly RecordedRequest[]): RecordedRequest[] => rs.filter((r) => r.route === 'logon/logon.rails');
const byNumber = (a: number, b: number): number => a - b;

describe('the app against a minimal, independently written LGD', () => {
  let server: MinimalLgdServer;
  let app: App;
  let logLines: Record<string, unknown>[];
  const inGroup = (): FakeIncident[] => [...server.incidents.values()].filter((i) => i.groupKey === server.groupKeyOf(TEAM_GROUP));
  const notesOf = (key: string): string[] => [...server.notes.values()].filter((n) => n.incidentKey === key).map((n) => n.text);
  const sinceTick = (from: number): RecordedRequest[] => server.requests.slice(from);
  const failures = (): Record<string, unknown>[] => logLines.filter((l) => l.msg === 'sync pass failed; it will be repeated');

  beforeAll(async () => {
    server = await startMinimalLgd({ username: CREDENTIALS.LGD_USERNAME, password: CREDENTIALS.LGD_PASSWORD });
    seedMinimalLgd(server, T0);
    const mem = memoryLogger();
    logLines = mem.lines;
    app = await startAgainst(server, mem.logger);
  });

  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  it('logs on, pages through every ticket of the group and lists only those', async () => {
    const group = inGroup();
    expect(group.length).toBeGreaterThanOrEqual(35);
    expect(server.incidents.size - group.length).toBeGreaterThanOrEqual(20);
    for (const g of OTHER_GROUPS) expect([...server.incidents.values()].filter((i) => i.groupKey === server.groupKeyOf(g)).length, g).toBeGreaterThan(0);

    await syncTick(app);

    expect(failures()).toEqual([]);
    const items = await listTickets(app);
    expect(new Set(items.map((t) => t.key))).toEqual(new Set(group.map((i) => i.key)));
    expect(items.map((t) => t.number).sort(byNumber)).toEqual(group.map((i) => i.id).sort(byNumber));
    expect(items.filter((t) => t.group !== TEAM_GROUP)).toEqual([]);

    // Dates are minute-grained US strings in New York time, across the March clock change.
    const view = new Map(items.map((t) => [t.key, t]));
    for (const i of group) {
      expect(view.get(i.key)?.lastUpdate, `ticket ${i.id}`).toBe(toMinute(i.lastUpdate));
      expect(view.get(i.key)?.raisedAt, `ticket ${i.id}`).toBe(toMinute(i.createdAt));
    }
    // Process states as the support process derives them from status, person and notes: a person
    // who was on the ticket before the app first saw it in the group is no triage decision.
    const expected = (i: FakeIncident): string => {
      if (i.status === 'Resolved' || i.status === 'Closed') return 'resolved';
      if (notesOf(i.key).some((t) => t.startsWith('Project'))) return 'project';
      const approved = notesOf(i.key).some((t) => t.startsWith('Approved'));
      if (i.userKey && approved) return 'owned';
      if (approved) return 'approved_unassigned';
      return 'needs_triage';
    };
    for (const i of group) expect(view.get(i.key)?.state, `ticket ${i.id}`).toBe(expected(i));
    expect(new Set(group.map(expected))).toEqual(new Set(['resolved', 'project', 'approved_unassigned', 'needs_triage']));
    const assignedBeforeTriage = group.filter((i) => i.userKey && expected(i) === 'needs_triage');
    expect(assignedBeforeTriage.length).toBeGreaterThan(0);
    for (const i of assignedBeforeTriage) expect(view.get(i.key)?.owner, `ticket ${i.id}`).toBe(server.analysts.get(i.userKey!)!.title);

    const log = server.requests;
    expect(log[0]).toMatchObject({ method: 'POST', path: 'wd/Logon/Logon.rails', logonOk: true, hadCookie: false });
    expect(log[1]).toMatchObject({ method: 'GET', route: 'logon/changetimezone.rails', params: { key: 'Eastern Standard Time' }, status: 200 });
    expect(logons(log)).toHaveLength(1);
    expect(log.filter((r) => !r.accept.includes('application/json'))).toEqual([]);
    expect(log.filter((r) => r.status !== 200)).toEqual([]);

    // One listing of the group, paged at the server's cap of 10, with the group as its only condition.
    const lists = log.filter(isIncidentList);
    expect(lists.map((r) => r.params.page)).toEqual(['1', '2', '3', '4']);
    for (const r of lists) {
      expect(r.path).toBe('Query/List.rails');
      expect(r.terms).toEqual([{ path: 'CurrentAssignment.Group.Title', op: 'e', value: TEAM_GROUP }]);
    }
    expect(lists.flatMap((r) => r.returnedKeys ?? []).sort()).toEqual(group.map((i) => i.key).sort());
    expect(log.filter((r) => r.route === 'object/open.rails')).toEqual([]);

    // Notes of each open ticket, by parent; reference data once.
    const open = group.filter((i) => expected(i) !== 'resolved');
    const noteLists = log.filter((r) => r.route === 'query/list.rails' && r.params.class_name === 'IncidentManagement.Note');
    expect(noteLists.map((r) => r.terms?.[0]?.value).sort()).toEqual(open.map((i) => i.key).sort());
    expect(noteLists.every((r) => r.terms?.length === 1 && r.terms[0]?.path === 'Incident' && r.terms[0].op === 'e')).toBe(true);
    const referenceClasses = log.filter((r) => r.route === 'query/list.rails' && !isIncidentList(r) && !noteLists.includes(r)).map((r) => r.params.class_name);
    expect(referenceClasses.sort()).toEqual(['IncidentManagement.ResolutionCategory', 'System.Analyst', 'System.SupportGroup']);
  });

  it('follows changes: edits, a new ticket, an Approved note, a ticket moved away and one resolved', async () => {
    const before = new Map((await listTickets(app)).map((t) => [t.key, t]));
    const untriaged = inGroup().filter((i) => before.get(i.key)?.state === 'needs_triage' && !i.userKey);
    const [edited, approved, moved, resolved] = untriaged;
    if (!edited || !approved || !moved || !resolved) throw new Error('the seed needs four untriaged tickets');
    const cursor = Math.max(...inGroup().map((i) => Math.floor(i.lastUpdate.getTime() / 60_000) * 60_000));
    const from = server.requests.length;

    Object.assign(edited, { status: 'With Customer', title: 'Outlook will not open after the update', lastUpdate: new Date(minutes(2).getTime() + 5_000) });
    const added = server.addIncident({
      title: 'New starter needs a laptop',
      description: 'Starts Monday',
      status: 'New',
      groupKey: server.groupKeyOf(TEAM_GROUP),
      userKey: null,
      raiseUser: 'Hiring Manager',
      priority: '3',
      category: 'Hardware',
      createdAt: minutes(3),
      lastUpdate: minutes(3),
    });
    server.addNote(approved.key, 'Approved by the team lead', minutes(4), 'Jane Doe');
    Object.assign(moved, { groupKey: server.groupKeyOf('LGSS-IT-Infrastructure'), lastUpdate: minutes(5) });
    Object.assign(resolved, { status: 'Resolved', lastUpdate: minutes(6) });

    await syncTick(app);

    expect(failures()).toEqual([]);
    const after = new Map((await listTickets(app)).map((t) => [t.key, t]));
    expect(after.size).toBe(before.size + 1);
    expect(after.get(edited.key)).toMatchObject({ title: 'Outlook will not open after the update', status: 'With Customer', state: 'needs_triage', lastUpdate: toMinute(edited.lastUpdate) });
    expect(after.get(added.key)).toMatchObject({ number: added.id, title: 'New starter needs a laptop', state: 'needs_triage', group: TEAM_GROUP });
    expect(after.get(approved.key)).toMatchObject({ state: 'approved_unassigned', decision: { kind: 'approved', source: 'lgd' } });
    expect(after.get(moved.key)).toMatchObject({ state: 'reassigned', group: 'LGSS-IT-Infrastructure' });
    expect(after.get(resolved.key)).toMatchObject({ state: 'resolved', status: 'Resolved' });
    const touched = new Set([edited.key, added.key, approved.key, moved.key, resolved.key]);
    for (const [key, t] of before) if (!touched.has(key)) expect(after.get(key)?.state, `ticket ${t.number}`).toBe(t.state);

    const tick = sinceTick(from);
    expect(logons(tick)).toEqual([]);
    const lists = tick.filter(isIncidentList);
    const groupLists = lists.filter((r) => r.terms?.some((t) => t.path === 'CurrentAssignment.Group.Title'));
    const idLists = lists.filter((r) => !groupLists.includes(r));
    // The poll: the group and LastUpdate after the cursor less the 65-minute overlap, in the session's format.
    expect(groupLists.length).toBeGreaterThan(0);
    for (const r of groupLists) {
      expect(r.terms).toEqual([
        { path: 'CurrentAssignment.Group.Title', op: 'e', value: TEAM_GROUP },
        { path: 'LastUpdate', op: 'gt', value: usDate(new Date(cursor - 65 * 60_000), ZONE) },
      ]);
    }
    // Everything else is the membership re-check: ticket numbers only, of the open tickets the poll did not return.
    const seen = new Set(groupLists.flatMap((r) => r.returnedKeys ?? []));
    expect(seen.has(moved.key)).toBe(false);
    const openBefore = [...before.values()].filter((t) => t.state !== 'resolved' && t.state !== 'reassigned');
    const expectedIds = openBefore.filter((t) => !seen.has(t.key)).map((t) => t.number);
    expect(expectedIds).toContain(moved.id);
    for (const r of idLists) expect(r.terms?.every((t) => t.path === 'Id' && t.op === 'e')).toBe(true);
    const checkedIds = idLists.flatMap((r) => r.terms?.map((t) => Number(t.value)) ?? []);
    expect([...new Set(checkedIds)].sort(byNumber)).toEqual(expectedIds.sort(byNumber));
    // The Approved note did not bump LastUpdate: it came from the notes poll by CreationDate.
    const notePoll = tick.filter((r) => r.params.class_name === 'IncidentManagement.Note' && r.terms?.[0]?.path === 'CreationDate');
    expect(notePoll.length).toBeGreaterThan(0);
    expect(notePoll.every((r) => r.terms?.length === 1 && r.terms[0]?.op === 'gt')).toBe(true);
  });

  it('sees a second change made in the same minute as the change the last poll read (minute-grained LastUpdate)', async () => {
    const ticket = inGroup().find((i) => i.status === 'Active' && !i.userKey && notesOf(i.key).length === 0);
    if (!ticket) throw new Error('the seed needs an untouched active ticket');
    Object.assign(ticket, { title: 'VPN drops every hour', lastUpdate: new Date(minutes(8).getTime() + 5_000) });
    await syncTick(app);
    expect((await listTickets(app)).find((t) => t.key === ticket.key)).toMatchObject({ title: 'VPN drops every hour', state: 'needs_triage' });

    // LGD renders both LastUpdates as the same minute, so LastUpdate alone cannot tell the versions
    // apart: a sync that skips tickets whose LastUpdate it already holds misses this change.
    Object.assign(ticket, { status: 'Resolved', lastUpdate: new Date(minutes(8).getTime() + 40_000) });
    await syncTick(app);

    expect(failures()).toEqual([]);
    expect((await listTickets(app)).find((t) => t.key === ticket.key)).toMatchObject({ status: 'Resolved', state: 'resolved' });
  });

  it.each(['redirect', '403'] as const)('logs on again when the session expires (%s) and the sync still succeeds', async (answer) => {
    const from = server.requests.length;
    const failed = failures().length;
    server.expireSessions(answer);
    const fresh = server.addIncident({
      title: `Printer jam after expiry (${answer})`,
      description: '',
      status: 'New',
      groupKey: server.groupKeyOf(TEAM_GROUP),
      userKey: null,
      raiseUser: 'Someone',
      priority: '4',
      category: 'Hardware',
      createdAt: minutes(answer === 'redirect' ? 10 : 12),
      lastUpdate: minutes(answer === 'redirect' ? 10 : 12),
    });

    await syncTick(app);

    expect(failures()).toHaveLength(failed);
    expect((await listTickets(app)).find((t) => t.key === fresh.key)).toMatchObject({ number: fresh.id, state: 'needs_triage' });
    const tick = sinceTick(from);
    expect(logons(tick)).toHaveLength(1);
    expect(logons(tick)[0]).toMatchObject({ logonOk: true, hadCookie: false });
    const [bounced, logon, zone, retried] = tick;
    expect(bounced).toMatchObject(answer === 'redirect' ? { status: 302, location: expect.stringMatching(/\/Logon\/Logon\.rails/) } : { status: 403 });
    expect(logon).toBe(logons(tick)[0]);
    expect(zone).toMatchObject({ route: 'logon/changetimezone.rails', status: 200 });
    expect(retried).toMatchObject({ path: bounced?.path, params: bounced?.params, status: 200 });
    expect(tick.slice(1).filter((r) => r.status !== 200)).toEqual([]);
  });
});

describe('the app against a minimal LGD that refuses its password', () => {
  let server: MinimalLgdServer;
  let app: App;
  let logLines: Record<string, unknown>[];

  beforeAll(async () => {
    server = await startMinimalLgd({ username: CREDENTIALS.LGD_USERNAME, password: CREDENTIALS.LGD_PASSWORD });
    seedMinimalLgd(server, T0);
    const mem = memoryLogger();
    logLines = mem.lines;
    app = await startAgainst(server, mem.logger, 'wrong password');
  });

  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  it('fails the sync with an auth error, lists nothing, and does not retry the log-on in a loop', async () => {
    await syncTick(app);
    expect(logons(server.requests)).toHaveLength(1);
    expect(logons(server.requests)[0]).toMatchObject({ logonOk: false, params: { Ecom_User_Password: '***' } });

    await syncTick(app);
    await syncTick(app);

    // The refusal is sticky (LgdAuthFailed until logon() is called), so repeated passes never
    // hammer the service account towards a lock-out: one attempt in three ticks.
    expect(logons(server.requests)).toHaveLength(1);
    expect(server.requests.filter((r) => r.route !== 'logon/logon.rails')).toEqual([]);
    // The first failure is logged with its cause; each repeat is one line with the code.
    const failed = logLines.filter((l) => l.msg === 'sync pass failed; it will be repeated');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 50, err: { code: 'LGD_AUTH_FAILED' } });
    expect(JSON.stringify(failed)).toContain('The user name or password is incorrect.');
    const again = logLines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('sync pass failed again'));
    expect(again.map((l) => [l.code, l.failedPasses])).toEqual([['LGD_AUTH_FAILED', 2], ['LGD_AUTH_FAILED', 3]]);
    for (const l of again) expect(l.err).toBeUndefined();
    expect(JSON.stringify(logLines)).not.toContain('wrong password');
    expect(await listTickets(app)).toEqual([]);
    // Operators see it without reading logs: /healthz stays 200 (the store is fine) but says why.
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'degraded',
      sync: { leader: true, lastSyncError: { code: 'LGD_AUTH_FAILED' } },
      degraded: [
        { part: 'sync.firstSync', code: 'FIRST_SYNC_RUNNING' },
        { part: 'lgd', code: 'LGD_AUTH_FAILED', message: expect.stringContaining('LGD_PASSWORD') },
      ],
    });
  });
});
