/**
 * The seed's two stages from Teams, driven through the bot's real /api/messages endpoint with
 * Teams-shaped activities; a local recording connector stands in for Teams and the LGD simulator
 * for LGD. Assertions are on the cards people see and on what reaches LGD.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import type { SimIncident } from '../../bot/lgd/simulator/sim-state.js';
import type { RecordingConnector } from '../support/recording-connector.js';
import type { startTestApp } from '../support/test-app.js';
import { startTeamsWorld, until, type TeamsWorld } from '../support/teams-world.js';
import {
  cardAction,
  channelMessage,
  installInTeam,
  OPS_CHANNEL,
  OTHER_CHANNEL,
  personalMessage,
  postActivity,
  searchInvoke,
  testUser,
  type TestUser,
} from '../support/teams-activities.js';
import { checkCard } from './cards/parse-card.js';

type Card = { type: string; body: unknown[]; refresh?: { userIds?: string[]; action: { verb: string } } };
type Body = { statusCode: number; type: string; value: Card | { code: string; message: string } };

const ann = testUser(1, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(2, 'Dev One', 'dev.one@lgd.example');
const dev2 = testUser(3, 'Dev Two', 'dev.two@lgd.example');
const dev3 = testUser(4, 'Dev Three', 'dev.three@lgd.example');
const stranger = testUser(5, 'Sam Stranger', 'sam@elsewhere.example');
const everyone = [ann, dev1, dev2, dev3, stranger];

let sim: LgdSimulator;
let connector: RecordingConnector;
let app: Awaited<ReturnType<typeof startTestApp>>;
const seen: Card[] = [];
const inc: Record<string, SimIncident> = {};
let otherGroupKey = '';

/** Every Action.Execute / OpenUrl title on a card. */
function buttons(card: Card): string[] {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if ((o.type === 'Action.Execute' || o.type === 'Action.OpenUrl') && typeof o.title === 'string') out.push(o.title);
      Object.values(o).forEach(walk);
    }
  };
  walk(card.body);
  return out;
}
const textOf = (card: Card): string => JSON.stringify(card.body);

async function act(user: TestUser, verb: string, data: unknown): Promise<Body> {
  const res = await postActivity(app.url, cardAction(connector.url, user, verb, data));
  expect(res.status).toBe(200); // errors travel inside the body, never as HTTP errors
  const body = res.body as Body;
  if (body.type === 'application/vnd.microsoft.card.adaptive') seen.push(body.value as Card);
  return body;
}
const cardOf = (b: Body): Card => {
  expect(b.type).toBe('application/vnd.microsoft.card.adaptive');
  return b.value as Card;
};
const ticket = (k: string) => app.tickets.get(inc[k]!.key).then((t) => t!);
const data = async (k: string) => ({ ticketKey: inc[k]!.key, v: (await ticket(k)).version });

/** Cards the bot posted or updated in the ops channel, by activity id (latest version). */
function opsCards(): Map<string, Card> {
  const cards = new Map<string, Card>();
  for (const c of connector.calls) {
    if (!c.path.includes(encodeURIComponent(OPS_CHANNEL)) && !c.path.includes(OPS_CHANNEL)) continue;
    const body = c.body as { id?: string; attachments?: { content: Card }[] } | undefined;
    const card = body?.attachments?.[0]?.content;
    if (!card) continue;
    const id = c.method === 'PUT' ? decodeURIComponent(c.path.split('/').at(-1) ?? '') : `posted-${cards.size}`;
    cards.set(id, card);
    seen.push(card);
  }
  return cards;
}
const posts = (): number => connector.calls.filter((c) => c.method === 'POST' && c.path.includes('/activities') && JSON.stringify(c.body).includes('AdaptiveCard')).length;
const updatesOf = (activityId: string): Card[] =>
  connector.calls.filter((c) => c.method === 'PUT' && decodeURIComponent(c.path).endsWith(`/activities/${activityId}`)).map((c) => (c.body as { attachments: { content: Card }[] }).attachments[0]!.content);

async function postedCard(k: string): Promise<{ activityId: string }> {
  const doc = await app.store.collection<{ _id: string; ticketKey: string; activityId: string }>('cards').findOne({ ticketKey: inc[k]!.key, kind: 'ops' });
  expect(doc, `card of ${k}`).not.toBeNull();
  return { activityId: doc!.activityId };
}

