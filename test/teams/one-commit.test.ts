/**
 * One durable commit per card action: through /api/messages, every card action that changes
 * something (approve, take ownership, reassign, resolve, project, notify the lead, discuss) and
 * every refusal makes exactly one SQLite commit on the embedded store, and exactly one write round
 * trip on a counting stand-in for MongoDB's collections: the ticket with its journal (what the
 * action brings about: the event, the audit record, the messages owed, the backlog item, the card
 * job). Nothing in the request talks to Teams: the worker does that once kicked. After a worker
 * tick the journals are empty and everything is where its readers look.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '../../bot/domain/iso-date.js';
import type { SimIncident } from '../../bot/lgd/simulator/sim-state.js';
import { openEmbeddedStore, type EmbeddedStore } from '../../bot/store/embedded-store.js';
import { countingStore, type CountingStore, type RoundTrip } from '../support/counting-store.js';
import { cardAction, OPS_CHANNEL, postActivity, testUser, type TestUser } from '../support/teams-activities.js';
import { startTeamsWorld, type TeamsWorld } from '../support/teams-world.js';

const ann = testUser(31, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(32, 'Dev One', 'dev.one@lgd.example');
const dev2 = testUser(33, 'Dev Two', 'dev.two@lgd.example');
const people = [ann, dev1, dev2];
const KEYS = ['A', 'B', 'C', 'D', 'E', 'F'] as const;

let dir: string;
let embedded: EmbeddedStore;
let counted: CountingStore;
let w: TeamsWorld;
let otherGroup = '';
const inc = {} as Record<(typeof KEYS)[number], SimIncident>;

const data = async (k: (typeof KEYS)[number]) => ({ ticketKey: inc[k].key, v: (await w.app.tickets.get(inc[k].key))!.version });

/** One card action through the endpoint: its answer's text, the commits and the round trips made while it ran. */
async function act(user: TestUser, verb: string, body: unknown): Promise<{ text: string; commits: number; writes: string[]; teamsCalls: number }> {
  const c0 = embedded.commits();
  const calls = w.connector.calls.length;
  let text = '';
  const trips: RoundTrip[] = await counted.during(async () => {
    const res = await postActivity(w.app.url, cardAction(w.connector.url, user, verb, body));
    expect(res.status).toBe(200);
    text = JSON.stringify(res.body);
  });
  return { text, commits: embedded.commits() - c0, writes: trips.filter((t) => t.write).map((t) => `${t.collection}.${t.op}`), teamsCalls: w.connector.calls.length - calls };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lgd-one-commit-'));
  embedded = await openEmbeddedStore({ dataDir: dir });
  counted = countingStore(embedded);
  w = await startTeamsWorld({
    users: people,
    analysts: people,
    leads: [ann.email],
    env: { AREAS: JSON.stringify([{ area: 'Highways', contacts: [dev2.email] }]) },
    store: counted,
    seed: (sim, team) => {
      otherGroup = sim.state.addGroup('Service Desk').guid;
      for (const k of KEYS) inc[k] = sim.state.raiseIncident({ title: `Ticket ${k}`, description: `Broken ${k}`, groupKey: team.guid, status: 'Active', raiseUser: 'Pat User' });
      // F was approved in LGD before the bot came: it never had a triage card.
      sim.state.addNote(inc.F.key, { text: 'Approved', by: 'Ann Lead' });
    },
  });
  await w.install(ann);
  // Today's Operations Lead is Ann (notify lead needs one); everyone has been seen once (their first turn stores who they are).
  await w.app.teams.ports.rota.set(todayIn('Europe/London', new Date()), todayIn('Europe/London', new Date()), { email: ann.email, name: 'Ann Lead' }, 'test');
  for (const u of people) await act(u, 'refresh', await data('A'));
});

