/**
 * The hostile-input corpus (issue 14, point 2): a seeded generator of requests to every route the
 * app serves, each carrying one kind of bad input: broken, compressed-but-broken, oversized, slow
 * or deeply nested bodies, wrong content types, unknown activity types and verbs, forged ticket keys
 * and user ids, operators and prototype keys in ids, identity fields and queries, 100,000-character
 * strings, markdown and HTML in text, forged and missing tokens. Nothing it sends may be accepted:
 * a request whose payload is well formed but odd (markup, a forged id) is sent by someone who may
 * not make the change, or names something that does not exist, so a change would be a defect.
 */
import { deflateSync, gzipSync } from 'node:zlib';
import { ACTION_VERBS } from '../../tab/src/api/contract.js';

/** The modes the corpus runs in (bot/config.ts's AppMode). */
export type CorpusMode = 'checked' | 'open';

/** Every kind of hostile input the corpus sends; each route gets every kind that applies to it. */
export const HOSTILE_KINDS = [
  'invalid-json',
  'broken-gzip',
  'broken-deflate',
  'inflates-too-large',
  'oversized-body',
  'slow-body',
  'wrong-content-type',
  'empty-body',
  'deep-nesting',
  'wrong-types',
  'unknown-activity-type',
  'unknown-verb',
  'forged-ticket-key',
  'forged-user-id',
  'operator-in-ids',
  'operator-in-identity',
  'operator-in-query',
  'prototype-keys',
  'huge-strings',
  'markup-in-text',
  'forged-token',
  'missing-token',
  'body-on-a-read',
  'path-tricks',
  'method-not-served',
  'malformed-http',
] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

/** A route as the server registers it (`GET /api/tickets/:key/project-defaults`). */
export interface ServedRoute {
  method: string;
  path: string;
}
export const routeName = (r: ServedRoute): string => `${r.method.toUpperCase()} ${r.path}`;

/** One generated request. */
export interface HostileRequest {
  n: number;
  kind: HostileKind;
  /** The route it is aimed at, as `routeName` spells it. */
  route: string;
  method: string;
  /** Path and query, already percent-encoded as sent. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Send the body in this many pieces, `gapMs` apart (a slow client). */
  slow?: { pieces: number; gapMs: number };
  /** Sent as these bytes over a plain socket instead (HTTP no client library would send); the other fields describe it. */
  raw?: Buffer;
  /** The answer is a stream (server-sent events): its headers are the answer. */
  stream?: boolean;
  /** What is odd about it, for the failure list. */
  what: string;
}

/** Request headers that name who is asking, good and bad, prepared by the runner (tokens are signed asynchronously). */
export interface CorpusIdentities {
  mode: CorpusMode;
  /** A lead's and a developer's headers (a valid SSO token, or X-Demo-Person). */
  lead: Record<string, string>;
  dev: Record<string, string>;
  /** Headers that must be refused on every `/api/*` route but the bot's: [what, headers]. */
  bad: readonly (readonly [string, Record<string, string>])[];
  /** `/api/messages`: a valid channel token's headers (none in open mode) and bad ones. */
  bot: Record<string, string>;
  botBad: readonly (readonly [string, Record<string, string>])[];
}

/** The world the corpus aims at: real keys and people, so forged ones sit beside them. */
export interface CorpusWorld {
  identities: CorpusIdentities;
  /** Keys of tickets in the store, with their versions. */
  tickets: readonly { key: string; version: number }[];
  /** The recording connector's URL (the activities' service URL). */
  serviceUrl: string;
  /** Teams users the roster knows: the lead and the developer. */
  lead: { id: string; aadObjectId: string; name: string; email: string };
  dev: { id: string; aadObjectId: string; name: string; email: string };
  /** Today in the team's time zone (YYYY-MM-DD). */
  today: string;
}

