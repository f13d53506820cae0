/**
 * The tab's rota API against the whole app (open mode: X-Demo-Person), the LGD simulator and the
 * recording connector: reading the calendar with its gaps, triagers writing a range or a weekly
 * pattern (only working days stored), every bad input refused with its field and nothing written,
 * and a rota edited through the API shown by the bot's `rota` in chat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RotaResponse, RotaWriteResponse } from '../../tab/src/api/contract.js';
import { addDays, datesBetween, mondayOf, todayIn, withWeekday } from '../../bot/domain/iso-date.js';
import type { TeamCalendar } from '../../bot/domain/calendar.js';
import { startTeamsWorld, type TeamsWorld } from '../support/teams-world.js';
import { personalMessage, postActivity, testUser, type TestUser } from '../support/teams-activities.js';

const ann = testUser(1, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(2, 'Dev One', 'dev.one@lgd.example');
const dev2 = testUser(3, 'Dev Two', 'dev.two@lgd.example');

let world: TeamsWorld;
let calendar: TeamCalendar;
let today: string;
/** Monday of next week: every day of it is in the future. */
let monday: string;

beforeAll(async () => {
  world = await startTeamsWorld({ users: [ann, dev1, dev2], analysts: [ann, dev1, dev2], leads: [ann.email] });
  await world.install(ann);
  calendar = await world.app.teams.ports.calendar.current();
  today = todayIn(calendar.timeZone, new Date());
  monday = addDays(mondayOf(today), 7);
}, 60_000);
afterAll(async () => {
  await world?.close();
});

type Answer<T> = { status: number; body: T; etag: string | null };

