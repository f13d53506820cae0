/**
 * The daily duties over a played fortnight (Mon 24 May – Fri 4 Jun 2027, with a weekend and the
 * Spring bank holiday on Mon 31 May), through the real app with a controlled clock: the LGD
 * simulator, the recording connector, the embedded store and the worker's own job. Each step sets
 * the clock and ticks the worker; the test asserts exactly which cards each person got that day,
 * and that what people do on those cards reaches LGD.
 */
import type { QueueResponse } from '../../tab/src/api/contract.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimIncident } from '../../bot/lgd/simulator/sim-state.js';
import { buildDuties } from '../../bot/duties/build-duties.js';
import { loadConfig } from '../../bot/config.js';
import { NO_CHANGE_TODAY_TEXT } from '../../bot/domain/duties.js';
import { pino } from 'pino';
import { startTeamsWorld, type TeamsWorld } from '../support/teams-world.js';
import { cardAction, postActivity, testUser, type TestUser } from '../support/teams-activities.js';

const ann = testUser(81, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(82, 'Dev One', 'dev.one@lgd.example');
const dev2 = testUser(83, 'Dev Two', 'dev.two@lgd.example');

/** The app's clock: British Summer Time wall-clock instants of the fortnight. */
let clock = new Date('2027-05-24T08:00:00+01:00');
const at = (date: string, time: string): Date => new Date(`${date}T${time}:00+01:00`);

let w: TeamsWorld;
const inc: Record<string, SimIncident> = {};

/** Cards sent into 1:1 chats since connector call `from`, as "Name: first line", in order (the owner's copy of a ticket card, "LGD 123", left out). */
async function personalCards(from: number): Promise<string[]> {
  const out: string[] = [];
  for (const c of w.connector.calls.slice(from)) {
    const m = /^\/v3\/conversations\/([^/]+)\/activities$/.exec(c.path);
    if (c.method !== 'POST' || c.status >= 300 || !m) continue;
    const conv = await w.app.repos.conversations.get(decodeURIComponent(m[1]!));
    if (conv?.kind !== 'personal') continue;
    const who = [ann, dev1, dev2].find((u) => u.id === conv.userTeamsId)?.name ?? conv.userTeamsId;
    const body = c.body as { attachments?: { content?: { body?: { text?: string }[] } }[] };
    const first = body.attachments?.[0]?.content?.body?.[0]?.text ?? '(no card)';
    if (!/^LGD \d+$/.test(first)) out.push(`${who}: ${first}`);
  }
  return out;
}

/** Sets the clock to `time` on `date` and runs the worker (twice: what a pass journals goes out on the next tick). */
async function step(date: string, time: string): Promise<void> {
  clock = at(date, time);
  await w.app.worker.tick();
  await w.app.worker.tick();
}

/** Plays a working day's four moments and returns the personal cards sent, sorted. */
async function day(date: string, between?: (time: string) => Promise<void>): Promise<string[]> {
  const from = w.connector.calls.length;
  for (const time of ['09:00', '14:05', '16:05', '17:35']) {
    await step(date, time);
    await between?.(time);
  }
  return (await personalCards(from)).sort();
}

async function act(user: TestUser, verb: string, k: string, extra: Record<string, unknown> = {}): Promise<{ title: string; texts: string[] }> {
  const t = (await w.app.tickets.get(inc[k]!.key))!;
  const res = await postActivity(w.app.url, cardAction(w.connector.url, user, verb, { ticketKey: t._id, v: t.version, ...extra }));
  expect(res.status).toBe(200);
  const value = (res.body as { value?: { body?: unknown[] } }).value;
  const texts: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'TextBlock' && typeof o.text === 'string') texts.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(value?.body);
  return { title: texts[0] ?? '', texts };
}

const nudge = (name: string) => `${name}: Update your users today`;
/** The Operations Lead's one message for the owners the app cannot map to a Teams user. */
const GHOSTS_OWE = 'Ann Lead: 2 owners not in Teams owe their users an update today';

