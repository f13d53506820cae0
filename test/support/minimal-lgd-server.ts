import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A deliberately small LGD Web Access server written from lgd-web-access-api.md alone (not from
 * the project's simulator), to check that the client works against "any" LGD. It differs from
 * the simulator where the document allows: US minute-grained dates, a page-size cap, `wd/`
 * optional and paths case-insensitive, records in hash order (sort_by ignored), an expired
 * session answered by a redirect to the log-on page, and errors for unknown attributes.
 */

/** An incident as this server keeps it. */
export interface FakeIncident {
  key: string;
  id: number;
  title: string;
  description: string;
  status: string;
  groupKey: string | null;
  userKey: string | null;
  raiseUser: string;
  priority: string;
  category: string;
  createdAt: Date;
  lastUpdate: Date;
}

/** A note of an incident. */
export interface FakeNote {
  key: string;
  incidentKey: string;
  title: string;
  text: string;
  createdAt: Date;
  createdBy: string;
  notifyRaiseUser: boolean;
}

/** A support group, analyst or resolution category. */
export interface FakeRef {
  key: string;
  title: string;
  name: string;
  email?: string;
}

/** One condition term of a `cns`, with its value. */
export interface CnsTerm {
  path: string;
  op: string;
  value: string;
}

/** A request as the server saw it (passwords masked). */
export interface RecordedRequest {
  method: string;
  /** Path as sent, relative to the base path, without the query. */
  path: string;
  /** Normalised route (`logon/logon.rails`, `query/list.rails`, ...), null when unknown. */
  route: string | null;
  params: Record<string, string>;
  accept: string;
  hadCookie: boolean;
  status: number;
  location?: string;
  /** list.rails: the condition terms and the keys answered. */
  terms?: CnsTerm[];
  returnedKeys?: string[];
  /** log-on: whether the credentials were right. */
  logonOk?: boolean;
}

/** A write this server applied (`object/save.rails`, the document's collection-action form). */
export interface AppliedWrite {
  /** `parent_function_name`: AddNote, AddAssignment or Resolve. */
  action: string;
  /** `class_name`: the child class created. */
  childClass: string;
  incidentKey: string;
  /** Key of the child created. */
  key: string;
  /** The child fields as sent. */
  fields: Record<string, string>;
  /** Display title of the account that wrote it. */
  by: string;
  at: Date;
}

export interface MinimalLgdOptions {
  username: string;
  password: string;
  /** Largest page the server hands out whatever is asked (default 10). */
  maxPageSize?: number;
}

type Value = { kind: 'text'; v: string } | { kind: 'date'; v: Date } | { kind: 'int'; v: number } | { kind: 'bool'; v: boolean };
type Getter<T> = (rec: T) => Value | undefined;
/** A class's fields, whatever its record type; called with `row as never`. */
type Fields = Record<string, Getter<never>>;
interface ClassView {
  rows: () => Iterable<{ key: string }>;
  fields: Fields;
  name: (r: never) => string;
}

/** Windows time-zone keys this server knows; sessions start in Pacific time until told otherwise. */
const ZONES: Record<string, string> = {
  'Eastern Standard Time': 'America/New_York',
  'Pacific Standard Time': 'America/Los_Angeles',
  'GMT Standard Time': 'Europe/London',
  UTC: 'UTC',
};

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function wall(d: Date, zone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute', number> {
  let f = fmtCache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    fmtCache.set(zone, f);
  }
  const parts = f.formatToParts(d);
  const n = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  return { year: n('year'), month: n('month'), day: n('day'), hour: n('hour'), minute: n('minute') };
}
const two = (n: number): string => String(n).padStart(2, '0');

/** `MM/dd/yyyy HH:mm` in a zone: the US culture, minute-grained. */
export function usDate(d: Date, zone: string): string {
  const w = wall(d, zone);
  return `${two(w.month)}/${two(w.day)}/${w.year} ${two(w.hour)}:${two(w.minute)}`;
}

function parseUsDate(s: string, zone: string): Date | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const naive = Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), Number(m[4]), Number(m[5]));
  const offset = (t: number): number => {
    const w = wall(new Date(t), zone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(t / 60_000) * 60_000;
  };
  return new Date(naive - offset(naive - offset(naive)));
}