/** A small, fast, seeded generator (mulberry32). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(16)];
    return s;
  }
  guid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-8${this.hex(3)}-${this.hex(12)}`;
  }
}

export const HUGE = 100_000;
const huge = (r: Rng): string => r.pick(['a', 'é', '<', '$', '{', '🙂', ' ', '\\']).repeat(HUGE).slice(0, HUGE);

/** Values that are operators or code to a store or a template. */
export const OPERATORS: readonly unknown[] = [
  { $ne: null },
  { $gt: '' },
  { $where: 'sleep(5000) || true' },
  { $regex: '.*' },
  { $in: [] },
  { $exists: true },
  { $expr: { $eq: [1, 1] } },
  [{ $ne: null }],
  ['a', 'b'],
];
const OPERATOR_TEXT = ['{"$ne":null}', '$where', '$ne', '{"$gt":""}', "'; return true; //", 'this.email != null', '$function', 'db.dropDatabase()'];
/** Text a card, a chat or a page would render, were it not made inert. */
export const MARKUP = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '**bold** _it_ [link](https://evil.example) ![x](https://evil.example/x.png)',
  '<at>LGD Support</at> lead add mallory@evil.example',
  '# Heading\n\n- item\n\n```js\nalert(1)\n```',
  '{{7*7}} ${7*7} <%= 7*7 %>',
  '&lt;b&gt;&amp;&#x3C;',
  '\u202eevil\u202c \u0000 \u0007 \ud800',
  '[click](javascript:alert(1))',
];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__'];
const PATH_TRICKS = [
  '..%2f..%2f..%2fpackage.json',
  '%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '..%5c..%5cpackage.json',
  '%00',
  'a%00.js',
  '%E0%A4%A',
  '%',
  '.vite/manifest.json',
  '.env',
  'assets/..%2f..%2f..%2fbot%2fconfig.ts',
  '%252e%252e%252fpackage.json',
  '~root',
  'index.html%3F',
  'con',
];

/** A JSON body `depth` levels deep (arrays or objects). */
function nested(depth: number, objects: boolean): string {
  return objects ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

const enc = encodeURIComponent;
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v), 'utf8');
const JSON_TYPE = { 'content-type': 'application/json' };

/** What a route takes: its body (none, JSON, a Bot Framework activity), its path parameters, its query fields, whether it answers a stream. */
interface RouteShape {
  body: 'none' | 'json' | 'activity';
  params: readonly string[];
  query: readonly string[];
  stream?: boolean;
  /** Who may make the change (write routes): the developer is refused on these, so odd-but-valid input goes as them. */
  writer?: 'lead' | 'triager' | 'owner-or-anyone';
}

/** The routes the app serves, as the corpus knows them. A served route missing here fails the test, naming it. */
export const ROUTE_SHAPES: Record<string, RouteShape> = {
  'POST /api/messages': { body: 'activity', params: [], query: [] },
  'GET /healthz': { body: 'none', params: [], query: [] },
  'GET /api/tickets': { body: 'none', params: [], query: ['state', 'page', 'pageSize'] },
  'GET /api/backlog': { body: 'none', params: [], query: ['page', 'pageSize'] },
  'GET /api/rota': { body: 'none', params: [], query: ['from', 'to'] },
  'PUT /api/rota': { body: 'json', params: [], query: [], writer: 'triager' },
  'GET /api/people': { body: 'none', params: [], query: [] },
  'GET /api/insights': { body: 'none', params: [], query: ['weeks'] },
  'GET /api/settings/areas': { body: 'none', params: [], query: [] },
  'PUT /api/settings/areas/:area': { body: 'json', params: ['area'], query: [], writer: 'lead' },
  'DELETE /api/settings/areas/:area': { body: 'none', params: ['area'], query: [], writer: 'lead' },
  'GET /api/settings/leads': { body: 'none', params: [], query: [] },
  'PUT /api/settings/leads/:email': { body: 'none', params: ['email'], query: [], writer: 'lead' },
  'DELETE /api/settings/leads/:email': { body: 'none', params: ['email'], query: [], writer: 'lead' },
  'GET /api/settings/mappings': { body: 'none', params: [], query: [] },
  'PUT /api/settings/mappings/:email': { body: 'json', params: ['email'], query: [], writer: 'triager' },
  'DELETE /api/settings/mappings/:email': { body: 'none', params: ['email'], query: [], writer: 'triager' },
  'GET /api/settings/days-off': { body: 'none', params: [], query: ['from', 'to'] },
  'PUT /api/settings/days-off/:date': { body: 'json', params: ['date'], query: [], writer: 'lead' },
  'DELETE /api/settings/days-off/:date': { body: 'none', params: ['date'], query: [], writer: 'lead' },
  'GET /api/me': { body: 'none', params: [], query: [] },
  'GET /api/queue': { body: 'none', params: [], query: ['resolvedDays'] },
  'GET /api/tickets/:key/project-defaults': { body: 'none', params: ['key'], query: [] },
  'POST /api/tickets/:key/:verb': { body: 'json', params: ['key', 'verb'], query: [], writer: 'owner-or-anyone' },
  'GET /api/targets': { body: 'none', params: [], query: ['q', 'kind', 'top'] },
  'GET /api/areas': { body: 'none', params: [], query: [] },
  'GET /api/events': { body: 'none', params: [], query: [], stream: true },
  'GET /tab': { body: 'none', params: [], query: [] },
  'GET /tab/*': { body: 'none', params: ['*'], query: [] },
};

