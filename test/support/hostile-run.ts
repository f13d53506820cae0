/**
 * Runs the hostile-input corpus (hostile-corpus.ts) against a real app, in checked mode (Bot
 * Framework and Teams SSO tokens from local OpenID issuers) or in open mode: a team installed, two
 * people (a lead and a developer mapped to LGD analysts), tickets synced from the simulator, a
 * rota, an area, a day off. Each request is timed and judged; after every few requests the store is
 * compared with its snapshot from before the corpus (see `storeSnapshot`).
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { COLLECTIONS } from '../../bot/store/collections.js';
import type { LgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import { startLgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import { defaultTabDist } from '../../bot/api/tab-static-route.js';
import { DEFAULT_BODY_LIMITS } from '../../bot/http/read-body.js';
import { botFrameworkEnv, channelToken, ssoClaimsV2, startLocalOpenId, type LocalOpenId } from './local-openid.js';
import { startRecordingConnector, type RecordingConnector } from './recording-connector.js';
import { installInTeam, testUser } from './teams-activities.js';
import { startTestApp } from './test-app.js';
import { generateCorpus, OPERATORS, ROUTE_SHAPES, routeName, type CorpusIdentities, type CorpusMode, type CorpusWorld, type HostileRequest, type ServedRoute } from './hostile-corpus.js';

type App = Awaited<ReturnType<typeof startTestApp>>;

/** How long an answer may take once the request is sent (a slow body: once its last byte is sent). */
export const ANSWER_MS = 1_000;
const JSON_TYPE = { 'content-type': 'application/json' };
const APP_ID = '0c6a5f9e-3b1d-4f2a-9e7c-00000000c0de';

export const LEAD = testUser(41, 'Lena Lead', 'lena.lead@lgd.example');
export const DEV = testUser(42, 'Dev Eloper', 'dev.eloper@lgd.example');
const AREAS = JSON.stringify([{ area: 'Adult Social Care', contacts: ['pam.pdm@lgd.example'] }]);

/** A running world for the corpus. */
export interface HostileWorld {
  mode: CorpusMode;
  app: App;
  sim: LgdSimulator;
  connector: RecordingConnector;
  world: CorpusWorld;
  close(): Promise<void>;
}

/**
 * Collections whose records a hostile request may change: conversation references (the issue allows
 * them), leases, sync and health status, the event readers' cursors and the health probe. Every
 * other collection (a new one too) is in the snapshot; audit entries only when they record a change done.
 */
export const MAY_CHANGE: readonly string[] = [
  COLLECTIONS.conversations,
  // Which message shows which ticket, so a card a read command (`ticket 12`) posted can be updated in place.
  COLLECTIONS.cards,
  COLLECTIONS.leases,
  COLLECTIONS.syncState,
  COLLECTIONS.healthStatus,
  COLLECTIONS.eventCursors,
  COLLECTIONS.healthProbe,
];

/**
 * What of a person carries authority: who they are (ids, addresses) and whom they act as in LGD.
 * The display name is what Teams says about the sender of a turn (like the conversation reference)
 * and may change; a sender first met, with no address and no analyst, can do nothing and may appear.
 */
const personAuthority = (docs: Record<string, unknown>[]): unknown[] =>
  docs.filter((p) => p.email || p.upn || p.analyst).map((p) => ({ _id: p._id, teamsUserId: p.teamsUserId, email: p.email, upn: p.upn, analyst: p.analyst, mappedBy: p.mappedBy }));

/** Every record a hostile request must leave alone, read through the store (not HTTP), as one comparable text per collection. */
export async function storeSnapshot(app: App): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of Object.values(COLLECTIONS)) {
    if (MAY_CHANGE.includes(name)) continue;
    const docs = await app.store.collection<Record<string, unknown>>(name).find({}, { sort: { _id: 1 } }).toArray();
    // A refusal is audited (who tried what); only an entry saying a change was done means one was accepted.
    out[name] = JSON.stringify(name === COLLECTIONS.audit ? docs.filter((d) => d.outcome === 'done') : name === COLLECTIONS.people ? personAuthority(docs) : docs);
  }
  // What LGD was asked to apply, in the simulator's own record.
  return out;
}

