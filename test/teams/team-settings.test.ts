/**
 * Leads and areas live in the store and are managed from chat, through the bot's real endpoint:
 * with no LEADS and nobody on the rota, the installer becomes the first lead (no lockout); leads
 * add and remove leads (never the last) and edit the areas; bad input and non-leads change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTeamsWorld, until, type TeamsWorld } from '../support/teams-world.js';
import { cardAction, installInTeam, OPS_CHANNEL, personalMessage, postActivity, testUser, type TestUser } from '../support/teams-activities.js';
import { visible } from './cards/inert-text.js';
import { addDays, withWeekday } from '../../bot/domain/iso-date.js';

const ann = testUser(41, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(42, 'Dev One', 'dev.one@lgd.example');
const dev2 = testUser(43, 'Dev Two', 'dev.two@lgd.example');

let w: TeamsWorld;

type Activity = { text?: string; attachments?: { content: { body: unknown[] } }[] };

/** What the bot answered `user` in their 1:1 chat: its text (as seen) and card text. */
async function dm(user: TestUser, text: string): Promise<{ text: string; card: string }> {
  const from = w.connector.calls.length;
  await postActivity(w.app.url, personalMessage(w.connector.url, user, text));
  const replies = (): Activity[] =>
    w.connector.calls
      .slice(from)
      .filter((c) => c.method === 'POST' && decodeURIComponent(c.path).includes(`a:personal-${user.id}/activities`))
      .map((c) => c.body as Activity);
  await until(() => replies().length > 0, `a reply to "${text.slice(0, 40)}"`);
  const r = replies()[0]!;
  return { text: visible(r.text ?? ''), card: visible(JSON.stringify(r.attachments?.[0]?.content ?? '')) };
}

const audit = async (action: string) => (await w.app.repos.audit.list({ limit: 200 })).filter((e) => e.action === action);

beforeAll(async () => {
  w = await startTeamsWorld({
    users: [ann, dev1, dev2],
    analysts: [ann, dev1, dev2],
    leads: [],
    seed: (sim, team) => {
      sim.state.raiseIncident({ title: 'Ticket L', description: 'Locked out?', groupKey: team.guid, status: 'Active', raiseUser: 'Pat User' });
    },
  });
});
afterAll(async () => {
  await w?.close();
});