beforeAll(async () => {
  w = await startTeamsWorld({
    users: [ann, dev1, dev2],
    analysts: [ann, dev1, dev2],
    leads: [ann.email],
    clock: () => clock,
    seed: (sim, team) => {
      const ghost = sim.state.addAnalyst({ name: 'gil.ghost', title: 'Gil Ghost', email: 'gil.ghost@lgd.example' });
      const ghost2 = sim.state.addAnalyst({ name: 'gus.ghost', title: 'Gus Ghost', email: 'gus.ghost@lgd.example' });
      const d1 = sim.state.analystByName('dev.one')!.guid;
      const d2 = sim.state.analystByName('dev.two')!.guid;
      const raise = (k: string, userKey: string): void => {
        inc[k] = sim.state.raiseIncident({ title: `Ticket ${k}`, groupKey: team.guid, status: 'Active', raiseUser: 'Pat User', userKey });
      };
      for (const k of ['O1', 'O2', 'O3', 'O4']) raise(k, d1);
      raise('X1', d2);
      raise('G1', ghost.guid);
      raise('G2', ghost2.guid);
    },
  });
  await w.install(ann);
  await w.app.repos.rota.set('2027-05-24', '2027-06-04', { email: ann.email, name: ann.name }, 'test');
  // Thursday 27 May is the only day whose support list is set: only Dev Two is on support.
  await w.app.repos.rota.setSupport('2027-05-27', '2027-05-27', [{ email: dev2.email, name: dev2.name }], 'test');
  // Triaged in LGD once the app is in the team: owned from Monday 08:30 on.
  clock = at('2027-05-24', '08:30');
  for (const k of Object.keys(inc)) w.sim.state.addNote(inc[k]!.key, { text: 'Approved', by: 'Ann Lead', at: clock });
  await w.sync();
  await step('2027-05-24', '08:30');
}, 60_000);

afterAll(async () => {
  await w?.close();
});