/** Starts the app in `mode` with its world: simulator, recording connector, (checked) the two issuers. */
export async function startHostileWorld(mode: CorpusMode): Promise<HostileWorld> {
  const sim = await startLgdSimulator();
  const team = sim.state.addGroup('LGSS-IT-Digital');
  sim.state.addGroup('Service Desk');
  const analysts = [LEAD, DEV].map((u) => sim.state.addAnalyst({ name: u.email.split('@')[0]!, title: u.name, email: u.email }));
  const tickets = [
    sim.state.raiseIncident({ title: 'Needs triage **bold** <b>x</b>', description: 'd', groupKey: team.guid, status: 'Active', raiseUser: 'Pat User' }),
    sim.state.raiseIncident({ title: 'Owned by the developer', description: 'd', groupKey: team.guid, userKey: analysts[1]!.guid, status: 'Active', raiseUser: 'Pat User' }),
    sim.state.raiseIncident({ title: 'Another', description: 'd', groupKey: team.guid, status: 'Active', raiseUser: 'Pat User' }),
  ];
  const connector = await startRecordingConnector({
    roster: [LEAD, DEV].map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name, email: u.email, userPrincipalName: u.email })),
  });
  let bf: LocalOpenId | null = null;
  let sso: LocalOpenId | null = null;
  if (mode === 'checked') {
    bf = await startLocalOpenId({ issuer: 'https://api.botframework.test', endorsements: ['msteams'] });
    sso = await startLocalOpenId();
  }
  const app = await startTestApp(
    {
      LGD_URL: sim.baseUrl,
      LGD_USERNAME: 'lgd.service',
      LGD_PASSWORD: 'lgd-simulator',
      LEADS: LEAD.email,
      AREAS,
      LGD_POLL_SECONDS: '3600',
      ...(bf && sso ? botFrameworkEnv(bf, APP_ID, sso) : {}),
    },
    { startWorker: false },
  );
  const closeAll = async (): Promise<void> => {
    await app.close();
    await connector.close();
    await sim.close();
    await bf?.close();
    await sso?.close();
  };
  try {
    const channel: Record<string, string> = bf ? { authorization: `Bearer ${await bf.sign(channelToken(APP_ID, connector.url))}` } : {};
    await app.worker.tick({ forceSync: true });
    const installed = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...channel }, body: JSON.stringify(installInTeam(connector.url, LEAD)) });
    if (installed.status !== 200) throw new Error(`installing the app answered ${installed.status}: ${await installed.text()}`);
    await app.teams.processor.processNew();
    // In checked mode the roster look-up needs a token for the connector; the people are known as the roster would tell.
    await app.repos.people.remember([LEAD, DEV].map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name, email: u.email, userPrincipalName: u.email })));
    await app.worker.tick({ forceSync: true });
    const today = new Date().toISOString().slice(0, 10);
    const lead = (await app.repos.people.byEmails([LEAD.email]))[0];
    if (!lead) throw new Error('the lead is not known after the installation');
    await app.repos.rota.set(today, today, { name: lead.name, email: LEAD.email }, 'hostile-corpus');
    await app.repos.daysOff.set('2030-01-02', 'A day off', 'hostile-corpus');

    const identities: CorpusIdentities = bf && sso ? await checkedIdentities(bf, sso, connector) : openIdentities();
    const keys = await Promise.all(tickets.map(async (t) => ({ key: t.key, version: (await app.tickets.get(t.key))?.version ?? 0 })));
    return {
      mode,
      app,
      sim,
      connector,
      world: { identities, tickets: keys, serviceUrl: connector.url, lead: LEAD, dev: DEV, today },
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }

  async function checkedIdentities(bfKeys: LocalOpenId, ssoKeys: LocalOpenId, conn: RecordingConnector): Promise<CorpusIdentities> {
    const bearer = (t: string): Record<string, string> => ({ authorization: `Bearer ${t}` });
    const tab = (u: typeof LEAD, extra: Record<string, unknown> = {}) => ({ ...ssoClaimsV2(ssoKeys, { oid: u.aadObjectId, upn: u.email, name: u.name }), ...extra });
    const channel = channelToken(APP_ID, conn.url);
    const bad: [string, Record<string, string>][] = [
      ['a forged signature', bearer(await ssoKeys.sign(tab(LEAD), { forged: true }))],
      ['an expired token', bearer(await ssoKeys.sign(tab(LEAD), { expiresIn: -3600 }))],
      ['alg: none', bearer(ssoKeys.unsigned(tab(LEAD)))],
      ['another audience', bearer(await ssoKeys.sign(tab(LEAD, { aud: '11111111-1111-4111-8111-111111111111' })))],
      ['another tenant', bearer(await ssoKeys.sign(tab(LEAD, { tid: '99999999-8888-4777-8666-555555555555' })))],
      ['an unknown key id', bearer(await ssoKeys.sign(tab(LEAD), { kid: 'nope' }))],
      ['a Bot Framework token', bearer(await bfKeys.sign(channel))],
      ['a stranger', bearer(await ssoKeys.sign(tab({ ...DEV, aadObjectId: 'eeeeeeee-0000-4000-8000-00000000000e', email: 'stranger@lgd.example' })))],
      ['not a JWT', bearer('not-a-jwt')],
      ['a Basic header', { authorization: `Basic ${Buffer.from('lena:pw').toString('base64')}` }],
      ['an empty bearer', { authorization: 'Bearer ' }],
      ['X-Demo-Person in checked mode', { 'x-demo-person': LEAD.email }],
    ];
    for (const op of OPERATORS.slice(0, 4)) {
      bad.push(['operator oid', bearer(await ssoKeys.sign(tab(LEAD, { oid: op })))]);
      bad.push(['operator upn', bearer(await ssoKeys.sign(tab({ ...LEAD, aadObjectId: 'eeeeeeee-0000-4000-8000-0000000000ee' }, { preferred_username: op, email: op })))]);
    }
    bad.push(['operator tid', bearer(await ssoKeys.sign(tab(LEAD, { tid: { $ne: null } })))]);
    bad.push(['100,000-character name', bearer(await ssoKeys.sign(tab({ ...LEAD, aadObjectId: 'eeeeeeee-0000-4000-8000-0000000000ef' }, { name: 'n'.repeat(3000) })))]);
    const botBad: [string, Record<string, string>][] = [
      ['a forged signature', bearer(await bfKeys.sign(channel, { forged: true }))],
      ['an expired token', bearer(await bfKeys.sign(channel, { expiresIn: -3600 }))],
      ['alg: none', bearer(bfKeys.unsigned(channel))],
      ['another bot', bearer(await bfKeys.sign(channelToken('11111111-1111-4111-8111-111111111111', conn.url)))],
      ['another service URL', bearer(await bfKeys.sign(channelToken(APP_ID, 'https://smba.evil.example/')))],
      ['a Teams SSO token', bearer(await ssoKeys.sign(tab(LEAD)))],
      ['operator audience', bearer(await bfKeys.sign({ aud: { $ne: null } as unknown as string, serviceurl: conn.url }))],
      ['not a JWT', bearer('x.y.z')],
    ];
    return {
      mode: 'checked',
      lead: bearer(await ssoKeys.sign(tab(LEAD))),
      dev: bearer(await ssoKeys.sign(tab(DEV))),
      bad,
      bot: bearer(await bfKeys.sign(channel)),
      botBad,
    };
  }

  function openIdentities(): CorpusIdentities {
    const demo = (v: string): Record<string, string> => ({ 'x-demo-person': v });
    return {
      mode: 'open',
      lead: demo(LEAD.email),
      dev: demo(DEV.email),
      bad: [
        ['nobody known', demo('nobody@forged.example')],
        ['not an address', demo('lena.lead')],
        ['operator ne', demo('{"$ne":null}')],
        ['operator where', demo('$where')],
        ['operator regex', demo('{"$regex":".*"}')],
        ['markup', demo('<script>alert(1)</script>@x.example')],
        ['an uppercase lead', demo('LENA.LEAD@LGD.EXAMPLE ; drop')],
        ['long', demo(`${'a'.repeat(5000)}@x.example`)],
        ['a forged token', { authorization: 'Bearer x.y.z' }],
      ],
      bot: {},
      botBad: [],
    };
  }
}

