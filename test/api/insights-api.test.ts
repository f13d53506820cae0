/**
 * `GET /api/insights` over the replayed demo: the app syncs the demo's LGD (its incident log,
 * replayed fast for a moment), then people triage, take and update tickets through the domain's
 * commands, and the duties' events (raised long work, hand-backs) and a ticket of last week are
 * appended to the event log. The figures the store computes are compared with a second,
 * independent computation: plain loops over the raw events of the event log, replaying each
 * ticket day by day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InsightsResponse, InsightWeek } from '../../tab/src/api/contract.js';
import type { TeamCalendar } from '../../bot/domain/calendar.js';
import { approve, takeOwnership, updateUser } from '../../bot/domain/commands.js';
import { addDays, mondayOf } from '../../bot/domain/iso-date.js';
import type { StoredEvent } from '../../bot/store/event-log.js';
import { startTestApp } from '../support/test-app.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ann = { name: 'Ann Lead', email: 'ann.lead@lgd.example', id: '00000000-0000-4000-8000-00000000a001' };

let app: Awaited<ReturnType<typeof startTestApp>>;
let calendar: TeamCalendar;

/** Appends events to the log as the worker would (numbered after the last). */
async function append(events: Record<string, unknown>[]): Promise<void> {
  const col = app.store.collection<Record<string, unknown> & { _id: number }>('events');
  const [last] = await col.find({}, { sort: { _id: -1 }, limit: 1 }).toArray();
  let seq = last?._id ?? 0;
  await col.insertMany(events.map((e) => ({ ...e, _id: ++seq })));
}

beforeAll(async () => {
  app = await startTestApp({ DEMO_REPLAY_SPEED: '10000' }, { startWorker: false });
  await app.repos.people.remember([{ id: `29:${ann.id}`, aadObjectId: ann.id, name: ann.name, email: ann.email }]);
  await app.worker.tick({ forceSync: true });
  await new Promise((r) => setTimeout(r, 1000));
  await app.worker.tick({ forceSync: true });

  // People at work: Ann approves five or six tickets; one analyst takes four of them (over the limit of three) and updates two users.
  const by = { name: ann.name, aadObjectId: ann.id, teamsUserId: `29:${ann.id}` };
  // Tickets with nobody on them yet (one assigned before it reached the group would stay with that person).
  const waiting = (await app.tickets.list({ states: ['needs_triage'], limit: 200 })).filter((t) => !t.owner).slice(0, 6);
  expect(waiting.length).toBeGreaterThanOrEqual(5);
  for (const t of waiting) expect((await app.commands.run(t._id, by, (x, ctx) => approve(x, ctx))).ok).toBe(true);
  const [analyst] = await app.store.collection<{ _id: string; title: string }>('lgd_analysts').find({}, { limit: 1 }).toArray();
  for (const t of waiting.slice(0, 4)) expect((await app.commands.run(t._id, by, (x, ctx) => takeOwnership(x, { key: analyst!._id, title: analyst!.title }, ctx))).ok).toBe(true);
  for (const t of waiting.slice(0, 2)) expect((await app.commands.run(t._id, by, (x, ctx) => updateUser(x, 'Working on it.', ctx))).ok).toBe(true);
  await app.worker.tick({});

  // A ticket of last week, arriving on its Monday and approved a day and a half later; the duties' events, this week and last.
  const lastMonday = new Date(`${addDays(mondayOf(new Date().toISOString().slice(0, 10)), -7)}T09:00:00Z`);
  await append([
    { kind: 'ticket_new', ticketKey: 'old-1', state: 'needs_triage', owner: null, at: lastMonday },
    { kind: 'state_changed', ticketKey: 'old-1', from: 'needs_triage', to: 'approved_unassigned', source: 'teams', at: new Date(lastMonday.getTime() + 36 * HOUR) },
    { kind: 'long_work_raised', ticketKey: 'old-1', at: new Date(lastMonday.getTime() + 2 * DAY) },
    { kind: 'handed_back', ticketKey: waiting.at(-1)!._id, at: new Date() },
    { kind: 'long_work_raised', ticketKey: waiting[0]!._id, at: new Date() },
  ]);
  calendar = await app.teams.ports.calendar.current();
}, 120_000);
afterAll(async () => {
  await app?.close();
});

