/**
 * The two LGDs the one-owner guarantees are proved against, set up the same way: the project's
 * simulator, and the minimal LGD written from the API document alone. Each has the team's group
 * and another one, the given people as analysts (the first of them the lead who installs the app),
 * one open ticket per title, a gate between the app and LGD, and a recording connector. The app's
 * worker is driven by the test (`worker.tick`).
 */
import { startTeamsWorld } from './teams-world.js';
import { startLgdGate, type LgdGate } from './lgd-gate.js';
import { startMinimalLgd } from './minimal-lgd-server.js';
import { startRecordingConnector, type RecordingConnector } from './recording-connector.js';
import { startTestApp } from './test-app.js';
import { installInTeam, postActivity, type TestUser } from './teams-activities.js';

type App = Awaited<ReturnType<typeof startTestApp>>;

/** An LGD the app runs against, as the one-owner scenarios need to see it. */
export interface OwnerRig {
  app: App;
  connector: RecordingConnector;
  gate: LgdGate;
  /** The tickets' keys, in the order of the titles asked for. */
  keys: string[];
  /** The assignments to a person LGD received for a ticket: analyst keys, in order. */
  personAssignments(key: string): string[];
  /** The person LGD has on a ticket now. */
  lgdOwner(key: string): string | null;
  resolutions(key: string): number;
  /** The texts of the notes LGD holds on a ticket. */
  notes(key: string): string[];
  analystKeyOf(email: string): string;
  categoryKey: string;
  otherGroupKey: string;
  close(): Promise<void>;
}

/** What a rig is made of: the people (the first one the lead) and one ticket per title. */
export interface OwnerRigSpec {
  people: TestUser[];
  titles: string[];
  /** More of the app's configuration (e.g. a short LGD_TIMEOUT_MS). */
  env?: Record<string, string>;
}

/** The rig on the project's LGD simulator. */
export async function simulatorRig(spec: OwnerRigSpec): Promise<OwnerRig> {
  const keys: string[] = [];
  let otherGroupKey = '';
  const lead = spec.people[0]!;
  const w = await startTeamsWorld({
    users: spec.people,
    analysts: spec.people,
    leads: [lead.email],
    gate: true,
    ...(spec.env ? { env: spec.env } : {}),
    seed: (sim, team) => {
      otherGroupKey = sim.state.addGroup('Service Desk').guid;
      for (const title of spec.titles) keys.push(sim.state.raiseIncident({ title, groupKey: team.guid, status: 'Active', raiseUser: 'Pat User' }).key);
    },
  });
  await w.install(lead);
  return {
    app: w.app,
    connector: w.connector,
    gate: w.gate!,
    keys,
    personAssignments: (key) => w.sim.state.assignmentsOf(key).flatMap((a) => (a.userKey ? [a.userKey] : [])),
    lgdOwner: (key) => w.sim.state.incident(key)?.userKey ?? null,
    resolutions: (key) => w.sim.state.resolutionsOf(key).length,
    notes: (key) => w.sim.state.notesOf(key).map((n) => n.text),
    analystKeyOf: (email) => [...w.sim.state.analysts.values()].find((a) => a.email === email)!.guid,
    categoryKey: [...w.sim.state.resolutionCategories.values()][0]!.guid,
    otherGroupKey,
    close: () => w.close(),
  };
}

/** The rig on the minimal LGD (a strict site: US dates in New York time, no `changeTimeZone`). */
export async function minimalRig(spec: OwnerRigSpec): Promise<OwnerRig> {
  const server = await startMinimalLgd({ username: 'svc.teams', password: 'correct horse' });
  const lead = spec.people[0]!;
  const group = (title: string): string => {
    const key = crypto.randomUUID();
    server.groups.set(key, { key, title, name: title.toLowerCase() });
    return key;
  };
  const teamKey = group('LGSS-IT-Digital');
  const otherGroupKey = group('Service Desk');
  for (const [name, title, email] of [
    ...spec.people.map((p) => [p.email.split('@')[0]!, p.name, p.email]),
    ['svc.teams', 'Teams Service', 'svc.teams@lgd.example'],
  ] as const) {
    const key = crypto.randomUUID();
    server.analysts.set(key, { key, name, title, email });
  }
  const categoryKey = crypto.randomUUID();
  server.categories.set(categoryKey, { key: categoryKey, title: 'Fixed', name: 'Fixed' });
  const at = new Date(Date.now() - 3_600_000);
  const keys = spec.titles.map(
    (title) =>
      server.addIncident({ title, description: '', status: 'Active', groupKey: teamKey, userKey: null, raiseUser: 'Pat User', priority: '3', category: 'Software', createdAt: at, lastUpdate: at }).key,
  );
  const gate = await startLgdGate(server.baseUrl);
  const connector = await startRecordingConnector({
    roster: spec.people.map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name, email: u.email, userPrincipalName: u.email })),
  });
  const app = await startTestApp(
    {
      LGD_URL: gate.baseUrl,
      LGD_USERNAME: 'svc.teams',
      LGD_PASSWORD: 'correct horse',
      LGD_MAPPING: JSON.stringify({ dateFormat: 'MM/dd/yyyy HH:mm', timeZone: 'America/New_York', timeZoneKey: 'Eastern Standard Time' }),
      LEADS: lead.email,
      LGD_POLL_SECONDS: '3600',
      ...spec.env,
    },
    { startWorker: false },
  );
  await app.worker.tick({ forceSync: true });
  await postActivity(app.url, installInTeam(connector.url, lead));
  await app.teams.processor.processNew();
  return {
    app,
    connector,
    gate,
    keys,
    personAssignments: (key) => server.assignmentsOf(key).flatMap((a) => (a.fields.User ? [a.fields.User] : [])),
    lgdOwner: (key) => server.incidents.get(key)?.userKey ?? null,
    resolutions: (key) => server.writes.filter((x) => x.action === 'Resolve' && x.incidentKey === key).length,
    notes: (key) => [...server.notes.values()].filter((n) => n.incidentKey === key).map((n) => n.text),
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