/** How one request went. */
export interface Outcome {
  req: HostileRequest;
  status: number;
  /** From the last byte sent to the answer's headers (a stream's headers are its answer). */
  ms: number;
  body: string;
  /** The client's error when no answer came. */
  error?: string;
}

/** Sends one request over its own connection; resolves when answered, or with status 0 after `budgetMs`. */
export function send(url: string, r: HostileRequest, budgetMs: number): Promise<Outcome> {
  const u = new URL(url);
  if (r.raw) return sendRaw(u, r, budgetMs);
  return new Promise((resolve) => {
    let sentAt = performance.now();
    let done = false;
    const finish = (o: Omit<Outcome, 'req'>): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ req: r, ...o });
    };
    const req = request({ host: u.hostname, port: u.port, method: r.method, path: r.path, headers: r.headers, agent: false });
    const timer = setTimeout(() => finish({ status: 0, ms: performance.now() - sentAt, body: '', error: `no answer within ${budgetMs} ms` }), budgetMs + (r.slow ? r.slow.pieces * r.slow.gapMs : 0));
    req.on('response', (res) => {
      const ms = performance.now() - sentAt;
      if (r.stream && res.statusCode === 200) {
        finish({ status: 200, ms, body: '' });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < 64 * 1024) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => finish({ status: res.statusCode ?? 0, ms, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => finish({ status: res.statusCode ?? 0, ms, body: Buffer.concat(chunks).toString('utf8') }));
    });
    // A server that answers and closes before the whole body is sent: the answer, if any, still counts.
    req.on('error', (err: NodeJS.ErrnoException) => setTimeout(() => finish({ status: 0, ms: performance.now() - sentAt, body: '', error: err.code ?? err.message }), 50));
    if (!r.body) {
      req.end();
      sentAt = performance.now();
      return;
    }
    if (!r.slow) {
      req.end(r.body);
      sentAt = performance.now();
      return;
    }
    const { pieces, gapMs } = r.slow;
    const size = Math.ceil(r.body.length / pieces);
    let i = 0;
    const next = (): void => {
      if (done) return;
      const piece = r.body!.subarray(i * size, (i + 1) * size);
      i++;
      if (i >= pieces) {
        req.end(piece);
        sentAt = performance.now();
      } else {
        req.write(piece);
        setTimeout(next, gapMs);
      }
    };
    next();
  });
}