describe('a fortnight of duties', () => {
  it('starts with seven owned tickets: four of Dev One\'s, one of Dev Two\'s, one each of Gil and Gus Ghost\'s (in LGD, not in Teams)', async () => {
    const owned = await w.app.tickets.list({ states: ['owned'] });
    expect(owned.map((t) => t.owner?.title).sort()).toEqual(['Dev One', 'Dev One', 'Dev One', 'Dev One', 'Dev Two', 'Gil Ghost', 'Gus Ghost']);
  });

  it('Mon 24: the Operations Lead hears once that Dev One owns four; nobody owes an update on the day they took a ticket', async () => {
    await day('2027-05-24');
    // From the first sync on (the app started at 08:00 that day).
    expect(await personalCards(0)).toEqual(['Ann Lead: Dev One owns 4 tickets']);
    const audit = await w.app.repos.audit.list({ limit: 50 });
    expect(audit.filter((a) => a.action === 'duty:overload').map((a) => a.detail)).toEqual([expect.stringMatching(/^Dev One owns 4 tickets \(LGD \d+, LGD \d+, LGD \d+, LGD \d+\)$/)]);
  });

  it('Tue 25: each owner gets one card to update their users; the ghost\'s go to the Operations Lead; a restart or a second instance sends nothing more', async () => {
    const cards = await day('2027-05-25');
    expect(cards).toEqual(['Ann Lead: Dev One owns 4 tickets', GHOSTS_OWE, nudge('Dev One'), nudge('Dev Two')].sort());
    const unmapped = (await w.app.repos.audit.list({ limit: 50 })).filter((a) => a.action === 'duty:unmapped');
    expect(unmapped.map((a) => a.detail)).toEqual(['not linked to anyone in Teams: Gil Ghost, Gus Ghost; Ann Lead is told instead (update_nudge)']);

    const from = w.connector.calls.length;
    const config = loadConfig({ LGD_URL: w.sim.baseUrl, LGD_USERNAME: 'lgd.service', LGD_PASSWORD: 'lgd-simulator', LEADS: ann.email });
    const second = buildDuties({ config, repos: w.app.repos, commands: w.app.commands, link: () => 'https://lgd.example/t', logger: pino({ level: 'silent' }), clock: () => clock });
    const again = await second.runAt(at('2027-05-25', '17:40'));
    expect(again.items.filter((i) => i.status === 'queued')).toEqual([]);
    expect((await w.app.duties.runAt(at('2027-05-25', '17:45'))).items).toEqual([]);
    await step('2027-05-25', '17:50');
    expect(await personalCards(from)).toEqual([]);
  });

  it('Tue 25: No change today and Send update from the card reach LGD, and the card comes back in place with those tickets done', async () => {
    clock = at('2027-05-25', '17:55');
    const first = await act(dev1, 'noChangeToday', 'O1', { from: 'nudge' });
    expect(first.title).toBe('Update your users today');
    expect(first.texts.join('\n')).toContain('LGD ' + inc.O1!.id + ': "No change today" is on its way');
    expect(first.texts.filter((t) => t.startsWith('LGD ') && t.includes('·'))).toHaveLength(3);

    const second = await act(dev1, 'updateUser', 'O2', { from: 'nudge', [`update-${inc.O2!.id}`]: 'Found the cause; a fix goes out tomorrow.' });
    expect(second.texts.filter((t) => t.startsWith('LGD ') && t.includes('·'))).toHaveLength(2);
    const empty = await act(dev1, 'updateUser', 'O3', { from: 'nudge', [`update-${inc.O3!.id}`]: '   ' });
    expect(empty.texts.join('\n')).toMatch(/empty\. Nothing was sent\./);

    await w.app.worker.tick();
    const told = (k: string) => w.sim.state.notesOf(inc[k]!.key).map((n) => n.text);
    expect(told('O1').some((t) => t.includes(NO_CHANGE_TODAY_TEXT))).toBe(true);
    expect(told('O2').some((t) => t.includes('Found the cause; a fix goes out tomorrow.'))).toBe(true);
    expect(told('O3').some((t) => t.includes('Found the cause') || t.includes('No change'))).toBe(false);
  });

  it('Tue 25: the nudge card asks Teams to refresh it for its owner; seen again after an update made from the ticket card, that ticket is done', async () => {
    const sent = w.connector.calls.filter((c) => c.method === 'POST' && /\/activities$/.test(c.path) && JSON.stringify(c.body).includes('Update your users today'));
    const cards = sent.map((c) => (c.body as { attachments: { content: { refresh?: { action: { verb: string }; userIds: string[] } } }[] }).attachments[0]!.content);
    expect(cards.map((c) => c.refresh?.userIds).sort()).toEqual([[dev1.id], [dev2.id]]);
    expect(cards[0]!.refresh!.action.verb).toBe('nudgeRefresh');

    clock = at('2027-05-25', '17:58');
    const form = await act(dev1, 'updateUserForm', 'O3');
    expect(form.texts.join('\n')).not.toContain('never heard');
    await act(dev1, 'updateUser', 'O3', { text: 'We are testing the fix with your team.' });
    const seen = await act(dev1, 'nudgeRefresh', 'O1', { from: 'nudge' });
    expect(seen.texts.filter((t) => t.startsWith('LGD ') && t.includes('·'))).toEqual([`LGD ${inc.O4!.id} · Ticket O4`]);
    const audited = await w.app.repos.audit.list({ limit: 20 });
    expect(audited.some((a) => a.action === 'nudgeRefresh')).toBe(false);
    await w.app.worker.tick();
    expect(w.sim.state.notesOf(inc.O3!.key).some((n) => n.text.includes('We are testing the fix with your team.'))).toBe(true);
  });

  it('Wed 26: yesterday\'s updates do not count today; an update made in LGD directly does; off support tomorrow, Dev One hands back and the rest is reported at the cut-off', async () => {
    const cards = await day('2027-05-26', async (time) => {
      if (time === '09:00') {
        w.sim.state.addNote(inc.X1!.key, { text: 'Still on it', notifyRaiseUser: true, by: 'Dev Two', at: clock });
        await w.sync();
      }
      if (time !== '16:05') return;
      // Hand to… someone outside the team (in LGD, not in Teams) is refused; nothing changes.
      const o3 = (await w.app.tickets.get(inc.O3!.key))!;
      const gil = w.sim.state.analystByName('gil.ghost')!.guid;
      const outside = await act(dev1, 'reassign', 'O3', { from: 'handBack', target: `user:${gil}`, reason: 'Away tomorrow' });
      expect(outside.texts.join('\n')).toContain('Gil Ghost is not in the team');
      expect((await w.app.tickets.get(inc.O3!.key))!.version).toBe(o3.version);
      const back = await act(dev1, 'handBack', 'O4', { from: 'handBack' });
      expect(back.title).toBe('You are not on support on Thu 2027-05-27');
      expect(back.texts.join('\n')).toContain(`LGD ${inc.O4!.id} is handed back to LGSS-IT-Digital.`);
      await w.app.worker.tick();
    });
    expect(cards).toEqual(
      [
        'Ann Lead: Dev One owns 4 tickets',
        GHOSTS_OWE,
        nudge('Dev One'),
        'Dev One: You are not on support on Thu 2027-05-27',
        'Ann Lead: 2 owners not in Teams hold tickets and are not on support on Thu 2027-05-27',
        'Ann Lead: Still held by people off support on Thu 2027-05-27',
      ].sort(),
    );
    const o4 = w.sim.state.incident(inc.O4!.key)!;
    expect(o4.userKey ?? null).toBeNull();
    expect((await w.app.tickets.get(inc.O4!.key))!.state).toBe('approved_unassigned');
    expect((await w.app.repos.events.latestOf(inc.O4!.key, 'handed_back'))?.by).toBe('Dev One');
  });

  it('Thu 27: three tickets are not too many; everyone not updated today is nudged; Dev Two raises long work with a reason from the ticket card', async () => {
    const long = 'Ann Lead: Work that will take more than three working days';
    const cards = await day('2027-05-27', async (time) => {
      if (time !== '09:00') return;
      const form = await act(dev2, 'longWorkForm', 'X1');
      expect(form.texts.join('\n')).toContain('is raised with the Operations Lead');
      const empty = await act(dev2, 'longWork', 'X1', { reason: '  ' });
      expect(empty.texts.join('\n')).toContain('Give a short reason');
      const raised = await act(dev2, 'longWork', 'X1', { reason: 'The supplier needs a week to send the new certificate.' });
      expect(raised.texts.join('\n')).toContain('Raised with Ann Lead.');
    });
    expect(cards).toEqual([long, GHOSTS_OWE, nudge('Dev One'), nudge('Dev Two')].sort());
    const raised = await w.app.repos.events.latestOf(inc.X1!.key, 'long_work_raised');
    expect(raised).toMatchObject({ by: 'Dev Two', auto: false, reason: 'The supplier needs a week to send the new certificate.' });
  });

  it('Fri 28: work owned for more than three working days is raised with the Operations Lead, once each (not X1, raised by its owner); Agree reaches the event log', async () => {
    const cards = await day('2027-05-28');
    const long = 'Ann Lead: Work that will take more than three working days';
    expect(cards).toEqual([long, long, long, long, long, GHOSTS_OWE, nudge('Dev One'), nudge('Dev Two')].sort());
    const agreed = await act(ann, 'longWorkAgree', 'O1');
    expect(agreed.texts.join('\n')).toContain('may take longer');
    await w.app.worker.tick();
    expect((await w.app.repos.events.latestOf(inc.O1!.key, 'long_work_raised'))?.auto).toBe(true);
    expect((await w.app.repos.events.latestOf(inc.O1!.key, 'long_work_agreed'))?.by).toBe('Ann Lead');
    // The tab's queue says the same: O1's long work is agreed, O2's is not.
    const res = await fetch(`${w.app.url}/api/queue`, { headers: { 'x-demo-person': dev1.email } });
    const rows = ((await res.json()) as QueueResponse).rows;
    const longOf = (k: string) => rows.find((r) => r.key === inc[k]!.key)?.warnings.ownedTooLong;
    expect(longOf('O1')).toEqual({ workingDays: 4, agreed: true });
    expect(longOf('O2')).toEqual({ workingDays: 4, agreed: false });
  });

  it('the weekend and the Spring bank holiday bring nothing', async () => {
    for (const date of ['2027-05-29', '2027-05-30', '2027-05-31']) expect(await day(date)).toEqual([]);
  });

  it('Tue 1 Jun to Fri 4 Jun: only the daily nudges; long work is not raised again', async () => {
    for (const date of ['2027-06-01', '2027-06-02', '2027-06-03', '2027-06-04']) {
      expect(await day(date), date).toEqual([GHOSTS_OWE, nudge('Dev One'), nudge('Dev Two')].sort());
    }
  });
});

