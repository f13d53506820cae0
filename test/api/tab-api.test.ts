/**
 * The tab's API for the queue and the ticket actions, over real HTTP against the real app (open
 * mode, X-Demo-Person), with the LGD simulator and the recording connector: the same rules, the
 * same outbox and the same cards as the Teams buttons; bad input answers 400/404 and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimIncident } from '../../bot/lgd/simulator/sim-state.js';
import type { ActionResponse, ApiError, AreasResponse, MeResponse, ProjectDefaults, QueueResponse, TargetsResponse } from '../../tab/src/api/contract.js';
import { testUser, type TestUser } from '../support/teams-activities.js';
import { startTeamsWorld, until, type TeamsWorld } from '../support/teams-world.js';

const ann = testUser(21, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(22, 'Dev One', 'dev.one@lgd.example');
const dev2 = testUser(23, 'Dev Two', 'dev.two@lgd.example');
const sam = testUser(24, 'Sam Unmapped', 'sam.unmapped@lgd.example');
const AREAS = JSON.stringify([{ area: 'Adult Social Care', contacts: ['pam.pdm@lgd.example'] }]);

let w: TeamsWorld;
const inc: Record<string, SimIncident> = {};

beforeAll(async () => {
  w = await startTeamsWorld({
    users: [ann, dev1, dev2, sam],
    analysts: [ann, dev1, dev2],
    leads: [ann.email],
    env: { AREAS },
    seed: (sim, team) => {
      sim.state.addGroup('Service Desk');
      for (const k of ['A', 'B', 'C', 'D', 'E', 'F']) {
        inc[k] = sim.state.raiseIncident({ title: `Tab ticket ${k}`, description: `Something about ${k}`, groupKey: team.guid, status: 'Active', raiseUser: 'Pat User' });
      }
      // Resolved in LGD weeks before the app first saw it: history, not the queue's recent work.
      inc.OLD = sim.state.raiseIncident({ title: 'Tab ticket resolved long ago', groupKey: team.guid, status: 'Resolved', raiseUser: 'Pat User', at: new Date(Date.now() - 40 * 86_400_000) });
    },
  });
  await w.install(ann);
}, 60_000);
afterAll(async () => {
  await w?.close();
});

type Answer<T> = { status: number; body: T; headers: Headers };
async function call<T>(method: string, path: string, as: TestUser | null, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const res = await fetch(`${w.app.url}${path}`, {
    method,
    headers: { ...(as ? { 'x-demo-person': as.email } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}
const get = <T>(path: string, as: TestUser | null, headers?: Record<string, string>) => call<T>('GET', path, as, undefined, headers);
const post = <T>(path: string, as: TestUser | null, body: unknown) => call<T>('POST', path, as, body);
const ticket = async (k: string) => (await w.app.tickets.get(inc[k]!.key))!;
const v = async (k: string) => (await ticket(k)).version;
const rowOf = (q: QueueResponse, k: string) => q.rows.find((r) => r.key === inc[k]!.key);

describe('GET /api/me', () => {
  it('answers without a demo person in open mode, listing the people to choose from with their roles', async () => {
    const r = await get<MeResponse>('/api/me', null);
    expect(r.status).toBe(200);
    expect(r.body.mode).toBe('open');
    expect(r.body.me).toBeNull();
    const byEmail = new Map(r.body.demoPeople!.map((p) => [p.email, p]));
    expect(byEmail.get(ann.email)?.roles).toContain('lead');
    expect(byEmail.get(dev1.email)).toMatchObject({ roles: ['developer'], analyst: 'Dev One' });
    expect(byEmail.get(sam.email)?.roles).toEqual(['developer', 'not mapped']);
    expect(r.body.team.groups).toEqual(['LGSS-IT-Digital']);
    expect(r.body.guidelines).toEqual({ maxOwnedTickets: 3, longWorkDays: 3, recentResolvedDays: 7 });
    expect(r.body.lgdTicketLink).toContain('{key}');
  });

  it('says who is asking, as the server sees them', async () => {
    const lead = (await get<MeResponse>('/api/me', ann)).body;
    expect(lead.me).toMatchObject({ id: `demo:${ann.email}`, email: ann.email, isLead: true, canTriage: true, analyst: { title: 'Ann Lead' } });
    const dev = (await get<MeResponse>('/api/me', dev1)).body;
    expect(dev.me).toMatchObject({ isLead: false, canTriage: false, analyst: { title: 'Dev One' } });
    expect(dev.mappingHint).toBeNull();
    const unmapped = (await get<MeResponse>('/api/me', sam)).body;
    expect(unmapped.me?.analyst).toBeNull();
    expect(unmapped.mappingHint).toContain(`map ${sam.email} to <your LGD login>`);
  });
});

describe('GET /api/queue', () => {
  it('shows the simulator’s tickets needing triage, oldest first, with their warnings always present', async () => {
    const r = await get<QueueResponse>('/api/queue', dev1);
    expect(r.status).toBe(200);
    expect(r.body.complete).toBe(true);
    expect(r.body.lgd.state).toBe('ok');
    const mine = r.body.rows.filter((row) => row.title.startsWith('Tab ticket'));
    expect(mine.map((row) => row.title)).toEqual(['A', 'B', 'C', 'D', 'E', 'F'].map((k) => `Tab ticket ${k}`));
    expect(mine[0]).toMatchObject({ state: 'needs_triage', raisedBy: 'Pat User', owner: null, ageWorkingDays: 0, warnings: { noUserUpdateToday: false, ownedTooLong: null, ownerOffTomorrow: null, queuedForLgd: 0, lgdRefused: null } });
    expect(mine[0]!.link).toContain(encodeURIComponent(inc.A!.key));
  });

  it('sends an ETag and answers 304 to a matching If-None-Match, and a new etag once a row changes', async () => {
    const first = await get<QueueResponse>('/api/queue', dev1);
    const etag = first.headers.get('etag');
    expect(etag).toBe(`"${first.body.etag}"`);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const again = await fetch(`${w.app.url}/api/queue`, { headers: { 'x-demo-person': dev1.email, 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    w.sim.state.raiseIncident({ title: 'Tab ticket late arrival', description: 'x', groupKey: w.team.guid, status: 'Active', raiseUser: 'Pat User' });
    await w.sync();
    const changed = await get<QueueResponse>('/api/queue', dev1, { 'if-none-match': etag! });
    expect(changed.status).toBe(200);
    expect(changed.body.etag).not.toBe(first.body.etag);
    expect(changed.body.rows.some((r) => r.title === 'Tab ticket late arrival')).toBe(true);
  });

  it('refuses bad query parameters with 400 BadQuery naming the field', async () => {
    for (const q of ['resolvedDays=31', 'resolvedDays=-1', 'resolvedDays=abc', 'resolvedDays[$gt]=1', 'sort=title']) {
      const r = await get<ApiError>(`/api/queue?${q}`, dev1);
      expect(r.status, q).toBe(400);
      expect(r.body.code, q).toBe('BadQuery');
      expect(r.body.field, q).toBeDefined();
    }
  });

  it('needs a demo person in open mode', async () => {
    const r = await get<ApiError>('/api/queue', null);
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('ChooseDemoPerson');
  });
});

describe('ticket actions', () => {
  it('a developer approving gets 403 NotAllowed and nothing changes', async () => {
    const before = await ticket('A');
    const audits = (await w.app.repos.audit.list()).length;
    const r = await post<ApiError>(`/api/tickets/${inc.A!.key}/approve`, dev1, { v: before.version });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('NotAllowed');
    expect(r.body.message).toMatch(/Only today's Operations Lead or a lead developer \/ scrum master can triage/);
    const after = await ticket('A');
    expect(after.version).toBe(before.version);
    expect(after.outbox).toHaveLength(0);
    const trail = (await w.app.repos.audit.list()).sort((a, b) => a.at.getTime() - b.at.getTime());
    expect(trail.length).toBe(audits + 1);
    expect(trail.at(-1)).toMatchObject({ action: 'approve', outcome: 'not_allowed', source: 'tab' });
  });

  it('an unmapped person gets 403 NotMapped saying how to get mapped, and nothing changes', async () => {
    const before = await ticket('A');
    const r = await post<ApiError>(`/api/tickets/${inc.A!.key}/take`, sam, { v: before.version });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('NotMapped');
    expect(r.body.message).toContain(`map ${sam.email} to <your LGD login>`);
    expect((await ticket('A')).version).toBe(before.version);
  });

  it('a forged key is a 404 and a bad body a 400 naming the field; neither changes anything', async () => {
    const before = await ticket('A');
    expect((await post<ApiError>('/api/tickets/not-a-ticket-key/approve', ann, { v: 1 })).body.code).toBe('TicketNotFound');
    expect((await post<ApiError>('/api/tickets/%24where/approve', ann, { v: 1 })).status).toBe(404);
    expect((await post<ApiError>(`/api/tickets/${inc.A!.key}/frobnicate`, ann, { v: 1 })).status).toBe(404);
    const cases: [string, unknown, string][] = [
      ['approve', {}, 'v'],
      ['approve', { v: -1 }, 'v'],
      ['approve', { v: '1' }, 'v'],
      ['approve', { v: 1, extra: true }, 'extra'],
      ['approve', { v: { $gt: 0 } }, 'v'],
      ['reassign', { v: 1, target: 'somewhere', reason: 'x' }, 'target'],
      ['reassign', { v: 1, target: `group:${w.team.guid}`, reason: '  ' }, 'reason'],
      ['project', { v: 1, message: 'm', area: null, backlogTitle: 'x'.repeat(201) }, 'backlogTitle'],
      ['project', { v: 1, message: 'm', area: null, backlogTitle: 't', contacts: ['not an address'] }, 'contacts.0'],
    ];
    for (const [verb, body, field] of cases) {
      const r = await post<ApiError>(`/api/tickets/${inc.A!.key}/${verb}`, ann, body);
      expect(r.status, `${verb} ${JSON.stringify(body)}`).toBe(400);
      expect(r.body, `${verb} ${JSON.stringify(body)}`).toMatchObject({ code: 'BadBody', field });
    }
    const notJson = await call<ApiError>('POST', `/api/tickets/${inc.A!.key}/approve`, ann, '{"v":');
    expect(notJson.status).toBe(400);
    expect((await ticket('A')).version).toBe(before.version);
    expect((await ticket('A')).outbox).toHaveLength(0);
  });

  it('a triager approves, a developer takes it: the tab, the card in Teams and LGD agree', async () => {
    const approved = await post<ActionResponse>(`/api/tickets/${inc.B!.key}/approve`, ann, { v: await v('B') });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.row).toMatchObject({ key: inc.B!.key, state: 'approved_unassigned', decision: { kind: 'approved', by: 'Ann Lead' }, warnings: { queuedForLgd: 1 } });
    expect(approved.body.notice.text).toBe('Approved. Anyone on support can take ownership now.');

    const taken = await post<ActionResponse>(`/api/tickets/${inc.B!.key}/take`, dev1, { v: approved.body.row!.version });
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    expect(taken.body.row).toMatchObject({ state: 'owned', owner: { name: 'Dev One', email: dev1.email } });
    expect(taken.body.notice).toEqual({ kind: 'info', text: expect.stringMatching(/^You own LGD \d+ now\. Remember to update the user/) });
    const trail = (await w.app.repos.audit.list()).sort((a, b) => a.at.getTime() - b.at.getTime());
    expect(trail.filter((a) => a.ticketKey === inc.B!.key && a.source === 'tab').map((a) => [a.action, a.outcome])).toEqual([
      ['approve', 'done'],
      ['takeOwnership', 'done'],
    ]);

    // The worker writes to LGD and brings the card up to date: nothing of that happened inside the requests.
    expect(w.sim.state.notesOf(inc.B!.key)).toHaveLength(0);
    await w.app.worker.tick({ forceSync: true });
    await w.app.teams.processor.processNew();
    await until(() => w.sim.state.incident(inc.B!.key)!.userKey !== null, 'the assignment in LGD');
    expect(w.sim.state.notesOf(inc.B!.key).map((n) => n.text)).toEqual([expect.stringMatching(/^Approved — Ann Lead via Teams/)]);
    const dev1Analyst = w.sim.state.analystByTitle('Dev One')!;
    expect(w.sim.state.incident(inc.B!.key)!.userKey).toBe(dev1Analyst.guid);
    await until(
      () => w.connector.calls.some((c) => c.method === 'PUT' && JSON.stringify(c.body).includes('Tab ticket B') && JSON.stringify(c.body).includes('Owned by Dev One')),
      'the ticket card updated to show its owner',
    );
    await w.sync();
    const q = (await get<QueueResponse>('/api/queue', dev2)).body;
    expect(rowOf(q, 'B')).toMatchObject({ state: 'owned', owner: { name: 'Dev One' }, warnings: { queuedForLgd: 0 } });
  });

  it('a second take of an owned ticket is 409 AlreadyOwned with the row as it is', async () => {
    const r = await post<ApiError>(`/api/tickets/${inc.B!.key}/take`, dev2, { v: await v('B') });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('AlreadyOwned');
    expect(r.body.row).toMatchObject({ key: inc.B!.key, owner: { name: 'Dev One' } });
  });

  it('an action on a ticket that moved on is 409 TicketMovedOn; a version from the future is 409 StaleVersion', async () => {
    const moved = await post<ApiError>(`/api/tickets/${inc.B!.key}/approve`, ann, { v: await v('B') });
    expect(moved.status).toBe(409);
    expect(moved.body.code).toBe('TicketMovedOn');
    expect(moved.body.row?.state).toBe('owned');
    const future = await post<ApiError>(`/api/tickets/${inc.C!.key}/approve`, ann, { v: (await v('C')) + 5 });
    expect(future.status).toBe(409);
    expect(future.body.code).toBe('StaleVersion');
    expect((await ticket('C')).state).toBe('needs_triage');
  });

  it('reassigns to a group from GET /api/targets, with a reason', async () => {
    const targets = await get<TargetsResponse>('/api/targets?q=service&kind=group', ann);
    expect(targets.status).toBe(200);
    const sd = targets.body.results.find((t) => t.title === 'Service Desk')!;
    expect(sd).toMatchObject({ kind: 'group', value: expect.stringMatching(/^group:/) });
    const r = await post<ActionResponse>(`/api/tickets/${inc.C!.key}/reassign`, ann, { v: await v('C'), target: sd.value, reason: 'Belongs to the service desk' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.notice.text).toBe('Reassigned to Service Desk.');
    expect(r.body.row).toBeNull();
    expect((await ticket('C')).state).toBe('reassigned');
    expect(rowOf((await get<QueueResponse>('/api/queue', ann)).body, 'C')).toBeUndefined();
    const unknown = await post<ApiError>(`/api/tickets/${inc.D!.key}/reassign`, ann, { v: await v('D'), target: 'group:no-such-group', reason: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'BadBody', field: 'target' });
    expect((await ticket('D')).outbox).toHaveLength(0);
  });

  it('GET /api/targets takes q literally and refuses bad parameters', async () => {
    expect((await get<TargetsResponse>('/api/targets?q=.*', ann)).body.results).toEqual([]);
    expect((await get<TargetsResponse>('/api/targets?q=dev&kind=user', ann)).body.results.map((t) => t.title)).toEqual(['Dev One', 'Dev Two']);
    for (const q of ['top=0', 'top=51', 'kind=team', `q=${'x'.repeat(201)}`, 'q[$ne]=1']) expect((await get<ApiError>(`/api/targets?${q}`, ann)).status, q).toBe(400);
  });

  it('project: defaults for triagers only, then the decision with the backlog item queued', async () => {
    const refused = await get<ApiError>(`/api/tickets/${inc.E!.key}/project-defaults`, dev1);
    expect(refused.status).toBe(403);
    const defaults = await get<ProjectDefaults>(`/api/tickets/${inc.E!.key}/project-defaults`, ann);
    expect(defaults.status).toBe(200);
    expect(defaults.body).toMatchObject({ backlogTitle: 'Tab ticket E', areas: [{ area: 'Adult Social Care', contacts: ['pam.pdm@lgd.example'] }] });
    expect(defaults.body.message).toMatch(/Thank you for your request \(LGD \d+\)/);
    expect((await get<AreasResponse>('/api/areas', dev1)).body.areas.map((a) => a.area)).toEqual(['Adult Social Care']);

    const both = await post<ApiError>(`/api/tickets/${inc.E!.key}/project`, ann, { v: await v('E'), message: defaults.body.message, area: 'Adult Social Care', otherArea: 'Highways', backlogTitle: 'x' });
    expect(both.body).toMatchObject({ code: 'BadBody', field: 'area' });
    const r = await post<ActionResponse>(`/api/tickets/${inc.E!.key}/project`, ann, {
      v: await v('E'),
      message: defaults.body.message,
      area: 'Adult Social Care',
      contacts: ['someone@lgd.example'],
      backlogTitle: 'Build the E report',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.row!.state).toBe('project');
    expect(r.body.notice.text).toContain('"Build the E report" goes to the Adult Social Care backlog');
    await w.app.worker.tick();
    expect((await w.app.backlog.builtin.list()).some((i) => i.title === 'Build the E report')).toBe(true);
    const q = (await get<QueueResponse>('/api/queue', dev1)).body;
    expect(rowOf(q, 'E')).toMatchObject({ state: 'project', decision: { kind: 'project' } });
    expect(q.rows.findIndex((row) => row.key === inc.E!.key)).toBeGreaterThan(q.rows.findIndex((row) => row.key === inc.B!.key));
  });

  it('shows tickets resolved in LGD within resolvedDays, newest first, and leaves them out with resolvedDays=0', async () => {
    const cat = [...w.sim.state.resolutionCategories.values()][0]!;
    w.sim.state.resolve(inc.D!.key, { categoryKey: cat.guid, status: 'Resolved' });
    await w.sync();
    const q = (await get<QueueResponse>('/api/queue?resolvedDays=7', dev1)).body;
    const row = rowOf(q, 'D');
    expect(row).toMatchObject({ state: 'resolved', status: 'Resolved' });
    expect(Date.now() - Date.parse(row!.resolvedAt!)).toBeLessThan(60_000);
    expect(q.rows.at(-1)!.state).toBe('resolved');
    expect(rowOf((await get<QueueResponse>('/api/queue?resolvedDays=0', dev1)).body, 'D')).toBeUndefined();
    // Closed when LGD last touched it, not when the first sync happened to read it.
    expect(rowOf((await get<QueueResponse>('/api/queue?resolvedDays=30', dev1)).body, 'OLD')).toBeUndefined();
    expect((await ticket('OLD')).state).toBe('resolved');
  });

  it('update-user: the owner updates the user through LGD; anyone else, or an empty text, is refused and nothing changes', async () => {
    const before = await ticket('B');
    expect(before.state).toBe('owned');
    const empty = await post<ApiError>(`/api/tickets/${inc.B!.key}/update-user`, dev1, { v: before.version, text: '   ' });
    expect([empty.status, empty.body.code, empty.body.field]).toEqual([400, 'BadBody', 'text']);
    const other = await post<ApiError>(`/api/tickets/${inc.B!.key}/update-user`, dev2, { v: before.version, text: 'Not mine to say' });
    expect(other.status).toBe(409);
    expect(other.body.message).toMatch(/no longer yours/);
    expect((await ticket('B')).version).toBe(before.version);

    const r = await post<ActionResponse>(`/api/tickets/${inc.B!.key}/update-user`, dev1, { v: before.version, text: 'Found the cause <b>today</b>; a fix goes out tomorrow.' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.row).toMatchObject({ key: inc.B!.key, state: 'owned', warnings: { queuedForLgd: 1 } });
    expect(r.body.row!.userLastHeard).not.toBeNull();
    expect(r.body.row!.warnings.noUserUpdateToday).toBe(false);
    const trail = await w.app.repos.audit.list();
    expect(trail.filter((a) => a.ticketKey === inc.B!.key && a.source === 'tab' && a.action === 'updateUser').map((a) => [a.actor.name, a.outcome]).sort()).toEqual([
      ['Dev One', 'done'],
      ['Dev Two', 'refused'],
    ]);
    // Nothing reached LGD inside the request; the worker writes it.
    expect(w.sim.state.notesOf(inc.B!.key).some((n) => n.text.includes('Found the cause'))).toBe(false);
    await w.app.worker.tick();
    await until(() => w.sim.state.notesOf(inc.B!.key).some((n) => n.text.includes('Found the cause <b>today</b>')), 'the update in LGD');
  });
});