/** Sends raw bytes over a socket; the answer is the status line and whatever follows, until the server closes. */
function sendRaw(u: URL, r: HostileRequest, budgetMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect({ host: u.hostname, port: Number(u.port) });
    const chunks: Buffer[] = [];
    let sentAt = performance.now();
    let firstAt = 0;
    let done = false;
    const finish = (error?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ req: r, status, ms: (firstAt || performance.now()) - sentAt, body: text.slice(text.indexOf('\r\n\r\n') + 4, 64 * 1024), ...(status ? {} : { error: error ?? 'the connection closed without an answer' }) });
    };
    const timer = setTimeout(() => finish(`no answer within ${budgetMs} ms`), budgetMs);
    socket.on('data', (c: Buffer) => {
      firstAt ||= performance.now();
      chunks.push(c);
    });
    socket.on('end', () => finish());
    socket.on('error', (err) => finish(err.message));
    socket.write(r.raw!, () => {
      sentAt = performance.now();
    });
  });
}

/** The server's body timeout (bot/http/read-body.ts). */
export const BODY_TIMEOUT_MS = DEFAULT_BODY_LIMITS.timeoutMs;

/** Sends half a body to `path` and stops: the answer must be 408 within the body timeout (and a second); null when it is. */
async function stall(w: HostileWorld, path: string): Promise<string | null> {
  const headers = { ...JSON_TYPE, 'content-length': '1000', ...(path === '/api/messages' ? w.world.identities.bot : w.world.identities.lead) };
  const started = performance.now();
  const out = await new Promise<{ status: number; error?: string }>((resolve) => {
    const req = request({ host: '127.0.0.1', port: new URL(w.app.url).port, method: path === '/api/messages' ? 'POST' : 'PUT', path, headers, agent: false });
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ status: 0, error: 'no answer' });
    }, BODY_TIMEOUT_MS + ANSWER_MS);
    req.on('response', (res) => {
      clearTimeout(timer);
      res.resume();
      req.destroy();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      resolve({ status: 0, error: err.message });
    });
    req.write('{"type":"mess');
  });
  const ms = performance.now() - started;
  if (out.status !== 408) return `a body stalled halfway on ${path}: answered ${out.status} ${out.error ?? ''} after ${Math.round(ms)} ms, not 408 within ${BODY_TIMEOUT_MS + ANSWER_MS} ms`;
  return null;
}

