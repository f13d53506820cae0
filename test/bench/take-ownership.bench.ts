/**
 * 'Take ownership' end to end: an `adaptiveCard/action` invoke (verb takeOwnership) posted to the
 * app's real /api/messages (restify, body parsing, CloudAdapter, SupportBot, dispatcher, handler,
 * embedded store) at 1, 8 and 32 concurrent users each on a different ticket, and 32 users racing
 * for one ticket, against a bare botbuilder invoke answered by the same server in the same run at
 * the same concurrency. Each request is timed from send to the whole HTTP answer.
 *
 * The baseline is an invoke whose `name` the bot does not handle: it goes through the same route,
 * the same body parsing and shape check, CloudAdapter and SupportBot's onTurn (which stores the
 * conversation reference, as every turn does), and TeamsActivityHandler answers it itself with
 * HTTP 501 — no people lookup, no ticket, no audit, no card.
 *
 * Every take is on the normal path: each simulated person owns at most 3 tickets (the 4th-ticket
 * warning path never runs), because every person is given fresh capacity from a pool of analysts.
 */
import { performance } from 'node:perf_hooks';
import { startLgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import { startRecordingConnector, type RosterEntry } from '../support/recording-connector.js';
import { startTestApp } from '../support/test-app.js';
import { cardAction, installInTeam, postActivity, testUser, type TestUser } from '../support/teams-activities.js';
import { summarise, type BenchContext, type Timing } from './run.js';

const GROUP = 'LGSS-IT-Digital';
/** Analysts (and Teams users) dev.1 … dev.ANALYSTS; 3 takes each at most. */
const ANALYSTS = 160;
const TICKETS = 400;
const OWNED_LIMIT = 3;
const LEVELS = [1, 8, 32] as const;
const MIN_SAMPLES = 100;
const RACERS = 32;
const RACES = 8;
const WARMUP_TAKES = 8;
const WARMUP_BARE = 64;

interface Answer {
  status: number;
  text: string;
  ms: number;
}

/** Posts a prepared JSON body and times it from send to the last byte of the answer. */
async function timedPost(url: string, body: string): Promise<Answer> {
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - t0 };
}

/** Sends every body at once and waits for all the answers. */
const burst = (url: string, bodies: readonly string[]): Promise<Answer[]> => Promise.all(bodies.map((b) => timedPost(url, b)));

type CardAnswer = { statusCode?: number; type?: string; value?: unknown };

function cardOf(a: Answer, what: string): { json: string } {
  if (a.status !== 200) throw new Error(`${what}: HTTP ${a.status} ${a.text.slice(0, 300)}`);
  const body = JSON.parse(a.text) as CardAnswer;
  if (body.statusCode !== 200 || body.type !== 'application/vnd.microsoft.card.adaptive') {
    throw new Error(`${what}: not a card answer: ${a.text.slice(0, 300)}`);
  }
  return { json: JSON.stringify(body.value) };
}

const WON = 'You own LGD';
const LOST = 'is already owned by';

