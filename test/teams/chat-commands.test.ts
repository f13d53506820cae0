/**
 * The personal chat commands (my tickets, queue, rota, backlog, help) through the bot's real
 * /api/messages endpoint: Teams-shaped messages in, the cards people see out (recording connector),
 * the LGD simulator behind the sync. Every card the commands send is parsed as Teams reads it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacklogRequest } from '../../bot/store/backlog-request-repository.js';
import { takeOwnership, updateUser } from '../../bot/domain/commands.js';
import type { LgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import type { SimAnalyst, SimGroup, SimIncident } from '../../bot/lgd/simulator/sim-state.js';
import { addDays, datesBetween, mondayOf, todayIn, withWeekday } from '../../bot/domain/iso-date.js';
import type { RecordingConnector } from '../support/recording-connector.js';
import type { startTestApp } from '../support/test-app.js';
import { startTeamsWorld, type TeamsWorld } from '../support/teams-world.js';
import { channelMessage, installInTeam, OTHER_CHANNEL, personalMessage, postActivity, testUser, type TestUser } from '../support/teams-activities.js';
import { checkCard } from './cards/parse-card.js';

type Card = { type: string; body: unknown[] };
type Reply = { text: string | undefined; card: Card | null };

const ann = testUser(1, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(2, 'Dev One', 'dev.one@lgd.example');
const dev2 = testUser(3, 'Dev Two', 'dev.two@lgd.example');
const stranger = testUser(5, 'Sam Stranger', 'sam@elsewhere.example');
const everyone = [ann, dev1, dev2, stranger];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let sim: LgdSimulator;
let connector: RecordingConnector;
let app: Awaited<ReturnType<typeof startTestApp>>;
const inc: Record<string, SimIncident> = {};
const analysts: Record<string, SimAnalyst> = {};
const cards: Card[] = [];

const textOf = (card: Card): string => JSON.stringify(card.body);

/** The FactSet values of a card, by fact title (later facts with the same title win). */
function factsOf(card: Card): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'FactSet') for (const f of o.facts as { title: string; value: string }[]) out.set(f.title, f.value);
      Object.values(o).forEach(walk);
    }
  };
  walk(card.body);
  return out;
}

/** The list rows of a list card: each row's title, subtitle and facts. */
function rowsOf(card: Card): { title: string; subtitle?: string; facts: Record<string, string>; url?: string }[] {
  return card.body
    .filter((e): e is { type: 'Container'; items: { type: string; text?: string; facts?: { title: string; value: string }[] }[]; selectAction?: { url: string } } => (e as { type: string }).type === 'Container')
    .map((c) => ({
      title: c.items[0]?.text ?? '',
      subtitle: c.items.find((i, n) => n > 0 && i.type === 'TextBlock')?.text,
      facts: Object.fromEntries((c.items.find((i) => i.type === 'FactSet')?.facts ?? []).map((f) => [f.title, f.value])),
      url: c.selectAction?.url,
    }));
}

