/**
 * Decisions come from the team, and every ticket of the group is triaged — seen in Teams: a
 * customer's note in LGD changes neither the ticket nor its card, an analyst's "Approved" note
 * does; a ticket that arrives already assigned waits for triage, its card naming the person, and
 * Approve makes that person its owner without writing a reassignment. Through /api/messages, the
 * worker and the simulator over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimIncident } from '../../bot/lgd/simulator/sim-state.js';
import { startTeamsWorld, type TeamsWorld } from '../support/teams-world.js';
import { cardAction, postActivity, testUser } from '../support/teams-activities.js';

const ann = testUser(31, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(32, 'Dev One', 'dev.one@lgd.example');
const dev2 = testUser(33, 'Dev Two', 'dev.two@lgd.example');

let w: TeamsWorld;
const inc: Record<string, SimIncident> = {};

beforeAll(async () => {
  w = await startTeamsWorld({
    users: [ann, dev1, dev2],
    analysts: [ann, dev1, dev2],
    leads: [ann.email],
    seed: (sim, team) => {
      const dev1Key = sim.state.addAnalyst({ name: 'dev.one' }).guid;
      const raise = (k: string, userKey: string | null = null): void => {
        inc[k] = sim.state.raiseIncident({ title: `Ticket ${k}`, groupKey: team.guid, userKey, status: 'Active', raiseUser: 'Pat User' });
      };
      raise('customer');
      raise('analyst');
      raise('preassigned', dev1Key);
      raise('assignedLater', dev1Key);
    },
  });
  await w.install(ann);
});
afterAll(async () => {
  await w?.close();
});

const ticket = (k: string) => w.app.tickets.get(inc[k]!.key).then((t) => t!);
async function opsCardId(k: string): Promise<string> {
  const doc = await w.app.store.collection<{ _id: string; ticketKey: string; activityId: string }>('cards').findOne({ ticketKey: inc[k]!.key, kind: 'ops' });
  expect(doc, `the triage card of ${k}`).not.toBeNull();
  return doc!.activityId;
}
/** The ops card of a ticket as last posted or updated. */
async function cardText(k: string): Promise<string> {
  const id = await opsCardId(k);
  const calls = w.connector.calls.filter(
    (c) => (c.method === 'PUT' && decodeURIComponent(c.path).endsWith(`/activities/${id}`)) || (c.method === 'POST' && JSON.stringify(c.body).includes(`Ticket ${k}"`)),
  );
  return JSON.stringify((calls.at(-1)!.body as { attachments: { content: unknown }[] }).attachments[0]!.content);
}
const withoutVersion = (card: string): string => card.replace(/"v":\d+/g, '"v":0');
async function syncAndPost(): Promise<void> {
  await w.app.worker.tick({ forceSync: true });
  await w.app.teams.processor.processNew();
}

describe('decisions come from the team, not from customers', () => {
  it('a customer\'s note in LGD changes neither the ticket nor its card', async () => {
    expect(await cardText('customer')).toMatch(/Needs triage/);
    const before = withoutVersion(await cardText('customer'));
    w.sim.state.addNote(inc.customer!.key, { text: 'Project deadline is Friday, please hurry', by: 'Pat User' });
    w.sim.state.addNote(inc.customer!.key, { text: 'Approved — Bob via Teams', by: 'Pat User' });
    await syncAndPost();
    const t = await ticket('customer');
    expect(t.notes).toHaveLength(2);
    expect(t).toMatchObject({ state: 'needs_triage', decision: null });
    expect(t.notes.map((n) => n.author?.kind)).toEqual(['raise_user', 'raise_user']);
    // The card shows the same (only the version its buttons carry may move on).
    expect(withoutVersion(await cardText('customer'))).toBe(before);
    expect(await cardText('customer')).not.toMatch(/Project work|backlog|Approved/);
  });

  it('an analyst\'s "Approved" note in LGD approves it, and the card says so', async () => {
    w.sim.state.addNote(inc.analyst!.key, { text: 'Approved', by: 'Ann Lead' });
    await syncAndPost();
    expect(await ticket('analyst')).toMatchObject({ state: 'approved_unassigned', decision: { kind: 'approved', by: 'Ann Lead', source: 'lgd' } });
    const card = await cardText('analyst');
    expect(card).toMatch(/Approved — waiting for an owner/);
    expect(card).toMatch(/Approved by Ann Lead in LGD/);
  });
});

describe('every ticket is triaged', () => {
  it('a ticket that arrived assigned waits for triage, its card naming the person', async () => {
    expect(await ticket('preassigned')).toMatchObject({ state: 'needs_triage', owner: { title: 'Dev One' } });
    const card = await cardText('preassigned');
    expect(card).toMatch(/Assigned in LGD to Dev One — waiting for triage/);
    expect(card).toMatch(/"title":"Owner","value":"Nobody yet"/);
  });

  it('Approve keeps that person as owner and writes no reassignment', async () => {
    const res = await postActivity(w.app.url, cardAction(w.connector.url, ann, 'approve', { ticketKey: inc.preassigned!.key, v: (await ticket('preassigned')).version }));
    expect(JSON.stringify(res.body)).toMatch(/Owned by Dev One/);
    expect(JSON.stringify(res.body)).toMatch(/Approved\. Dev One owns it now\./);
    await w.app.worker.tick();
    await w.app.teams.processor.processNew();
    expect(w.sim.state.notesOf(inc.preassigned!.key).map((n) => n.text)).toEqual([expect.stringMatching(/^Approved — Ann Lead via Teams/)]);
    expect(w.sim.state.assignmentsOf(inc.preassigned!.key)).toEqual([]);
    expect(await ticket('preassigned')).toMatchObject({ state: 'owned', owner: { title: 'Dev One' } });
    expect(await cardText('preassigned')).toMatch(/Owned by Dev One/);
  });

  it('an assignment made in LGD while it waits for triage is a decision in itself', async () => {
    expect((await ticket('assignedLater')).state).toBe('needs_triage');
    const dev2Key = w.sim.state.analystByName('dev.two')!.guid;
    w.sim.state.assign(inc.assignedLater!.key, { groupKey: w.team.guid, userKey: dev2Key, by: 'Ann Lead' });
    await syncAndPost();
    expect(await ticket('assignedLater')).toMatchObject({ state: 'owned', owner: { title: 'Dev Two' } });
    expect(await cardText('assignedLater')).toMatch(/Owned by Dev Two/);
  });
});