async function call<T = Record<string, unknown>>(method: string, path: string, as: TestUser | null, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const res = await fetch(`${world.app.url}${path}`, {
    method,
    headers: { ...(as ? { 'x-demo-person': as.email } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, etag: res.headers.get('etag') };
}

const stored = async (from: string, to: string) =>
  (await world.app.repos.rota.range(from, to)).map((d) => ({ date: d._id, lead: d.lead?.email ?? null, support: d.support?.map((p) => p.email) ?? null }));

/** The bot's `rota` in a personal chat: the week-ahead line of each day, by its title. */
async function chatRota(as: TestUser): Promise<Map<string, string>> {
  const before = world.connector.calls.length;
  expect((await postActivity(world.app.url, personalMessage(world.connector.url, as, 'rota'))).status).toBe(200);
  const deadline = Date.now() + 5000;
  for (;;) {
    const call = world.connector.calls.slice(before).find((c) => c.method === 'POST' && /\/activities(\/[^/]+)?$/.test(c.path));
    const card = (call?.body as { attachments?: { content: { body: unknown[] } }[] } | undefined)?.attachments?.[0]?.content;
    if (card) {
      const facts = new Map<string, string>();
      const walk = (n: unknown): void => {
        if (Array.isArray(n)) n.forEach(walk);
        else if (n && typeof n === 'object') {
          const o = n as Record<string, unknown>;
          if (o.type === 'FactSet') for (const f of o.facts as { title: string; value: string }[]) facts.set(f.title, f.value);
          Object.values(o).forEach(walk);
        }
      };
      walk(card.body);
      return facts;
    }
    if (Date.now() > deadline) throw new Error('no rota card');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('GET /api/rota', () => {
  it('shows four weeks from this Monday by default: every calendar day, weekends off, gaps on working days, today and the next working day', async () => {
    const r = await call<RotaResponse>('GET', '/api/rota', dev1);
    expect(r.status).toBe(200);
    expect(r.body.from).toBe(mondayOf(today));
    expect(r.body.to).toBe(addDays(mondayOf(today), 27));
    expect(r.body.days.map((d) => d.date)).toEqual(datesBetween(r.body.from, r.body.to));
    expect(r.body.days.map((d) => d.weekday).slice(0, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const saturday = r.body.days[5]!;
    expect(saturday).toMatchObject({ working: false, off: { kind: 'weekend' }, gaps: [] });
    for (const d of r.body.days) expect(d.working).toBe(calendar.isWorkingDay(d.date));
    expect(r.body.today.date).toBe(today);
    expect(r.body.nextWorkingDay.date).toBe(calendar.nextWorkingDay(today));
    expect(r.body.timeZone).toBe(calendar.timeZone);
    const unset = r.body.days.find((d) => d.working && d.date >= monday)!;
    expect(unset).toMatchObject({ lead: null, support: null, gaps: ['noLead', 'supportNotSet'], setBy: null, updatedAt: null });
    expect(r.etag).toBe(`"${r.body.etag}"`);
    // Unchanged: 304 with no body.
    const again = await call('GET', '/api/rota', dev1, undefined, { 'if-none-match': r.etag! });
    expect(again.status).toBe(304);
    expect(again.body).toBeNull();
  });

  it('refuses unreal, reversed, over-long ranges and unknown parameters with 400 BadQuery naming the parameter', async () => {
    expect((await call('GET', '/api/rota?from=2026-02-30', dev1)).body).toMatchObject({ code: 'BadQuery', field: 'from' });
    expect((await call('GET', `/api/rota?from=${monday}&to=${addDays(monday, -1)}`, dev1)).body).toMatchObject({ code: 'BadQuery', field: 'from' });
    expect((await call('GET', `/api/rota?from=${monday}&to=${addDays(monday, 366)}`, dev1)).body).toMatchObject({ code: 'BadQuery', field: 'to' });
    const unknown = await call('GET', `/api/rota?from=${monday}&sort[$ne]=1`, dev1);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'BadQuery' });
    expect((await call('GET', '/api/rota', null)).status).toBe(401);
  });
});

describe('PUT /api/rota', () => {
  it('is for triagers only: a developer gets 403 NotAllowed and nothing is written', async () => {
    const r = await call('PUT', '/api/rota', dev1, { from: monday, to: addDays(monday, 4), lead: dev1.email });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ code: 'NotAllowed' });
    expect(await stored(monday, addDays(monday, 6))).toEqual([]);
  });

  it('sets a range: every working day gets the lead and the support list, the weekend is skipped, and GET shows it', async () => {
    const to = addDays(monday, 6);
    const r = await call<RotaWriteResponse>('PUT', '/api/rota', ann, { from: monday, to, lead: 'Dev.One@lgd.example', support: [dev2.email, dev1.email] });
    expect(r.status).toBe(200);
    const working = datesBetween(monday, to).filter((d) => calendar.isWorkingDay(d));
    expect(r.body.days.map((d) => d.date)).toEqual(working);
    expect(r.body.days[0]).toMatchObject({
      lead: { name: 'Dev One', email: dev1.email },
      support: [
        { name: 'Dev Two', email: dev2.email },
        { name: 'Dev One', email: dev1.email },
      ],
      gaps: [],
      setBy: 'Ann Lead',
    });
    expect(r.body.skipped).toEqual(
      datesBetween(monday, to)
        .filter((d) => !calendar.isWorkingDay(d))
        .map((date) => ({ date, reason: expect.stringMatching(/^(weekend|bank_holiday|team_day_off)$/) as unknown })),
    );
    expect(r.body.skipped.filter((s) => s.reason === 'weekend').map((s) => s.date)).toEqual([addDays(monday, 5), addDays(monday, 6)]);
    expect(r.body.notice.text).toMatch(new RegExp(`^Rota set for ${working.length} working days from ${withWeekday(working[0]!)} to ${withWeekday(working.at(-1)!)}; 2 skipped \\(weekend`));
    expect((await stored(monday, to)).map((d) => d.date)).toEqual(working);
    const read = await call<RotaResponse>('GET', `/api/rota?from=${monday}&to=${to}`, dev2);
    expect(read.body.days[0]?.lead?.email).toBe(dev1.email);
  });

  it('sets a weekly pattern over a range: named weekdays only, a field left out kept, null clearing it', async () => {
    const from = addDays(monday, 7);
    const to = addDays(monday, 20);
    await call('PUT', '/api/rota', ann, { from, to, lead: ann.email, support: [dev1.email] });
    const r = await call<RotaWriteResponse>('PUT', '/api/rota', ann, { from, to, pattern: { mon: { lead: dev2.email }, wed: { support: [] }, fri: { support: null, lead: null } } });
    expect(r.status).toBe(200);
    const rows = await stored(from, to);
    const byDate = new Map(rows.map((d) => [d.date, d]));
    for (const date of datesBetween(from, to).filter((d) => calendar.isWorkingDay(d))) {
      const wd = new Date(`${date}T12:00:00Z`).getUTCDay();
      const want =
        wd === 1
          ? { lead: dev2.email, support: [dev1.email] }
          : wd === 3
            ? { lead: ann.email, support: [] }
            : wd === 5
              ? { lead: null, support: null }
              : { lead: ann.email, support: [dev1.email] };
      expect(byDate.get(date), date).toEqual({ date, ...want });
    }
    expect(r.body.skipped.some((s) => s.reason === 'not_in_pattern')).toBe(true);
    const read = await call<RotaResponse>('GET', `/api/rota?from=${from}&to=${to}`, dev2);
    const friday = read.body.days.find((d) => d.weekday === 5 && d.working);
    if (friday) expect(friday.gaps).toEqual(['noLead', 'supportNotSet']);
  });

  it('refuses bad bodies with 400 BadBody naming the field, and writes nothing', async () => {
    const from = addDays(monday, 28);
    const to = addDays(monday, 32);
    const cases: [unknown, string][] = [
      [{ from: addDays(today, -1), to: from, lead: dev1.email }, 'from'],
      [{ from: '2026-02-30', to, lead: dev1.email }, 'from'],
      [{ from: to, to: from, lead: dev1.email }, 'from'],
      [{ from, to: addDays(from, 366), lead: dev1.email }, 'to'],
      [{ from, to, lead: 'nobody.known@elsewhere.example' }, 'lead'],
      [{ from, to, support: [dev1.email, 'nobody.known@elsewhere.example'] }, 'support.1'],
      [{ from, to, support: [dev1.email, dev1.email.toUpperCase()] }, 'support.1'],
      [{ from, to, support: Array.from({ length: 21 }, () => dev1.email) }, 'support'],
      [{ from, to, pattern: { mon: { lead: 'nobody.known@elsewhere.example' } } }, 'pattern.mon.lead'],
      [{ from, to, pattern: { mon: { lead: dev1.email } }, lead: dev1.email }, 'pattern'],
      [{ from, to, pattern: {} }, 'pattern'],
      [{ from, to, pattern: { tue: {} } }, 'pattern'],
      [{ from, to, pattern: { sat: { lead: dev1.email } } }, 'pattern.sat'],
      [{ from, to }, 'lead'],
      [{ from, to, lead: { $ne: null } }, 'lead'],
      [{ from, to, lead: dev1.email, owner: 'x' }, 'owner'],
      [{ from, to, support: 'dev.one@lgd.example' }, 'support'],
    ];
    for (const [body, field] of cases) {
      const r = await call('PUT', '/api/rota', ann, body);
      expect({ status: r.status, code: r.body.code, field: r.body.field }, JSON.stringify(body)).toEqual({ status: 400, code: 'BadBody', field });
      expect(typeof r.body.message).toBe('string');
    }
    expect(await stored(addDays(today, -1), addDays(from, 366))).toEqual(await stored(addDays(today, -1), addDays(monday, 27)));
  });

  it('a rota edited through the API shows in the bot\'s `rota` in chat', async () => {
    const next = calendar.nextWorkingDay(today);
    const r = await call('PUT', '/api/rota', ann, { from: next, to: next, lead: dev2.email, support: [dev1.email] });
    expect(r.status).toBe(200);
    const facts = await chatRota(dev1);
    expect(facts.get([...facts.keys()].find((k) => k.startsWith('Next working day'))!)).toBe('Dev Two (dev.two@lgd.example)');
    const line = [...facts.entries()].find(([title]) => title.startsWith(withWeekday(next)) && !title.startsWith('Next'));
    if (line) expect(line[1]).toBe('Lead: Dev Two (dev.two@lgd.example) · Support: Dev One');
  });
});