/** Kinds whose body no route accepts from anyone. */
const BODY_DEFECTS: readonly HostileKind[] = ['invalid-json', 'broken-gzip', 'broken-deflate', 'inflates-too-large', 'oversized-body', 'wrong-content-type', 'empty-body', 'deep-nesting', 'wrong-types', 'huge-strings', 'operator-in-query', 'operator-in-ids', 'operator-in-identity'];
const isWrite = (route: string): boolean => !route.startsWith('GET ');
const isApi = (path: string): boolean => path.startsWith('/api/');

/** The kinds that apply to a route. */
export function kindsFor(route: string, mode: CorpusMode): HostileKind[] {
  const shape = ROUTE_SHAPES[route];
  if (!shape) return [];
  const path = route.slice(route.indexOf(' ') + 1);
  const kinds: HostileKind[] = ['operator-in-query', 'prototype-keys', 'huge-strings', 'markup-in-text', 'method-not-served'];
  if (shape.body !== 'none') kinds.push('malformed-http');
  if (shape.body !== 'none') kinds.push('invalid-json', 'broken-gzip', 'broken-deflate', 'inflates-too-large', 'oversized-body', 'slow-body', 'wrong-content-type', 'empty-body', 'deep-nesting', 'wrong-types');
  else kinds.push('body-on-a-read');
  if (shape.params.length > 0) kinds.push('operator-in-ids', 'path-tricks', 'forged-user-id');
  if (shape.params.includes('key') || shape.body === 'activity') kinds.push('forged-ticket-key');
  if (shape.body === 'activity') kinds.push('unknown-activity-type', 'unknown-verb', 'forged-user-id', 'operator-in-ids', 'operator-in-identity');
  if (shape.params.includes('verb')) kinds.push('unknown-verb');
  if (isApi(path) && (mode === 'checked' || path !== '/api/messages')) kinds.push('forged-token', 'missing-token', 'operator-in-identity');
  return [...new Set(kinds)];
}

/** A builder of one request of a kind for a route. */
interface Draft {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer;
  slow?: { pieces: number; gapMs: number };
  raw?: Buffer;
  what: string;
  /** Who sends it: a valid person (`lead`/`dev`), or the headers given. */
  as?: 'lead' | 'dev' | 'none';
}

/**
 * Generates the corpus: for every route, every kind that applies, round-robin, until each route has
 * `perRoute` requests (the bot's endpoint `botFactor` times as many: its bodies vary the most).
 */
export function generateCorpus(o: { seed: number; routes: readonly ServedRoute[]; world: CorpusWorld; perRoute: number; botFactor?: number }): HostileRequest[] {
  const r = new Rng(o.seed);
  const out: HostileRequest[] = [];
  const w = o.world;
  for (const served of o.routes) {
    const route = routeName(served);
    const kinds = kindsFor(route, w.identities.mode);
    if (kinds.length === 0) continue;
    const count = route === 'POST /api/messages' ? o.perRoute * (o.botFactor ?? 3) : o.perRoute;
    for (let i = 0; i < count; i++) {
      const kind = kinds[i % kinds.length] as HostileKind;
      const d = draft(r, route, kind, w);
      const shape = ROUTE_SHAPES[route] as RouteShape;
      // A write whose body is not itself refused goes as the developer, who may not make it (a lead could, by design).
      if (d.as === undefined && isWrite(route) && shape.writer && shape.writer !== 'owner-or-anyone' && !(shape.body === 'json' && BODY_DEFECTS.includes(kind))) d.as = 'dev';
      const headers = { ...whoHeaders(r, route, kind, d.as, w), ...d.headers };
      out.push({
        n: out.length,
        kind,
        route,
        method: d.method ?? served.method.toUpperCase(),
        path: d.path,
        headers,
        ...(d.body !== undefined ? { body: d.body } : {}),
        ...(d.slow ? { slow: d.slow } : {}),
        ...(d.raw ? { raw: rawWith(d.raw, headers) } : {}),
        ...(shape.stream ? { stream: true } : {}),
        what: d.what,
      });
    }
  }
  return out;
}

/** The identity headers of a request: bad ones for the token kinds, else the person the draft asks for (a random valid one by default). */
function whoHeaders(r: Rng, route: string, kind: HostileKind, as: Draft['as'], w: CorpusWorld): Record<string, string> {
  const id = w.identities;
  if (route === 'POST /api/messages') {
    if (kind === 'forged-token') return r.pick(id.botBad)[1];
    if (kind === 'missing-token') return {};
    return id.bot;
  }
  if (!route.includes(' /api/')) return r.chance(0.5) ? id.lead : {};
  if (kind === 'forged-token' || kind === 'operator-in-identity') {
    const bad = id.bad.filter(([what]) => (kind === 'operator-in-identity') === what.startsWith('operator'));
    return r.pick(bad.length > 0 ? bad : id.bad)[1];
  }
  if (kind === 'missing-token') return {};
  if (as === 'none') return {};
  if (as === 'lead') return id.lead;
  if (as === 'dev') return id.dev;
  return r.chance(0.5) ? id.lead : id.dev;
}

