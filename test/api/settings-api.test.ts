/**
 * The tab's Settings routes against the whole app (open mode), the LGD simulator and the recording
 * connector: anyone known reads; leads change areas, leads and days off; triagers change mappings;
 * bad input is refused with its field, and what is refused changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AreasResponse, DaysOffResponse, LeadsResponse, MappingsResponse, RotaResponse, SettingsWriteResponse } from '../../tab/src/api/contract.js';
import { addDays, isWeekend, mondayOf } from '../../bot/domain/iso-date.js';
import type { TeamCalendar } from '../../bot/domain/calendar.js';
import { startTeamsWorld, type TeamsWorld } from '../support/teams-world.js';
import { testUser, type TestUser } from '../support/teams-activities.js';

const ann = testUser(1, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(2, 'Dev One', 'dev.one@lgd.example');
const dev2 = testUser(3, 'Dev Two', 'dev.two@lgd.example');
const sam = testUser(5, 'Sam Stranger', 'sam@elsewhere.example');

let world: TeamsWorld;
let calendar: TeamCalendar;

beforeAll(async () => {
  world = await startTeamsWorld({ users: [ann, dev1, dev2, sam], analysts: [ann, dev1, dev2], leads: [ann.email] });
  await world.install(ann);
  calendar = await world.app.teams.ports.calendar.current();
}, 60_000);
afterAll(async () => {
  await world?.close();
});

async function call<T = Record<string, unknown>>(method: string, path: string, as: TestUser, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${world.app.url}${path}`, {
    method,
    headers: { 'x-demo-person': as.email, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}
const bad = (r: { status: number; body: Record<string, unknown> }) => ({ status: r.status, code: r.body.code, field: r.body.field });

describe('areas', () => {
  it('leads add, change and remove areas; a developer may only read; bad input names its field', async () => {
    expect(await call('PUT', '/api/settings/areas/Adult%20Social%20Care', dev1, { contacts: [] })).toMatchObject({ status: 403, body: { code: 'NotAllowed' } });
    const set = await call<SettingsWriteResponse<AreasResponse>>('PUT', '/api/settings/areas/Adult%20Social%20Care', ann, { contacts: ['PDM@Example.org', 'dsa@example.org'] });
    expect(set.status).toBe(200);
    expect(set.body.value.areas).toContainEqual({ area: 'Adult Social Care', contacts: ['pdm@example.org', 'dsa@example.org'] });
    expect(set.body.notice.text).toBe('Added Adult Social Care (contacts: pdm@example.org, dsa@example.org).');
    // Another spelling changes the same area.
    const again = await call<SettingsWriteResponse<AreasResponse>>('PUT', '/api/settings/areas/adult%20social%20care', ann, { contacts: [] });
    expect(again.body.value.areas.filter((a) => a.area.toLowerCase() === 'adult social care')).toEqual([{ area: 'Adult Social Care', contacts: [] }]);
    expect(bad(await call('PUT', '/api/settings/areas/Schools', ann, { contacts: ['a@b.org', 'not an address'] }))).toEqual({ status: 400, code: 'BadBody', field: 'contacts.1' });
    expect(bad(await call('PUT', '/api/settings/areas/Schools', ann, { contacts: [], extra: 1 }))).toEqual({ status: 400, code: 'BadBody', field: 'extra' });
    expect(bad(await call('PUT', '/api/settings/areas/Bad%01Name', ann, { contacts: [] }))).toEqual({ status: 400, code: 'BadBody', field: 'area' });
    // Longer than an area name may be (100): the router finds no such path.
    expect((await call('PUT', `/api/settings/areas/${'x'.repeat(101)}`, ann, { contacts: [] })).status).toBe(404);
    expect(bad(await call('PUT', '/api/settings/areas/Schools', ann, { contacts: { $gt: '' } }))).toEqual({ status: 400, code: 'BadBody', field: 'contacts' });
    expect((await call<AreasResponse>('GET', '/api/settings/areas', dev2)).body.areas.map((a) => a.area)).toEqual(['Adult Social Care']);
    expect(await call('DELETE', '/api/settings/areas/Schools', ann)).toMatchObject({ status: 404, body: { code: 'NotFound' } });
    expect((await call<SettingsWriteResponse<AreasResponse>>('DELETE', '/api/settings/areas/Adult%20Social%20Care', ann)).body.value.areas).toEqual([]);
  });
});

describe('leads', () => {
  it('leads add and remove leads, never the last one', async () => {
    expect(await call('PUT', `/api/settings/leads/${dev1.email}`, dev2)).toMatchObject({ status: 403 });
    const added = await call<SettingsWriteResponse<LeadsResponse>>('PUT', `/api/settings/leads/${dev1.email}`, ann);
    expect(added.body.value.leads).toEqual([
      { name: 'Ann Lead', email: ann.email },
      { name: 'Dev One', email: dev1.email },
    ]);
    expect(bad(await call('PUT', '/api/settings/leads/not-an-address', ann))).toEqual({ status: 400, code: 'BadBody', field: 'email' });
    expect(await call('DELETE', `/api/settings/leads/${dev2.email}`, ann)).toMatchObject({ status: 404, body: { code: 'NotFound' } });
    expect((await call<SettingsWriteResponse<LeadsResponse>>('DELETE', `/api/settings/leads/${ann.email}`, dev1)).body.value.leads).toEqual([{ name: 'Dev One', email: dev1.email }]);
    const last = await call('DELETE', `/api/settings/leads/${dev1.email}`, dev1);
    expect(last).toMatchObject({ status: 409, body: { code: 'Refused' } });
    expect(String(last.body.message)).toMatch(/is the last lead: add another lead first/);
    expect(await world.app.repos.leads.emails()).toEqual([dev1.email]);
    await world.app.repos.leads.add(ann.email, 'test');
  });
});

describe('mappings', () => {
  it('a triager maps someone by login or by analyst key, and removes the override', async () => {
    const before = await call<MappingsResponse>('GET', '/api/settings/mappings', dev2);
    expect(before.body.mappings.find((m) => m.email === sam.email)).toMatchObject({ name: 'Sam Stranger', analyst: null, mappedBy: null });
    expect(before.body.mappings.find((m) => m.email === dev1.email)).toMatchObject({ mappedBy: 'email', analyst: { name: 'dev.one' } });
    expect(await call('PUT', `/api/settings/mappings/${sam.email}`, dev2, { analyst: 'dev.two' })).toMatchObject({ status: 403 });

    const byLogin = await call<SettingsWriteResponse<MappingsResponse>>('PUT', `/api/settings/mappings/${sam.email}`, ann, { analyst: 'dev.two' });
    expect(byLogin.body.value.mappings.find((m) => m.email === sam.email)).toMatchObject({ mappedBy: 'override', analyst: { name: 'dev.two' } });
    const key = world.sim.state.analystByName('dev.one')!.guid;
    const byKey = await call<SettingsWriteResponse<MappingsResponse>>('PUT', `/api/settings/mappings/${sam.email}`, ann, { analyst: `user:${key}` });
    expect(byKey.body.value.mappings.find((m) => m.email === sam.email)).toMatchObject({ mappedBy: 'override', analyst: { key, name: 'dev.one' } });

    expect(bad(await call('PUT', `/api/settings/mappings/${sam.email}`, ann, { analyst: 'nobody.here' }))).toEqual({ status: 400, code: 'BadBody', field: 'analyst' });
    expect(bad(await call('PUT', `/api/settings/mappings/${sam.email}`, ann, { analyst: 'user:no-such-key' }))).toEqual({ status: 400, code: 'BadBody', field: 'analyst' });
    expect(bad(await call('PUT', '/api/settings/mappings/who@nowhere.example', ann, { analyst: 'dev.two' }))).toEqual({ status: 400, code: 'BadBody', field: 'email' });
    expect((await world.app.repos.people.byEmails([sam.email]))[0]?.analyst?.key).toBe(key);

    const removed = await call<SettingsWriteResponse<MappingsResponse>>('DELETE', `/api/settings/mappings/${sam.email}`, ann);
    expect(removed.body.value.mappings.find((m) => m.email === sam.email)).toMatchObject({ mappedBy: null, analyst: null });
    expect((await world.app.repos.people.byEmails([sam.email]))[0]).toMatchObject({ mappedBy: null, analyst: null });
    expect(await call('DELETE', `/api/settings/mappings/${sam.email}`, ann)).toMatchObject({ status: 404 });
  });
});

describe('days off', () => {
  it('leads add a working day as a team day off, which the rota then shows off; weekends and the past are refused', async () => {
    const today = calendar.todayIn(new Date());
    let day = addDays(mondayOf(today), 14);
    while (!calendar.isWorkingDay(day)) day = addDays(day, 1);
    expect(await call('PUT', `/api/settings/days-off/${day}`, dev2, { name: 'Away day' })).toMatchObject({ status: 403 });
    const added = await call<SettingsWriteResponse<DaysOffResponse>>('PUT', `/api/settings/days-off/${day}`, ann, { name: 'Away day' });
    expect(added.status).toBe(200);
    expect(added.body.value.daysOff).toContainEqual({ date: day, name: 'Away day' });
    const rota = await call<RotaResponse>('GET', `/api/rota?from=${day}&to=${day}`, dev1);
    expect(rota.body.days[0]).toMatchObject({ working: false, off: { kind: 'team_day_off', name: 'Away day' }, gaps: [] });

    let weekend = day;
    while (!isWeekend(weekend)) weekend = addDays(weekend, 1);
    expect(bad(await call('PUT', `/api/settings/days-off/${weekend}`, ann, { name: 'x' }))).toEqual({ status: 400, code: 'BadBody', field: 'date' });
    expect(bad(await call('PUT', `/api/settings/days-off/${addDays(today, -1)}`, ann, { name: 'x' }))).toEqual({ status: 400, code: 'BadBody', field: 'date' });
    expect(bad(await call('PUT', '/api/settings/days-off/2026-02-30', ann, { name: 'x' }))).toEqual({ status: 400, code: 'BadBody', field: 'date' });
    expect(bad(await call('PUT', `/api/settings/days-off/${addDays(day, 1)}`, ann, { name: '  ' }))).toEqual({ status: 400, code: 'BadBody', field: 'name' });
    const year = Number(today.slice(0, 4));
    const read = await call<DaysOffResponse>('GET', '/api/settings/days-off', dev2);
    expect(read.body.bankHolidays).toContainEqual({ date: `${year}-12-25`, name: 'Christmas Day' });
    expect(bad(await call('GET', '/api/settings/days-off?from=2026-12-31&to=2026-01-01', dev2))).toEqual({ status: 400, code: 'BadQuery', field: 'from' });

    expect((await call<SettingsWriteResponse<DaysOffResponse>>('DELETE', `/api/settings/days-off/${day}`, ann)).body.value.daysOff).not.toContainEqual({ date: day, name: 'Away day' });
    expect(await call('DELETE', `/api/settings/days-off/${day}`, ann)).toMatchObject({ status: 404 });
  });
});