/** The tab is not built in this checkout (CI builds it only in the e2e tests): its view routes answer 503 saying so. */
const tabBuilt = (): boolean => existsSync(join(defaultTabDist(), 'index.html'));

/**
 * Why an answer is not acceptable, or null when it is: within `ANSWER_MS`; never a 5xx (but the
 * unbuilt tab's 503); a 4xx always; a 2xx or 304 only from a read (a GET, the bot's endpoint, which
 * answers turns it ignores or refuses with 200), since no write in the corpus may be accepted
 * (the store snapshot then proves the read changed nothing); no answer ever naming a stack or a
 * file outside the tab.
 */
export function judge(o: Outcome): string | null {
  const { req } = o;
  if (o.status === 0) return `no answer (${o.error ?? 'none'})`;
  if (o.ms > ANSWER_MS) return `answered after ${Math.round(o.ms)} ms`;
  if (/\bat \S+ \(|node:internal|\/bot\/|\.ts:\d+/.test(o.body)) return `the answer shows internals: ${o.body.slice(0, 200)}`;
  if (req.route.startsWith('GET /tab')) {
    if (o.status === 503 && !tabBuilt() && o.body.includes('not built yet')) return null;
    if (/"name":\s*"lgd-teams-support"|root:x:0|MicrosoftAppPassword/.test(o.body)) return 'a file outside the tab was served';
    return o.status === 200 || o.status === 404 || (o.status >= 400 && o.status < 500) ? null : `status ${o.status}`;
  }
  if (o.status >= 500) return `status ${o.status}: ${o.body.slice(0, 200)}`;
  if (o.status >= 400) return null;
  const read = req.method === 'GET' || req.route === 'POST /api/messages';
  if (!read) return `a write was accepted (${o.status}): ${o.body.slice(0, 200)}`;
  return null;
}

/** The routes the running server serves, from restify's own table. */
export function servedRoutes(app: App): ServedRoute[] {
  const info = app.server.router.getDebugInfo() as Record<string, { method: string; path: string }>;
  return Object.values(info).map((r) => ({ method: r.method.toUpperCase(), path: String(r.path) }));
}

/** Served routes the corpus has no shape for (a route added later): the test names them. */
export const unshaped = (routes: readonly ServedRoute[]): string[] => routes.map(routeName).filter((n) => !(n in ROUTE_SHAPES));

/** Where two snapshots of a collection first differ, shortly. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `was …${a.slice(Math.max(0, i - 60), i + 60)}…, is …${b.slice(Math.max(0, i - 60), i + 60)}…`;
}

/** What a run found. */
export interface CorpusReport {
  seed: number;
  sent: number;
  perRoute: Record<string, number>;
  perKind: Record<string, number>;
  /** Each route's answers by status. */
  statuses: Record<string, Record<number, number>>;
  failures: string[];
  changed: string[];
  slowestMs: number;
  /** Requests answered late once and sent again alone. */
  resent: number;
}

/**
 * Runs the corpus `window` requests at a time; after each window the server must answer /healthz
 * and the store must equal its snapshot from before (a change is reported with the window's requests).
 */
export async function runCorpus(w: HostileWorld, o: { seed: number; perRoute: number; window?: number }): Promise<CorpusReport> {
  const routes = servedRoutes(w.app);
  const corpus = generateCorpus({ seed: o.seed, routes, world: w.world, perRoute: o.perRoute });
  // Warm up (the first request of each kind compiles its code): one plain read of every GET route, timed by nobody.
  for (const route of routes.filter((x) => x.method === 'GET' && !x.path.includes(':') && x.path !== '/api/events')) {
    await send(w.app.url, { n: -1, kind: 'missing-token', route: routeName(route), method: 'GET', path: route.path.replace('/*', '/queue'), headers: w.world.identities.dev, what: 'warm-up' }, 10_000);
  }
  const before = await storeSnapshot(w.app);
  const failures: string[] = [];
  const changed: string[] = [];
  let slowestMs = 0;
  const perRoute: Record<string, number> = {};
  const perKind: Record<string, number> = {};
  for (const r of corpus) {
    perRoute[r.route] = (perRoute[r.route] ?? 0) + 1;
    perKind[r.kind] = (perKind[r.kind] ?? 0) + 1;
  }
  const statuses: Record<string, Record<number, number>> = {};
  const count = (out: Outcome): void => {
    const s = (statuses[out.req.route] ??= {});
    s[out.status] = (s[out.status] ?? 0) + 1;
  };
  /**
   * A late answer on a shared machine (other test files, other processes) is sent once more, alone:
   * it fails only when it is late again. Safe because no request of the corpus may change anything.
   */
  let resent = 0;
  const againIfLate = async (out: Outcome): Promise<Outcome> => {
    if (!/^(answered after|no answer \(no answer within)/.test(judge(out) ?? '')) return out;
    resent++;
    return send(w.app.url, out.req, ANSWER_MS);
  };
  const label = (r: HostileRequest): string => `#${r.n} ${r.kind} ${r.method} ${r.path.slice(0, 120)}${r.path.length > 120 ? '…' : ''} (${r.what})`;
  const size = Number(process.env.HOSTILE_WINDOW ?? o.window ?? 4);
  // The slow bodies go alongside the rest, not one after another.
  const slow = corpus.filter((r) => r.slow);
  const slowRuns = slow.map((r) => send(w.app.url, r, ANSWER_MS));
  const rest = corpus.filter((r) => !r.slow);
  // A body that stops halfway, on the bot's endpoint and on a write: cut off at the body timeout while the rest is served.
  const stalled = ['/api/messages', '/api/rota'].map((path) => stall(w, path));
  let baseline = before;

  for (let i = 0; i < rest.length; i += size) {
    const batch = rest.slice(i, i + size);
    const outcomes = await Promise.all(batch.map((r) => send(w.app.url, r, ANSWER_MS)));
    for (const first of outcomes) {
      const out = await againIfLate(first);
      count(out);
      slowestMs = Math.max(slowestMs, out.ms);
      const why = judge(out);
      if (why) failures.push(`${label(out.req)}: ${why}`);
    }
    const health = await send(w.app.url, { n: -1, kind: 'missing-token', route: 'GET /healthz', method: 'GET', path: '/healthz', headers: {}, what: 'still up?' }, ANSWER_MS);
    if (health.status !== 200) failures.push(`after #${batch[0]!.n}…#${batch.at(-1)!.n}: /healthz answered ${health.status} ${health.error ?? ''} ${health.body.slice(0, 200)}`);
    const now = await storeSnapshot(w.app);
    const diff = Object.keys(now).filter((k) => now[k] !== baseline[k]);
    if (diff.length > 0) {
      changed.push(`${diff.map((k) => `${k} (${firstDifference(baseline[k]!, now[k]!)})`).join(', ')} changed by one of: ${batch.map(label).join(' | ')}`);
      baseline = now;
    }
  }
  for (const out of await Promise.all(slowRuns.map(async (p) => againIfLate(await p)))) {
    count(out);
    slowestMs = Math.max(slowestMs, out.ms);
    const why = judge(out);
    if (why) failures.push(`${label(out.req)}: ${why}`);
  }
  for (const why of await Promise.all(stalled)) if (why) failures.push(why);
  const after = await storeSnapshot(w.app);
  const diff = Object.keys(after).filter((k) => after[k] !== before[k]);
  if (diff.length > 0 && changed.length === 0) changed.push(`${diff.join(', ')} changed (by a slow-body request)`);
  return { seed: o.seed, sent: corpus.length, perRoute, perKind, statuses, failures, changed, slowestMs, resent };
}