/** Parses `cns` into a predicate: terms `<path>-<op>-<n>`, `_a_` binding tighter than `_o_`, parentheses. */
function parseCns(cns: string, values: (i: number) => string): { terms: CnsTerm[]; test: (get: (p: string) => Value | undefined, zone: string) => boolean } {
  const tokens: string[] = [];
  for (let i = 0; i < cns.length; ) {
    const rest = cns.slice(i);
    const punct = /^(\(|\)|_a_|_o_)/.exec(rest);
    const prev = tokens[tokens.length - 1];
    const afterOperand = prev !== undefined && (prev === ')' || !/^(\(|_a_|_o_)$/.test(prev));
    const term = /^[A-Za-z_][A-Za-z0-9_.]*-(e|c|gt|lt)-\d+/.exec(rest);
    const tok = punct && (punct[1] === '(' || punct[1] === ')' || afterOperand) ? punct[1] : term?.[0];
    if (!tok) throw new Error(`cannot read the condition at "${rest}"`);
    tokens.push(tok);
    i += tok.length;
  }
  const terms: CnsTerm[] = [];
  type Node = (get: (p: string) => Value | undefined, zone: string) => boolean;
  let pos = 0;
  const expr = (): Node => {
    const ors = [and()];
    while (tokens[pos] === '_o_') {
      pos++;
      ors.push(and());
    }
    return (g, z) => ors.some((n) => n(g, z));
  };
  const and = (): Node => {
    const ands = [primary()];
    while (tokens[pos] === '_a_') {
      pos++;
      ands.push(primary());
    }
    return (g, z) => ands.every((n) => n(g, z));
  };
  const primary = (): Node => {
    const tok = tokens[pos++];
    if (tok === '(') {
      const inner = expr();
      if (tokens[pos++] !== ')') throw new Error('unbalanced parentheses');
      return inner;
    }
    const m = tok === undefined ? null : /^(.+)-(e|c|gt|lt)-(\d+)$/.exec(tok);
    if (!m) throw new Error(`expected a condition, got "${tok ?? 'the end'}"`);
    const [, path = '', op = '', index] = m;
    const value = values(Number(index));
    terms.push({ path, op, value });
    return (get, zone) => compare(get(path), op, value, zone, path);
  };
  const test = expr();
  if (pos !== tokens.length) throw new Error(`unexpected "${tokens[pos] ?? ''}"`);
  return { terms, test };
}

function compare(actual: Value | undefined, op: string, raw: string, zone: string, path: string): boolean {
  if (!actual) throw new Error(`Unknown attribute ${path}`);
  if (actual.kind === 'date') {
    const want = parseUsDate(raw, zone);
    if (!want) throw new Error('String was not recognized as a valid DateTime.');
    const d = actual.v.getTime() - want.getTime();
    return op === 'gt' ? d > 0 : op === 'lt' ? d < 0 : Math.floor(actual.v.getTime() / 60_000) === Math.floor(want.getTime() / 60_000);
  }
  if (actual.kind === 'int') {
    const want = Number(raw);
    return op === 'gt' ? actual.v > want : op === 'lt' ? actual.v < want : op === 'e' ? actual.v === want : String(actual.v).includes(raw);
  }
  const a = actual.kind === 'bool' ? (actual.v ? 'true' : 'false') : actual.v.toLowerCase();
  const b = raw.toLowerCase();
  return op === 'e' ? a === b : op === 'c' ? a.includes(b) : op === 'gt' ? a > b : a < b;
}

function render(v: Value, zone: string): string {
  if (v.kind === 'date') return usDate(v.v, zone);
  if (v.kind === 'bool') return v.v ? 'True' : 'False';
  return String(v.v);
}

/** A running minimal LGD, with its data open to the test and a log of every request. */
export class MinimalLgdServer {
  readonly incidents = new Map<string, FakeIncident>();
  readonly notes = new Map<string, FakeNote>();
  readonly groups = new Map<string, FakeRef>();
  readonly analysts = new Map<string, FakeRef>();
  readonly categories = new Map<string, FakeRef>();
  readonly requests: RecordedRequest[] = [];
  /** Every write applied, in order (refused ones are not applied and not here). */
  readonly writes: AppliedWrite[] = [];
  baseUrl = '';
  private readonly sessions = new Map<string, { zone: string; expired: '403' | 'redirect' | null }>();
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private readonly basePath = '/SD.WebAccess';
  private readonly maxPageSize: number;
  /** How strict a site this server plays; tests may change it while it runs (e.g. hide a class after a first good refresh). */
  strict: StrictSite = {};

  constructor(private readonly opts: MinimalLgdOptions) {
    this.maxPageSize = opts.maxPageSize ?? 10;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${this.basePath}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  /** Ends every session: the next call with its cookie is redirected to log-on (or answered 403). */
  expireSessions(answer: '403' | 'redirect' = 'redirect'): void {
    for (const s of this.sessions.values()) s.expired = answer;
  }

  /** Adds an incident with the next ticket number. */
  addIncident(fields: Omit<FakeIncident, 'key' | 'id'>): FakeIncident {
    const id = Math.max(70_000, ...[...this.incidents.values()].map((i) => i.id)) + 1;
    const inc = { key: randomUUID(), id, ...fields };
    this.incidents.set(inc.key, inc);
    return inc;
  }

  /** Adds a note to an incident; like the document allows, LastUpdate is not bumped. */
  addNote(incidentKey: string, text: string, createdAt: Date, createdBy = 'Pat Analyst'): FakeNote {
    const note = { key: randomUUID(), incidentKey, title: text.slice(0, 30), text, createdAt, createdBy, notifyRaiseUser: false };
    this.notes.set(note.key, note);
    return note;
  }

  groupKeyOf(title: string): string {
    const g = [...this.groups.values()].find((x) => x.title === title);
    if (!g) throw new Error(`no group ${title}`);
    return g.key;
  }

  /** The assignments written to an incident, in order. */
  assignmentsOf(incidentKey: string): AppliedWrite[] {
    return this.writes.filter((w) => w.action === 'AddAssignment' && w.incidentKey === incidentKey);
  }

  /**
   * `POST object/save.rails` in the document's collection-action form: `class_name` (the child),
   * `is_new=true`, `parent_class_name`, `parent_key`, `parent_function_name` (AddNote,
   * AddAssignment, Resolve) and the child's fields. The child's fields are checked by name; an
   * action not allowed at the incident's status is refused with a message; the writer is the
   * logged-on service account (its analyst title when it has an analyst record). Answers the new
   * child as `open.rails` would.
   */
  private save(p: Record<string, string>, send: (status: number, json: unknown) => void): void {
    const { class_name: childClass = '', is_new: isNew, parent_class_name: parentClass, parent_key: parentKey = '', parent_function_name: action = '', ...fields } = p;
    if (isNew !== 'true' || !action) throw new Error('Only collection actions (is_new=true with parent_function_name) are supported here');
    if (parentClass !== 'IncidentManagement.Incident') throw new Error(`Unknown class ${parentClass ?? '(none)'}`);
    const inc = [...this.incidents.values()].find((i) => i.key.toLowerCase() === parentKey.toLowerCase());
    if (!inc) return send(404, { message: `No IncidentManagement.Incident with key ${parentKey}` });
    const children: Record<string, { cls: string | null; fields: string[] }> = {
      AddNote: { cls: 'IncidentManagement.Note', fields: ['Title', 'Text', '_NotifyRaiseUser'] },
      AddAssignment: { cls: 'IncidentManagement.Assignment', fields: ['Group', 'User', 'Description'] },
      Resolve: { cls: null, fields: ['Category', 'Description'] },
    };
    const child = children[action];
    if (!child) throw new Error(`The action '${action}' does not exist`);
    if (!childClass || (child.cls && childClass !== child.cls)) throw new Error(`The action '${action}' creates ${child.cls ?? 'a resolution'}, not ${childClass || '(none)'}`);
    const unknown = Object.keys(fields).find((f) => !child.fields.includes(f));
    if (unknown) throw new Error(`Attribute ${unknown} does not exist on ${childClass}`);
    const finished = inc.status === 'Resolved' || inc.status === 'Closed';
    if (finished && action !== 'AddNote') return send(400, { message: `The action '${action}' is not available in status '${inc.status}'.` });
    const at = new Date();
    const svc = [...this.analysts.values()].find((a) => a.name.toLowerCase() === this.opts.username.toLowerCase());
    const by = svc?.title ?? this.opts.username;
    const key = randomUUID();
    if (action === 'AddNote') {
      if (!fields.Text) throw new Error('Text is required');
      this.notes.set(key, { key, incidentKey: inc.key, title: fields.Title ?? '', text: fields.Text, createdAt: at, createdBy: by, notifyRaiseUser: fields._NotifyRaiseUser === 'True' });
    } else if (action === 'AddAssignment') {
      const group = fields.Group ?? '';
      const user = fields.User ?? '';
      if (group && !this.groups.has(group)) throw new Error(`No System.SupportGroup with key ${group}`);
      if (user && !this.analysts.has(user)) throw new Error(`No System.Analyst with key ${user}`);
      if (!group && !user) throw new Error('An assignment needs a group or an analyst');
      if (group) inc.groupKey = group;
      inc.userKey = user || null;
      inc.lastUpdate = at;
    } else {
      if (!this.categories.has(fields.Category ?? '')) throw new Error(`No resolution category with key ${fields.Category ?? ''}`);
      inc.status = 'Resolved';
      inc.lastUpdate = at;
    }
    this.writes.push({ action, childClass, incidentKey: inc.key, key, fields, by, at });
    send(200, { className: childClass, value: key, name: fields.Title ?? action, attributes: {} });
  }

  private classes(): Record<string, ClassView> {
    const text = (v: string | null | undefined): Value => ({ kind: 'text', v: v ?? '' });
    const ref = (m: Map<string, FakeRef>, key: string | null, f: 'title' | 'name' | 'key'): Value => text(key ? m.get(key)?.[f] : '');
    const incident: Record<string, Getter<FakeIncident>> = {
      Id: (i) => ({ kind: 'int', v: i.id }),
      Title: (i) => text(i.title),
      Description: (i) => text(i.description),
      'Status.Title': (i) => text(i.status),
      'CurrentAssignment.Group.Title': (i) => ref(this.groups, i.groupKey, 'title'),
      'CurrentAssignment.Group.Name': (i) => ref(this.groups, i.groupKey, 'name'),
      'CurrentAssignment.Group.Guid': (i) => ref(this.groups, i.groupKey, 'key'),
      'CurrentAssignment.User.Title': (i) => ref(this.analysts, i.userKey, 'title'),
      'CurrentAssignment.User.Guid': (i) => ref(this.analysts, i.userKey, 'key'),
      'RaiseUser.Title': (i) => text(i.raiseUser),
      'Priority.Title': (i) => text(i.priority),
      'Category.Title': (i) => text(i.category),
      CreationDate: (i) => ({ kind: 'date', v: i.createdAt }),
      LastUpdate: (i) => ({ kind: 'date', v: i.lastUpdate }),
    };
    const note: Record<string, Getter<FakeNote>> = {
      Incident: (n) => text(n.incidentKey),
      'Incident.Guid': (n) => text(n.incidentKey),
      Title: (n) => text(n.title),
      Text: (n) => text(n.text),
      CreationDate: (n) => ({ kind: 'date', v: n.createdAt }),
      'CreationUser.Title': (n) => text(n.createdBy),
      _NotifyRaiseUser: (n) => ({ kind: 'bool', v: n.notifyRaiseUser }),
    };
    const refFields = (withEmail: boolean): Record<string, Getter<FakeRef>> => ({
      Title: (r) => text(r.title),
      Name: (r) => text(r.name),
      Guid: (r) => text(r.key),
      ...(withEmail ? { EMailAddress: (r: FakeRef) => text(r.email) } : {}),
    });
    return {
      'IncidentManagement.Incident': { rows: () => this.incidents.values(), fields: incident, name: (i: FakeIncident) => i.title },
      'IncidentManagement.Note': { rows: () => this.notes.values(), fields: note, name: (n: FakeNote) => n.title },
      'System.SupportGroup': { rows: () => this.groups.values(), fields: refFields(false), name: (r: FakeRef) => r.title },
      'System.Analyst': { rows: () => this.analysts.values(), fields: refFields(true), name: (r: FakeRef) => r.name },
      'IncidentManagement.ResolutionCategory': {
        rows: () => this.categories.values(),
        fields: { Title: (r: FakeRef) => text(r.title), Guid: (r: FakeRef) => text(r.key) },
        name: (r: FakeRef) => r.title,
      },
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = await new Promise<string>((resolve) => {
      let s = '';
      req.on('data', (c: Buffer) => (s += c.toString('utf8')));
      req.on('end', () => resolve(s));
    });
    const params = Object.fromEntries(req.method === 'POST' ? new URLSearchParams(body) : url.searchParams);
    const prefix = `${this.basePath.toLowerCase()}/`;
    const inBase = url.pathname.toLowerCase().startsWith(prefix);
    const path = inBase ? url.pathname.slice(prefix.length) : url.pathname;
    const route = inBase ? path.toLowerCase().replace(/^wd\//, '') : null;
    const cookie = /ASP\.NET_SessionId=([^;\s]+)/.exec(req.headers.cookie ?? '')?.[1];
    const rec: RecordedRequest = {
      method: req.method ?? '',
      path,
      route,
      params: { ...params, ...(params.Ecom_User_Password !== undefined ? { Ecom_User_Password: '***' } : {}) },
      accept: req.headers.accept ?? '',
      hadCookie: cookie !== undefined,
      status: 0,
    };
    this.requests.push(rec);
    const send = (status: number, json: unknown, headers: Record<string, string | string[]> = {}): void => {
      rec.status = status;
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(json));
    };
    if (!rec.accept.includes('application/json')) {
      rec.status = 200;
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html><body><form><input name="Ecom_User_Password"></form></body></html>');
      return;
    }
    if (route === 'logon/logon.rails' && req.method === 'POST') {
      rec.logonOk = params.Ecom_User_ID === this.opts.username && params.Ecom_User_Password === this.opts.password;
      if (!rec.logonOk) return send(200, { result: false, message: 'The user name or password is incorrect.' });
      const id = randomUUID().replace(/-/g, '');
      this.sessions.set(id, { zone: this.strict.sessionZone ?? 'America/Los_Angeles', expired: null });
      return send(200, { result: true }, { 'Set-Cookie': [`ASP.NET_SessionId=${id}; path=/; HttpOnly`, `.ASPXAUTH=${randomUUID()}; path=/; HttpOnly`] });
    }
    const session = cookie ? this.sessions.get(cookie) : undefined;
    if (!session || session.expired === '403') return send(403, { message: 'Your session has ended. Please log on again.' });
    if (session.expired === 'redirect') {
      rec.location = `${this.basePath}/Logon/Logon.rails?ReturnUrl=${encodeURIComponent(url.pathname)}`;
      rec.status = 302;
      res.writeHead(302, { Location: rec.location, 'Content-Type': 'text/html' });
      res.end('<html><body>Object moved</body></html>');
      return;
    }
    try {
      if (route === 'logon/logoff.rails') {
        if (cookie) this.sessions.delete(cookie);
        return send(200, { result: true });
      }
      if (route === 'logon/changetimezone.rails') {
        if (this.strict.noTimeZoneSwitch) throw new StrictAnswer(404, notFoundPage(url.pathname));
        const zone = ZONES[params.key ?? ''];
        if (!zone) return send(400, { message: `Unknown time zone "${params.key ?? ''}"` });
        session.zone = zone;
        return send(200, { result: true });
      }
      if (route === 'query/list.rails') return send(200, this.list(params, session.zone, rec));
      if (route === 'object/open.rails') return this.open(params, session.zone, send);
      if (route === 'object/save.rails' && req.method === 'POST') return this.save(params, send);
      rec.status = 404;
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<html><body><span class="exceptionMessage">The resource cannot be found.</span></body></html>');
    } catch (err) {
      if (err instanceof StrictAnswer) {
        rec.status = err.status;
        res.writeHead(err.status, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(err.html);
        return;
      }
      send(400, { message: (err as Error).message });
    }
  }

  private list(p: Record<string, string>, zone: string, rec: RecordedRequest): unknown {
    if (p.query) throw new Error('Saved queries are not supported here');
    if (this.strict.hiddenClasses?.includes(p.class_name ?? '')) throw new StrictAnswer(500, classNotFoundPage(p.class_name ?? ''));
    const cls = this.classes()[p.class_name ?? ''];
    if (!cls) throw new Error(`Unknown class ${p.class_name ?? '(none)'}`);
    const attrs = this.attributesOf(p.attributes, cls.fields);
    const cond = p.cns
      ? parseCns(p.cns, (i) => {
          const v = p[`c${i}`];
          if (v === undefined) throw new Error(`No value for condition ${i}`);
          return v;
        })
      : null;
    rec.terms = cond?.terms ?? [];
    const hash = (k: string): string => createHash('sha1').update(k).digest('hex');
    const rows = [...cls.rows()]
      .filter((r) => !cond || cond.test((path) => cls.fields[path]?.(r as never), zone))
      .sort((a, b) => hash(a.key).localeCompare(hash(b.key)));
    const size = Math.min(Math.max(Number(p.page_size) || this.maxPageSize, 1), this.maxPageSize);
    const page = Math.max(Number(p.page) || 1, 1);
    const pageCount = Math.max(1, Math.ceil(rows.length / size));
    const slice = rows.slice((page - 1) * size, page * size);
    rec.returnedKeys = slice.map((r) => r.key);
    return {
      objectCount: pageCount === 1 ? 0 : rows.length,
      pageCount,
      pageNumber: page,
      pageSize: size,
      objects: slice.map((r) => this.objectOf(p.class_name ?? '', r, cls, attrs, zone)),
    };
  }

  private open(p: Record<string, string>, zone: string, send: (status: number, json: unknown) => void): void {
    const cls = this.classes()[p.class_name ?? ''];
    if (!cls) throw new Error(`Unknown class ${p.class_name ?? '(none)'}`);
    const row = [...cls.rows()].find((r) => r.key.toLowerCase() === (p.key ?? '').toLowerCase());
    if (!row) return send(404, { message: `No ${p.class_name ?? ''} with key ${p.key ?? ''}` });
    send(200, this.objectOf(p.class_name ?? '', row, cls, this.attributesOf(p.attributes, cls.fields), zone));
  }

  private attributesOf(list: string | undefined, fields: Fields): { path: string; label: string }[] {
    const items = list ? list.split(',').map((a) => a.trim()).filter(Boolean) : Object.keys(fields);
    return items.map((a) => {
      const [path = '', label = path] = a.split(':');
      if (!fields[path]) throw new Error(`Attribute ${path} does not exist`);
      return { path, label };
    });
  }

  private objectOf(className: string, row: { key: string }, cls: ClassView, attrs: { path: string; label: string }[], zone: string): unknown {
    const attributes: Record<string, string> = {};
    for (const a of attrs) {
      const v = cls.fields[a.path]?.(row as never);
      attributes[a.label] = v ? render(v, zone) : '';
    }
    return { className, value: row.key, name: cls.name(row as never), attributes };
  }
}

/** Starts a minimal LGD on 127.0.0.1 at a free port. */
export function startMinimalLgd(opts: MinimalLgdOptions): Promise<MinimalLgdServer> {
  return new MinimalLgdServer(opts).listen();
}

/** The team's group in the seeded data. */
export const TEAM_GROUP = 'LGSS-IT-Digital';
/** Other groups; the first has the team's title as a prefix, to catch "contains" instead of "equals". */
export const OTHER_GROUPS = ['LGSS-IT-Digital-Projects', 'LGSS-IT-Infrastructure', 'Service Desk'] as const;

/**
 * Seeds a help desk: 37 tickets of the team's group (two finished, some with a person, one
 * approved and one project by note) and 8 in each other group, numbers interleaved, all changed
 * before `now` over the last two weeks (across the US clock change).
 */
export function seedMinimalLgd(s: MinimalLgdServer, now: Date): void {
  for (const title of [TEAM_GROUP, ...OTHER_GROUPS]) s.groups.set(randomUUID(), { key: '', title, name: title.toLowerCase() });
  for (const [k, g] of s.groups) g.key = k;
  for (const [name, title] of [['jdoe', 'Jane Doe'], ['rroe', 'Rick Roe'], ['pany', 'Pat Analyst']] as const) {
    const key = randomUUID();
    s.analysts.set(key, { key, title, name, email: `${name}@example.org` });
  }
  for (const title of ['Fixed', 'No fault found']) {
    const key = randomUUID();
    s.categories.set(key, { key, title, name: title });
  }
  const hash = (x: string): string => createHash('sha1').update(x).digest('hex');
  const plan = [...Array<string>(37).fill(TEAM_GROUP), ...OTHER_GROUPS.flatMap((g) => Array<string>(8).fill(g))]
    .map((g, i) => ({ g, h: hash(String(i)) }))
    .sort((a, b) => a.h.localeCompare(b.h))
    .map((x) => x.g);
  const analystKeys = [...s.analysts.keys()];
  const perGroup = new Map<string, number>();
  plan.forEach((group, i) => {
    const j = perGroup.get(group) ?? 0;
    perGroup.set(group, j + 1);
    const createdAt = new Date(now.getTime() - (plan.length - i) * 5 * 3_600_000 - ((i * 13) % 60) * 1000);
    const lastUpdate = new Date(Math.min(createdAt.getTime() + ((i * 17) % 240) * 60_000 + 23_000, now.getTime() - 60_000));
    const inc = s.addIncident({
      title: `${group} problem ${j + 1}`,
      description: `Seeded ticket ${j + 1} of ${group}`,
      status: j === 0 ? 'Resolved' : j === 1 ? 'Closed' : j % 3 === 0 ? 'New' : 'Active',
      groupKey: s.groupKeyOf(group),
      userKey: j % 6 === 2 ? (analystKeys[j % analystKeys.length] ?? null) : null,
      raiseUser: `User ${i}`,
      priority: String(1 + (i % 4)),
      category: 'Software',
      createdAt,
      lastUpdate,
    });
    if (j === 3) s.addNote(inc.key, 'Approved, go ahead', new Date(lastUpdate.getTime() - 60_000));
    if (j === 4) s.addNote(inc.key, 'Project: part of the intranet rebuild', new Date(lastUpdate.getTime() - 60_000));
    if (j % 4 === 1) s.addNote(inc.key, 'Called the user, no answer', new Date(createdAt.getTime() + 60_000));
  });
}

/**
 * A strict site, as some real Web Access installs are: no time-zone switch (changeTimeZone.rails
 * answers 404 with IIS's HTML page, so dates come in the server's own zone), and a service account
 * that may not list some classes (list.rails answers 500 with an ASP.NET error page saying the
 * class is not found).
 */
export interface StrictSite {
  /** changeTimeZone.rails answers 404 (an HTML page). */
  noTimeZoneSwitch?: boolean;
  /** Classes whose list.rails answers 500 "class not found" (an HTML page). */
  hiddenClasses?: string[];
  /** The zone sessions render dates in until told otherwise (default America/Los_Angeles). */
  sessionZone?: string;
}

/** Thrown inside the handler to answer a strict site's HTML error page. */
class StrictAnswer extends Error {
  constructor(
    readonly status: number,
    readonly html: string,
  ) {
    super(`HTTP ${status}`);
  }
}

function notFoundPage(path: string): string {
  return `<!DOCTYPE html><html><head><title>404 - File or directory not found.</title></head><body><div id="header"><h1>Server Error</h1></div><div id="content"><h2>404 - File or directory not found.</h2><h3>The resource you are looking for (${path}) might have been removed, had its name changed, or is temporarily unavailable.</h3></div></body></html>`;
}

function classNotFoundPage(className: string): string {
  return `<html><head><title>Runtime Error</title></head><body><h1>Server Error in '/SD.WebAccess' Application.</h1><span class="exceptionMessage">Class '${className}' not found, or you do not have permission to list it.</span></body></html>`;
}

/** Starts a minimal LGD that plays a strict site (see StrictSite). */
export async function startStrictMinimalLgd(opts: MinimalLgdOptions, strict: StrictSite): Promise<MinimalLgdServer> {
  const server = new MinimalLgdServer(opts);
  server.strict = strict;
  return server.listen();
}
