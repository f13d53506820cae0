import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino, type Logger } from 'pino';
import { LgdRefused, LgdUnavailable } from '../../bot/lgd/client/lgd-errors.js';
import type { ticketView } from '../../bot/api/tickets-route.js';
import type { HealthReport } from '../../bot/api/health-route.js';
import { startTestApp } from '../support/test-app.js';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.js';
import { cardAction, postActivity, testUser } from '../support/teams-activities.js';
import {
  TEAM_GROUP,
  seedMinimalLgd,
  startStrictMinimalLgd,
  type FakeIncident,
  type MinimalLgdServer,
  type StrictSite,
} from '../support/minimal-lgd-server.js';

/**
 * The promise: against a Web Access whose changeTimeZone.rails answers 404 and whose
 * service account may not list resolution categories, the tickets still sync; what is missing is
 * logged once, named on /healthz with LGD's own answer, and the Project form says why a ticket
 * cannot be resolved from Teams. The partner is test/support/minimal-lgd-server.ts playing a
 * strict site (written from the API document, not from the project's simulator).
 */

type TicketView = ReturnType<typeof ticketView>;
type App = Awaited<ReturnType<typeof startTestApp>>;

const ZONE = 'America/New_York';
const T0 = new Date('2025-03-14T15:00:00Z');
const toMinute = (d: Date): string => new Date(Math.floor(d.getTime() / 60_000) * 60_000).toISOString();
const CREDENTIALS = { LGD_USERNAME: 'svc.strict', LGD_PASSWORD: 'Str1ct-Secret-pw' };
const MAPPING = JSON.stringify({
  dateFormat: 'MM/dd/yyyy HH:mm',
  timeZone: ZONE,
  timeZoneKey: 'Eastern Standard Time',
  paths: { list: 'Query/List.rails', open: 'Object/Open.rails' },
});
const CATEGORY_CLASS = 'IncidentManagement.ResolutionCategory';
const lead = testUser(41, 'Lena Lead', 'lena.lead@example.org');

function memoryLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { logger, lines };
}

async function listTickets(app: App): Promise<{ complete: boolean; items: TicketView[] }> {
  const res = await fetch(`${app.url}/api/tickets?pageSize=200`);
  expect(res.status).toBe(200);
  return (await res.json()) as { complete: boolean; items: TicketView[] };
}

async function health(app: App): Promise<{ status: number; body: HealthReport }> {
  const res = await fetch(`${app.url}/healthz`);
  return { status: res.status, body: (await res.json()) as HealthReport };
}

async function startStrict(strict: StrictSite): Promise<MinimalLgdServer> {
  const server = await startStrictMinimalLgd({ username: CREDENTIALS.LGD_USERNAME, password: CREDENTIALS.LGD_PASSWORD }, strict);
  seedMinimalLgd(server, T0);
  return server;
}

