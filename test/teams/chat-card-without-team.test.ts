/**
 * `ticket 123` in a chat before any team has installed the bot (no ops channel yet, as in the
 * Agents Playground until a channel is opened): the card the bot sent must still follow its ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimIncident } from '../../bot/lgd/simulator/sim-state.js';
import { cardAction, personalMessage, postActivity, testUser } from '../support/teams-activities.js';
import { startTeamsWorld, until, type TeamsWorld } from '../support/teams-world.js';

const ann = testUser(1, 'Ann Lead', 'ann.lead@lgd.example');
const dev = testUser(2, 'Dev One', 'dev.one@lgd.example');

let w: TeamsWorld;
let incident: SimIncident;

beforeAll(async () => {
  w = await startTeamsWorld({
    users: [ann, dev],
    analysts: [ann, dev],
    leads: ['ann.lead@lgd.example'],
    seed: (sim, team) => {
      incident = sim.state.raiseIncident({ title: 'Ticket X', description: 'The X form is broken', groupKey: team.guid, status: 'Active', raiseUser: 'Pat User', priority: '3 - Moderate', category: 'Forms' });
      sim.state.addNote(incident.key, { text: 'Approved', by: 'Ann Lead' });
    },
  });
});

afterAll(async () => {
  await w?.close();
});

describe('a chat card with no ops channel', () => {
  it('is updated in place when its ticket moves on', async () => {
    const { app, connector } = w;
    expect(await app.teams.ports.conversations.opsTeam()).toBeNull();
    const before = connector.calls.length;
    await postActivity(app.url, personalMessage(connector.url, dev, `ticket ${incident.id}`));
    await connector.waitFor(before + 1);
    const res = await postActivity(app.url, cardAction(connector.url, dev, 'takeOwnership', { ticketKey: incident.key, v: (await app.tickets.get(incident.key))!.version }));
    expect(JSON.stringify(res.body)).toMatch(/You own LGD/);
    await app.worker.tick(); // the worker brings the cards up to date
    const chat = encodeURIComponent(`a:personal-${dev.id}`);
    await until(() => connector.calls.some((c) => c.method === 'PUT' && c.path.includes(chat)), 'the chat card updated').catch(() => undefined);
    const put = connector.calls.filter((c) => c.method === 'PUT' && c.path.includes(chat)).at(-1);
    expect(put, 'the chat card was updated').toBeDefined();
    expect(JSON.stringify(put?.body)).toMatch(/Owned by Dev One/);
  });
});