describe('no lockout: leads live in the store', () => {
  it('before anyone installed the app, nobody can set the rota', async () => {
    expect((await w.app.teams.ports.leads.list())).toEqual([]);
    expect((await dm(ann, 'rota set today lead ann.lead@lgd.example')).text).toMatch(/Only today's Operations Lead or a lead developer/);
  });

  it('makes the person who installs the app the first lead and tells the channel', async () => {
    const from = w.connector.calls.length;
    await w.install(ann);
    const told = w.connector.calls.slice(from).filter((c) => c.method === 'POST' && decodeURIComponent(c.path).includes(OPS_CHANNEL) && /first lead/.test(JSON.stringify(c.body)));
    expect(told).toHaveLength(1);
    expect(visible(String((told[0]!.body as Activity).text))).toMatch(/^Ann Lead installed me and is the team's first lead/);
    expect(await w.app.teams.ports.leads.emails()).toEqual([ann.email]);
    expect((await audit('lead add'))[0]).toMatchObject({ outcome: 'done', actor: { name: 'Ann Lead' }, detail: expect.stringMatching(/first lead/) });
    expect((await dm(ann, 'rota set today lead ann.lead@lgd.example')).text).toMatch(/Ann Lead is the Operations Lead/);
    // Installing again, by someone else, makes nobody else a lead.
    await postActivity(w.app.url, installInTeam(w.connector.url, dev2));
    expect(await w.app.teams.ports.leads.emails()).toEqual([ann.email]);
  });

  it('lets a lead add a lead, who may triage at once; refuses non-leads and bad input, changing nothing', async () => {
    const t = (await w.app.tickets.list({ states: ['needs_triage'] }))[0]!;
    const refused = await postActivity(w.app.url, cardAction(w.connector.url, dev1, 'approve', { ticketKey: t._id, v: t.version }));
    expect(JSON.stringify(refused.body)).toMatch(/Only today's Operations Lead or a lead developer/);

    expect((await dm(dev2, 'lead add dev.two@lgd.example')).text).toMatch(/^Only a lead developer or scrum master \(a lead\) can add leads.*Nothing was changed\.$/);
    expect((await dm(ann, 'lead add bob')).text).toBe('"bob" is not an e-mail address. Say "lead add <e-mail>". Nothing was changed.');
    expect((await dm(ann, 'lead add')).text).toMatch(/^Give an e-mail address\..*Nothing was changed\.$/);
    expect(await w.app.teams.ports.leads.emails()).toEqual([ann.email]);

    expect((await dm(ann, 'lead add Dev.One@lgd.example')).text).toBe('Dev One (dev.one@lgd.example) is now a lead: they may triage any day and manage leads and areas.');
    expect((await dm(ann, 'lead add dev.one@lgd.example')).text).toMatch(/already a lead\. Nothing was changed\./);
    const ok = await postActivity(w.app.url, cardAction(w.connector.url, dev1, 'approve', { ticketKey: t._id, v: t.version }));
    expect(JSON.stringify(ok.body)).toMatch(/Approved — waiting for an owner/);
    expect((await dm(dev1, 'leads')).card).toMatch(/Ann Lead \(ann.lead@lgd.example\).*Dev One \(dev.one@lgd.example\).*by Ann Lead/);
    const outcomes = (await audit('lead add')).map((e) => e.outcome).sort();
    expect(outcomes).toEqual(['done', 'done', 'invalid', 'invalid', 'not_allowed', 'refused']);
  });

  it('lets a lead remove a lead but never the last one', async () => {
    expect((await dm(dev2, 'lead remove ann.lead@lgd.example')).text).toMatch(/^Only a lead/);
    expect((await dm(ann, 'lead remove nobody@lgd.example')).text).toBe('nobody@lgd.example is not a lead. Nothing was changed.');
    expect((await dm(dev1, 'lead remove ann.lead@lgd.example')).text).toBe('ann.lead@lgd.example is no longer a lead.');
    expect((await dm(dev1, 'lead remove dev.one@lgd.example')).text).toMatch(/^dev.one@lgd.example is the last lead: add another lead first/);
    expect(await w.app.teams.ports.leads.emails()).toEqual([dev1.email]);
    expect((await dm(ann, 'lead add ann.lead@lgd.example')).text).toMatch(/^Only a lead/);
    expect((await audit('lead remove')).map((e) => e.outcome).sort()).toEqual(['done', 'not_allowed', 'refused', 'refused']);
  });
});

describe('areas live in the store, edited by leads from chat', () => {
  it('adds an area with its contacts, lists it, and removes it; each change audited', async () => {
    expect((await dm(dev2, 'areas')).card).toMatch(/No areas yet/);
    expect((await dm(dev1, 'area set Adult Social Care contacts PAM@lgd.example, dan@lgd.example')).text).toBe(
      'New area Adult Social Care: pam@lgd.example, dan@lgd.example are told about its Project work.',
    );
    expect((await dm(dev1, 'area set adult social care contacts pam@lgd.example')).text).toBe('Area Adult Social Care: pam@lgd.example is told about its Project work.');
    expect((await dm(dev2, 'areas')).card).toMatch(/Adult Social Care.*pam@lgd.example/);
    expect(await w.app.teams.ports.areas.list()).toEqual([{ area: 'Adult Social Care', contacts: ['pam@lgd.example'] }]);
    expect((await dm(dev1, 'area remove Adult social care')).text).toBe('Area Adult Social Care removed.');
    expect(await w.app.teams.ports.areas.list()).toEqual([]);
    expect((await audit('area set')).map((e) => e.outcome)).toEqual(['done', 'done']);
    expect((await audit('area remove')).map((e) => e.outcome)).toEqual(['done']);
  });

  it('refuses no e-mails, a malformed one, an unknown area and a non-lead, changing nothing', async () => {
    await w.app.teams.ports.areas.set('Highways', ['h@lgd.example']);
    const before = await w.app.teams.ports.areas.list();
    expect((await dm(dev1, 'area set Highways contacts ,')).text).toMatch(/^Name at least one e-mail address\. Say "area set/);
    expect((await dm(dev1, 'area set Highways')).text).toMatch(/^Say "area set <name> contacts <e-mails>"/);
    expect((await dm(dev1, 'area set Highways contacts h@lgd.example, [x](https://evil.example)')).text).toMatch(/is not an e-mail address/);
    expect((await dm(dev1, 'area set  contacts h@lgd.example')).text).toMatch(/Say "area set/);
    expect((await dm(dev1, 'area remove Parks')).text).toBe('There is no area called "Parks"; say "areas" to see them. Nothing was changed.');
    expect((await dm(dev2, 'area set Highways contacts eve@lgd.example')).text).toMatch(/^Only a lead .* can change the areas/);
    expect((await dm(dev2, 'area remove Highways')).text).toMatch(/^Only a lead/);
    const long = await dm(dev1, `area set ${'a'.repeat(150)} contacts x@lgd.example`);
    expect(long.text).toMatch(/at most 100 characters|too long/i);
    // A whole message over the chat bound is answered before any command reads it (and is not an area change).
    expect((await dm(dev1, `area set ${'a '.repeat(50_000)} contacts x@lgd.example`)).text).toMatch(/I read commands of at most 2,000 characters/);
    expect(await w.app.teams.ports.areas.list()).toEqual(before);
    const refused = (await w.app.repos.audit.list({ limit: 50 })).filter((e) => e.action.startsWith('area ') && e.outcome !== 'done');
    expect(refused.map((e) => e.outcome).sort()).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'not_allowed', 'not_allowed', 'refused']);
  });
});

describe('days off live in the store, edited by leads from chat', () => {
  it('a day off a lead adds is no working day: the rota skips it and names it; removing it makes it one again', async () => {
    const cal = await w.app.teams.ports.calendar.current();
    const today = cal.todayIn(new Date());
    const next = cal.nextWorkingDay(today);
    const after = cal.nextWorkingDay(next);
    expect((await dm(dev1, `day off ${next} Team away day`)).text).toBe(`${withWeekday(next)} is now a day off: Team away day. It does not count as a working day.`);
    expect((await w.app.teams.ports.calendar.current()).nextWorkingDay(today)).toBe(after);
    const rota = (await dm(dev2, 'rota')).card;
    expect(rota).toContain(`Next working day, ${withWeekday(after)}`);
    expect(rota).toContain(`${withWeekday(next)} Team away day`);
    expect((await dm(dev2, 'days off')).card).toMatch(new RegExp(`${withWeekday(next)} · Team away day.*Team day off`));
    // Said again, it renames the day; then it is removed.
    expect((await dm(dev1, `day off ${next}   Team  lunch `)).text).toBe(`${withWeekday(next)} is still a day off: Team lunch. It does not count as a working day.`);
    expect((await dm(dev1, `day off remove ${next}`)).text).toBe(`${withWeekday(next)} (Team lunch) is no longer a day off.`);
    expect((await w.app.teams.ports.calendar.current()).nextWorkingDay(today)).toBe(next);
    expect((await audit('day off')).map((e) => e.detail).sort()).toEqual([`${next} Team away day`, `${next} Team lunch (renamed)`]);
    expect((await audit('day off remove')).map((e) => e.outcome)).toEqual(['done']);
  });

  it('refuses non-leads, bad dates, weekends, bank holidays and the past, changing nothing', async () => {
    const cal = await w.app.teams.ports.calendar.current();
    const today = cal.todayIn(new Date());
    let saturday = today;
    while (new Date(`${saturday}T12:00:00Z`).getUTCDay() !== 6) saturday = addDays(saturday, 1);
    const holiday = cal.daysNotWorked(today, addDays(today, 400)).find((d) => d.kind === 'bank_holiday')!;
    expect((await dm(dev2, `day off ${addDays(today, 30)} Mine`)).text).toMatch(/^Only a lead .* can change the days off/);
    expect((await dm(dev1, 'day off tomorrow')).text).toBe('"tomorrow" is not a date written YYYY-MM-DD. Say "day off <date> <name>", e.g. "day off 2026-12-24 Christmas Eve". Nothing was changed.');
    expect((await dm(dev1, 'day off 2026-02-30 Nope')).text).toMatch(/is not a date written YYYY-MM-DD/);
    expect((await dm(dev1, `day off ${addDays(today, 30)} ${'x'.repeat(81)}`)).text).toMatch(/at most 80 characters/);
    expect((await dm(dev1, `day off ${saturday} Weekend`)).text).toBe(`${withWeekday(saturday)} is a weekend day: it is not a working day anyway. Nothing was changed.`);
    expect((await dm(dev1, `day off ${holiday.date}`)).text).toBe(`${withWeekday(holiday.date)} is a bank holiday (${holiday.name}): it is not a working day anyway. Nothing was changed.`);
    expect((await dm(dev1, `day off ${addDays(today, -1)} Yesterday`)).text).toMatch(/is in the past\. Nothing was changed\.$/);
    expect((await dm(dev1, `day off remove ${addDays(today, 30)}`)).text).toMatch(/is not one of the team's days off/);
    expect((await dm(dev2, `day off remove ${addDays(today, 30)}`)).text).toMatch(/^Only a lead/);
    expect(await w.app.teams.ports.daysOff.between('2000-01-01', '2100-01-01')).toEqual([]);
    const outcomes = (await w.app.repos.audit.list({ limit: 100 })).filter((e) => e.action.startsWith('day off') && e.outcome !== 'done').map((e) => e.outcome);
    expect(outcomes.sort()).toEqual(['invalid', 'invalid', 'invalid', 'not_allowed', 'not_allowed', 'refused', 'refused', 'refused', 'refused']);
  });
});