const realKey = (r: Rng, w: CorpusWorld): { key: string; version: number } => r.pick(w.tickets);
/** A ticket key that is well formed and names nothing in the store. */
const forgedKey = (r: Rng): string => r.pick([r.guid(), r.guid().toUpperCase(), `${r.int(1e6)}`, `INC-${r.int(1e6)}`]);
const forgedEmail = (r: Rng): string => `nobody.${r.hex(6)}@forged.example`;
const pastDate = (r: Rng): string => `20${10 + r.int(10)}-0${1 + r.int(9)}-1${r.int(9)}`;

/** Values for a path parameter: forged, operator, prototype, markup, path tricks; `valid` names something real. */
function paramValue(r: Rng, param: string, kind: HostileKind, w: CorpusWorld): string {
  switch (kind) {
    case 'operator-in-ids':
      return enc(r.pick([...OPERATOR_TEXT, JSON.stringify(r.pick(OPERATORS))]));
    case 'prototype-keys':
      return enc(r.pick(PROTO_KEYS));
    case 'markup-in-text':
      return enc(r.pick(MARKUP).replaceAll('\ud800', ''));
    case 'path-tricks':
      return r.pick(PATH_TRICKS);
    case 'huge-strings':
      // Longer than any header the server reads (431), or long but within it.
      return r.chance(0.5) ? 'k'.repeat(HUGE) : 'k'.repeat(8_000);
    case 'forged-user-id':
      return param === 'key' ? forgedKey(r) : param === 'date' ? pastDate(r) : enc(forgedEmail(r));
    default:
      if (param === 'key') return kind === 'forged-ticket-key' ? forgedKey(r) : r.chance(0.5) ? realKey(r, w).key : forgedKey(r);
      if (param === 'verb') return r.pick(ACTION_VERBS);
      if (param === 'email') return enc(r.pick([w.lead.email, w.dev.email, forgedEmail(r)]));
      if (param === 'date') return r.pick([w.today, pastDate(r), '2026-02-30']);
      if (param === 'area') return enc(r.pick(['Adult Social Care', 'Nowhere', 'Finance']));
      return r.pick(['queue', 'index.html', 'assets/x.js', 'settings']);
  }
}

/** The route's path with its parameters filled in for `kind`. */
function pathFor(r: Rng, route: string, kind: HostileKind, w: CorpusWorld, override: Record<string, string> = {}): string {
  const shape = ROUTE_SHAPES[route] as RouteShape;
  let path = route.slice(route.indexOf(' ') + 1);
  if (path === '/tab/*') path = '/tab/:*';
  for (const p of shape.params) {
    const v = override[p] ?? (kind === 'unknown-verb' && p === 'verb' ? enc(r.pick(['delete', 'resolve', 'APPROVE', 'take ', '__proto__', 'approve.json', 'hand-back', '%'])) : paramValue(r, p, kind, w));
    path = path.replace(`:${p}`, v);
  }
  return path;
}

/** A query string for `kind` over the route's fields (and fields it does not know). */
function queryFor(r: Rng, route: string, kind: HostileKind): string {
  const fields = [...(ROUTE_SHAPES[route] as RouteShape).query, 'x'];
  const f = r.pick(fields);
  switch (kind) {
    case 'operator-in-query': {
      const op = r.pick(['$ne', '$gt', '$where', '$regex', '$in][', '$exists']);
      return r.pick([`?${f}[${enc(op)}]=1`, `?${f}=${enc(r.pick(OPERATOR_TEXT))}`, `?${f}[]=a&${f}[]=b`, `?${f}[a][b][c][d][e][f]=1`]);
    }
    case 'prototype-keys':
      return r.pick(['?__proto__[polluted]=1', '?constructor[prototype][polluted]=1', `?${f}[__proto__][polluted]=1`, '?__proto__=x', `?${f}=__proto__`, '?toString=1&hasOwnProperty=1']);
    case 'huge-strings':
      return r.chance(0.3) ? `?${f}=${'q'.repeat(HUGE)}` : `?${f}=${'q'.repeat(8_000)}`;
    case 'markup-in-text':
      return `?${f}=${enc(r.pick(MARKUP).replaceAll('\ud800', ''))}`;
    default:
      return '';
  }
}