describe('handing everything back at once', () => {
  it("someone else's Update the user or long-work button says what only the owner does, and changes nothing", async () => {
    const before = (await w.app.tickets.get(inc.O1!.key))!.version;
    expect((await act(dev2, 'updateUserForm', 'O1')).texts.join('\n')).toContain("Only the ticket's owner (Dev One) updates its user from here. Nothing was changed.");
    expect((await act(dev2, 'longWorkForm', 'O1')).texts.join('\n')).toContain("Only the ticket's owner (Dev One) raises it as long work. Nothing was changed.");
    expect((await w.app.tickets.get(inc.O1!.key))!.version).toBe(before);
  });

  it('Hand all back to the team hands each ticket the owner still has back to the group in LGD, and refuses nothing else', async () => {
    clock = at('2027-06-04', '16:10');
    const before = await w.app.repos.tickets.ownedBy(w.sim.state.analystByName('dev.one')!.guid);
    expect(before.length).toBe(3);
    const all = await act(dev1, 'handBackAll', 'O1', { from: 'handBack' });
    expect(all.texts.join('\n')).toMatch(/Handed back to LGSS-IT-Digital: LGD \d+, LGD \d+, LGD \d+\./);
    expect(all.texts.join('\n')).toContain('You hold no tickets now.');
    await w.app.worker.tick();
    for (const t of before) {
      expect(w.sim.state.incident(t._id)!.userKey ?? null).toBeNull();
      expect((await w.app.tickets.get(t._id))!.state).toBe('approved_unassigned');
    }
    // Someone else's ticket is not theirs to hand back.
    const x1 = await act(dev1, 'handBack', 'X1', { from: 'handBack' });
    expect(x1.texts.join('\n')).toMatch(/is no longer yours, so it is not handed back from here\. Nothing was changed\./);
    expect(w.sim.state.incident(inc.X1!.key)!.userKey).toBe(w.sim.state.analystByName('dev.two')!.guid);
  });
});
