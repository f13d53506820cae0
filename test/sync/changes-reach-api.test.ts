import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../bot/app.js';
import { loadConfig } from '../../bot/config.js';
import { startLgdSimulator, type LgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import { seedTeam } from '../support/sync-harness.js';

interface ApiTicket {
  key: string;
  number: number;
  title: string;
  group: string | null;
  owner: string | null;
  status: string;
  state: string;
  decision: { kind: string; by: string | null; source: string } | null;
}

let sim: LgdSimulator;
let app: RunningApp;
let dataDir: string;
let seeded: ReturnType<typeof seedTeam>;

beforeAll(async () => {
  sim = await startLgdSimulator();
  seeded = seedTeam(sim.state, 12, 5);
  dataDir = mkdtempSync(join(tmpdir(), 'lgd-api-'));
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    LGD_URL: sim.baseUrl,
    LGD_USERNAME: 'lgd.service',
    LGD_PASSWORD: 'lgd-simulator',
    LGD_POLL_SECONDS: '3600',
  });
  app = await startApp(config, pino({ level: 'silent' }), { startWorker: false });
  await app.worker.tick({ forceSync: true });
});
afterAll(async () => {
  await app?.close();
  await sim?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function api(query = '&pageSize=200'): Promise<{ total: number; items: ApiTicket[] }> {
  const res = await fetch(`${app.url}/api/tickets?x=1${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { total: number; items: ApiTicket[] };
}

const byNumber = async (n: number): Promise<ApiTicket | undefined> => (await api()).items.find((t) => t.number === n);

describe('changes in LGD reach /api/tickets within one poll', () => {
  it('lists the group after the first poll', async () => {
    const body = await api();
    expect(body.total).toBe(12);
    expect(body.items.every((t) => t.group === 'LGSS-IT-Digital' && t.state === 'needs_triage')).toBe(true);
    const page2 = await api('&page=2&pageSize=5');
    expect(page2.items.length).toBe(5);
  });

  it('a new ticket, an Approved note typed into LGD, a reassignment away and a resolve', async () => {
    const incidents = [...sim.state.incidents.values()].filter((i) => i.groupKey === seeded.team.guid);
    const [toApprove, toMove, toResolve] = incidents;
    const fresh = sim.state.raiseIncident({ title: 'Printer on fire', groupKey: seeded.team.guid, status: 'New' });
    sim.state.addNote(toApprove!.key, { text: 'approved - a broken form, support work', by: 'Ann Lead' });
    sim.state.assign(toMove!.key, { groupKey: seeded.other.guid, userKey: null, by: 'Ann Lead' });
    const cat = [...sim.state.resolutionCategories.values()][0]!;
    sim.state.resolve(toResolve!.key, { categoryKey: cat.guid, status: 'Resolved', description: 'Fixed' });

    await app.worker.tick({ forceSync: true });

    expect(await byNumber(fresh.id)).toMatchObject({ title: 'Printer on fire', state: 'needs_triage' });
    expect(await byNumber(toApprove!.id)).toMatchObject({ state: 'approved_unassigned', decision: { kind: 'approved', by: 'Ann Lead', source: 'lgd' } });
    expect(await byNumber(toMove!.id)).toMatchObject({ state: 'reassigned', group: 'Service Desk' });
    expect(await byNumber(toResolve!.id)).toMatchObject({ state: 'resolved', status: 'Resolved' });
    expect((await api('&state=needs_triage&pageSize=200')).items.map((t) => t.number)).toContain(fresh.id);
  });

  it('a command queued in the app reaches LGD through the outbox and shows its owner at once', async () => {
    const approved = (await api('&state=approved_unassigned&pageSize=200')).items[0]!;
    const res = await app.commands.run(approved.key, { name: 'Dev One' }, (t, ctx) => ({
      ok: true,
      ticket: { ...t, outbox: [...t.outbox, { id: 'aaaaaaaa-0000-4000-8000-000000000001', write: { kind: 'assign', groupKey: seeded.team.guid, userKey: seeded.dev.guid, userTitle: 'Dev One', description: 'Taking ownership' }, requestedBy: ctx.by, requestedAt: ctx.now, status: 'pending', attempts: 0, nextAttemptAt: ctx.now, claimedUntil: null, lastError: null, finishedAt: null, refusal: null }] },
      entries: [],
    }));
    expect(res.ok).toBe(true);
    const queued = await byNumber(approved.number);
    expect(queued).toMatchObject({ state: 'owned', owner: 'Dev One' });
    await app.worker.tick({ forceSync: true });
    const inc = sim.state.incident(approved.key)!;
    expect(inc.userKey).toBe(seeded.dev.guid);
    const assignments = [...sim.state.assignments.values()].filter((a) => a.incidentKey === approved.key && a.description.includes('ref aaaaaaaa'));
    expect(assignments.length).toBe(1);
    expect(assignments[0]!.description).toContain('Taking ownership — Dev One via Teams');
  });

  it('rejects an unknown state with 400 and the list of states', async () => {
    const res = await fetch(`${app.url}/api/tickets?state=open`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/needs_triage, approved_unassigned/);
    expect((await fetch(`${app.url}/api/tickets?pageSize=5000`)).status).toBe(400);
  });
});