/**
 * The JSON body a write route takes, with its text fields from `t`. Unless `current` (a body the
 * route refuses for what it holds anyway), it is one the route must refuse whatever its text: dates
 * already past, a version from the future.
 */
function bodyOf(route: string, w: CorpusWorld, r: Rng, t: () => string, verb: string, current: { version: number } | null): Record<string, unknown> {
  switch (route) {
    case 'PUT /api/rota':
      return current ? { from: w.today, to: w.today, lead: t(), support: [t(), t()] } : { from: pastDate(r), to: pastDate(r), lead: t(), support: [t(), t()] };
    case 'PUT /api/settings/areas/:area':
      return { contacts: [t(), t()] };
    case 'PUT /api/settings/mappings/:email':
      return { analyst: t() };
    case 'PUT /api/settings/days-off/:date':
      return { name: t() };
    case 'POST /api/tickets/:key/:verb': {
      const v = current ? current.version : 1_000_000 + r.int(1000);
      if (verb === 'reassign') return { v, target: `group:${t()}`, reason: t() };
      if (verb === 'project') return { v, message: t(), area: t(), otherArea: t(), contacts: [t()], backlogTitle: t() };
      if (verb === 'update-user') return { v, text: t() };
      return { v };
    }
    default:
      return { text: t() };
  }
}

/** One request of `kind` for `route`. */
function draft(r: Rng, route: string, kind: HostileKind, w: CorpusWorld): Draft {
  const shape = ROUTE_SHAPES[route] as RouteShape;
  if (shape.body === 'activity') return activityDraft(r, kind, w);
  const path = pathFor(r, route, kind, w) + queryFor(r, route, kind);
  const verb = /\/api\/tickets\/[^/]+\/([^/?]+)/.exec(path)?.[1] ?? '';
  const write = isWrite(route);
  // Odd-but-valid input goes as the developer (refused on lead and triager routes); ticket actions carry a version from the future.
  const as: Draft['as'] = write && shape.writer !== 'owner-or-anyone' ? 'dev' : undefined;
  // A body refused for what it holds (too long, operators, wrong types) names the ticket's current version: only its content stops it.
  const named = w.tickets.find((x) => path.includes(x.key));
  const current = BODY_DEFECTS.includes(kind) ? (named ?? { version: 0 }) : null;
  const plain = (t: () => string) => bodyOf(route, w, r, t, verb, current);
  const ok = () => r.pick(['a', 'x@y.example', 'Adult Social Care']);

  switch (kind) {
    case 'invalid-json':
      return { path, headers: JSON_TYPE, body: Buffer.from(r.pick(['{', '{"v":', "{'v':1}", '[1,]', '{"v":1}}', 'undefined', 'NaN', '{"a":"\\x"}', '\u0000', '{"v":01}']), 'utf8'), what: 'invalid JSON' };
    case 'broken-gzip': {
      const z = gzipSync(json(plain(ok)));
      const body = r.chance(0.5) ? z.subarray(0, Math.max(4, z.length - 6)) : Buffer.concat([z.subarray(0, 10), Buffer.from('not gzip at all')]);
      return { path, headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body, what: 'gzip cut short or corrupt' };
    }
    case 'broken-deflate':
      return r.chance(0.5)
        ? { path, headers: { ...JSON_TYPE, 'content-encoding': 'deflate' }, body: deflateSync(json(plain(ok))).subarray(0, 8), what: 'deflate cut short' }
        : { path, headers: { ...JSON_TYPE, 'content-encoding': r.pick(['deflate', 'br', 'compress', 'gzip, gzip']) }, body: Buffer.from('\x78\x9c broken', 'latin1'), what: 'deflate corrupt, or an encoding not offered' };
    case 'inflates-too-large':
      return { path, headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: gzipSync(Buffer.from(`{"text":"${'a'.repeat(2_000_000)}"}`)), what: 'a gzip bomb (2 MB inflated)' };
    case 'oversized-body':
      return r.chance(0.5)
        ? { path, headers: JSON_TYPE, body: Buffer.from(`{"text":"${'a'.repeat(300 * 1024)}"}`), what: 'a 300 KB body' }
        : { path, headers: { ...JSON_TYPE, 'content-length': String(50 * 1024 * 1024) }, body: Buffer.from('{"v":1'), what: 'declares 50 MB' };
    case 'slow-body':
      return { path, headers: JSON_TYPE, body: json(plain(ok)), slow: { pieces: 5, gapMs: 250 }, what: 'body in 5 pieces over a second', as };
    case 'wrong-content-type':
      return {
        path,
        headers: { 'content-type': r.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/xml', 'application/jsonx', '']) },
        body: r.chance(0.5) ? json(plain(ok)) : Buffer.from('v=1&__proto__[x]=1'),
        what: 'not JSON in UTF-8',
      };
    case 'empty-body':
      return { path, headers: JSON_TYPE, body: Buffer.from(r.pick(['', '   ', '\n'])), what: 'empty' };
    case 'deep-nesting':
      return { path, headers: JSON_TYPE, body: Buffer.from(nested(r.pick([33, 100, 10_000, 100_000]), r.chance(0.5))), what: 'nested too deep' };
    case 'wrong-types': {
      const base = plain(ok);
      const field = r.pick(Object.keys(base));
      return { path, headers: JSON_TYPE, body: json(r.chance(0.3) ? r.pick([[], 1, 'x', null, true]) : { ...base, [field]: r.pick([{}, [[]], 1e308, -1, true, 'x'.repeat(10)]) }), what: `wrong type for ${field}` };
    }
    case 'operator-in-query':
    case 'operator-in-ids':
    case 'operator-in-identity': {
      if (shape.body !== 'json') return { path, what: 'operators' };
      const base = plain(ok);
      const field = r.pick(Object.keys(base));
      return { path, headers: JSON_TYPE, body: json({ ...base, [field]: r.pick(OPERATORS) }), what: `operator in ${field}` };
    }
    case 'prototype-keys': {
      if (shape.body !== 'json') return { path, what: 'prototype keys in the query' };
      const base = plain(ok);
      const key = r.pick(PROTO_KEYS);
      const text = `{${JSON.stringify(key)}:{"isLead":true,"polluted":1,"prototype":{"polluted":1}},${JSON.stringify(base).slice(1)}`;
      return { path, headers: JSON_TYPE, body: Buffer.from(text), what: `${key} in the body`, as };
    }
    case 'huge-strings':
      if (shape.body !== 'json') return { path, what: '100,000 characters in a path or query value' };
      return { path, headers: JSON_TYPE, body: json(plain(() => huge(r))), what: '100,000 characters in every text field' };
    case 'markup-in-text':
      if (shape.body !== 'json') return { path, what: 'markup in a path or query value' };
      return { path, headers: JSON_TYPE, body: json(plain(() => r.pick(MARKUP))), what: 'markup in every text field', as };
    case 'body-on-a-read':
      return { path, headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(1_000_000, 0x20)), what: 'a read with a compressed body' };
    case 'malformed-http':
      return { path, ...malformedHttp(r, path), as };
    case 'method-not-served':
      return { path, method: r.pick(['PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', write ? 'GET' : 'DELETE']), what: 'a method the route does not serve' };
    case 'forged-ticket-key':
    case 'forged-user-id':
    case 'unknown-verb':
    case 'path-tricks':
    case 'forged-token':
    case 'missing-token':
    case 'unknown-activity-type':
      return shape.body === 'json' ? { path, headers: JSON_TYPE, body: json(plain(ok)), what: kind, as } : { path, what: kind, as };
  }
}

