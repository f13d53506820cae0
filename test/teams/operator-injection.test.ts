/**
 * No operator from outside ever reaches the store. With bot authentication off (the demo), an
 * activity whose ids or names are objects ({"$ne": null}) or over-long strings is refused at the
 * edge with a 400, and the people, team, rota and ticket records are exactly as before; the read
 * API's query parameters cannot carry operators either. Driven through the real /api/messages and
 * /api/* endpoints of a real app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimIncident } from '../../bot/lgd/simulator/sim-state.js';
import { startTeamsWorld, type TeamsWorld } from '../support/teams-world.js';
import { cardAction, channelMessage, installInTeam, personalMessage, postActivity, testUser } from '../support/teams-activities.js';

const ann = testUser(1, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(2, 'Dev One', 'dev.one@lgd.example');
const mallory = testUser(9, 'Mallory', 'mallory@elsewhere.example');

let world: TeamsWorld;
let incident: SimIncident;

/** Every document of the collections an impersonation or a team rename would change. */
async function snapshot(): Promise<string> {
  const out: Record<string, unknown[]> = {};
  for (const name of ['people', 'teams', 'rota', 'conversations', 'audit']) {
    out[name] = await world.app.store.collection(name).find({}, { sort: { _id: 1 } }).toArray();
  }
  const t = await world.app.tickets.get(incident.key);
  out.ticket = [{ state: t?.state, decision: t?.decision ?? null, outbox: t?.outbox.length }];
  return JSON.stringify(out);
}

/** `activity` with its sender replaced by `from` (as an attacker would send it). */
const as = (activity: Record<string, unknown>, from: unknown): Record<string, unknown> => ({ ...activity, from });

beforeAll(async () => {
  world = await startTeamsWorld({
    users: [ann, dev1, mallory],
    analysts: [ann, dev1],
    leads: [ann.email],
    seed: (sim, team) => {
      incident = sim.state.raiseIncident({ title: 'Forms broken', description: 'The form is broken', groupKey: team.guid, status: 'Active', raiseUser: 'Pat User', priority: '3 - Moderate', category: 'Forms' });
    },
  });
  await world.install(ann);
  // Ann, the lead, and Mallory, nobody in particular, have both spoken to the bot.
  for (const u of [ann, mallory]) expect((await postActivity(world.app.url, personalMessage(world.connector.url, u, 'help'))).status).toBe(200);
  await world.sync();
  const people = await world.app.store.collection<{ _id: string; email: string | null }>('people').find({}).toArray();
  expect(people.map((p) => p._id)).toContain(ann.aadObjectId);
});
afterAll(async () => {
  await world?.close();
});

