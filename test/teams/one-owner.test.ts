/**
 * One owner, across the whole life of a write: a second developer clicking Take ownership on a
 * card that has not refreshed yet is refused before the first assignment is delivered, while it is
 * in flight, after LGD confirmed it (even when the re-read after the write fails), and after the
 * next sync; in the end LGD holds exactly one assignment. The same for Resolve. Driven through the
 * real app (/api/messages, worker ticks) against the project's simulator and, separately, against
 * the minimal LGD written from the API document alone, with a gate between app and LGD that holds
 * a write in flight or fails LGD's reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTeamsWorld } from '../support/teams-world.js';
import { startLgdGate, type LgdGate } from '../support/lgd-gate.js';
import { startMinimalLgd, type MinimalLgdServer } from '../support/minimal-lgd-server.js';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.js';
import { startTestApp } from '../support/test-app.js';
import { cardAction, installInTeam, postActivity, testUser, type TestUser } from '../support/teams-activities.js';

type App = Awaited<ReturnType<typeof startTestApp>>;

const ann = testUser(21, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(22, 'Dev One', 'dev.one@lgd.example');
const dev2 = testUser(23, 'Dev Two', 'dev.two@lgd.example');
const people = [ann, dev1, dev2];
const LABELS = ['before', 'during', 'after', 'resolve'] as const;
type Label = (typeof LABELS)[number];

/** An LGD the app runs against, as the scenario needs to see it. */
interface Rig {
  app: App;
  connector: RecordingConnector;
  gate: LgdGate;
  keys: Record<Label, string>;
  /** The assignments to a person LGD received for a ticket: analyst keys, in order. */
  personAssignments(key: string): string[];
  resolutions(key: string): number;
  analystKeyOf(email: string): string;
  categoryKey: string;
  otherGroupKey: string;
  close(): Promise<void>;
}

async function simulatorRig(): Promise<Rig> {
  const keys = {} as Record<Label, string>;
  let otherGroupKey = '';
  const w = await startTeamsWorld({
    users: people,
    analysts: people,
    leads: [ann.email],
    gate: true,
    seed: (sim, team) => {
      otherGroupKey = sim.state.addGroup('Service Desk').guid;
      for (const l of LABELS) keys[l] = sim.state.raiseIncident({ title: `Ticket ${l}`, groupKey: team.guid, status: 'Active', raiseUser: 'Pat User' }).key;
    },
  });
  await w.install(ann);
  return {
    app: w.app,
    connector: w.connector,
    gate: w.gate!,
    keys,
    personAssignments: (key) => w.sim.state.assignmentsOf(key).flatMap((a) => (a.userKey ? [a.userKey] : [])),
    resolutions: (key) => w.sim.state.resolutionsOf(key).length,
    analystKeyOf: (email) => [...w.sim.state.analysts.values()].find((a) => a.email === email)!.guid,
    categoryKey: [...w.sim.state.resolutionCategories.values()][0]!.guid,
    otherGroupKey,
    close: () => w.close(),
  };
}