let world: TeamsWorld;

beforeAll(async () => {
  world = await startTeamsWorld({
    users: everyone,
    analysts: [ann, dev1, dev2, dev3],
    leads: ['ann.lead@lgd.example'],
    seed: (s, team) => {
      otherGroupKey = s.state.addGroup('Service Desk').guid;
      const raise = (k: string, extra: Partial<Parameters<typeof s.state.raiseIncident>[0]> = {}): void => {
        inc[k] = s.state.raiseIncident({ title: `Ticket ${k}`, description: `The ${k} form is broken`, groupKey: team.guid, status: 'Active', raiseUser: 'Pat User', priority: '3 - Moderate', category: 'Forms', ...extra });
      };
      for (const k of ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I']) raise(k);
      raise('history', { status: 'Resolved' });
      raise('decided');
      s.state.addNote(inc.decided!.key, { text: 'Approved', by: 'Ann Lead' });
    },
  });
  ({ sim, connector, app } = world);
});

afterAll(async () => {
  await world?.close();
});

describe('installation and the triage cards', () => {
  it('posts one triage card per ticket needing triage now, none for history, in the installing channel', async () => {
    const res = await postActivity(app.url, installInTeam(connector.url, ann));
    expect(res.status).toBe(200);
    await app.teams.processor.processNew();
    const welcome = connector.sent().find((a) => typeof a.text === 'string' && a.text.includes("I'll post a triage card here"));
    expect(welcome).toBeDefined();
    await until(() => posts() >= 9, 'nine triage cards');
    expect(posts()).toBe(9);
    const cards = [...opsCards().values()];
    const titles = cards.map((c) => textOf(c));
    expect(titles.some((t) => t.includes('Ticket history'))).toBe(false);
    expect(titles.some((t) => t.includes('Ticket decided'))).toBe(false);
    const a = cards.find((c) => textOf(c).includes('Ticket A'))!;
    // The shared card is read-only; triagers get their buttons through refresh.
    expect(buttons(a)).toEqual(['Open in LGD']);
    expect(a.refresh?.action.verb).toBe('refresh');
    expect(a.refresh?.userIds).toContain(ann.id);
    expect(textOf(a)).toMatch(/Needs triage/);
    expect(textOf(a)).toMatch(/Nobody is on the triage rota today/);
    // Nothing posted twice on another pass.
    await app.teams.processor.processNew();
    expect(posts()).toBe(9);
  });

  it('lets a lead set the rota, and the cards name today\'s triager', async () => {
    const before = connector.calls.length;
    await postActivity(app.url, channelMessage(connector.url, ann, 'rota set today lead ann.lead@lgd.example'));
    await connector.waitFor(before + 1);
    expect(connector.sent().some((a) => /Ann Lead is the Operations Lead/.test(String(a.text)))).toBe(true);
    await app.teams.processor.processNew();
    const { activityId } = await postedCard('A');
    expect(textOf(updatesOf(activityId).at(-1)!)).toMatch(/Triage today: Ann Lead/);
    const refused = connector.calls.length;
    await postActivity(app.url, channelMessage(connector.url, dev1, 'rota set today lead dev.one@lgd.example'));
    await connector.waitFor(refused + 1);
    expect(String(connector.sent().at(-1)?.text)).toMatch(/Only today's Operations Lead/);
  });

  it('shows a triager Approve, Project and Reassign, and everyone else a read-only card', async () => {
    const lead = cardOf(await act(ann, 'refresh', await data('A')));
    expect(buttons(lead)).toEqual(['Approve', 'Project', 'Reassign', 'Open in LGD']);
    const dev = cardOf(await act(dev1, 'refresh', await data('A')));
    expect(buttons(dev)).toEqual(['Open in LGD']);
    expect(textOf(dev)).toMatch(/Triage today: Ann Lead/);
  });
});

describe('approve, take ownership, reassign', () => {
  it('refuses a developer who tries to approve, says why, writes nothing, and audits the attempt', async () => {
    const card = cardOf(await act(dev1, 'approve', await data('A')));
    expect(textOf(card)).toMatch(/Only today's Operations Lead or a lead developer/);
    expect((await ticket('A')).outbox).toHaveLength(0);
    const audit = await app.repos.audit.list({ ticketKey: inc.A!.key });
    expect(audit[0]).toMatchObject({ action: 'approve', outcome: 'not_allowed', actor: { name: 'Dev One' } });
  });

  it('approves: the card turns into approved-unassigned with Take ownership, and the note reaches LGD', async () => {
    const card = cardOf(await act(ann, 'approve', await data('A')));
    expect(textOf(card)).toMatch(/Approved — waiting for an owner/);
    expect(buttons(card)).toContain('Take ownership');
    expect(textOf(card)).toMatch(/Queued for LGD/);
    await app.worker.tick();
    const notes = sim.state.notesOf(inc.A!.key);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.text).toMatch(/^Approved — Ann Lead via Teams \(ref [0-9a-f]{8}\)$/);
    const { activityId } = await postedCard('A');
    const shared = updatesOf(activityId).at(-1)!;
    expect(textOf(shared)).toMatch(/Approved — waiting for an owner/);
    expect(buttons(shared)).toContain('Take ownership');
    expect(textOf(shared)).not.toMatch(/Queued for LGD/);
  });

  it('lets exactly one of three developers clicking at once take it; the others see who owns it', async () => {
    const d = await data('A');
    const answers = await Promise.all([dev1, dev2, dev3].map((u) => act(u, 'takeOwnership', d)));
    const texts = answers.map((b) => textOf(cardOf(b)));
    const winners = texts.filter((t) => /You own LGD/.test(t));
    expect(winners).toHaveLength(1);
    const owner = (await ticket('A')).owner!.title;
    for (const t of texts.filter((x) => !/You own LGD/.test(x))) expect(t).toMatch(new RegExp(`already owned by ${owner}`));
    expect((await ticket('A')).outbox.filter((e) => e.write.kind === 'assign')).toHaveLength(1);
    await app.worker.tick();
    const analyst = [...sim.state.analysts.values()].find((a) => a.title === owner)!;
    expect(sim.state.incident(inc.A!.key)!.userKey).toBe(analyst.guid);
    const { activityId } = await postedCard('A');
    expect(textOf(updatesOf(activityId).at(-1)!)).toMatch(new RegExp(`Owned by ${owner}`));
  });

  it('warns at a fourth owned ticket and tells the Operations Lead when asked', async () => {
    for (const k of ['B', 'C', 'D', 'E']) await act(ann, 'approve', await data(k));
    const owner = (await ticket('A')).owner!.title;
    const who = [dev1, dev2, dev3].find((u) => u.name === owner)!;
    for (const k of ['B', 'C']) expect(textOf(cardOf(await act(who, 'takeOwnership', await data(k))))).toMatch(/You own LGD/);
    const fourth = cardOf(await act(who, 'takeOwnership', await data('D')));
    expect(textOf(fourth)).toMatch(/You now own 4 tickets; the team's guideline is three at most/);
    expect(buttons(fourth)).toContain('Tell the Operations Lead');
    const before = connector.calls.length;
    const told = cardOf(await act(who, 'notifyLead', await data('D')));
    expect(textOf(told)).toMatch(/Ann Lead is being told/);
    // The request only queues it; the worker sends it, once even when asked twice.
    await act(who, 'notifyLead', await data('D'));
    await app.worker.tick();
    const toLead = connector.calls.slice(before).filter((c) => c.method === 'POST' && JSON.stringify(c.body).includes('owns 4 tickets'));
    expect(toLead).toHaveLength(1);
  });

  it('reassigns through the typeahead: groups and analysts from LGD, a reason, and LGD gets the assignment', async () => {
    const form = cardOf(await act(ann, 'reassignForm', await data('F')));
    expect(JSON.stringify(form)).toContain('"dataset":"lgd.targets"');
    const search = await postActivity(app.url, searchInvoke(connector.url, ann, 'serv'));
    const results = (search.body as { value: { results: { title: string; value: string }[] } }).value.results;
    expect(results).toContainEqual({ title: 'Group: Service Desk', value: `group:${otherGroupKey}` });
    const people = (await postActivity(app.url, searchInvoke(connector.url, ann, 'dev t'))).body as { value: { results: { title: string }[] } };
    expect(people.value.results.map((r) => r.title).sort()).toEqual(['Dev Three (dev.three@lgd.example)', 'Dev Two (dev.two@lgd.example)']);

    const noReason = cardOf(await act(ann, 'reassign', { ...(await data('F')), target: `group:${otherGroupKey}`, reason: '' }));
    expect(textOf(noReason)).toMatch(/Say why/);
    const forged = cardOf(await act(ann, 'reassign', { ...(await data('F')), target: 'group:not-a-group', reason: 'x' }));
    expect(textOf(forged)).toMatch(/not one of LGD's support groups/);
    expect((await ticket('F')).outbox).toHaveLength(0);

    const done = cardOf(await act(ann, 'reassign', { ...(await data('F')), target: `group:${otherGroupKey}`, reason: 'Password resets are the Service Desk\'s' }));
    expect(textOf(done)).toMatch(/Reassigned to Service Desk/);
    await app.worker.tick();
    expect(sim.state.incident(inc.F!.key)!.groupKey).toBe(otherGroupKey);
    const a = sim.state.assignmentsOf(inc.F!.key).at(-1)!;
    expect(a.description).toMatch(/^Password resets are the Service Desk's — Ann Lead via Teams/);
    const { activityId } = await postedCard('F');
    expect(textOf(updatesOf(activityId).at(-1)!)).toMatch(/Reassigned to Service Desk/);
  });
});

describe('bad input changes nothing', () => {
  it('answers a forged ticket key, an unknown verb, missing data and a malformed action with errors inside HTTP 200', async () => {
    const forged = await act(ann, 'approve', { ticketKey: 'ffffffff-0000-0000-0000-000000000000', v: 1 });
    expect(forged).toMatchObject({ statusCode: 404, type: 'application/vnd.microsoft.error', value: { code: 'TicketNotFound' } });
    const unknown = await act(ann, 'deleteEverything', await data('G'));
    expect(unknown).toMatchObject({ statusCode: 400, value: { code: 'UnknownAction' } });
    const missing = await act(ann, 'approve', { v: 1 });
    expect(missing).toMatchObject({ statusCode: 400, value: { code: 'BadRequest' } });
    const malformed = await postActivity(app.url, { ...cardAction(connector.url, ann, 'approve', {}), value: { action: 'nope' } });
    expect(malformed.status).toBe(200);
    expect(malformed.body).toMatchObject({ statusCode: 400, value: { code: 'BadRequest' } });
    expect((await ticket('G')).outbox).toHaveLength(0);
    expect(sim.state.notesOf(inc.G!.key)).toHaveLength(0);
  });

  it('tells an unmapped person how to get mapped and writes nothing', async () => {
    await act(ann, 'approve', await data('E'));
    const card = cardOf(await act(stranger, 'takeOwnership', await data('E')));
    expect(textOf(card)).toMatch(/not linked to an LGD analyst/);
    expect(textOf(card)).toMatch(/map sam@elsewhere.example to/);
    expect((await ticket('E')).outbox.filter((e) => e.write.kind === 'assign')).toHaveLength(0);
    const audit = await app.repos.audit.list({ limit: 5 });
    expect(audit.some((e) => e.outcome === 'unmapped' && e.actor.name === 'Sam Stranger')).toBe(true);
  });

  it('answers a stale card with the ticket as it is now', async () => {
    const card = cardOf(await act(dev2, 'takeOwnership', await data('A')));
    expect(textOf(card)).toMatch(/already owned by/);
    const triaged = cardOf(await act(ann, 'approve', await data('A')));
    expect(textOf(triaged)).toMatch(/cannot be approved now/);
  });
});

describe('LGD has its say', () => {
  it('when LGD refuses a queued write, the card returns to LGD\'s state and the person is told LGD\'s words', async () => {
    await act(ann, 'approve', await data('G'));
    await app.worker.tick();
    await act(dev2, 'takeOwnership', await data('G'));
    const cat = [...sim.state.resolutionCategories.values()][0]!;
    sim.state.resolve(inc.G!.key, { categoryKey: cat.guid, status: 'Resolved' });
    const before = connector.calls.length;
    await app.worker.tick();
    expect((await ticket('G')).state).toBe('resolved');
    const told = connector.calls.slice(before).filter((c) => c.method === 'POST' && JSON.stringify(c.body).includes('LGD refused your change'));
    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0]!.body)).toMatch(/not available|Resolved/i);
    const { activityId } = await postedCard('G');
    const shared = updatesOf(activityId).at(-1)!;
    expect(textOf(shared)).toMatch(/Resolved/);
    expect(textOf(shared)).toMatch(/LGD refused the last change/);
  });

  it('says "queued for LGD" while LGD is down, and catches up when it is back', async () => {
    sim.setFaults({ seed: 1, errorRate: 1 });
    const card = cardOf(await act(ann, 'approve', await data('H')));
    expect(textOf(card)).toMatch(/Queued for LGD/);
    await app.worker.tick();
    const { activityId } = await postedCard('H');
    expect(textOf(updatesOf(activityId).at(-1)!)).toMatch(/Queued for LGD/);
    sim.setFaults({});
    await app.tickets.mutate(inc.H!.key, (t) => ({ ...t, outbox: t.outbox.map((e) => ({ ...e, nextAttemptAt: new Date(0) })) }));
    await app.worker.tick();
    expect(sim.state.notesOf(inc.H!.key).map((n) => n.text)).toEqual([expect.stringMatching(/^Approved — Ann Lead via Teams/)]);
    expect(textOf(updatesOf(activityId).at(-1)!)).not.toMatch(/Queued for LGD/);
  });

  it('updates the card in place when the decision is made in LGD directly, and audits it as from LGD', async () => {
    sim.state.addNote(inc.I!.key, { text: 'Approved: genuine bug', by: 'Ann Lead' });
    await app.worker.tick({ forceSync: true });
    const { activityId } = await postedCard('I');
    const shared = updatesOf(activityId).at(-1)!;
    expect(textOf(shared)).toMatch(/Approved — waiting for an owner/);
    expect(textOf(shared)).toMatch(/in LGD/);
    const audit = await app.repos.audit.list({ ticketKey: inc.I!.key });
    expect(audit[0]).toMatchObject({ source: 'lgd', action: 'lgd:approved_unassigned', actor: { name: 'Ann Lead' } });
  });

  it('shows a ticket\'s card in a chat on request, and keeps that card up to date', async () => {
    const before = connector.calls.length;
    await postActivity(app.url, personalMessage(connector.url, dev3, `ticket ${inc.I!.id}`));
    await connector.waitFor(before + 1);
    const sent = connector.calls.slice(before).find((c) => c.method === 'POST' && JSON.stringify(c.body).includes('Ticket I'))!;
    const card = (sent.body as { attachments: { content: Card }[] }).attachments[0]!.content;
    expect(buttons(card)).toContain('Take ownership');
    await act(dev3, 'takeOwnership', await data('I'));
    await app.worker.tick(); // the worker brings the cards up to date
    await until(() => connector.calls.some((c) => c.method === 'PUT' && decodeURIComponent(c.path).includes(`a:personal-${dev3.id}`)), 'the chat card updated');
    const put = connector.calls.filter((c) => c.method === 'PUT' && decodeURIComponent(c.path).includes(`a:personal-${dev3.id}`)).at(-1)!;
    expect(textOf((put.body as { attachments: { content: Card }[] }).attachments[0]!.content)).toMatch(/Owned by Dev Three/);
    const unknown = connector.calls.length;
    await postActivity(app.url, personalMessage(connector.url, dev3, 'ticket 99999'));
    await connector.waitFor(unknown + 1);
    expect(String(connector.sent().at(-1)?.text)).toMatch(/LGD 99999 is not one of the team's tickets/);
  });

  it('moves triage to another channel when a lead says so', async () => {
    const before = connector.calls.length;
    await postActivity(app.url, channelMessage(connector.url, ann, 'triage here', OTHER_CHANNEL));
    await connector.waitFor(before + 1);
    expect((await app.teams.ports.conversations.opsTeam())!.opsConversationId).toBe(OTHER_CHANNEL);
  });
});

describe('every card the bot sent or answered with', () => {
  it('parses with the adaptivecards package without errors or warnings', () => {
    opsCards();
    expect(seen.length).toBeGreaterThan(20);
    for (const card of seen) expect(checkCard(card).problems).toEqual([]);
  });
});
