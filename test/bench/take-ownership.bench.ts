/**
 * 'Take ownership' end to end: an `adaptiveCard/action` invoke (verb takeOwnership) posted to the
 * app's real /api/messages (restify, body parsing, CloudAdapter, SupportBot, dispatcher, handler,
 * embedded store) at 1, 8 and 32 concurrent users each on a different ticket, and 32 users racing
 * for one ticket, against a baseline measured in the same run at the same concurrency. Each
 * request is timed from send to the whole HTTP answer.
 *
 * The baseline is a bare botbuilder invoke whose handler makes one durable write of the same size
 * to the same store: its own server built from the app's HTTP pieces (the same restify server,
 * body parsing, shape check and CloudAdapter), a TeamsActivityHandler whose invoke handler
 * replaces one document the size of a taken ticket (a copy of one) in the app's own embedded
 * store, and answers a small card. It is the least an action that must be durable can cost.
 *
 * It also counts what one Take ownership writes: durable commits on the embedded store (SQLite
 * transactions, each fsynced) and round trips on a counting stand-in for MongoDB's collections.
 *
 * Every take is on the normal path: each simulated person owns at most 3 tickets (the 4th-ticket
 * warning path never runs), because every person is given fresh capacity from a pool of analysts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TeamsActivityHandler, type InvokeResponse, type TurnContext } from 'botbuilder';
import { BSON } from 'mongodb';
import { pino } from 'pino';
import { messagesRoute } from '../../bot/api/messages-route.js';
import { closeServer, createHttpServer, listen } from '../../bot/http/http-server.js';
import { openEmbeddedStore, type EmbeddedStore } from '../../bot/store/embedded-store.js';
import type { Store } from '../../bot/store/doc-collection.js';
import { createBotAdapter } from '../../bot/teams/bot-adapter.js';
import { botDoor } from '../../bot/teams/bot-door.js';
import { loadConfig } from '../../bot/config.js';
import { countingStore, type CountingStore } from '../support/counting-store.js';
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

/** A document the size of a ticket, written by the baseline's invoke handler. */
type Sized = { _id: string; n: number; [k: string]: unknown };

/** The least a durable action can cost: a bare invoke handler making one durable write of the given document. */
class OneWriteBot extends TeamsActivityHandler {
  private n = 0;
  constructor(
    private readonly store: Store,
    private readonly doc: () => Omit<Sized, '_id' | 'n'>,
  ) {
    super();
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const who = context.activity.from?.id ?? 'someone';
    // One document per person (as each takes a different ticket), changed on every write.
    await this.store.collection<Sized>('bench_baseline').replaceOne({ _id: who }, { ...this.doc(), n: ++this.n }, { upsert: true });
    return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Done' }] } } };
  }
}