async function minimalRig(): Promise<Rig> {
  const server: MinimalLgdServer = await startMinimalLgd({ username: 'svc.teams', password: 'correct horse' });
  const group = (title: string): string => {
    const key = crypto.randomUUID();
    server.groups.set(key, { key, title, name: title.toLowerCase() });
    return key;
  };
  const teamKey = group('LGSS-IT-Digital');
  const otherGroupKey = group('Service Desk');
  for (const [name, title, email] of [
    ...people.map((p) => [p.email.split('@')[0]!, p.name, p.email]),
    ['svc.teams', 'Teams Service', 'svc.teams@lgd.example'],
  ] as const) {
    const key = crypto.randomUUID();
    server.analysts.set(key, { key, name, title, email });
  }
  const categoryKey = crypto.randomUUID();
  server.categories.set(categoryKey, { key: categoryKey, title: 'Fixed', name: 'Fixed' });
  const at = new Date(Date.now() - 3_600_000);
  const keys = {} as Record<Label, string>;
  for (const l of LABELS) {
    keys[l] = server.addIncident({
      title: `Ticket ${l}`,
      description: '',
      status: 'Active',
      groupKey: teamKey,
      userKey: null,
      raiseUser: 'Pat User',
      priority: '3',
      category: 'Software',
      createdAt: at,
      lastUpdate: at,
    }).key;
  }
  const gate = await startLgdGate(server.baseUrl);
  const connector = await startRecordingConnector({
    roster: people.map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name, email: u.email, userPrincipalName: u.email })),
  });
  const app = await startTestApp(
    {
      LGD_URL: gate.baseUrl,
      LGD_USERNAME: 'svc.teams',
      LGD_PASSWORD: 'correct horse',
      LGD_MAPPING: JSON.stringify({ dateFormat: 'MM/dd/yyyy HH:mm', timeZone: 'America/New_York', timeZoneKey: 'Eastern Standard Time' }),
      LEADS: ann.email,
      LGD_POLL_SECONDS: '3600',
    },
    { startWorker: false },
  );
  await app.worker.tick({ forceSync: true });
  await postActivity(app.url, installInTeam(connector.url, ann));
  await app.teams.processor.processNew();
  return {
    app,
    connector,
    gate,
    keys,
    personAssignments: (key) => server.assignmentsOf(key).flatMap((a) => (a.fields.User ? [a.fields.User] : [])),
    resolutions: (key) => server.writes.filter((x) => x.action === 'Resolve' && x.incidentKey === key).length,
    analystKeyOf: (email) => [...server.analysts.values()].find((a) => a.email === email)!.key,
    categoryKey,
    otherGroupKey,
    async close() {
      await app.close();
      await connector.close();
      await gate.close();
      await server.close();
    },
  };
}

