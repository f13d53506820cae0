/**
 * `ticket 123` in a chat before any team has installed the bot (no ops channel yet, as in the
 * Agents Playground until a channel is opened): the card the bot sent must still follow its ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLgdSimulator, type LgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import type { SimIncident } from '../../bot/lgd/simulator/sim-state.js';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.js';
import { startTestApp } from '../support/test-app.js';
import { cardAction, personalMessage, postActivity, testUser } from '../support/teams-activities.js';

const ann = testUser(1, 'Ann Lead', 'ann.lead@lgd.example');
const dev = testUser(2, 'Dev One', 'dev.one@lgd.example');

let sim: LgdSimulator;
let connector: RecordingConnector;
let app: Awaited<ReturnType<typeof startTestApp>>;
let incident: SimIncident;

beforeAll(async () => {
  sim = await startLgdSimulator();
  const team = sim.state.addGroup('LGSS-IT-Digital');
  for (const u of [ann, dev]) sim.state.addAnalyst({ name: u.email.split('@')[0]!, title: u.name, email: u.email });
  incident = sim.state.raiseIncident({ title: 'Ticket X', description: 'The X form is broken', groupKey: team.guid, status: 'Active', raiseUser: 'Pat User', priority: '3 - Moderate', category: 'Forms' });
  sim.state.addNote(incident.key, { text: 'Approved', by: 'Ann Lead' });
  connector = await startRecordingConnector({ roster: [ann, dev].map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name, email: u.email, userPrincipalName: u.email })) });
  app = await startTestApp(
    { LGD_URL: sim.baseUrl, LGD_USERNAME: 'lgd.service', LGD_PASSWORD: 'lgd-simulator', LEADS: 'ann.lead@lgd.example', LGD_POLL_SECONDS: '3600' },
    { startWorker: false },
  );
  await app.worker.tick({ forceSync: true });
});

afterAll(async () => {
  await app?.close();
  await connector?.close();
  await sim?.close();
});

describe('a chat card with no ops channel', () => {
  it('is updated in place when its ticket moves on', async () => {
    expect(await app.teams.ports.conversations.opsTeam()).toBeNull();
    const before = connector.calls.length;
    await postActivity(app.url, personalMessage(connector.url, dev, `ticket ${incident.id}`));
    await connector.waitFor(before + 1);
    const res = await postActivity(app.url, cardAction(connector.url, dev, 'takeOwnership', { ticketKey: incident.key, v: (await app.tickets.get(incident.key))!.version }));
    expect(JSON.stringify(res.body)).toMatch(/You own LGD/);
    const chat = encodeURIComponent(`a:personal-${dev.id}`);
    const end = Date.now() + 10_000;
    while (!connector.calls.some((c) => c.method === 'PUT' && c.path.includes(chat)) && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    const put = connector.calls.filter((c) => c.method === 'PUT' && c.path.includes(chat)).at(-1);
    expect(put, 'the chat card was updated').toBeDefined();
    expect(JSON.stringify(put?.body)).toMatch(/Owned by Dev One/);
  });
});