/** HTTP that only a hand-written client sends: smuggling-shaped framing, broken chunks, bad header bytes. */
function malformedHttp(r: Rng, path: string): { raw: Buffer; what: string } {
  const m = r.pick(['POST', 'PUT']);
  const cases: [string, string][] = [
    [`${m} ${path} HTTP/1.1\r\ncontent-type: application/json\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n`, 'both Content-Length and chunked'],
    [`${m} ${path} HTTP/1.1\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, 'a chunk size that is not hex'],
    [`${m} ${path} HTTP/1.1\r\ncontent-type: application/json\r\ncontent-length: 2\r\ncontent-length: 40\r\n\r\n{}`, 'two Content-Lengths'],
    [`${m} ${path} HTTP/1.1\r\ncontent-type: application/json\r\nx-bad\u0001header: 1\r\ncontent-length: 2\r\n\r\n{}`, 'a control byte in a header name'],
    [`${m} ${path} HTTP/1.1\r\ncontent-type: application/json\r\ncontent-length: -1\r\n\r\n{}`, 'a negative Content-Length'],
    [`${m} ${path} HTTP/1.1\r\ncontent-type: application/json\r\ntransfer-encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`, 'a transfer coding that is not chunked alone'],
    [`${m} ${path}?x=1 HTTP/1.1 extra\r\ncontent-length: 0\r\n\r\n`, 'a broken request line'],
    [`${m} ${path} HTTP/1.1\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nx-trailer: ${'t'.repeat(20_000)}\r\n\r\n`, 'a 20 KB trailer'],
  ];
  const [text, what] = r.pick(cases);
  return { raw: Buffer.from(text, 'latin1'), what };
}

/** A raw request with the identity headers added after its request line (the host header too). */
function rawWith(raw: Buffer, headers: Record<string, string>): Buffer {
  const text = raw.toString('latin1');
  const eol = text.indexOf('\r\n');
  const extra = Object.entries({ host: '127.0.0.1', connection: 'close', ...headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return Buffer.from(`${text.slice(0, eol + 2)}${extra}${text.slice(eol + 2)}`, 'latin1');
}

/** The base of an activity as Teams sends it. */
function activityBase(r: Rng, w: CorpusWorld, from: CorpusWorld['lead']): Record<string, unknown> {
  const personal = r.chance(0.5);
  return {
    id: `activity-${r.hex(8)}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: w.serviceUrl,
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: { id: '28:lgd-support-bot', name: 'LGD Support' },
    conversation: personal
      ? { id: `a:personal-${from.id}`, conversationType: 'personal', tenantId: '00000000-0000-4000-8000-0000000000t1' }
      : { id: '19:team-general@thread.tacv2', conversationType: 'channel', isGroup: true, tenantId: '00000000-0000-4000-8000-0000000000t1' },
    channelData: personal ? { tenant: { id: '00000000-0000-4000-8000-0000000000t1' } } : { tenant: { id: '00000000-0000-4000-8000-0000000000t1' }, team: { id: '19:team-general@thread.tacv2', name: 'LGSS IT Digital' }, channel: { id: '19:team-general@thread.tacv2' } },
    locale: 'en-GB',
  };
}

/** Card verbs sent with real tickets (Discuss is anyone's to take on any ticket: not hostile, so only with forged keys). */
const VERBS = ['approve', 'project', 'reassign', 'take', 'resolve', 'sendUpdate', 'noChange', 'handBack', 'agreeLong', 'refresh'];
/** Commands a developer may not run (changes for leads and triagers), and harmless ones. */
const COMMANDS = ['lead add {e}', 'lead remove {e}', 'rota set today lead {e}', 'area set X contacts {e}', 'area remove Adult Social Care', 'day off 2030-01-02 X', 'map {e} to nobody', 'ticket 1', 'queue', 'my tickets', 'help'];

/** A card action from `from`. */
function action(base: Record<string, unknown>, verb: unknown, data: unknown): Record<string, unknown> {
  return { ...base, type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } };
}