describe.each([
  ['the simulator', simulatorRig],
  ['the minimal LGD', minimalRig],
])('one owner and one resolve, against %s', (_name, start) => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await start();
  });
  afterAll(async () => {
    await rig?.close();
  });

  const textOf = async (user: TestUser, verb: string, data: unknown): Promise<string> => {
    const res = await postActivity(rig.app.url, cardAction(rig.connector.url, user, verb, data));
    expect(res.status).toBe(200);
    const body = res.body as { type: string; value: unknown };
    expect(body.type, JSON.stringify(body)).toBe('application/vnd.microsoft.card.adaptive');
    return JSON.stringify(body.value);
  };
  const ticket = async (l: Label) => (await rig.app.tickets.get(rig.keys[l]))!;
  const cardData = async (l: Label) => ({ ticketKey: rig.keys[l], v: (await ticket(l)).version });
  const approveAndDeliver = async (l: Label): Promise<void> => {
    expect(await textOf(ann, 'approve', await cardData(l))).toMatch(/Approved/);
    await rig.app.worker.tick();
    expect((await ticket(l)).outbox.every((e) => e.status === 'delivered')).toBe(true);
  };
  const tryToTake = async (l: Label, stale: unknown): Promise<void> => {
    expect(await textOf(dev2, 'takeOwnership', stale)).toMatch(/already owned by Dev One/);
  };
  const onlyDevOne = (l: Label): void => {
    expect(rig.personAssignments(rig.keys[l])).toEqual([rig.analystKeyOf(dev1.email)]);
  };

  it('before delivery: the second take is refused and LGD gets one assignment', async () => {
    await approveAndDeliver('before');
    const stale = await cardData('before');
    expect(await textOf(dev1, 'takeOwnership', stale)).toMatch(/You own LGD/);
    await tryToTake('before', stale);
    await rig.app.worker.tick();
    await tryToTake('before', stale);
    await rig.app.worker.tick({ forceSync: true });
    await tryToTake('before', stale);
    await rig.app.worker.tick();
    onlyDevOne('before');
  });

  it('while the assignment is in flight: refused, one assignment', async () => {
    await approveAndDeliver('during');
    const stale = await cardData('during');
    expect(await textOf(dev1, 'takeOwnership', stale)).toMatch(/You own LGD/);
    const held = rig.gate.hold((r) => r.method === 'POST' && r.form.parent_function_name === 'AddAssignment' && r.form.parent_key === rig.keys.during);
    const ticking = rig.app.worker.tick();
    await held.arrived;
    expect((await ticket('during')).outbox.at(-1)!.status).toBe('in_flight');
    await tryToTake('during', stale);
    held.release();
    await ticking;
    expect((await ticket('during')).outbox.at(-1)!.status).toBe('delivered');
    await tryToTake('during', stale);
    await rig.app.worker.tick();
    onlyDevOne('during');
  });

  it('after LGD confirmed it but the re-read failed, and after the next sync: refused, one assignment', async () => {
    await approveAndDeliver('after');
    const stale = await cardData('after');
    expect(await textOf(dev1, 'takeOwnership', stale)).toMatch(/You own LGD/);
    rig.gate.failReads(true);
    try {
      await rig.app.worker.tick();
    } finally {
      rig.gate.failReads(false);
    }
    const delivered = await ticket('after');
    expect(delivered.outbox.at(-1)!.status).toBe('delivered');
    expect(delivered.outbox.at(-1)!.settledAt ?? null).toBeNull();
    // The stored view of LGD still has nobody on the ticket; the confirmed write keeps counting.
    expect(delivered.lgd.userKey).toBeNull();
    expect(delivered).toMatchObject({ state: 'owned', owner: { title: 'Dev One' } });
    const api = (await (await fetch(`${rig.app.url}/api/tickets?pageSize=200`)).json()) as { items: { key: string; queuedForLgd: number; owner: string }[] };
    expect(api.items.find((t) => t.key === rig.keys.after)).toMatchObject({ queuedForLgd: 0, owner: 'Dev One' });
    await tryToTake('after', stale);
    await rig.app.worker.tick();
    onlyDevOne('after');

    await rig.app.worker.tick({ forceSync: true });
    const synced = await ticket('after');
    expect(synced.outbox.at(-1)!.settledAt).toBeInstanceOf(Date);
    expect(synced.lgd.userKey?.toLowerCase()).toBe(rig.analystKeyOf(dev1.email).toLowerCase());
    expect(synced).toMatchObject({ state: 'owned', owner: { title: 'Dev One' } });
    await tryToTake('after', stale);
    await rig.app.worker.tick();
    onlyDevOne('after');
  });

  it('Resolve after delivery: a second resolve and a reassign are refused while it settles; LGD resolves once', async () => {
    await approveAndDeliver('resolve');
    expect(await textOf(dev1, 'takeOwnership', await cardData('resolve'))).toMatch(/You (now )?own/);
    await rig.app.worker.tick();
    const stale = await cardData('resolve');
    expect(await textOf(dev1, 'resolve', { ...stale, category: rig.categoryKey, description: 'Rebuilt the query' })).toMatch(/Resolved as/);
    rig.gate.failReads(true);
    try {
      await rig.app.worker.tick();
    } finally {
      rig.gate.failReads(false);
    }
    const t = await ticket('resolve');
    expect(t.outbox.at(-1)).toMatchObject({ status: 'delivered', write: { kind: 'resolve' } });
    expect(t.lgd.status).toBe('Active');
    expect(t.state).toBe('resolved');
    expect(await textOf(dev1, 'resolve', { ...stale, category: rig.categoryKey, description: 'Rebuilt the query again' })).toMatch(/cannot be resolved now/);
    expect(await textOf(ann, 'reassign', { ...stale, target: `group:${rig.otherGroupKey}`, reason: 'Belongs to the desk' })).toMatch(/cannot be reassigned now/);
    await rig.app.worker.tick({ forceSync: true });
    expect((await ticket('resolve')).state).toBe('resolved');
    expect(rig.resolutions(rig.keys.resolve)).toBe(1);
    onlyDevOne('resolve');
  });
});