/** The baseline's server: the app's HTTP pieces and botbuilder around OneWriteBot. */
async function startBaseline(store: Store, doc: () => Omit<Sized, '_id' | 'n'>): Promise<{ url: string; close(): Promise<void> }> {
  const logger = pino({ level: 'silent' });
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent' });
  const adapter = createBotAdapter(config.bot, logger);
  const endpoint = botDoor({ adapter, bot: new OneWriteBot(store, doc), tokenCheck: null, logger });
  const server = createHttpServer({ routes: [messagesRoute(endpoint)], logger });
  const port = await listen(server, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

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
    sim.state.addNote(inc.key, { title: 'Approved', text: 'Approved', by: ann.title, at: new Date(from + i * 60_000 + 30_000) });
  }
  const roster: RosterEntry[] = [lead, ...users].map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name, email: u.email }));
  const connector = await startRecordingConnector({ roster });
  const dataDir = mkdtempSync(join(tmpdir(), 'lgd-bench-'));
  const embedded: EmbeddedStore = await openEmbeddedStore({ dataDir });
  // The app runs on the embedded store through the counting stand-in: commits and round trips are read from the same run.
  const counted: CountingStore = countingStore(embedded);
  const app = await startTestApp(
    {
      LGD_URL: sim.baseUrl,
      LGD_USERNAME: 'lgd.service',
      LGD_PASSWORD: 'lgd-simulator',
      LEADS: 'ann.lead@lgd.example',
      LGD_POLL_SECONDS: '3600',
      LOG_LEVEL: 'silent',
    },
    { startWorker: false, store: counted },
  ).catch(async (err: unknown) => {
    await embedded.close();
    await connector.close();
    await sim.close();
    throw err;
  });
  let baselineServer: { url: string; close(): Promise<void> } | null = null;
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
    const bareBody = (u: TestUser): string => JSON.stringify(cardAction(connector.url, u, 'takeOwnership', { ticketKey: 'none', v: 0 }));

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
      const answers = await burst(baselineEndpoint, users.slice(0, n).map(bareBody));
      checkBare(answers);
      return answers;
    };

    // ---- one take at a time: durable commits (embedded) and round trips (MongoDB stand-in) per take
    // (the first takes also warm up the JIT and the store's collections)
    const commitsPerTake: number[] = [];
    const commitsAfterAnswer: number[] = [];
    const tripsPerTake: { writes: string[]; reads: number }[] = [];
    for (let i = 0; i < WARMUP_TAKES; i++) {
      const c0 = embedded.commits();
      const [u] = people(1);
      const trips = await counted.during(async () => {
        const [a] = await burst(endpoint, [takeBody(u!, nextTicket())]);
        if (!cardOf(a!, `a single take by ${u!.name}`).json.includes(WON)) throw new Error(`a single take by ${u!.name} did not succeed: ${a!.text.slice(0, 400)}`);
      });
      capacity.set(u!.id, (capacity.get(u!.id) ?? 0) - 1);
      const c1 = embedded.commits();
      // Whatever a take leaves running after its answer (the app's worker is not started here) settles first.
      await new Promise((r) => setTimeout(r, 200));
      commitsPerTake.push(c1 - c0);
      commitsAfterAnswer.push(embedded.commits() - c1);
      tripsPerTake.push({ writes: trips.filter((t) => t.write).map((t) => `${t.collection}.${t.op}`), reads: trips.filter((t) => !t.write).length });
    }

    // ---- the baseline: a bare invoke writing one document the size of a taken ticket to the same store
    const taken = (await app.tickets.list({ states: ['owned'], limit: 1 }))[0];
    if (!taken) throw new Error('no taken ticket to size the baseline document from');
    const { _id: _takenId, ...takenDoc } = taken as unknown as Record<string, unknown>;
    const ticketBytes = BSON.calculateObjectSize(taken);
    baselineServer = await startBaseline(embedded, () => takenDoc);
    const baselineEndpoint = `${baselineServer.url}/api/messages`;
    const b0 = embedded.commits();
    await bareRound(1);
    const baselineCommits = embedded.commits() - b0;
    const stored = await embedded.collection<Sized>('bench_baseline').findOne({ _id: users[0]!.id });
    const baselineBytes = stored ? BSON.calculateObjectSize(stored) : 0;

    // ---- warm-up of the baseline: JIT, connection pools
    for (let i = 0; i < WARMUP_BARE / 32; i++) await bareRound(32);

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
    ctx.note('baseline', `bare invoke answered HTTP ${bareStatus} by a TeamsActivityHandler making one durable write (replaceOne) of a ${baselineBytes}-byte document (a taken ticket is ${ticketBytes} bytes) to the same embedded store; ${baselineCommits} commit per invoke`);
    ctx.note('durable commits per take (embedded store)', `${commitsPerTake.join(', ')} from request to answer (one take at a time); then ${commitsAfterAnswer.join(', ')} more in the 200 ms after the answer`);
    const shapes = [...new Set(tripsPerTake.map((t) => t.writes.join(' + ') || '(none)'))];
    ctx.note('MongoDB round trips per take (counting stand-in)', `writes: ${shapes.join(' | ')}; reads: ${tripsPerTake.map((t) => t.reads).join(', ')}`);
    const owned = await app.tickets.list({ states: ['owned'], limit: TICKETS });
    const maxOwned = Math.max(...[...capacity.values()].map((c) => OWNED_LIMIT - c));
    ctx.note('normal path only', `${owned.length} tickets taken by ${ANALYSTS} people, at most ${maxOwned} each (limit ${OWNED_LIMIT}): no 4th-ticket warning`);
    ctx.note(
      'LGD during measurement',
      `worker not started: nothing delivered (${owned.reduce((s, t) => s + t.outbox.filter((e) => e.status === 'pending').length, 0)} assignments queued in the outbox, LGD requests since set-up ${sim.stats.requests}, writes ${sim.stats.writesApplied}); the invoke never waits on LGD`,
    );
    ctx.note('bench wall time', `${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await baselineServer?.close();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
    await connector.close();
    await sim.close();
  }
}