describe('operators in activity ids and names', () => {
  it('refuses an Approve whose from.aadObjectId is {"$ne": null}, and changes nothing', async () => {
    const t = await world.app.tickets.get(incident.key);
    const before = await snapshot();
    const attack = as(cardAction(world.connector.url, mallory, 'approve', { ticketKey: incident.key, v: t!.version }), { id: mallory.id, name: mallory.name, aadObjectId: { $ne: null } });
    const r = await postActivity(world.app.url, attack);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'BadActivity', message: expect.stringContaining('from.aadObjectId must be a string') });
    expect(await snapshot()).toBe(before);
  });

  it('refuses a "rota set" from an operator sender, and the rota stays as it was', async () => {
    const before = await snapshot();
    const attack = as(channelMessage(world.connector.url, mallory, 'rota set today lead mallory@elsewhere.example'), { id: mallory.id, name: mallory.name, aadObjectId: { $ne: null } });
    expect((await postActivity(world.app.url, attack)).status).toBe(400);
    const byId = as(personalMessage(world.connector.url, mallory, 'rota set today lead mallory@elsewhere.example'), { id: { $gt: '' }, name: mallory.name });
    expect((await postActivity(world.app.url, byId)).status).toBe(400);
    expect(await snapshot()).toBe(before);
  });

  it('refuses an installationUpdate whose channelData.team.id is {"$gt": ""}, and the stored team keeps its name', async () => {
    const before = await snapshot();
    const install = installInTeam(world.connector.url, mallory) as { channelData: Record<string, unknown> };
    const attack = { ...install, channelData: { ...install.channelData, team: { id: { $gt: '' }, name: 'Pwned' } } };
    const r = await postActivity(world.app.url, attack);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ message: expect.stringContaining('channelData.team.id must be a string') });
    expect(await snapshot()).toBe(before);
    const teams = await world.app.store.collection<{ name: string | null }>('teams').find({}).toArray();
    expect(teams.map((t) => t.name)).toEqual(['LGSS IT Digital']);
  });

  it.each([
    ['conversation.id', (a: Record<string, unknown>) => ({ ...a, conversation: { ...(a.conversation as object), id: { $ne: 'x' } } })],
    ['conversation.tenantId', (a: Record<string, unknown>) => ({ ...a, conversation: { ...(a.conversation as object), tenantId: { $exists: true } } })],
    ['channelData.tenant.id', (a: Record<string, unknown>) => ({ ...a, channelData: { tenant: { id: { $ne: null } } } })],
    ['channelData.team.name', (a: Record<string, unknown>) => ({ ...a, channelData: { team: { id: 'x', name: { $set: 'y' } } } })],
    ['recipient.id', (a: Record<string, unknown>) => ({ ...a, recipient: { id: { $ne: null } } })],
    ['replyToId', (a: Record<string, unknown>) => ({ ...a, replyToId: { $ne: null } })],
    ['from.name', (a: Record<string, unknown>) => ({ ...a, from: { id: mallory.id, name: ['Ann Lead'] } })],
    ['entities.0.mentioned.id', (a: Record<string, unknown>) => ({ ...a, entities: [{ type: 'mention', text: '<at>x</at>', mentioned: { id: { $ne: null } } }] })],
    ['membersAdded.0.aadObjectId', (a: Record<string, unknown>) => ({ ...a, membersAdded: [{ id: '29:x', aadObjectId: { $ne: null } }] })],
  ])('refuses an operator in %s with 400', async (path, mutate) => {
    const before = await snapshot();
    const r = await postActivity(world.app.url, mutate(personalMessage(world.connector.url, mallory, 'help')));
    expect(r.status).toBe(400);
    expect((r.body as { message: string }).message).toContain(path);
    expect(await snapshot()).toBe(before);
  });

  it('refuses ids and names over a sane length with 400, and a text that is not a string with a clear answer', async () => {
    const before = await snapshot();
    const longId = await postActivity(world.app.url, as(personalMessage(world.connector.url, mallory, 'help'), { id: `29:${'x'.repeat(600)}`, name: 'M' }));
    expect(longId.status).toBe(400);
    expect((longId.body as { message: string }).message).toMatch(/from\.id must be at most 512 characters/);
    const longName = await postActivity(world.app.url, as(personalMessage(world.connector.url, mallory, 'help'), { id: mallory.id, name: 'M'.repeat(300) }));
    expect((longName.body as { message: string }).message).toMatch(/from\.name must be at most 256 characters/);
    for (const text of [{ a: 1 }, 42, ['help']]) {
      const r = await postActivity(world.app.url, { ...personalMessage(world.connector.url, mallory, 'help'), text });
      expect(r.status).toBe(400);
      expect((r.body as { message: string }).message).toBe('Not a Bot Framework activity: text must be a string (the message text).');
    }
    expect(await snapshot()).toBe(before);
  });
});

describe('operators in API query parameters', () => {
  it.each([
    '/api/tickets?state[$ne]=resolved',
    '/api/tickets?state=needs_triage&state=owned',
    '/api/tickets?page[$gt]=0',
    '/api/tickets?pageSize[$ne]=1',
    '/api/tickets?state[]=needs_triage',
    '/api/backlog?page[$gt]=0',
    '/api/backlog?pageSize[$in][]=1',
  ])('answers %s with 400', async (path) => {
    const res = await fetch(`${world.app.url}${path}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'BadQuery' });
  });

  it('still answers plain queries', async () => {
    const res = await fetch(`${world.app.url}/api/tickets?state=needs_triage&page=1&pageSize=5`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { total: number }).total).toBe(1);
  });
});

describe('invokes the bot does not handle', () => {
  it.each(['task/fetch', 'composeExtension/query', 'adaptiveCard/unknown', 'x'])('answers a "%s" invoke with 400 UnknownInvoke (not botbuilder\'s 501), and changes nothing', async (name) => {
    const before = await snapshot();
    const invoke = { ...personalMessage(world.connector.url, mallory, 'help'), type: 'invoke', name, value: { ticketKey: incident.key } };
    const r = await postActivity(world.app.url, invoke);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'UnknownInvoke', message: expect.stringContaining('does not handle') });
    expect(await snapshot()).toBe(before);
  });
});