export default async function bench(ctx: BenchContext): Promise<void> {
  const started = performance.now();
  const sim = await startLgdSimulator();
  const users: TestUser[] = [];
  const analystKey = new Map<string, string>();
  const team = sim.state.addGroup(GROUP);
  const ann = sim.state.addAnalyst({ name: 'ann.lead', title: 'Ann Lead', email: 'ann.lead@lgd.example' });
  const lead = testUser(1000, 'Ann Lead', 'ann.lead@lgd.example');
  for (let n = 1; n <= ANALYSTS; n++) {
    const a = sim.state.addAnalyst({ name: `dev.${n}`, title: `Dev ${n}`, email: `dev.${n}@lgd.example` });
    const u = testUser(n, `Dev ${n}`, `dev.${n}@lgd.example`);
    users.push(u);
    analystKey.set(u.id, a.guid);
  }
  const from = Date.now() - 2 * 86_400_000;
  for (let i = 0; i < TICKETS; i++) {
    const inc = sim.state.raiseIncident({
      title: `Bench ticket ${i + 1}: a report that will not run`,
      description: 'Generated for the take-ownership bench.',
      status: 'Active',
      groupKey: team.guid,
      raiseUser: `User ${i}`,
      priority: '3 - Moderate',
      category: 'Software',
      at: new Date(from + i * 60_000),
    });
    sim.state.addNote(inc.key, { title: 'Approved', text: 'Approved', by: ann.name, at: new Date(from + i * 60_000 + 30_000) });
  }
  const roster: RosterEntry[] = [lead, ...users].map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name, email: u.email }));
  const connector = await startRecordingConnector({ roster });
  const app = await startTestApp(
    {
      LGD_URL: sim.baseUrl,
      LGD_USERNAME: 'lgd.service',
      LGD_PASSWORD: 'lgd-simulator',
      LEADS: 'ann.lead@lgd.example',
      LGD_POLL_SECONDS: '3600',
      LOG_LEVEL: 'silent',
    },
    { startWorker: false },
  ).catch(async (err: unknown) => {
    await connector.close();
    await sim.close();
    throw err;
  });
  try {
    // ---- set-up: sync (notes of every open ticket on the first pass), install, roster
    await app.worker.tick({ forceSync: true });
    const waiting = await app.tickets.list({ states: ['approved_unassigned'], limit: TICKETS });
    if (waiting.length !== TICKETS) throw new Error(`expected ${TICKETS} approved, unassigned tickets after the sync, got ${waiting.length}`);
    const install = await postActivity(app.url, installInTeam(connector.url, lead));
    if (install.status !== 200) throw new Error(`installation answered HTTP ${install.status}`);
    const known = await app.teams.ports.people.byEmails(users.map((u) => u.email));
    const mapped = known.filter((p) => p.analyst).length;
    if (mapped !== ANALYSTS) throw new Error(`expected ${ANALYSTS} people mapped to analysts after the installation, got ${mapped}`);

    sim.resetStats();
    const endpoint = `${app.url}/api/messages`;
    const free = waiting.map((t) => ({ key: t._id, v: t.version })).reverse();
    const nextTicket = (): { key: string; v: number } => {
      const t = free.pop();
      if (!t) throw new Error('ran out of fresh tickets');
      return t;
    };
    const capacity = new Map(users.map((u) => [u.id, OWNED_LIMIT]));
    /** `n` distinct people who may still take a ticket (each at most OWNED_LIMIT in all), those with most room first. */
    const people = (n: number): TestUser[] => {
      const room = (u: TestUser): number => capacity.get(u.id) ?? 0;
      const chosen = users.filter((u) => room(u) > 0).sort((a, b) => room(b) - room(a)).slice(0, n);
      if (chosen.length < n) throw new Error(`only ${chosen.length} people left with fewer than ${OWNED_LIMIT} tickets`);
      return chosen;
    };
    const takeBody = (u: TestUser, t: { key: string; v: number }): string =>
      JSON.stringify(cardAction(connector.url, u, 'takeOwnership', { ticketKey: t.key, v: t.v }));
    const bareBody = (u: TestUser): string => JSON.stringify({ ...cardAction(connector.url, u, 'takeOwnership', { ticketKey: 'none', v: 0 }), name: 'lgd/bench-unhandled' });

    let bareStatus: number | null = null;
    const checkBare = (answers: Answer[]): void => {
      for (const a of answers) {
        bareStatus ??= a.status;
        if (a.status !== bareStatus) throw new Error(`bare invoke answered HTTP ${a.status}, earlier ${bareStatus}`);
      }
    };
    /** One round of `n` different people each taking a different fresh ticket; checks every answer. */
    const takeRound = async (n: number): Promise<Answer[]> => {
      const who = people(n);
      const tickets = who.map(() => nextTicket());
      const answers = await burst(endpoint, who.map((u, i) => takeBody(u, tickets[i]!)));
      answers.forEach((a, i) => {
        const u = who[i]!;
        if (!cardOf(a, `take by ${u.name}`).json.includes(WON)) throw new Error(`take by ${u.name} of ${tickets[i]!.key} did not succeed: ${a.text.slice(0, 400)}`);
        capacity.set(u.id, (capacity.get(u.id) ?? 0) - 1);
      });
      const stored = await app.tickets.getMany(tickets.map((t) => t.key));
      tickets.forEach((t, i) => {
        const owner = stored.get(t.key)?.owner?.key;
        if (owner !== analystKey.get(who[i]!.id)) throw new Error(`ticket ${t.key}: owner ${owner} in the store, expected ${who[i]!.name}`);
      });
      return answers;
    };
    const bareRound = async (n: number): Promise<Answer[]> => {
      const answers = await burst(endpoint, users.slice(0, n).map(bareBody));
      checkBare(answers);
      return answers;
    };

    // ---- warm-up: JIT, connection pools, store collections
    for (let i = 0; i < WARMUP_BARE / 32; i++) await bareRound(32);
    for (let i = 0; i < WARMUP_TAKES; i++) await takeRound(1);

    // ---- 1, 8, 32 concurrent users on different tickets; baseline and subject rounds alternate
    const results: { level: string; subject: Timing; baseline: Timing }[] = [];
    for (const n of LEVELS) {
      const rounds = Math.ceil(MIN_SAMPLES / n);
      const subject: number[] = [];
      const baseline: number[] = [];
      for (let r = 0; r < rounds; r++) {
        baseline.push(...(await bareRound(n)).map((a) => a.ms));
        subject.push(...(await takeRound(n)).map((a) => a.ms));
      }
      results.push({ level: `${n} concurrent user${n > 1 ? 's' : ''}, different tickets`, subject: summarise(subject), baseline: summarise(baseline) });
    }

    // ---- 32 people racing for one ticket, RACES times; exactly one winner each time
    const raced: number[] = [];
    const raceBaseline: number[] = [];
    const winners: string[] = [];
    for (let r = 0; r < RACES; r++) {
      raceBaseline.push(...(await bareRound(RACERS)).map((a) => a.ms));
      const who = people(RACERS);
      const t = nextTicket();
      const answers = await burst(endpoint, who.map((u) => takeBody(u, t)));
      raced.push(...answers.map((a) => a.ms));
      const won: TestUser[] = [];
      answers.forEach((a, i) => {
        const json = cardOf(a, `race ${r + 1}, ${who[i]!.name}`).json;
        if (json.includes(WON)) won.push(who[i]!);
        else if (!json.includes(LOST)) throw new Error(`race ${r + 1}: ${who[i]!.name} got neither a win nor "already owned": ${json.slice(0, 400)}`);
      });
      const stored = await app.tickets.get(t.key);
      const assigns = (stored?.outbox ?? []).filter((e) => e.write.kind === 'assign');
      if (won.length !== 1 || !stored || stored.state !== 'owned' || assigns.length !== 1 || stored.owner?.key !== analystKey.get(won[0]!.id)) {
        throw new Error(
          `race ${r + 1} for ${t.key}: ${won.length} winners (${won.map((u) => u.name).join(', ')}), ` +
            `store: state ${stored?.state}, owner ${stored?.owner?.key}, ${assigns.length} queued assignments`,
        );
      }
      capacity.set(won[0]!.id, (capacity.get(won[0]!.id) ?? 0) - 1);
      winners.push(won[0]!.name);
    }
    results.push({ level: `${RACERS} users racing for one ticket`, subject: summarise(raced), baseline: summarise(raceBaseline) });

    // ---- report
    for (const { level, subject, baseline } of results) {
      ctx.compare(`take ownership, ${level}`, subject, baseline, 'median');
      ctx.compare(`take ownership, ${level}`, subject, baseline, 'p99');
    }
    ctx.note(
      'samples per level (take / bare)',
      results.map((r) => `${r.level.split(',')[0]}: ${r.subject.samples.length}/${r.baseline.samples.length}`).join('; ') +
        ' (with ~100 samples, p99 is the slowest one or two: read it as a tail, not a percentile)',
    );
    ctx.note('races: exactly one winner each', `${RACES} races of ${RACERS}: ${winners.join(', ')}; ${RACERS - 1} answered "already owned" each`);
    ctx.note('baseline', `invoke "lgd/bench-unhandled" answered HTTP ${bareStatus} by TeamsActivityHandler (same route, parser, CloudAdapter, onTurn store write)`);
    const owned = await app.tickets.list({ states: ['owned'], limit: TICKETS });
    const maxOwned = Math.max(...[...capacity.values()].map((c) => OWNED_LIMIT - c));
    ctx.note('normal path only', `${owned.length} tickets taken by ${ANALYSTS} people, at most ${maxOwned} each (limit ${OWNED_LIMIT}): no 4th-ticket warning`);
    ctx.note(
      'LGD during measurement',
      `worker not started: nothing delivered (${owned.reduce((s, t) => s + t.outbox.filter((e) => e.status === 'pending').length, 0)} assignments queued in the outbox, LGD requests since set-up ${sim.stats.requests}, writes ${sim.stats.writesApplied}); the invoke never waits on LGD`,
    );
    ctx.note('bench wall time', `${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await app.close();
    await connector.close();
    await sim.close();
  }
}