/** The figures a second way: each ticket's raw events replayed, day by day, with plain loops. */
function independently(events: StoredEvent[], weeks: number, now: Date, maxOwned: number): InsightWeek[] {
  const dateOf = (d: Date): string => calendar.todayIn(d);
  const today = dateOf(now);
  const starts: string[] = [];
  for (let i = weeks - 1; i >= 0; i--) starts.push(addDays(mondayOf(today), -7 * i));
  const sorted = [...events].filter((e) => e.at <= now).sort((a, b) => a._id - b._id);
  const out: InsightWeek[] = [];
  for (const start of starts) {
    const end = addDays(start, 6);
    const inWeek = (d: Date): boolean => dateOf(d) >= start && dateOf(d) <= end;
    // Triage: arrival (new in needs triage, or back to it) to the change out of needs triage.
    const arrived = new Map<string, Date>();
    const triage: number[] = [];
    const decisions = { approved: 0, project: 0, reassigned: 0 };
    for (const e of sorted) {
      const ev = e as StoredEvent & { state?: string; from?: string; to?: string };
      if (ev.kind === 'ticket_new' && ev.state === 'needs_triage') arrived.set(ev.ticketKey, ev.at);
      if (ev.kind === 'state_changed') {
        if (ev.from === 'needs_triage' && inWeek(ev.at)) {
          const kind = ev.to === 'project' ? 'project' : ev.to === 'reassigned' ? 'reassigned' : ev.to === 'approved_unassigned' || ev.to === 'owned' ? 'approved' : null;
          if (kind) {
            decisions[kind] += 1;
            const a = arrived.get(ev.ticketKey);
            if (a) triage.push(Math.round((ev.at.getTime() - a.getTime()) / 36_000) / 100);
          }
        }
        if (ev.to === 'needs_triage') arrived.set(ev.ticketKey, ev.at);
      }
    }
    triage.sort((a, b) => a - b);
    const rank = (p: number): number | null => (triage.length === 0 ? null : triage[Math.ceil((p / 100) * triage.length) - 1]!);
    // Each working day of the week up to today: replay every ticket to the end of that day.
    let pairs = 0;
    let updated = 0;
    let overLimit = 0;
    for (let d = start; d <= end && d <= today; d = addDays(d, 1)) {
      if (!calendar.isWorkingDay(d)) continue;
      const state = new Map<string, string>();
      const owner = new Map<string, string | null>();
      const heard = new Set<string>();
      for (const e of sorted) {
        if (dateOf(e.at) > d) continue;
        const ev = e as StoredEvent & { state?: string; to?: string; owner?: string | null; updatedAt?: Date };
        if (ev.kind === 'ticket_new') {
          state.set(ev.ticketKey, ev.state);
          owner.set(ev.ticketKey, ev.owner ?? null);
        } else if (ev.kind === 'state_changed') state.set(ev.ticketKey, ev.to);
        else if (ev.kind === 'owner_changed') owner.set(ev.ticketKey, ev.to ?? null);
      }
      for (const e of sorted) {
        const ev = e as StoredEvent & { updatedAt?: Date };
        if (ev.kind === 'user_updated' && dateOf(ev.updatedAt) === d) heard.add(ev.ticketKey);
      }
      const load = new Map<string, number>();
      for (const [key, s] of state) {
        if (s !== 'owned') continue;
        pairs += 1;
        if (heard.has(key)) updated += 1;
        const o = owner.get(key);
        if (o) load.set(o, (load.get(o) ?? 0) + 1);
      }
      let excess = 0;
      for (const n of load.values()) if (n > maxOwned) excess += n - maxOwned;
      if (excess > overLimit) overLimit = excess;
    }
    out.push({
      weekStart: start,
      triageHours: { count: triage.length, median: rank(50), p90: rank(90) },
      decisions,
      dailyUpdateShare: pairs === 0 ? null : updated / pairs,
      ticketsOverLimit: overLimit,
      escalations: sorted.filter((e) => (e.kind as string) === 'long_work_raised' && inWeek(e.at)).length,
      handBacks: sorted.filter((e) => (e.kind as string) === 'handed_back' && inWeek(e.at)).length,
    });
  }
  return out;
}

describe('GET /api/insights', () => {
  it('equals an independent computation over the raw events of the replayed demo log', async () => {
    const res = await fetch(`${app.url}/api/insights?weeks=3`, { headers: { 'x-demo-person': ann.email } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as InsightsResponse;
    const events = await app.store.collection<StoredEvent>('events').find({}).toArray();
    const expected = independently(events, 3, new Date(body.computedAt), body.maxOwnedTickets);
    expect(body.weeks).toEqual(expected);
    expect(body.weeks.map((w) => w.weekStart)).toEqual([-14, -7, 0].map((n) => addDays(mondayOf(calendar.todayIn(new Date())), n)));
    // The figures are not trivial: this week has the approvals, an analyst over the limit, updates, the duties' events.
    const [, last, now] = body.weeks;
    expect(now!.decisions.approved).toBeGreaterThanOrEqual(5);
    expect(now!.triageHours.count).toBe(now!.decisions.approved + now!.decisions.project + now!.decisions.reassigned);
    expect(now!.escalations).toBe(1);
    expect(now!.handBacks).toBe(1);
    if (calendar.isWorkingDay(calendar.todayIn(new Date()))) {
      expect(now!.ticketsOverLimit).toBeGreaterThanOrEqual(1);
      expect(now!.dailyUpdateShare).toBeGreaterThan(0);
    }
    expect(last).toMatchObject({ triageHours: { count: 1, median: 36, p90: 36 }, decisions: { approved: 1, project: 0, reassigned: 0 }, escalations: 1, handBacks: 0 });
  });

  it('takes 1 to 52 weeks, and refuses anything else with 400 BadQuery', async () => {
    const ok = await fetch(`${app.url}/api/insights`, { headers: { 'x-demo-person': ann.email } });
    expect(((await ok.json()) as InsightsResponse).weeks).toHaveLength(12);
    for (const bad of ['0', '53', '1.5', 'abc', '-1', '12&weeks=3', '1&x=1']) {
      const r = await fetch(`${app.url}/api/insights?weeks=${bad}`, { headers: { 'x-demo-person': ann.email } });
      expect(r.status, bad).toBe(400);
      expect(((await r.json()) as { code: string }).code).toBe('BadQuery');
    }
  });
});