/** One hostile activity for `/api/messages`. */
function activityDraft(r: Rng, kind: HostileKind, w: CorpusWorld): Draft {
  const path = '/api/messages' + (r.chance(0.1) ? queryFor(r, 'POST /api/messages', 'operator-in-query') : '');
  // A card action or a command from the developer, who may not triage or manage the team; the lead only with input that must be refused.
  const dev = activityBase(r, w, w.dev);
  const lead = activityBase(r, w, w.lead);
  const t = realKey(r, w);
  const stale = { ticketKey: t.key, v: t.version + 1_000_000 };
  const one = (activity: unknown, what: string): Draft => ({ path, headers: JSON_TYPE, body: json(activity), what });
  const command = (): string => r.pick(COMMANDS).replace('{e}', forgedEmail(r));
  switch (kind) {
    case 'unknown-activity-type':
      return one({ ...dev, type: r.pick(['event', 'fooBar', 'deleteUserData', 'handoff', 'trace', 'typing', 'endOfConversation', 'messageReaction', 'suggestion', 'x'.repeat(100)]), name: r.pick(['x', 'application/vnd.microsoft.meetingStart', undefined]) }, 'unknown activity type');
    case 'unknown-verb':
      return r.chance(0.5)
        ? one(action(dev, r.pick(['delete', 'drop', 'APPROVE', 'take ', '__proto__', 'constructor', 'x'.repeat(1000), 42, null, { $ne: null }]), stale), 'unknown card verb')
        : one({ ...dev, type: 'invoke', name: r.pick(['composeExtension/query', 'task/fetch', 'signin/verifyState', 'fileConsent/invoke', 'adaptiveCard/unknown', 'x']), value: stale }, 'unknown invoke name');
    case 'forged-ticket-key':
      return one(action(r.chance(0.5) ? lead : dev, r.pick([...VERBS, 'discuss']), { ...stale, ticketKey: r.pick([forgedKey(r), '', '../x', 'a'.repeat(600)]) }), 'card action on a forged ticket key');
    case 'forged-user-id': {
      const a = activityBase(r, w, { id: `29:forged-${r.hex(6)}`, aadObjectId: r.guid(), name: 'Forged Person', email: '' });
      return r.chance(0.5) ? one(action(a, r.pick(VERBS), stale), 'card action from a forged user id') : one({ ...a, type: 'message', text: command() }, 'command from a forged user id');
    }
    case 'operator-in-ids': {
      const where = r.pick(['from.id', 'from.aadObjectId', 'conversation.id', 'channelData.team.id', 'recipient.id', 'replyToId', 'data.ticketKey', 'data.v', 'data.target', 'conversation.tenantId']);
      const op = r.pick(OPERATORS);
      const act = action(r.chance(0.5) ? lead : dev, r.pick(VERBS), { ...stale }) as Record<string, Record<string, unknown>>;
      const [head, tail] = where.split('.') as [string, string | undefined];
      if (head === 'data') (act.value!.action as Record<string, Record<string, unknown>>).data![tail!] = op;
      else if (head === 'channelData') act.channelData = { ...act.channelData, team: { id: op } };
      else if (tail) act[head] = { ...(act[head] ?? {}), [tail]: op };
      else (act as Record<string, unknown>)[head] = op;
      return one(act, `operator in ${where}`);
    }
    case 'operator-in-identity':
      return one({ ...dev, from: { id: r.pick(OPERATORS), name: r.pick(OPERATORS), aadObjectId: r.pick(OPERATORS) }, type: 'message', text: 'lead add mallory@evil.example' }, 'operators as the sender');
    case 'prototype-keys': {
      const key = r.pick(PROTO_KEYS);
      const inner = JSON.stringify(action(dev, r.pick(VERBS), stale));
      return { path, headers: JSON_TYPE, body: Buffer.from(`{${JSON.stringify(key)}:{"type":"message","isLead":true,"polluted":1},${inner.slice(1)}`), what: `${key} in an activity` };
    }
    case 'huge-strings': {
      const where = r.pick(['text', 'from.name', 'from.id', 'conversation.id', 'data.text', 'data.reason', 'serviceUrl', 'value.queryText']);
      // With the ticket's current version: only the length stops it.
      const a = where === 'value.queryText' ? { ...dev, type: 'invoke', name: 'application/search', value: { queryText: huge(r), dataset: 'lgd.targets' } } : where.startsWith('data.') ? action(r.chance(0.5) ? lead : dev, r.pick(['reassign', 'project', 'sendUpdate']), { ticketKey: t.key, v: t.version, [where.slice(5)]: huge(r), message: huge(r), backlogTitle: huge(r), target: `group:${huge(r)}` }) : { ...dev, type: 'message', text: where === 'text' ? huge(r) : 'help' };
      if (where === 'from.name') a.from = { ...(a.from as object), name: huge(r) };
      if (where === 'from.id') a.from = { ...(a.from as object), id: huge(r) };
      if (where === 'conversation.id') a.conversation = { ...(a.conversation as object), id: huge(r) };
      if (where === 'serviceUrl') a.serviceUrl = `${w.serviceUrl}/${'a'.repeat(HUGE)}`;
      return one(a, `100,000 characters in ${where}`);
    }
    case 'markup-in-text': {
      const m = r.pick(MARKUP);
      return r.chance(0.5)
        ? one({ ...dev, type: 'message', text: r.chance(0.5) ? m : `${command()} ${m}`, from: { ...(dev.from as object), name: m } }, 'markup in a message and a name')
        : one(action(dev, r.pick(['approve', 'project', 'reassign']), { ...stale, reason: m, message: m, backlogTitle: m, text: m, target: `group:${m}` }), 'markup in a card action');
    }
    case 'wrong-types':
      return one(r.pick([[], 1, 'activity', null, { ...dev, type: 1 }, { ...dev, from: 'x' }, { ...dev, conversation: [] }, { ...dev, entities: {} }, { ...dev, text: { $ne: null } }, { ...dev, type: 'invoke', name: 'adaptiveCard/action', value: 'x' }]), 'wrong types in an activity');
    case 'forged-token':
    case 'missing-token':
      // A valid change by the lead: only the token stops it.
      return one({ ...lead, type: 'message', text: `lead add ${forgedEmail(r)}` }, `${kind}: a lead's command`);
    default: {
      const d = draft(r, 'PUT /api/settings/days-off/:date', kind, w);
      return { ...d, path, body: d.body && d.headers?.['content-type'] === 'application/json' && ['empty-body', 'invalid-json', 'deep-nesting', 'broken-gzip', 'broken-deflate', 'inflates-too-large', 'oversized-body', 'wrong-content-type'].includes(kind) ? d.body : json({ ...dev, type: 'message', text: command() }), as: undefined };
    }
  }
}
