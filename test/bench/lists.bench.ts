/**
 * Every list the API and the tab serve, over real HTTP from the whole app (open mode, embedded
 * store, worker stopped), with 25,000 stored tickets against 1,000, in the same process: both apps
 * hold the same team (a lead, ten developers mapped to LGD analysts, a rota, areas, days off, a
 * backlog) and the same live tickets (synced from the simulator: needing triage, approved, owned,
 * recently resolved), and the larger one adds 24,000 more tickets resolved long ago (as a first
 * sync of a team's history brings), each with its event. Each list should cost about the same:
 * what it shows does not grow with the history.
 */
import { performance } from 'node:perf_hooks';
import { startLgdSimulator, type LgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import type { LgdIncident } from '../../bot/lgd/lgd-types.js';
import { startTestApp } from '../support/test-app.js';
import { LISTS } from './list-routes.js';
import { summarise, type BenchContext } from './run.js';

const GROUP = 'LGSS-IT-Digital';
const DEVS = 10;
const NEEDS_TRIAGE = 50;
const APPROVED = 50;
/** Owned tickets per developer (three each: at the limit, not over it). */
const OWNED_EACH = 3;
const RECENT = 150;
const DAY = 86_400_000;
const LEAD = 'ann.lead@lgd.example';
/** Requests per list and size; BENCH_LIST_ITERATIONS changes it, BENCH_LIST_ONLY (a regular expression) picks lists by name for local work. */
const ITERATIONS = Number(process.env.BENCH_LIST_ITERATIONS ?? 40);

type App = Awaited<ReturnType<typeof startTestApp>>;

/** A ticket resolved long ago (a first sync brings years of them). */
function oldTicket(i: number, now: number): LgdIncident {
  const created = new Date(now - (400 + (i % 300)) * DAY - i * 1000);
  return {
    key: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
    id: 500_000 + i,
    title: `Old ticket ${i}: the housing repairs dashboard does not load`,
    description: 'The page stays blank after log-on; it worked last week.',
    status: i % 5 === 0 ? 'Closed' : 'Resolved',
    groupTitle: GROUP,
    groupKey: null,
    userTitle: null,
    userKey: null,
    raiseUser: `Caller ${i % 500}`,
    priority: '3 - Moderate',
    category: 'Software',
    createdAt: created,
    lastUpdate: new Date(created.getTime() + 2 * DAY),
  };
}

/** A simulator with the team and its live tickets; the same for both sizes. */
async function liveTeam(now: number): Promise<LgdSimulator> {
  const sim = await startLgdSimulator();
  const team = sim.state.addGroup(GROUP);
  const ann = sim.state.addAnalyst({ name: 'ann.lead', title: 'Ann Lead', email: LEAD });
  const devs = Array.from({ length: DEVS }, (_, n) => sim.state.addAnalyst({ name: `dev.${n + 1}`, title: `Dev ${n + 1}`, email: `dev.${n + 1}@lgd.example` }));
  let i = 0;
  // Every ticket raised at its own second, so the newest-change order has no ties (each simulator makes its own keys).
  const raise = (status: string, day: number, userKey: string | null = null, approved = false): void => {
    const at = new Date(now - day * DAY - ++i * 1000);
    const key = sim.state.raiseIncident({ title: `Live ticket ${i}: a report that will not run`, description: 'Generated for the lists bench.', status, groupKey: team.guid, raiseUser: `User ${i}`, priority: '3 - Moderate', category: 'Software', at, userKey }).key;
    if (approved) sim.state.addNote(key, { title: 'Approved', text: 'Approved', by: ann.title, at: new Date(at.getTime() + 500) });
  };
  for (let k = 0; k < NEEDS_TRIAGE; k++) raise('Active', k % 9);
  for (let k = 0; k < APPROVED; k++) raise('Active', k % 9, null, true);
  for (const d of devs) for (let k = 0; k < OWNED_EACH; k++) raise('Active', k + 2, d.guid, true);
  for (let k = 0; k < RECENT; k++) raise('Resolved', k % 6);
  return sim;
}

/** The whole app over its own simulator, with `total` tickets in its store. */
async function appWith(total: number, now: number): Promise<{ app: App; sim: LgdSimulator }> {
  const sim = await liveTeam(now);
  const app = await startTestApp({ LGD_URL: sim.baseUrl, LGD_USERNAME: 'lgd.service', LGD_PASSWORD: 'lgd-simulator', LEADS: LEAD, LGD_POLL_SECONDS: '3600' }, { startWorker: false, clock: () => new Date(now) });
  try {
    await app.worker.tick({ forceSync: true });
    const live = await app.repos.tickets.count();
    const old: { inc: LgdIncident; notes: [] }[] = [];
    for (let i = 0; i < total - live; i++) old.push({ inc: oldTicket(i, now), notes: [] });
    for (let i = 0; i < old.length; i += 1000) await app.repos.tickets.insertNew(old.slice(i, i + 1000));
    while ((await app.repos.journal.drain()).tickets > 0);
    const people = [{ email: LEAD, name: 'Ann Lead' }, ...Array.from({ length: DEVS }, (_, n) => ({ email: `dev.${n + 1}@lgd.example`, name: `Dev ${n + 1}` }))];
    await app.repos.people.remember(people.map((p, n) => ({ id: `29:p${n}`, aadObjectId: `00000000-0000-4000-8000-${String(n + 1).padStart(12, '0')}`, name: p.name, email: p.email })));
    const today = new Date(now).toISOString().slice(0, 10);
    const days = Array.from({ length: 14 }, (_, k) => new Date(Date.parse(today) + k * DAY).toISOString().slice(0, 10));
    await app.repos.rota.apply(
      days.map((date, k) => ({ date, lead: { email: LEAD, name: 'Ann Lead' }, support: [people[1 + (k % DEVS)]!, people[1 + ((k + 1) % DEVS)]!].map((p) => ({ email: p.email, name: p.name })) })),
      'bench',
    );
    await app.repos.areas.seed(Array.from({ length: 8 }, (_, k) => ({ area: `Area ${k + 1}`, contacts: [people[1 + k]!.email] })));
    for (let k = 0; k < 20; k++) {
      await app.repos.backlogItems.add({
        _id: `req-${k}`,
        externalId: `BL-${k}`,
        ticketKey: `key-${k}`,
        ticketNumber: 900 + k,
        title: `Backlog item ${k}`,
        description: 'Made by a Project decision.',
        area: `Area ${(k % 8) + 1}`,
        raisedBy: 'Pat User',
        decidedBy: 'Ann Lead',
        ticketLink: 'https://lgd.example/ticket',
        createdAt: new Date(now - k * DAY),
      });
    }
    const stored = await app.repos.tickets.count();
    if (stored !== total) throw new Error(`expected ${total} tickets in the store, found ${stored}`);
    return { app, sim };
  } catch (err) {
    await app.close();
    await sim.close();
    throw err;
  }
}

/** GETs a list as a developer; the answer must be a 200. */
async function get(app: App, path: string): Promise<string> {
  const res = await fetch(`${app.url}${path}`, { headers: { 'x-demo-person': 'dev.1@lgd.example' } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path} answered HTTP ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

/** What an answer shows, without what differs between the two apps by construction (times, totals, etags, links). */
function shown(path: string, text: string): string {
  const body = JSON.parse(text) as Record<string, unknown>;
  for (const k of ['generatedAt', 'computedAt', 'serverTime', 'etag', 'total', 'lgdTicketLink']) delete body[k];
  // /api/tickets?state=resolved and deep pages show history, which the larger store has more of.
  if (/state=resolved|page=20/.test(path) || path === '/api/tickets') return '';
  // Each app has its own simulator: the same tickets under other keys, numbers and addresses.
  return JSON.stringify(body)
    .replace(/http:\/\/127\.0\.0\.1:\d+/g, 'LGD')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'KEY')
    .replace(/"(id|number|version)":\d+/g, '');
}

/** Runs the lists bench. */
export default async function listsBench(ctx: BenchContext): Promise<void> {
  const now = Date.now();
  const t0 = performance.now();
  const small = await appWith(1_000, now);
  const large = await appWith(25_000, now);
  ctx.note('lists: set-up (1,000 and 25,000 tickets, each with its event)', `${((performance.now() - t0) / 1000).toFixed(1)} s`);
  try {
    const only = process.env.BENCH_LIST_ONLY ? new RegExp(process.env.BENCH_LIST_ONLY) : null;
    for (const [name, path] of LISTS.filter(([n]) => !only || only.test(n))) {
      const a = shown(path, await get(small.app, path));
      const b = shown(path, await get(large.app, path));
      if (a !== b) {
        let at = 0;
        while (a[at] === b[at]) at++;
        throw new Error(`${path} shows something different with 25,000 tickets than with 1,000: …${a.slice(Math.max(0, at - 80), at + 80)}… against …${b.slice(Math.max(0, at - 80), at + 80)}…`);
      }
      // One request to each in turn, so a busy moment of the machine (GC, other processes) falls on both alike.
      for (let w = 0; w < 3; w++) await Promise.all([get(small.app, path), get(large.app, path)]);
      const s: number[] = [];
      const l: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const [first, second] = i % 2 === 0 ? [small, large] : [large, small];
        const t0 = performance.now();
        await get(first.app, path);
        const t1 = performance.now();
        await get(second.app, path);
        const t2 = performance.now();
        (first === small ? s : l).push(t1 - t0);
        (second === small ? s : l).push(t2 - t1);
      }
      ctx.compare(`${name}: 25,000 tickets vs 1,000`, summarise(l), summarise(s), 'median');
    }
  } finally {
    for (const x of [small, large]) {
      await x.app.close();
      await x.sim.close();
    }
  }
}