describe('the app against a strict LGD: no time-zone switch, resolution categories hidden', () => {
  let server: MinimalLgdServer;
  let connector: RecordingConnector;
  let app: App;
  let lines: Record<string, unknown>[];
  const inGroup = (): FakeIncident[] => [...server.incidents.values()].filter((i) => i.groupKey === server.groupKeyOf(TEAM_GROUP));

  beforeAll(async () => {
    // The site renders dates in its own zone, which LGD_MAPPING's timeZone names.
    server = await startStrict({ noTimeZoneSwitch: true, hiddenClasses: [CATEGORY_CLASS], sessionZone: ZONE });
    connector = await startRecordingConnector({ roster: [{ id: lead.id, aadObjectId: lead.aadObjectId, name: lead.name, email: lead.email, userPrincipalName: lead.email }] });
    const mem = memoryLogger();
    lines = mem.lines;
    app = await startTestApp(
      { LGD_URL: server.baseUrl, ...CREDENTIALS, LGD_MAPPING: MAPPING, LGD_POLL_SECONDS: '3600', LEADS: lead.email },
      { startWorker: false, logger: mem.logger },
    );
  });

  afterAll(async () => {
    await app?.close();
    await connector?.close();
    await server?.close();
  });

  it('syncs every ticket of the group, its dates read in the zone LGD_MAPPING names', async () => {
    expect((await listTickets(app)).complete).toBe(false);

    await app.worker.tick({ forceSync: true });

    expect(lines.filter((l) => l.msg === 'sync pass failed; it will be repeated')).toEqual([]);
    const { complete, items } = await listTickets(app);
    expect(complete).toBe(true);
    const group = inGroup();
    expect(new Set(items.map((t) => t.key))).toEqual(new Set(group.map((i) => i.key)));
    const view = new Map(items.map((t) => [t.key, t]));
    for (const i of group) expect(view.get(i.key)?.lastUpdate, `ticket ${i.id}`).toBe(toMinute(i.lastUpdate));
    expect(server.requests.filter((r) => r.route === 'logon/changetimezone.rails').map((r) => r.status)).toEqual([404]);
  });

  it('names on /healthz what is degraded, with what LGD answered, and stays 200', async () => {
    const { status, body } = await health(app);
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.sync.lastSyncError).toBeNull();
    expect(body.sync.firstSync).toMatchObject({ complete: true });
    const parts = [...body.degraded].sort((a, b) => a.part.localeCompare(b.part));
    expect(parts).toEqual([
      {
        part: 'lgd.resolutionCategories',
        code: 'LGD_UNAVAILABLE',
        message: `LGD answered HTTP 500 (an HTML page): Class '${CATEGORY_CLASS}' not found, or you do not have permission to list it. to the list of resolution categories; the last copy is kept and the tickets sync on.`,
        lgdAnswer: `HTTP 500 (an HTML page): Class '${CATEGORY_CLASS}' not found, or you do not have permission to list it.`,
        since: expect.any(String),
      },
      {
        part: 'lgd.timeZoneSwitch',
        code: 'LGD_NO_TIMEZONE_SWITCH',
        message: `LGD answered HTTP 404 (an HTML page): 404 - File or directory not found. to its time-zone switch (wd/logon/changeTimeZone.rails); dates are read in ${ZONE}, the time zone LGD_MAPPING names`,
        lgdAnswer: 'HTTP 404 (an HTML page): 404 - File or directory not found.',
        since: expect.any(String),
      },
    ]);
    const text = JSON.stringify(body);
    expect(text).not.toContain('not answering');
    expect(text).not.toContain(CREDENTIALS.LGD_PASSWORD);
  });

  it('logs the missing switch once, though every log-on tries it again', async () => {
    server.expireSessions();
    await app.worker.tick({ forceSync: true });
    server.expireSessions('403');
    await app.worker.tick({ forceSync: true, refreshReference: true });

    expect(lines.filter((l) => l.msg === 'sync pass failed; it will be repeated')).toEqual([]);
    expect(server.requests.filter((r) => r.route === 'logon/changetimezone.rails')).toHaveLength(3);
    const zoneLines = lines.filter((l) => typeof l.msg === 'string' && l.msg.includes('time-zone switch'));
    expect(zoneLines).toHaveLength(1);
    expect(zoneLines[0]).toMatchObject({ level: 40, status: 404 });
    const listLines = lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('LGD refused the list of resolution categories'));
    expect(listLines).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain(CREDENTIALS.LGD_PASSWORD);
  });

  it('says on the Project form why the ticket cannot be resolved from here', async () => {
    const ticket = (await listTickets(app)).items.find((t) => t.state === 'needs_triage');
    if (!ticket) throw new Error('the seed has untriaged tickets');
    const stored = await app.tickets.get(ticket.key);
    const res = await postActivity(app.url, cardAction(connector.url, lead, 'projectForm', { ticketKey: ticket.key, v: stored?.version }));
    expect(res.status).toBe(200);
    const card = JSON.stringify((res.body as { value: unknown }).value);
    expect(card).toContain(
      `LGD’s resolution categories are not available (LGD answered HTTP 500 (an HTML page): Class '${CATEGORY_CLASS}' not found, or you do not have permission to list it.), so the ticket cannot be resolved from here`,
    );
  });

  it('makes every LGD error say what LGD answered, never a generic outage', async () => {
    const hidden = await app.lgd.listResolutionCategories().then(
      () => null,
      (err: unknown) => err,
    );
    expect(hidden).toBeInstanceOf(LgdUnavailable);
    expect((hidden as LgdUnavailable).userMessage).toBe(
      `LGD answered HTTP 500 (an HTML page): Class '${CATEGORY_CLASS}' not found, or you do not have permission to list it; nothing was changed. Please try again in a few minutes.`,
    );
    const missing = await app.lgd.openIncident(randomUUID()).then(
      () => null,
      (err: unknown) => err,
    );
    expect(missing).toBeInstanceOf(LgdRefused);
    expect((missing as LgdRefused).userMessage).toMatch(/^LGD refused this: No IncidentManagement\.Incident with key [0-9a-f-]+ \(HTTP 404\)$/);
  });
});