/** Sends a message and returns the bot's reply in that conversation (text and card). */
async function say(message: Record<string, unknown>): Promise<Reply> {
  const conversation = String((message.conversation as { id: string }).id).split(';')[0]!;
  const before = connector.calls.length;
  const res = await postActivity(app.url, message);
  expect(res.status).toBe(200);
  const deadline = Date.now() + 5000;
  for (;;) {
    const reply = connector.calls
      .slice(before)
      .find((c) => c.method === 'POST' && decodeURIComponent(c.path).includes(`/conversations/${conversation}`) && /\/activities(\/[^/]+)?$/.test(c.path));
    if (reply) {
      const body = reply.body as { text?: string; attachments?: { contentType: string; content: Card }[] };
      const card = body.attachments?.[0]?.content ?? null;
      if (card) {
        expect(body.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
        cards.push(card);
      }
      return { text: body.text, card };
    }
    if (Date.now() > deadline) throw new Error(`no reply in ${conversation}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const dm = (user: TestUser, text: string): Promise<Reply> => say(personalMessage(connector.url, user, text));
const cardOf = (r: Reply): Card => {
  expect(r.card, 'a card').not.toBeNull();
  return r.card!;
};

let world: TeamsWorld;

/** Seeds the simulator: tickets of every kind the commands report on. */
function seed(s: LgdSimulator, team: SimGroup): void {
  sim = s;
  for (const u of [ann, dev1, dev2]) analysts[u.email] = sim.state.analystByName(u.email.split('@')[0]!)!;
  const now = Date.now();
  const raise = (k: string, daysOld: number, extra: Partial<Parameters<typeof sim.state.raiseIncident>[0]> = {}): void => {
    inc[k] = sim.state.raiseIncident({ title: `Ticket ${k}`, description: `The ${k} form is broken`, groupKey: team.guid, status: 'Active', raiseUser: 'Pat User', at: new Date(now - daysOld * DAY - HOUR), ...extra });
  };
  // Seven need triage (the queue shows the oldest five), two approved and waiting for an owner.
  for (const [k, age] of [['T1', 9], ['T2', 12], ['T3', 3], ['T4', 7], ['T5', 1], ['T6', 10], ['T7', 5]] as const) raise(k, age);
  for (const [k, age] of [['A1', 4], ['A2', 6]] as const) {
    raise(k, age);
    sim.state.addNote(inc[k]!.key, { text: 'Approved', by: 'Ann Lead', at: new Date(now - age * DAY) });
  }
  // Dev One owns O1 (never updated), O2 (user told in LGD two days ago), O4 (old); O3 is taken through the app below.
  const d1 = analysts[dev1.email]!.guid;
  raise('O1', 5, { userKey: d1 });
  raise('O2', 4, { userKey: d1 });
  sim.state.addNote(inc.O2!.key, { text: 'Still looking into it', notifyRaiseUser: true, by: 'Dev One', at: new Date(now - 2 * DAY) });
  sim.state.addNote(inc.O2!.key, { text: 'Internal: probably the cache', notifyRaiseUser: false, by: 'Dev One', at: new Date(now - HOUR) });
  raise('O4', 2, { userKey: d1 });
  raise('O3', 1);
  sim.state.addNote(inc.O3!.key, { text: 'Approved', by: 'Ann Lead', at: new Date(now - HOUR) });
  // Someone else's ticket, and a resolved one of Dev One's: neither is Dev One's now.
  raise('X1', 2, { userKey: analysts[dev2.email]!.guid });
  raise('X2', 8, { userKey: d1, status: 'Resolved' });
  // Owned tickets were triaged: a person already on a ticket when it reaches the group is not a decision.
  for (const k of ['O1', 'O2', 'O4', 'X1']) sim.state.addNote(inc[k]!.key, { text: 'Approved', by: 'Ann Lead', at: new Date(inc[k]!.creationDate.getTime() + 60_000) });
}

beforeAll(async () => {
  world = await startTeamsWorld({ users: everyone, analysts: [ann, dev1, dev2], leads: ['ann.lead@lgd.example'], seed });
  ({ connector, app } = world);
  const d1 = analysts[dev1.email]!.guid;
  expect((await postActivity(app.url, installInTeam(connector.url, ann))).status).toBe(200);

  // Dev One takes O3 and writes to its user today.
  const by = { name: dev1.name, aadObjectId: dev1.aadObjectId, teamsUserId: dev1.id };
  const analyst = { key: d1, title: dev1.name };
  expect((await app.commands.run(inc.O3!.key, by, (t, ctx) => takeOwnership(t, analyst, ctx))).ok).toBe(true);
  expect((await app.commands.run(inc.O3!.key, by, (t, ctx) => updateUser(t, 'Found it, fix going out this afternoon.', ctx))).ok).toBe(true);
});

afterAll(async () => {
  // Every card a command sent parses cleanly as Teams reads it.
  expect(cards.length).toBeGreaterThan(0);
  for (const card of cards) expect(checkCard(card).problems, textOf(card).slice(0, 200)).toEqual([]);
  await world?.close();
});

describe('my tickets', () => {
  it("lists exactly the person's owned tickets, oldest first, with when each user last heard from them", async () => {
    const card = cardOf(await dm(dev1, 'my tickets'));
    const rows = rowsOf(card);
    expect(rows.map((r) => r.title)).toEqual(['O1', 'O2', 'O4', 'O3'].map((k) => `LGD ${inc[k]!.id} · Ticket ${k}`));
    const row = (k: string) => rows.find((r) => r.title.endsWith(`Ticket ${k}`))!;

    expect(row('O1').facts['Last user update']).toBe('never · ⚠ not updated today');
    // The internal note an hour ago does not count; the note the user was told of two days ago does.
    expect(row('O2').facts['Last user update']).toBe('2 days ago · ⚠ not updated today');
    const entry = (await app.tickets.get(inc.O3!.key))!.outbox.find((e) => e.write.kind === 'end_user_update')!;
    const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: app.teams.ports.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(entry.requestedAt);
    expect(row('O3').facts['Last user update']).toBe(`today ${hhmm}`);
    expect(row('O3').facts['Last user update']).not.toMatch(/not updated today/);

    expect(row('O1').subtitle).toMatch(/^Owned · Active · raised 5 days ago$/);
    expect(row('O1').url).toContain(encodeURIComponent(inc.O1!.key));
    // Four owned: the three-ticket guideline is pointed out.
    expect(textOf(card)).toMatch(/You own 4 tickets: the guideline is at most 3 at a time/);
  });

  it('answers "mine" too, and shows someone else only their own', async () => {
    const mine = rowsOf(cardOf(await dm(dev1, 'Mine')));
    expect(mine).toHaveLength(4);
    const card = cardOf(await dm(dev2, 'my tickets'));
    expect(rowsOf(card).map((r) => r.title)).toEqual([`LGD ${inc.X1!.id} · Ticket X1`]);
    expect(textOf(card)).not.toMatch(/guideline/);
  });

  it('tells someone with no tickets so, and someone unmapped how to get mapped', async () => {
    expect(textOf(cardOf(await dm(ann, 'my tickets')))).toMatch(/You own no tickets/);
    const card = cardOf(await dm(stranger, 'my tickets'));
    expect(textOf(card)).toMatch(/You are not linked to an LGD analyst yet/);
    // Shown as text: the placeholder's `<` carries an invisible zero-width space so Teams reads no tag.
    expect(textOf(card).replaceAll('\u200B', '')).toMatch(/map sam@elsewhere.example to <your LGD login>/);
  });
});

describe('queue', () => {
  it('counts tickets needing triage and waiting for an owner, lists the oldest five of each, and names no triager before the rota is set', async () => {
    const card = cardOf(await dm(dev1, 'queue'));
    const facts = factsOf(card);
    expect(facts.get('Needs triage')).toBe('7');
    expect(facts.get('Approved, no owner')).toBe('2');
    expect(facts.get('Triage today')).toMatch(/^nobody is on the rota today/);
    const rows = rowsOf(card).slice(1);
    expect(rows.map((r) => r.title.replace(/^LGD \d+ · Ticket /, ''))).toEqual(['T2', 'T6', 'T1', 'T4', 'T7', 'A2', 'A1']);
    expect(rows[0]!.subtitle).toBe('Needs triage · raised 12 days ago');
    expect(rows[5]!.subtitle).toBe('Approved — waiting for an owner · raised 6 days ago');
    expect(rows.every((r) => r.url?.startsWith('http'))).toBe(true);
  });

  it('works in a channel when the bot is mentioned, and names today\'s triager once the rota says', async () => {
    const today = todayIn(app.teams.ports.timeZone, new Date());
    await app.teams.ports.rota.set(today, today, { email: ann.email, name: null }, 'test');
    const card = cardOf(await say(channelMessage(connector.url, dev2, 'queue', OTHER_CHANNEL)));
    expect(factsOf(card).get('Triage today')).toBe('Ann Lead');
  });
});

describe('rota', () => {
  it("shows today's and the next working day's Operations Lead, and says when nobody is set", async () => {
    const today = todayIn(app.teams.ports.timeZone, new Date());
    const next = (await app.teams.ports.calendar.current()).nextWorkingDay(today);
    await app.teams.ports.rota.set(today, today, { email: ann.email, name: null }, 'test');
    const before = factsOf(cardOf(await dm(dev1, 'rota')));
    // A day's title ends with its date, or with the holiday's name after it.
    const todayFact = [...before.keys()].find((k) => k.startsWith('Today') && k.includes(today));
    const nextFact = [...before.keys()].find((k) => k.startsWith('Next working day') && k.endsWith(next));
    expect(todayFact, [...before.keys()].join(', ')).toBeDefined();
    expect(nextFact, [...before.keys()].join(', ')).toBeDefined();
    expect(before.get(todayFact!)).toBe('Ann Lead (ann.lead@lgd.example)');
    expect(before.get(nextFact!)).toBe('nobody yet — a lead can set it with `rota set …`');

    // A lead sets the next working day with the rota command; `rota` then shows it.
    const set = await say(channelMessage(connector.url, ann, `rota set ${next} lead dev.one@lgd.example`, OTHER_CHANNEL));
    expect(set.text).toMatch(/Dev One is the Operations Lead/);
    const after = factsOf(cardOf(await say(channelMessage(connector.url, dev2, 'rota', OTHER_CHANNEL))));
    expect(after.get(nextFact!)).toBe('Dev One (dev.one@lgd.example)');
  });
});

describe('rota set … support', () => {
  it("a lead sets the next working day's developers on support, and `rota` shows them in the week ahead", async () => {
    const today = todayIn(app.teams.ports.timeZone, new Date());
    const calendar = await app.teams.ports.calendar.current();
    const next = calendar.nextWorkingDay(today);
    const set = await say(channelMessage(connector.url, ann, `rota set ${next} support dev.two@lgd.example, Dev.One@lgd.example`, OTHER_CHANNEL));
    expect(set.text).toMatch(/^Rota: on support: Dev Two, Dev One\. Set for 1 working day on \w{3} \d{4}-\d{2}-\d{2}; 0 skipped\.$/);
    expect((await app.repos.rota.range(next, next))[0]?.support).toEqual([
      { email: 'dev.two@lgd.example', name: 'Dev Two' },
      { email: 'dev.one@lgd.example', name: 'Dev One' },
    ]);
    const week = factsOf(cardOf(await dm(dev1, 'rota')));
    const line = [...week.entries()].find(([title]) => title.startsWith(withWeekday(next)));
    expect(line?.[1]).toMatch(/· Support: Dev Two, Dev One$/);
  });

  it('writes only the working days of next week, and says what it skipped', async () => {
    const today = todayIn(app.teams.ports.timeZone, new Date());
    const calendar = await app.teams.ports.calendar.current();
    const monday = addDays(mondayOf(today), 7);
    const working = datesBetween(monday, addDays(monday, 4)).filter((d) => calendar.isWorkingDay(d));
    const set = await say(channelMessage(connector.url, ann, 'rota set next week support nobody', OTHER_CHANNEL));
    expect(set.text).toMatch(/^Rota: nobody is on support\./);
    const stored = await app.repos.rota.range(monday, addDays(monday, 6));
    expect(stored.filter((d) => d.support).map((d) => d._id)).toEqual(working);
    expect(stored.every((d) => !d.support || d.support.length === 0)).toBe(true);
  });

  it('refuses a day already past and someone the app does not know, with the reason, writing nothing', async () => {
    const today = todayIn(app.teams.ports.timeZone, new Date());
    const yesterday = addDays(today, -1);
    const next = (await app.teams.ports.calendar.current()).nextWorkingDay(today);
    const before = await app.repos.rota.range(yesterday, next);
    const past = await say(channelMessage(connector.url, ann, `rota set ${yesterday} support dev.one@lgd.example`, OTHER_CHANNEL));
    expect(past.text).toMatch(/^The rota cannot be changed for days already past: .* Nothing was changed\.$/);
    const unknown = await say(channelMessage(connector.url, ann, `rota set ${next} support dev.one@lgd.example nobody.known@elsewhere.example`, OTHER_CHANNEL));
    expect(unknown.text).toMatch(/^nobody\.known@elsewhere\.example is neither a member of the team nor a person mapped to LGD/);
    const lead = await say(channelMessage(connector.url, ann, `rota set ${next} lead nobody.known@elsewhere.example`, OTHER_CHANNEL));
    expect(lead.text).toMatch(/^nobody\.known@elsewhere\.example is neither/);
    expect(await app.repos.rota.range(yesterday, next)).toEqual(before);
  });

  it('sets nothing on a weekend, and says so', async () => {
    const today = todayIn(app.teams.ports.timeZone, new Date());
    const saturday = addDays(mondayOf(today), 12);
    const reply = await say(channelMessage(connector.url, ann, `rota set ${saturday}..${addDays(saturday, 1)} support dev.one@lgd.example`, OTHER_CHANNEL));
    expect(reply.text).toBe('Nothing was set: the range has no working day (2 days skipped: weekend).');
    expect(await app.repos.rota.range(saturday, addDays(saturday, 1))).toEqual([]);
  });

  it('is refused to a developer who is not triaging today', async () => {
    const reply = await say(channelMessage(connector.url, dev2, 'rota set next week support dev.two@lgd.example', OTHER_CHANNEL));
    expect(reply.text).toBe("Only today's Operations Lead or a lead developer / scrum master can change the rota. Nothing was changed.");
  });
});

describe('backlog', () => {
  it('says when nothing has gone to the backlog', async () => {
    const card = cardOf(await dm(dev1, 'backlog'));
    expect(textOf(card)).toMatch(/Nothing has gone to the backlog yet/);
    expect(rowsOf(card)).toHaveLength(0);
  });

  it('lists backlog items newest first with where each stands, linking the ones that have a page', async () => {
    const col = app.store.collection<BacklogRequest>('backlog_requests');
    const now = Date.now();
    const base = (n: number, status: BacklogRequest['status'], minutesAgo: number): BacklogRequest => ({
      _id: `req-${n}`,
      item: { ticketKey: `key-${n}`, ticketNumber: 900 + n, title: `Project item ${n}`, description: 'd', area: 'Adult Social Care', raisedBy: 'Pat User', ticketLink: `https://lgd.example/t/${n}`, decidedBy: 'Ann Lead', requestId: `req-${n}` },
      status,
      attempts: 1,
      // Far in the future: no delivery pass touches these while the test runs.
      nextAttemptAt: new Date(now + 365 * DAY),
      lastError: null,
      requestedBy: { name: 'Ann Lead' },
      createdAt: new Date(now - minutesAgo * 60_000),
      updatedAt: new Date(now - minutesAgo * 60_000),
    });
    await col.insertOne({ ...base(1, 'created', 30), result: { externalId: 'AB#101', url: 'https://dev.azure.com/org/proj/_workitems/edit/101' } });
    await col.insertOne({ ...base(2, 'pending', 20), lastError: 'Azure DevOps answered 503' });
    await col.insertOne({ ...base(3, 'failed', 10), lastError: 'Azure DevOps refused the item: area path "Adult Social Care" does not exist' });
    await col.insertOne({ ...base(4, 'created', 5), result: { externalId: 'BL-904-abc123', url: null } });

    const rows = rowsOf(cardOf(await dm(dev1, 'backlog')));
    expect(rows.map((r) => r.title)).toEqual(['Project item 4', 'Project item 3', 'Project item 2', 'Project item 1']);
    expect(rows.map((r) => r.subtitle)).toEqual([904, 903, 902, 901].map((n) => `LGD ${n} · Adult Social Care`));
    expect(rows.map((r) => r.facts.Status)).toEqual([
      'in the backlog',
      'could not be created: Azure DevOps refused the item: area path "Adult Social Care" does not exist',
      'waiting for Azure DevOps',
      'in the backlog',
    ]);
    expect(rows[3]!.url).toBe('https://dev.azure.com/org/proj/_workitems/edit/101');
    expect(rows[0]!.url).toBeUndefined();
    expect(rows[0]!.facts['Backlog item']).toBe('BL-904-abc123');
  });
});

describe('help and text the bot does not know', () => {
  it('lists every command in help', async () => {
    const reply = await dm(dev1, 'help');
    expect(reply.text ?? '').not.toMatch(/didn't understand/);
    const commands = [...factsOf(cardOf(reply)).keys()];
    for (const c of ['my tickets', 'queue', 'rota', 'backlog', 'help', 'triage here']) expect(commands).toContain(c);
    expect(commands.some((c) => c.startsWith('rota set'))).toBe(true);
    expect(commands.some((c) => c.startsWith('map '))).toBe(true);
  });

  it('answers unknown text with the help card, saying what it did not understand, in a chat and in a channel', async () => {
    const reply = await dm(dev1, 'show me the money');
    expect(reply.text).toBe('I didn\'t understand "show me the money".');
    expect(textOf(cardOf(reply))).toMatch(/What I can do/);
    const inChannel = await say(channelMessage(connector.url, dev2, 'rota please', OTHER_CHANNEL));
    expect(inChannel.text).toBe('I didn\'t understand "rota please".');
    expect(textOf(cardOf(inChannel))).toMatch(/What I can do/);
  });
});
