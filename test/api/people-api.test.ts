/**
 * `GET /api/people` against the whole app (open mode), the LGD simulator and the recording
 * connector: each developer's load against the limit, days owned and updates due from the
 * guidelines, whether they are on the next working day's support list, and an owner the app cannot
 * map (assigned in LGD directly) shown as unknown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PeopleResponse, PersonLoad } from '../../tab/src/api/contract.js';
import { updateUser } from '../../bot/domain/commands.js';
import type { TeamCalendar } from '../../bot/domain/calendar.js';
import type { SimIncident } from '../../bot/lgd/simulator/sim-state.js';
import type { Ticket } from '../../bot/domain/ticket.js';
import { startTeamsWorld, type TeamsWorld } from '../support/teams-world.js';
import { testUser } from '../support/teams-activities.js';

const ann = testUser(1, 'Ann Lead', 'ann.lead@lgd.example');
const dev1 = testUser(2, 'Dev One', 'dev.one@lgd.example');
const dev2 = testUser(3, 'Dev Two', 'dev.two@lgd.example');
const ghost = testUser(4, 'Gus Ghost', 'gus.ghost@lgd.example');
const DAY = 86_400_000;

let world: TeamsWorld;
let calendar: TeamCalendar;
const inc: Record<string, SimIncident> = {};

beforeAll(async () => {
  world = await startTeamsWorld({
    users: [ann, dev1, dev2],
    analysts: [ann, dev1, dev2, ghost],
    leads: [ann.email],
    seed(sim, team) {
      const key = (u: typeof dev1) => sim.state.analystByName(u.email.split('@')[0]!)!.guid;
      const raise = (k: string, owner: typeof dev1): void => {
        inc[k] = sim.state.raiseIncident({ title: `Ticket ${k}`, description: 'd', groupKey: team.guid, status: 'Active', raiseUser: 'Pat User', at: new Date(Date.now() - 6 * DAY), userKey: key(owner) });
        sim.state.addNote(inc[k].key, { text: 'Approved', by: 'Ann Lead', at: new Date(Date.now() - 6 * DAY + 60_000) });
      };
      for (const k of ['A', 'B', 'C', 'D']) raise(k, dev1);
      raise('E', dev2);
      raise('G', ghost);
    },
  });
  await world.install(ann);
  calendar = await world.app.teams.ports.calendar.current();
  // Dev One has had ticket A for a while (as if taken a week ago): its user is owed an update on a working day.
  const weekAgo = new Date(Date.now() - 7 * DAY);
  await world.app.store.collection<Ticket>('tickets').updateOne({ _id: inc.A!.key }, { $set: { ownerSince: weekAgo, stateChangedAt: weekAgo } });
  // Dev One writes to ticket B's user today.
  const d1 = world.sim.state.analystByName('dev.one')!.guid;
  expect((await world.app.commands.run(inc.B!.key, { name: dev1.name, aadObjectId: dev1.aadObjectId, teamsUserId: dev1.id }, (t, ctx) => updateUser(t, 'Looking at it now.', ctx))).ok).toBe(true);
  expect(d1).toBeTruthy();
  // Tomorrow's support list names Dev Two only; Ann leads.
  const today = calendar.todayIn(new Date());
  const next = calendar.nextWorkingDay(today);
  await world.app.repos.rota.apply([{ date: next, lead: { email: ann.email, name: null }, support: [{ email: dev2.email, name: null }] }], 'test');
}, 60_000);
afterAll(async () => {
  await world?.close();
});

async function people(): Promise<{ status: number; body: PeopleResponse; etag: string | null }> {
  const res = await fetch(`${world.app.url}/api/people`, { headers: { 'x-demo-person': dev2.email } });
  return { status: res.status, body: (await res.json()) as PeopleResponse, etag: res.headers.get('etag') };
}

describe('GET /api/people', () => {
  it("shows each developer's load against the limit, most owned first, with days owned, updates due and tomorrow's support", async () => {
    const r = await people();
    expect(r.status).toBe(200);
    const today = calendar.todayIn(new Date());
    expect(r.body).toMatchObject({ today, nextWorkingDay: calendar.nextWorkingDay(today), maxOwnedTickets: 3, longWorkDays: 3 });
    expect(r.body.people.map((p) => [p.name, p.owned])).toEqual([
      ['Dev One', 4],
      ['Dev Two', 1],
      ['Gus Ghost', 1],
      ['Ann Lead', 0],
    ]);
    const by = (name: string): PersonLoad => r.body.people.find((p) => p.name === name)!;
    expect(by('Dev One')).toMatchObject({ email: dev1.email, known: true, overLimit: true, onSupportNextWorkingDay: false, leadNextWorkingDay: false });
    expect(by('Dev One').analyst?.name).toBe('dev.one');
    expect(by('Dev Two')).toMatchObject({ overLimit: false, onSupportNextWorkingDay: true, leadNextWorkingDay: false, updatesDueToday: 0 });
    expect(by('Ann Lead')).toMatchObject({ owned: 0, tickets: [], leadNextWorkingDay: true, onSupportNextWorkingDay: false });
    // Assigned in LGD to someone the app cannot map to a Teams user.
    expect(by('Gus Ghost')).toMatchObject({ known: false, email: null, analyst: { name: 'Gus Ghost' }, onSupportNextWorkingDay: false });

    const tickets = new Map(by('Dev One').tickets.map((t) => [t.number, t]));
    const a = tickets.get(inc.A!.id)!;
    expect(a.ownedWorkingDays).toBe(calendar.workingDaysBetween(calendar.todayIn(new Date(Date.now() - 7 * DAY)), today));
    expect(a.ownedWorkingDays).toBeGreaterThanOrEqual(3);
    expect(by('Dev One').tickets[0]!.number).toBe(inc.A!.id);
    expect(tickets.get(inc.B!.id)).toMatchObject({ userUpdatedToday: true, ownedWorkingDays: 0 });
    expect(tickets.get(inc.C!.id)).toMatchObject({ userUpdatedToday: false, ownedWorkingDays: 0 });
    expect(a.link).toContain(encodeURIComponent(inc.A!.key));
    // Only A is owed an update today (C and D were taken today, B was updated), and only on a working day.
    expect(by('Dev One').updatesDueToday).toBe(calendar.isWorkingDay(today) ? 1 : 0);
  });

  it('sends an ETag and answers 304 while nothing changed, 200 again after a change', async () => {
    const first = await people();
    expect(first.etag).toBe(`"${first.body.etag}"`);
    const same = await fetch(`${world.app.url}/api/people`, { headers: { 'x-demo-person': dev2.email, 'if-none-match': first.etag! } });
    expect(same.status).toBe(304);
    const next = calendar.nextWorkingDay(calendar.todayIn(new Date()));
    await world.app.repos.rota.apply([{ date: next, support: [{ email: dev1.email, name: null }] }], 'test');
    const changed = await fetch(`${world.app.url}/api/people`, { headers: { 'x-demo-person': dev2.email, 'if-none-match': first.etag! } });
    expect(changed.status).toBe(200);
    const body = (await changed.json()) as PeopleResponse;
    expect(body.people.find((p) => p.name === 'Dev One')?.onSupportNextWorkingDay).toBe(true);
  });
});