describe('a reference list LGD refuses after a first good refresh', () => {
  let server: MinimalLgdServer;
  let app: App;
  let lines: Record<string, unknown>[];
  const categoryTitles = async (): Promise<string[]> =>
    (await app.store.collection<{ _id: string; title: string }>('lgd_categories').find({}).toArray()).map((c) => c.title).sort();

  beforeAll(async () => {
    server = await startStrict({});
    const mem = memoryLogger();
    lines = mem.lines;
    app = await startTestApp({ LGD_URL: server.baseUrl, ...CREDENTIALS, LGD_MAPPING: MAPPING, LGD_POLL_SECONDS: '3600' }, { startWorker: false, logger: mem.logger });
  });

  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  it('keeps the last copy, syncs the tickets on, names the list on /healthz and recovers', async () => {
    await app.worker.tick({ forceSync: true });
    expect(await categoryTitles()).toEqual(['Fixed', 'No fault found']);
    expect((await health(app)).body).toMatchObject({ status: 'ok', degraded: [] });

    server.strict.hiddenClasses = [CATEGORY_CLASS];
    const fresh = server.addIncident({
      title: 'Scanner offline',
      description: '',
      status: 'New',
      groupKey: server.groupKeyOf(TEAM_GROUP),
      userKey: null,
      raiseUser: 'Someone',
      priority: '3',
      category: 'Hardware',
      createdAt: new Date(T0.getTime() + 60_000),
      lastUpdate: new Date(T0.getTime() + 60_000),
    });
    await app.worker.tick({ refreshReference: true });
    await app.worker.tick({ refreshReference: true });

    expect(server.requests.filter((r) => r.params.class_name === CATEGORY_CLASS && r.status === 500).length).toBeGreaterThanOrEqual(2);
    expect(await categoryTitles()).toEqual(['Fixed', 'No fault found']);
    expect((await listTickets(app)).items.find((t) => t.key === fresh.key)).toMatchObject({ state: 'needs_triage' });
    const h = await health(app);
    expect(h.status).toBe(200);
    expect(h.body.status).toBe('degraded');
    expect(h.body.degraded).toEqual([expect.objectContaining({ part: 'lgd.resolutionCategories', code: 'LGD_UNAVAILABLE' })]);
    expect(lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('LGD refused the list of resolution categories'))).toHaveLength(1);

    server.strict.hiddenClasses = [];
    await app.worker.tick({ refreshReference: true });
    expect((await health(app)).body).toMatchObject({ status: 'ok', degraded: [] });
    expect(lines.filter((l) => l.msg === 'LGD gives the resolution categories again')).toHaveLength(1);
  });
});

describe('the triage flow on a strict LGD (no time-zone switch, resolution categories hidden)', () => {
  const dev = testUser(42, 'Dora Dev', 'dora.dev@example.org');
  let server: MinimalLgdServer;
  let connector: RecordingConnector;
  let app: App;

  beforeAll(async () => {
    server = await startStrict({ noTimeZoneSwitch: true, hiddenClasses: [CATEGORY_CLASS], sessionZone: ZONE });
    for (const u of [lead, dev]) {
      const key = randomUUID();
      server.analysts.set(key, { key, title: u.name, name: u.email.split('@')[0]!, email: u.email });
    }
    connector = await startRecordingConnector({
      roster: [lead, dev].map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name, email: u.email, userPrincipalName: u.email })),
    });
    app = await startTestApp(
      { LGD_URL: server.baseUrl, ...CREDENTIALS, LGD_MAPPING: MAPPING, LGD_POLL_SECONDS: '3600', LEADS: lead.email },
      { startWorker: false, logger: pino({ level: 'silent' }) },
    );
    await app.worker.tick({ forceSync: true });
  });

  afterAll(async () => {
    await app?.close();
    await connector?.close();
    await server?.close();
  });

  it('approves, takes ownership and reassigns through the cards: LGD gets each write once', async () => {
    const act = async (user: typeof lead, verb: string, key: string, more: Record<string, unknown> = {}): Promise<string> => {
      const stored = await app.tickets.get(key);
      const res = await postActivity(app.url, cardAction(connector.url, user, verb, { ticketKey: key, v: stored?.version, ...more }));
      expect(res.status).toBe(200);
      return JSON.stringify((res.body as { value: unknown }).value);
    };
    const waiting = (await listTickets(app)).items.filter((t) => t.state === 'needs_triage' && t.owner === null);
    const [first, second] = waiting;
    if (!first || !second) throw new Error('the seed has at least two untriaged tickets with nobody on them');

    expect(await act(lead, 'approve', first.key)).toMatch(/Approved/);
    await app.worker.tick();
    expect(await act(dev, 'takeOwnership', first.key)).toMatch(/You own LGD/);
    await app.worker.tick();
    const otherGroup = [...server.groups.values()].find((g) => g.title === 'Service Desk')!;
    expect(await act(lead, 'reassign', second.key, { target: `group:${otherGroup.key}`, reason: 'Printer hardware' })).toMatch(/Reassigned to Service Desk/);
    await app.worker.tick();
    await app.worker.tick({ forceSync: true });

    const devKey = [...server.analysts.values()].find((a) => a.email === dev.email)!.key;
    expect(server.writes.filter((w) => w.incidentKey === first.key).map((w) => w.action)).toEqual(['AddNote', 'AddAssignment']);
    expect(server.assignmentsOf(first.key).map((w) => w.fields.User)).toEqual([devKey]);
    expect(server.writes.filter((w) => w.incidentKey === second.key).map((w) => w.action)).toEqual(['AddAssignment']);
    const after = new Map((await listTickets(app)).items.map((t) => [t.key, t]));
    expect(after.get(first.key)).toMatchObject({ state: 'owned', owner: 'Dora Dev', queuedForLgd: 0 });
    expect(after.get(second.key)).toMatchObject({ state: 'reassigned', group: 'Service Desk' });
  });
});