afterAll(async () => {
  await w?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('one card action, one durable commit', () => {
  it('approve, take ownership, notify the lead, reassign, resolve, project and discuss: one commit and one write each, no call to Teams', async () => {
    const run = async (user: TestUser, verb: string, body: unknown, expectText: RegExp): Promise<void> => {
      const r = await act(user, verb, body);
      expect({ verb, commits: r.commits, teamsCalls: r.teamsCalls }).toEqual({ verb, commits: 1, teamsCalls: 0 });
      // One write to MongoDB: the ticket (with its journal), as one conditional replace or one update.
      expect(r.writes, verb).toHaveLength(1);
      expect(r.writes[0], verb).toMatch(/^tickets\.(replaceOne|updateOne)$/);
      expect(r.text, verb).toMatch(expectText);
    };
    await run(ann, 'approve', await data('A'), /Approved/);
    await run(ann, 'approve', await data('B'), /Approved/);
    await run(ann, 'approve', await data('C'), /Approved/);
    await run(ann, 'approve', await data('D'), /Approved/);
    await run(dev1, 'takeOwnership', await data('A'), /You own LGD/);
    await run(dev1, 'takeOwnership', await data('B'), /You own LGD/);
    await run(dev1, 'takeOwnership', await data('C'), /You own LGD/);
    await run(dev1, 'takeOwnership', await data('D'), /tickets/);
    await run(dev1, 'notifyLead', await data('D'), /is being told/);
    await run(ann, 'reassign', { ...(await data('E')), target: `group:${otherGroup}`, reason: 'Not ours' }, /Reassigned to Service Desk/);
    const category = [...w.sim.state.resolutionCategories.values()].find((c) => c.title === 'Fixed')!;
    await run(dev1, 'resolve', { ...(await data('A')), category: category.guid, description: 'Fixed the thing' }, /Resolved as/);
    await run(ann, 'project', { ...(await data('B')), message: 'This is new work.', area: 'Highways', backlogTitle: 'B as a project' }, /Project work/);
    await run(dev2, 'discuss', await data('C'), /go to the discussion/);
    await run(dev2, 'discuss', await data('F'), /opens in the ticket's thread in the ops channel in a moment/);

  });

  it('a refusal and a person without the role: one commit each (the audit record), and nothing else', async () => {
    const notAllowed = await act(dev2, 'approve', await data('F'));
    expect(notAllowed.text).toMatch(/Only today's Operations Lead/);
    expect(notAllowed).toMatchObject({ commits: 1, writes: ['audit.insertOne'], teamsCalls: 0 });
    const refused = await act(dev2, 'takeOwnership', await data('C'));
    expect(refused.text).toMatch(/already owned by/);
    expect(refused).toMatchObject({ commits: 1, writes: ['audit.insertOne'], teamsCalls: 0 });
    const viewed = await act(dev2, 'refresh', await data('C'));
    expect(viewed).toMatchObject({ commits: 0, writes: [], teamsCalls: 0 });
  });

  it('shows each action in the audit trail at once, and once after the worker moved it', async () => {
    const before = await w.app.repos.audit.list({ ticketKey: inc.B.key });
    expect(before.map((e) => e.action)).toEqual(['project', 'takeOwnership', 'approve']);
    await w.app.worker.tick();
    const after = await w.app.repos.audit.list({ ticketKey: inc.B.key });
    expect(after.map((e) => `${e.action}:${e.outcome}`)).toEqual(['project:done', 'takeOwnership:done', 'approve:done']);
    expect(after[0]!.detail).toBe('area Highways; tell dev.two@lgd.example; was owned by Dev One');
  });

  it('leaves the rest to the worker: the events, the cards, the messages, the backlog item and the discussions', async () => {
    await w.app.worker.tick();
    expect(await w.app.repos.tickets.journals(100)).toEqual([]);
    const events = await w.app.events.after(0, 1000);
    const teams = events.filter((e) => e.kind === 'state_changed' && e.source === 'teams').map((e) => `${e.ticketKey === inc.A.key ? 'A' : e.ticketKey === inc.B.key ? 'B' : '?'}:${e.kind === 'state_changed' ? e.to : ''}`);
    expect(teams.filter((e) => e.startsWith('A:'))).toEqual(['A:approved_unassigned', 'A:owned', 'A:resolved']);
    expect(teams.filter((e) => e.startsWith('B:'))).toEqual(['B:approved_unassigned', 'B:owned', 'B:project']);
    // Dev One was told of Project on B (they owned it); Ann, the lead, of Dev One's fourth ticket.
    const sent = w.connector.calls.filter((c) => c.method === 'POST' && /\/activities$/.test(c.path)).map((c) => JSON.stringify(c.body));
    expect(sent.some((b) => /is now project work/.test(b))).toBe(true);
    expect(sent.some((b) => /Dev One owns 4 tickets/.test(b))).toBe(true);
    expect((await w.app.backlog.queue.list()).map((r) => r.item.title)).toEqual(['B as a project']);
    // Both discussions were opened in the ops channel; F's card was posted there first.
    const replies = w.connector.calls.filter((c) => c.method === 'POST' && decodeURIComponent(c.path).includes(`${OPS_CHANNEL};messageid=`));
    expect(replies.map((c) => (c.body as { text: string }).text)).toEqual([
      expect.stringMatching(/Dev Two would like to talk about LGD \d+ \(Ticket C\)/),
      expect.stringMatching(/Dev Two would like to talk about LGD \d+ \(Ticket F\)/),
    ]);
    expect(await w.app.repos.cards.opsCardOf(inc.F.key)).toMatchObject({ discussStartedAt: expect.any(Date) });
    const card = await act(dev2, 'discuss', await data('F'));
    expect(card.text).toMatch(/go to the discussion/);
    expect(card.commits).toBe(1);
  });
});
