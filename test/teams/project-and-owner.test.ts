/**
 * The Project outcome and the owner's side of a ticket, through /api/messages with Teams-shaped
 * activities; the recording connector stands in for Teams, the LGD simulator for LGD and a local
 * fake for Azure DevOps Boards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimIncident } from '../../bot/lgd/simulator/sim-state.js';
import { startFakeAzureDevOps, type FakeAzureDevOps } from '../support/fake-azure-devops.js';
import { startTeamsWorld, until, type TeamsWorld } from '../support/teams-world.js';
import { cardAction, OPS_CHANNEL, postActivity, testUser, type TestUser } from '../support/teams-activities.js';
import { checkCard } from './cards/parse-card.js';

type Card = { type: string; body: unknown[] };
type Body = { statusCode: number; type: string; value: Card | { code: string; message: string } };

const ann = testUser(11, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(12, 'Dev One', 'dev.one@lgd.example');
const dev2 = testUser(13, 'Dev Two', 'dev.two@lgd.example');
const pdm = testUser(14, 'Pam Delivery', 'pam.pdm@lgd.example');
const dsa = testUser(15, 'Dan Architect', 'dan.dsa@lgd.example');
const people = [ann, dev1, dev2, pdm, dsa];
const AREAS = JSON.stringify([
  { area: 'Adult Social Care', contacts: ['pam.pdm@lgd.example', 'dan.dsa@lgd.example'] },
  { area: 'Highways', contacts: ['nobody.in.teams@lgd.example'] },
]);

const textOf = (card: unknown): string => JSON.stringify(card).replace(/\\"/g, '"');
const seen: unknown[] = [];

interface World extends TeamsWorld {
  inc: Record<string, SimIncident>;
}

async function world(env: Record<string, string> = {}): Promise<World> {
  const inc: Record<string, SimIncident> = {};
  const w = await startTeamsWorld({
    users: people,
    analysts: [ann, dev1, dev2],
    leads: ['ann.lead@lgd.example'],
    env: { AREAS, ...env },
    seed: (sim, team) => {
      for (const k of ['P', 'Q', 'R', 'S', 'T', 'U']) {
        inc[k] = sim.state.raiseIncident({ title: `Ticket ${k}`, description: `Please build a new ${k} report`, groupKey: team.guid, status: 'Active', raiseUser: 'Pat User' });
      }
    },
  });
  await w.install(ann);
  return { ...w, inc };
}

async function act(w: World, user: TestUser, verb: string, data: unknown): Promise<Card> {
  const res = await postActivity(w.app.url, cardAction(w.connector.url, user, verb, data));
  expect(res.status).toBe(200);
  const body = res.body as Body;
  expect(body.type, JSON.stringify(body)).toBe('application/vnd.microsoft.card.adaptive');
  seen.push(body.value);
  return body.value as Card;
}
const data = async (w: World, k: string) => ({ ticketKey: w.inc[k]!.key, v: (await w.app.tickets.get(w.inc[k]!.key))!.version });
const sentAfter = (w: World, from: number, match: RegExp) =>
  w.connector.calls.slice(from).filter((c) => c.method === 'POST' && /\/activities$/.test(c.path) && match.test(JSON.stringify(c.body)));

describe('Project, with the built-in backlog', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  afterAll(async () => {
    await w?.close();
  });

  it('opens a form with an editable message, the areas and a backlog title', async () => {
    const form = await act(w, ann, 'projectForm', await data(w, 'P'));
    const t = textOf(form);
    expect(t).toMatch(/Thank you for your request \(LGD \d+\)/);
    expect(t).toContain('Adult Social Care');
    expect(t).toContain('Highways');
    expect(t).toMatch(/Ticket P \(LGD \d+\)/);
    const dev = await act(w, dev1, 'projectForm', await data(w, 'P'));
    expect(textOf(dev)).toMatch(/Only today's Operations Lead or a lead developer/);
  });

  it('refuses an empty or over-long message, a malformed e-mail to tell and two different areas, writing nothing', async () => {
    const d = await data(w, 'P');
    const empty = await act(w, ann, 'project', { ...d, message: '   ', area: 'Adult Social Care', backlogTitle: 'New P report' });
    expect(textOf(empty)).toMatch(/Write the message to the user/);
    const long = await act(w, ann, 'project', { ...d, message: 'x'.repeat(2001), area: 'Adult Social Care', backlogTitle: 'New P report' });
    expect(textOf(long)).toMatch(/2001 characters; keep it to 2000 at most/);
    const contacts = await act(w, ann, 'project', { ...d, message: 'Hello', area: 'Highways', contacts: 'pam.pdm@lgd.example, pam', backlogTitle: 'New P report' });
    expect(textOf(contacts)).toMatch(/Also tell: "pam" is not an e-mail address/);
    const both = await act(w, ann, 'project', { ...d, message: 'Hello', area: 'Highways', otherArea: 'Parks', backlogTitle: 'New P report' });
    expect(textOf(both)).toMatch(/Choose an area from the list or name another one, not both/);
    expect((await w.app.tickets.get(w.inc.P!.key))!.outbox).toHaveLength(0);
    expect(await w.app.backlog.queue.list()).toHaveLength(0);
  });

  it('queues the note, the message to the user and the resolve; makes the backlog item; tells the area contacts', async () => {
    const before = w.connector.calls.length;
    const card = await act(w, ann, 'project', { ...(await data(w, 'P')), message: 'This is new work: the Adult Social Care team will be in touch.', area: 'adult social care', backlogTitle: 'New P report' });
    expect(textOf(card)).toMatch(/Project work/);
    const t = (await w.app.tickets.get(w.inc.P!.key))!;
    expect(t.state).toBe('project');
    expect(t.outbox.map((e) => e.write.kind)).toEqual(['note', 'end_user_update', 'resolve']);

    await w.app.worker.tick();
    const notes = w.sim.state.notesOf(w.inc.P!.key);
    // The decision note is internal (it says on whose behalf, with its reference); what the user
    // reads is exactly the lead's text and one sign-off.
    expect(notes.map((n) => n.text)).toEqual([
      expect.stringMatching(/^Project — Ann Lead via Teams \(ref [0-9a-f]{8}\)$/),
      'This is new work: the Adult Social Care team will be in touch.\n\n— Ann Lead, LGSS IT Digital',
    ]);
    expect(notes[1]!.notifyRaiseUser).toBe(true);
    expect(w.sim.state.incident(w.inc.P!.key)!.status).toBe('Resolved');
    expect(w.sim.state.resolutionsOf(w.inc.P!.key)[0]!.description).toBe('Project work: moved to the Adult Social Care backlog as "New P report".\n\n— Ann Lead, LGSS IT Digital');

    await until(async () => (await w.app.backlog.queue.list()).some((r) => r.status === 'created'), 'the backlog item');
    const listed = (await (await fetch(`${w.app.url}/api/backlog`)).json()) as { items: { title: string; area: string; status: string; ticketNumber: number }[] };
    expect(listed.items).toEqual([expect.objectContaining({ title: 'New P report', area: 'Adult Social Care', status: 'created', ticketNumber: w.inc.P!.id })]);
    await w.app.worker.tick(); // the contacts are told from the notice queue
    const told = sentAfter(w, before, /New project work for Adult Social Care: New P report/);
    expect(told).toHaveLength(2);
    // The shared card stays the Project outcome, even though LGD now says Resolved.
    await w.app.worker.tick({ forceSync: true });
    expect((await w.app.tickets.get(w.inc.P!.key))!.state).toBe('project');
  });

  it('sends the form\'s default message as the user reads it: the text and one sign-off', async () => {
    const form = await act(w, ann, 'projectForm', await data(w, 'U'));
    const input = JSON.stringify(form).match(/"id":"message"[^}]*"value":"((?:[^"\\]|\\.)*)"/);
    const message = JSON.parse(`"${input![1]!}"`) as string;
    expect(message).toMatch(/^Thank you for your request \(LGD \d+\)/);
    expect(message).not.toMatch(/Ann Lead|LGSS IT Digital|via Teams/);
    await act(w, ann, 'project', { ...(await data(w, 'U')), message, area: 'Highways', backlogTitle: 'U report' });
    await w.app.worker.tick();
    const toUser = w.sim.state.notesOf(w.inc.U!.key).filter((n) => n.notifyRaiseUser);
    expect(toUser.map((n) => n.text)).toEqual([`${message}\n\n— Ann Lead, LGSS IT Digital`]);
  });

  it('decides Project on an approved ticket too: the work turned out bigger', async () => {
    await act(w, ann, 'approve', await data(w, 'T'));
    const approved = await act(w, ann, 'refresh', await data(w, 'T'));
    expect(textOf(approved)).toContain('"verb":"projectForm"');
    const form = await act(w, ann, 'projectForm', await data(w, 'T'));
    expect(textOf(form)).toMatch(/approved as support work; deciding Project now replaces that/);
    const card = await act(w, ann, 'project', { ...(await data(w, 'T')), message: 'Bigger than support: Highways will plan it.', area: 'Highways', backlogTitle: 'T rebuild' });
    expect(textOf(card)).toMatch(/Project work\. .*goes to the Highways backlog\. nobody.in.teams@lgd.example is told when it is there\./);
    expect((await w.app.tickets.get(w.inc.T!.key))!.state).toBe('project');
    const refused = await act(w, ann, 'project', { ...(await data(w, 'T')), message: 'Again', area: 'Highways', backlogTitle: 'T' });
    expect(textOf(refused)).toMatch(/decided as project work, so it cannot be decided as project work now\. Nothing was changed/);
    expect((await w.app.tickets.get(w.inc.T!.key))!.outbox.filter((e) => e.write.kind === 'resolve')).toHaveLength(1);
  });

  it("sends the owner a personal copy of the card; only the owner may resolve; resolving reaches LGD", async () => {
    await act(w, ann, 'approve', await data(w, 'Q'));
    await w.app.worker.tick();
    const before = w.connector.calls.length;
    expect(textOf(await act(w, dev1, 'takeOwnership', await data(w, 'Q')))).toMatch(/You own LGD/);
    await w.app.worker.tick(); // the worker sends the owner's copy
    await until(() => sentAfter(w, before, /Resolve/).length > 0, "the owner's copy");
    const copy = sentAfter(w, before, /Resolve/)[0]!;
    expect(copy.path).not.toContain(encodeURIComponent(OPS_CHANNEL));
    expect(w.connector.calls.slice(before).some((c) => c.method === 'POST' && /\/v3\/conversations\/?$/.test(c.path))).toBe(true);

    const notOwner = await act(w, dev2, 'resolveForm', await data(w, 'Q'));
    expect(textOf(notOwner)).toMatch(/Only the ticket's owner \(Dev One\) resolves it/);
    const form = await act(w, dev1, 'resolveForm', await data(w, 'Q'));
    expect(textOf(form)).toContain('Fixed');
    const noCategory = await act(w, dev1, 'resolve', { ...(await data(w, 'Q')), category: '', description: 'Fixed the report' });
    expect(textOf(noCategory)).toMatch(/Choose a resolution category/);
    const cat = [...w.sim.state.resolutionCategories.values()].find((c) => c.title === 'Fixed')!;
    const done = await act(w, dev1, 'resolve', { ...(await data(w, 'Q')), category: cat.guid, description: 'Rebuilt the Q report query' });
    expect(textOf(done)).toMatch(/Resolved as "Fixed"/);
    await w.app.worker.tick();
    expect(w.sim.state.incident(w.inc.Q!.key)!.status).toBe('Resolved');
    expect(w.sim.state.resolutionsOf(w.inc.Q!.key)[0]).toMatchObject({ categoryKey: cat.guid, description: 'Rebuilt the Q report query\n\n— Dev One, LGSS IT Digital' });
  });

  it('Discuss opens the thread of the ticket card in the ops channel mentioning the owner, then returns to it', async () => {
    await act(w, ann, 'approve', await data(w, 'R'));
    await act(w, dev2, 'takeOwnership', await data(w, 'R'));
    const before = w.connector.calls.length;
    const card = await act(w, dev1, 'discuss', await data(w, 'R'));
    expect(textOf(card)).toMatch(/go to the discussion\]\(https:\/\/teams\.microsoft\.com\/l\/message\//);
    await w.app.worker.tick(); // the worker replies in the thread
    const replies = w.connector.calls.slice(before).filter((c) => c.method === 'POST' && decodeURIComponent(c.path).includes(`${OPS_CHANNEL};messageid=`));
    expect(replies).toHaveLength(1);
    const reply = replies[0]!.body as { text: string; entities: { mentioned: { id: string } }[] };
    expect(reply.text).toMatch(/<at>Dev Two<\/at>, Dev One would like to talk about LGD/);
    expect(reply.entities[0]!.mentioned.id).toBe(dev2.id);
    const again = w.connector.calls.length;
    await act(w, ann, 'discuss', await data(w, 'R'));
    await w.app.worker.tick();
    expect(w.connector.calls.slice(again).filter((c) => decodeURIComponent(c.path).includes(';messageid='))).toHaveLength(0);
  });

  it('decides Project on an owned ticket; the owner is told through the worker, not inside the request', async () => {
    // R is owned by Dev Two (the Discuss test above).
    expect((await w.app.tickets.get(w.inc.R!.key))!.state).toBe('owned');
    const owned = await act(w, ann, 'refresh', await data(w, 'R'));
    expect(textOf(owned)).toContain('"verb":"projectForm"');
    const form = await act(w, ann, 'projectForm', await data(w, 'R'));
    expect(textOf(form)).toMatch(/Dev Two owns this ticket and will be told of the decision/);
    const before = w.connector.calls.length;
    const card = await act(w, ann, 'project', { ...(await data(w, 'R')), message: 'This needs a project.', area: 'Adult Social Care', backlogTitle: 'R as a project' });
    expect(textOf(card)).toMatch(/Dev Two, who owned it, is told\./);
    expect((await w.app.tickets.get(w.inc.R!.key))!.state).toBe('project');
    expect(sentAfter(w, before, /is now project work/)).toHaveLength(0);
    await w.app.worker.tick();
    const told = sentAfter(w, before, /LGD \d+ is now project work/);
    expect(told).toHaveLength(1);
    expect(told[0]!.path).toContain('/v3/conversations/');
    expect(JSON.stringify(told[0]!.body)).toMatch(/Ann Lead decided that LGD \d+ \(Ticket R\), which you own, is project work/);
    const audit = await w.app.repos.audit.list({ ticketKey: w.inc.R!.key });
    expect(audit[0]).toMatchObject({ action: 'project', outcome: 'done', detail: expect.stringMatching(/^area Adult Social Care; tell pam.pdm@lgd.example, dan.dsa@lgd.example; was owned by Dev Two$/) });
    await w.app.worker.tick();
    expect(sentAfter(w, before, /LGD \d+ is now project work/)).toHaveLength(1);
  });

  it('every card answered parses cleanly', () => {
    expect(seen.length).toBeGreaterThan(10);
    for (const c of seen) expect(checkCard(c as object).problems).toEqual([]);
  });
});

describe('Project, with no areas configured', () => {
  let w: World;
  beforeAll(async () => {
    w = await world({ AREAS: '[]' });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('is never blocked: an area nobody configured, with people named, tells them', async () => {
    const form = await act(w, ann, 'projectForm', await data(w, 'P'));
    expect(textOf(form)).toMatch(/"id":"area","label":"Area"/);
    expect(textOf(form)).toMatch(/"id":"contacts"/);
    const before = w.connector.calls.length;
    const card = await act(w, ann, 'project', { ...(await data(w, 'P')), message: 'New work for Parks.', area: 'Parks', contacts: 'Pam.PDM@lgd.example', backlogTitle: 'P for Parks' });
    expect(textOf(card)).toMatch(/goes to the Parks backlog\. pam.pdm@lgd.example is told when it is there\./);
    await w.app.worker.tick();
    await w.app.worker.tick();
    expect(await w.app.backlog.queue.list()).toEqual([expect.objectContaining({ status: 'created', notify: ['pam.pdm@lgd.example'], item: expect.objectContaining({ area: 'Parks' }) })]);
    expect(sentAfter(w, before, /New project work for Parks: P for Parks/)).toHaveLength(1);
    expect(w.sim.state.resolutionsOf(w.inc.P!.key)[0]!.description).toMatch(/Project work: moved to the Parks backlog as "P for Parks"/);
  });

  it('goes on with no area and nobody named, saying on the card and in the audit trail that nobody was told', async () => {
    const card = await act(w, ann, 'project', { ...(await data(w, 'Q')), message: 'New work.', backlogTitle: 'Q somewhere' });
    expect(textOf(card)).toMatch(/Nobody was told: no known area and no one named/);
    expect((await w.app.tickets.get(w.inc.Q!.key))!.state).toBe('project');
    const audit = await w.app.repos.audit.list({ ticketKey: w.inc.Q!.key });
    expect(audit[0]).toMatchObject({ action: 'project', outcome: 'done', detail: 'no area; nobody told' });
    await w.app.worker.tick();
    expect(w.sim.state.resolutionsOf(w.inc.Q!.key)[0]!.description).toMatch(/^Project work: moved to the backlog as "Q somewhere"/);
    const item = (await w.app.backlog.queue.list()).find((r) => r.item.ticketKey === w.inc.Q!.key);
    expect(item).toMatchObject({ notify: [], item: { area: 'No area' } });
  });
});

describe('Project, with Azure DevOps Boards failing at first', () => {
  let w: World;
  let ado: FakeAzureDevOps;
  beforeAll(async () => {
    ado = await startFakeAzureDevOps({ token: 'pat-secret', project: 'Digital' });
    w = await world({ AZURE_DEVOPS_ORG_URL: ado.organizationUrl, AZURE_DEVOPS_PROJECT: 'Digital', AZURE_DEVOPS_TOKEN: 'pat-secret' });
  });
  afterAll(async () => {
    await w?.close();
    await ado?.close();
  });

  it('keeps the decision, retries the work item and tells the lead once', async () => {
    ado.fail({ kind: 'status', status: 503 }, { times: 3 });
    const before = w.connector.calls.length;
    await act(w, ann, 'project', { ...(await data(w, 'S')), message: 'New work, passed to Highways.', area: 'Highways', backlogTitle: 'S for Highways' });
    await w.app.worker.tick();
    expect(w.sim.state.incident(w.inc.S!.key)!.status).toBe('Resolved');
    expect((await w.app.tickets.get(w.inc.S!.key))!.state).toBe('project');
    await w.app.worker.tick();
    await until(() => sentAfter(w, before, /is not made yet/).length === 1, 'the lead being told');
    expect(ado.items).toHaveLength(0);
    const later = (ms: number) => w.app.backlog.queue.deliverDue(new Date(Date.now() + ms));
    await later(60_000);
    await later(10 * 60_000);
    await later(60 * 60_000);
    expect(ado.items).toHaveLength(1);
    expect(ado.items[0]!.fields['System.Title']).toBe('S for Highways');
    expect(JSON.stringify(ado.items[0]!.relations)).toContain(w.inc.S!.key);
    expect(sentAfter(w, before, /is not made yet/)).toHaveLength(1);
    // Its only contact has never used Teams: the lead is asked to tell them.
    await w.app.worker.tick();
    await until(() => sentAfter(w, before, /Please tell nobody.in.teams@lgd.example/).length === 1, 'the lead asked to pass it on');
  });
});
