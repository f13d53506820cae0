import type { Logger } from 'pino';
import { z } from 'zod';
import { formatLgdDate } from '../lgd-date.js';
import type { LgdMapping } from '../lgd-mapping.js';
import type {
  AddAssignmentInput,
  LgdPage,
  AddNoteInput,
  EndUserUpdateInput,
  LgdCondition,
  LgdDegradation,
  LgdPort,
  ListIncidentsQuery,
  ListNotesQuery,
  ResolveInput,
} from '../lgd-port.js';
import type {
  LgdAnalyst,
  LgdGroup,
  LgdIncident,
  LgdNote,
  LgdResolutionCategory,
  LgdWriteResult,
} from '../lgd-types.js';
import { buildCns } from './build-cns.js';
import { LgdDateParser } from './lgd-date-parser.js';
import { errorPageMessage } from './error-page.js';
import {
  LgdAuthFailed,
  LgdBadResponse,
  LgdRefused,
  LgdSessionLost,
  LgdUnavailable,
  describeRequest,
} from './lgd-errors.js';
import { LgdHttp, describeAnswer, interpretJson, isBusyStatus, requestInfo, retryAfterMs, type LgdHttpRequest, type LgdRawAnswer } from './lgd-http.js';
import {
  analystKind,
  groupKind,
  incidentKind,
  noteKind,
  noteParentKeyPath,
  resolutionCategoryKind,
  type RecordKind,
} from './lgd-records.js';
import { lgdListSchema, lgdMessageSchema, lgdObjectSchema, validate } from './lgd-response.js';
import { customerText, noteText, titleFrom, withRef } from './note-text.js';
import { fetchTransport, undiciTransport } from './lgd-transport.js';

/** How a write is sent: one collection-action POST, or fetch the child's template then save it. */
export type WriteForm = 'collection' | 'two-step';

/** The app's writes, named as in `mapping.actions`. */
export type WriteAction = 'addNote' | 'addAssignment' | 'resolve' | 'endUserUpdate';

export interface LgdClientOptions {
  /** Web Access base URL, e.g. https://lgd.example/ServiceDesk.WebAccess (LGD_URL). */
  baseUrl: string;
  /** Service account (LGD_USERNAME). */
  username: string;
  /** Service account password (LGD_PASSWORD); never logged. */
  password: string;
  /** The site's class, action and attribute names, date format and zone. */
  mapping: LgdMapping;
  /** Per-request timeout in milliseconds (default 15000). */
  timeoutMs?: number;
  /** Injected fetch, for tests that shape answers (default: undici's request on a shared keep-alive pool; see lgd-transport.ts). */
  fetch?: typeof fetch;
  logger?: Logger;
  /** Pages after which a listing is abandoned as endless (default 1000). */
  maxPages?: number;
  /** How writes are sent, for all or per action (default 'collection'). */
  writeForm?: WriteForm | Partial<Record<WriteAction, WriteForm>>;
  /** The team name in the sign-off of what customers read (TEAM_SIGN_OFF; default LGSS IT Digital). */
  signOffTeam?: string;
}

const writeAnswerSchema = z.union([
  z.object({ result: z.literal(false), message: z.string().optional() }),
  z.looseObject({ value: z.string().optional(), result: z.boolean().optional() }),
]);

/** An LGD Web Access client: one cookie session as the service account, paged reads, serialised writes. */
export class LgdClient implements LgdPort {
  private readonly http: LgdHttp;
  private readonly m: LgdMapping;
  private readonly log: Logger | undefined;
  private readonly maxPages: number;
  /** Bumped at each successful log-on, so concurrent callers renew a lost session once. */
  private generation = 0;
  private live = false;
  private logonInFlight: Promise<void> | null = null;
  private authFailure: LgdAuthFailed | null = null;
  /** Set while LGD refuses the time-zone switch: logged once, shown on /healthz. */
  private timeZoneGap: LgdDegradation | null = null;
  private writeChain: Promise<unknown> = Promise.resolve();
  private readonly kinds: {
    incident: RecordKind<LgdIncident>;
    note: RecordKind<LgdNote>;
    group: RecordKind<LgdGroup>;
    analyst: RecordKind<LgdAnalyst>;
    resolutionCategory: RecordKind<LgdResolutionCategory>;
  };

  constructor(private readonly opts: LgdClientOptions) {
    this.m = opts.mapping;
    this.http = new LgdHttp(opts.baseUrl, opts.timeoutMs ?? 15_000, opts.fetch ? fetchTransport(opts.fetch) : undiciTransport(), [opts.password, opts.username]);
    this.log = opts.logger?.child({ component: 'lgd-client' });
    this.maxPages = opts.maxPages ?? 1000;
    const dates = new LgdDateParser(this.m.dateFormat, this.m.timeZone);
    this.kinds = {
      incident: incidentKind(this.m, dates),
      note: noteKind(this.m, dates),
      group: groupKind(this.m, dates),
      analyst: analystKind(this.m, dates),
      resolutionCategory: resolutionCategoryKind(this.m, dates),
    };
  }

  /** Logs on now (also clears a previous wrong-password stop). */
  async logon(): Promise<void> {
    this.authFailure = null;
    await this.startLogon();
  }

  /** Ends the session; the next call logs on again. */
  async logoff(): Promise<void> {
    if (!this.live) return;
    this.live = false;
    const req: LgdHttpRequest = { method: 'POST', path: this.m.paths.logoff, params: {}, write: false };
    try {
      await this.http.send(req);
    } finally {
      this.http.jar.clear();
    }
  }

  /** Incidents matching every given filter, all pages, de-duplicated by key (newest LastUpdate wins). */
  async listIncidents(query: ListIncidentsQuery = {}): Promise<LgdIncident[]> {
    const clauses = this.incidentClauses(query);
    if (!clauses) return [];
    const rows = await this.listAll(this.kinds.incident, clauses, (x, y) => x.lastUpdate > y.lastUpdate);
    return rows.sort((x, y) => x.id - y.id);
  }

  /**
   * The same incidents as `listIncidents`, one LGD page at a time as each arrives, so that a caller
   * can store a page before the next is read instead of holding the whole list. A key may appear
   * again on a later page (the ticket changed while LGD was paging): the caller keeps the newest.
   */
  async *listIncidentPages(query: ListIncidentsQuery = {}): AsyncGenerator<LgdPage<LgdIncident>> {
    const clauses = this.incidentClauses(query);
    if (!clauses) return;
    yield* this.pages(this.kinds.incident, clauses);
  }

  /** The list query's conditions, or null when it matches nothing ("any of no groups" must not turn into "every incident"). */
  private incidentClauses(query: ListIncidentsQuery): LgdCondition[][] | null {
    const a = this.m.incident;
    const statuses = query.status === undefined ? [] : typeof query.status === 'string' ? [query.status] : query.status;
    if (query.groups?.length === 0 || (query.status !== undefined && statuses.length === 0)) return null;
    if (query.ids?.length === 0) return null;
    return [
      (query.groups ?? []).map((g) => ({ path: a.groupTitle, op: 'e' as const, value: g })),
      statuses.map((s) => ({ path: a.status, op: 'e' as const, value: s })),
      query.changedSince ? [{ path: a.lastUpdate, op: 'gt' as const, value: this.formatDate(query.changedSince) }] : [],
      ...(query.extraConditions ?? []).map((c) => [c]),
      (query.ids ?? []).map((id) => ({ path: a.id, op: 'e' as const, value: String(id) })),
    ];
  }

  /** One incident by key. */
  async openIncident(key: string): Promise<LgdIncident> {
    const kind = this.kinds.incident;
    const req: LgdHttpRequest = {
      method: 'GET',
      path: this.m.paths.open,
      params: { class_name: kind.className, key, attributes: kind.attributes.join(',') },
      write: false,
    };
    const obj = validate(lgdObjectSchema, await this.call(req), requestInfo(req), 'open.rails answer');
    if (obj.className !== kind.className || obj.value.toLowerCase() !== key.toLowerCase()) {
      throw new LgdBadResponse(`asked for ${kind.className} ${key}, got ${obj.className} ${obj.value}`, { request: requestInfo(req) });
    }
    return kind.read(obj, requestInfo(req));
  }

  /** Notes, of one incident and/or created after an instant, oldest first. */
  async listNotes(query: ListNotesQuery = {}): Promise<LgdNote[]> {
    const n = this.m.note;
    const clauses: LgdCondition[][] = [
      query.incidentKey ? [{ path: n.parent, op: 'e', value: query.incidentKey }] : [],
      query.createdSince ? [{ path: n.creationDate, op: 'gt', value: this.formatDate(query.createdSince) }] : [],
    ];
    const notes = await this.listAll(this.kinds.note, clauses);
    if (query.incidentKey) {
      const want = query.incidentKey.toLowerCase();
      const stray = notes.find((x) => x.incidentKey.toLowerCase() !== want);
      if (stray) {
        throw new LgdBadResponse(`asked for notes of ${query.incidentKey}, got note ${stray.key} of ${stray.incidentKey}`, {
          request: { method: 'GET', path: this.m.paths.list, params: { class_name: this.m.classes.note, [noteParentKeyPath(this.m)]: query.incidentKey } },
        });
      }
    }
    return notes.sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime() || x.key.localeCompare(y.key));
  }

  /** Every support group. */
  async listSupportGroups(): Promise<LgdGroup[]> {
    return (await this.listAll(this.kinds.group, [])).sort((x, y) => x.title.localeCompare(y.title));
  }

  /** Every analyst. */
  async listAnalysts(): Promise<LgdAnalyst[]> {
    return (await this.listAll(this.kinds.analyst, [])).sort((x, y) => x.name.localeCompare(y.name));
  }

  /** Every resolution category. */
  async listResolutionCategories(): Promise<LgdResolutionCategory[]> {
    return (await this.listAll(this.kinds.resolutionCategory, [])).sort((x, y) => x.title.localeCompare(y.title));
  }

  /** AddNote; the text written names the person: "<text> — <onBehalfOf> via Teams". */
  async addNote(incidentKey: string, input: AddNoteInput): Promise<LgdWriteResult> {
    const text = withRef(noteText(input.text, input.onBehalfOf), input.ref);
    const n = this.m.note;
    return this.write('addNote', incidentKey, this.m.classes.note, {
      [n.title]: input.title ?? titleFrom(input.text),
      [n.text]: text,
    });
  }

  /** AddAssignment to a group and/or a person. */
  async addAssignment(incidentKey: string, input: AddAssignmentInput): Promise<LgdWriteResult> {
    if (!input.groupKey && !input.userKey) throw new RangeError('An assignment needs a group, a person or both');
    const f = this.m.assignment;
    return this.write('addAssignment', incidentKey, this.m.classes.assignment, {
      [f.group]: input.groupKey ?? '',
      [f.user]: input.userKey ?? '',
      [f.description]: withRef(noteText(input.description, input.onBehalfOf), input.ref),
    });
  }

  /** Resolve with a resolution category; the customer reads the description: "<text>\n\n— <name>, <team>". */
  async resolve(incidentKey: string, input: ResolveInput): Promise<LgdWriteResult> {
    const f = this.m.resolution;
    return this.write('resolve', incidentKey, this.m.classes.resolution, {
      [f.category]: input.categoryKey,
      [f.description]: customerText(input.description, input.onBehalfOf, this.opts.signOffTeam),
    });
  }

  /** A note the raise user sees (mapping.note.notifyRaiseUser = "True"): "<text>\n\n— <name>, <team>", nothing internal. */
  async updateEndUser(incidentKey: string, input: EndUserUpdateInput): Promise<LgdWriteResult> {
    const n = this.m.note;
    return this.write('endUserUpdate', incidentKey, this.m.classes.note, {
      [n.title]: input.title ?? titleFrom(input.text),
      [n.text]: customerText(input.text, input.onBehalfOf, this.opts.signOffTeam),
      [n.notifyRaiseUser]: 'True',
    });
  }

  private formatDate(d: Date): string {
    return formatLgdDate(d, this.m.dateFormat, this.m.timeZone);
  }

  private writeFormOf(action: WriteAction): WriteForm {
    const w = this.opts.writeForm;
    if (w === undefined) return 'collection';
    if (typeof w === 'string') return w;
    return w[action] ?? 'collection';
  }

  /** Every record of a listing, de-duplicated by key (with `newer`, the newest of a repeated key wins). */
  private async listAll<T extends { key: string }>(
    kind: RecordKind<T>,
    clauses: readonly (readonly LgdCondition[])[],
    newer?: (a: T, b: T) => boolean,
  ): Promise<T[]> {
    const byKey = new Map<string, T>();
    for await (const { items } of this.pages(kind, clauses)) {
      for (const rec of items) {
        const id = rec.key.toLowerCase();
        const had = byKey.get(id);
        if (!had || (newer && newer(rec, had))) byKey.set(id, rec);
      }
    }
    return [...byKey.values()];
  }

  /** Pages through `list.rails` until a short or empty page (or the last page LGD reports), yielding each page's records. */
  private async *pages<T extends { key: string }>(kind: RecordKind<T>, clauses: readonly (readonly LgdCondition[])[]): AsyncGenerator<LgdPage<T>> {
    const { cns, values } = buildCns(clauses);
    const pageSize = this.m.pageSize;
    const seen = new Set<string>();
    for (let page = 1; ; page++) {
      const req: LgdHttpRequest = {
        method: 'GET',
        path: this.m.paths.list,
        params: {
          class_name: kind.className,
          attributes: kind.attributes.join(','),
          ...(cns ? { cns, ...values } : {}),
          page_size: String(pageSize),
          page: String(page),
        },
        write: false,
      };
      const info = requestInfo(req);
      if (page > this.maxPages) {
        throw new LgdBadResponse(`listing did not end within ${this.maxPages} pages`, { request: info });
      }
      const list = validate(lgdListSchema, await this.call(req), info, 'list.rails answer');
      if (list.pageNumber != null && list.pageNumber !== page) {
        throw new LgdBadResponse(`asked for page ${page}, got page ${list.pageNumber}`, { request: info });
      }
      let fresh = 0;
      const items: T[] = [];
      for (const obj of list.objects) {
        if (obj.className !== kind.className) {
          throw new LgdBadResponse(`asked for ${kind.className}, got ${obj.className} ${obj.value}`, { request: info });
        }
        const rec = kind.read(obj, info);
        const id = rec.key.toLowerCase();
        if (!seen.has(id)) {
          seen.add(id);
          fresh++;
        }
        items.push(rec);
      }
      const full = Math.min(pageSize, list.pageSize && list.pageSize > 0 ? list.pageSize : pageSize);
      const last = list.objects.length === 0 || list.objects.length < full || (list.pageCount != null && list.pageCount >= 1 && page >= list.pageCount);
      if (!last && page > 1 && fresh === 0) {
        throw new LgdBadResponse(`page ${page} repeated records of earlier pages: LGD is not paging`, { request: info });
      }
      // objectCount is 0 when there is one page, and only ever a hint: the records are what counts.
      const total = list.pageCount === 1 && page === 1 ? items.length : list.objectCount ? list.objectCount : null;
      yield { items, total };
      if (last) return;
    }
  }

  /** Runs writes one at a time. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writeChain.then(fn, fn);
    this.writeChain = run.catch(() => undefined);
    return run;
  }

  private write(action: WriteAction, incidentKey: string, childClass: string, fields: Record<string, string>): Promise<LgdWriteResult> {
    const actionName = this.m.actions[action];
    return this.serial(async () => {
      let save: LgdHttpRequest;
      if (this.writeFormOf(action) === 'collection') {
        save = {
          method: 'POST',
          path: this.m.paths.save,
          params: {
            class_name: childClass,
            is_new: 'true',
            parent_class_name: this.m.classes.incident,
            parent_key: incidentKey,
            parent_function_name: actionName,
            ...fields,
          },
          write: true,
        };
      } else {
        const tplReq: LgdHttpRequest = {
          method: 'GET',
          path: this.m.paths.invoke,
          params: { class_name: this.m.classes.incident, key: incidentKey, function_name: actionName, is_new: 'false' },
          write: false,
        };
        const tpl = validate(lgdObjectSchema, await this.call(tplReq), requestInfo(tplReq), `${actionName} template`);
        save = {
          method: 'POST',
          path: this.m.paths.save,
          params: { class_name: tpl.className, key: tpl.value, is_new: 'true', ...fields },
          write: true,
        };
      }
      const body = await this.call(save);
      const request = requestInfo(save);
      const parsed = writeAnswerSchema.safeParse(body);
      if (!parsed.success) {
        // LGD said 200 but its answer is unreadable: the write may well have been applied.
        throw new LgdBadResponse(`${actionName} answer did not have the expected shape`, { request, status: 200, outcomeUnknown: true });
      }
      const answer = parsed.data;
      if (answer.result === false) {
        const message = typeof answer.message === 'string' ? answer.message : `${actionName} was refused`;
        throw new LgdRefused(message, { request, status: 200 });
      }
      const key = typeof answer.value === 'string' ? answer.value : null;
      this.log?.info({ action: actionName, incidentKey, key }, 'LGD write done');
      return { key };
    });
  }

  /** Sends one JSON request in the session: logs on when needed, renews a lost session once, retries a read once. */
  private async call(req: LgdHttpRequest): Promise<unknown> {
    let generation = await this.ensureSession();
    let renewed = false;
    let retried = false;
    for (;;) {
      const t0 = performance.now();
      try {
        const answer = await this.http.send(req);
        this.log?.debug({ request: describeRequest(requestInfo(req)), status: answer.status, ms: Math.round(performance.now() - t0) }, 'LGD answered');
        return interpretJson(answer, req, this.http, this.m.paths.logon);
      } catch (err) {
        if (err instanceof LgdSessionLost) {
          if (renewed) {
            throw new LgdUnavailable(`the session ended again right after logging on (${err.message})`, {
              request: requestInfo(req),
              status: err.status,
              cause: err,
              answer: err.lgdAnswer === undefined ? undefined : `${err.lgdAnswer} right after the app logged on`,
            });
          }
          renewed = true;
          this.log?.info({ request: describeRequest(requestInfo(req)), reason: err.message }, 'LGD session lost; logging on again');
          generation = await this.renewSession(generation);
          continue;
        }
        if (err instanceof LgdUnavailable && !req.write && !retried) {
          retried = true;
          // debug: when the retry fails too, the caller reports the failure once.
          this.log?.debug({ request: describeRequest(requestInfo(req)), reason: err.message }, 'LGD read failed; retrying once');
          continue;
        }
        throw err;
      }
    }
  }

  private async ensureSession(): Promise<number> {
    if (this.authFailure) throw this.authFailure;
    if (!this.live) await this.startLogon();
    return this.generation;
  }

  /** Logs on again unless another caller already did since `seen`. */
  private async renewSession(seen: number): Promise<number> {
    if (this.authFailure) throw this.authFailure;
    if (this.generation === seen) {
      this.live = false;
      await this.startLogon();
    }
    return this.generation;
  }

  private startLogon(): Promise<void> {
    this.logonInFlight ??= this.doLogon().finally(() => {
      this.logonInFlight = null;
    });
    return this.logonInFlight;
  }

  private async doLogon(): Promise<void> {
    this.http.jar.clear();
    const req: LgdHttpRequest = {
      method: 'POST',
      path: this.m.paths.logon,
      params: { Ecom_User_ID: this.opts.username, Ecom_User_Password: this.opts.password },
      write: false,
    };
    const answer = await this.http.send(req);
    // Busy (5xx, 408, 429) is not a refused account: the next call tries to log on again.
    const refused = isBusyStatus(answer.status) ? null : this.logonRefusal(answer);
    const refusal = refused === null ? null : this.http.scrub(refused);
    if (refusal !== null) {
      const err = new LgdAuthFailed(refusal, { request: requestInfo(req), status: answer.status });
      this.authFailure = err;
      this.log?.error({ err: { code: err.code, message: err.message } }, 'LGD refused the service account; the client stops until logon() is called');
      throw err;
    }
    if (isBusyStatus(answer.status)) {
      const said = describeAnswer(answer, this.http);
      throw new LgdUnavailable(`log-on answered ${said}`, { request: requestInfo(req), status: answer.status, answer: `${said} to the log-on`, retryAfterMs: retryAfterMs(answer.retryAfter) });
    }
    await this.setTimeZone();
    this.generation++;
    this.live = true;
    this.log?.info({ generation: this.generation }, 'LGD logged on');
  }

  /**
   * Asks LGD to render dates in `mapping.timeZoneKey`. The switch is optional: a site without it
   * (404, an error page) renders dates in its own zone, which `mapping.timeZone` then names, so
   * the session goes on; the gap is logged once and reported by `degradations()`. Only a session
   * that is gone again at once (403, the log-on page) fails the log-on.
   */
  private async setTimeZone(): Promise<void> {
    const tz: LgdHttpRequest = { method: 'GET', path: this.m.paths.changeTimeZone, params: { key: this.m.timeZoneKey }, write: false };
    const a = await this.http.send(tz);
    const said = describeAnswer(a, this.http);
    const bounced = a.status === 403 || (a.location !== null && this.http.isLogonRedirect(a.location, this.m.paths.logon));
    if (bounced) {
      throw new LgdUnavailable(`setting the time zone answered ${said} right after logging on`, {
        request: requestInfo(tz),
        status: a.status,
        answer: `${said} to the time-zone switch right after the app logged on`,
      });
    }
    if (a.status >= 200 && a.status < 300) {
      if (this.timeZoneGap) this.log?.info({ timeZoneKey: this.m.timeZoneKey }, 'LGD accepts the time-zone switch again');
      this.timeZoneGap = null;
      return;
    }
    const message =
      `LGD answered ${said} to its time-zone switch (${this.m.paths.changeTimeZone}); ` +
      `dates are read in ${this.m.timeZone}, the time zone LGD_MAPPING names`;
    if (this.timeZoneGap?.message !== message) {
      this.log?.warn({ request: describeRequest(requestInfo(tz)), status: a.status, timeZone: this.m.timeZone }, message);
      this.timeZoneGap = { part: 'lgd.timeZoneSwitch', code: 'LGD_NO_TIMEZONE_SWITCH', message, lgdAnswer: said, since: this.timeZoneGap?.since ?? new Date() };
    }
  }

  /** What this session lacks that the app works around (today: a time-zone switch LGD does not offer). */
  degradations(): LgdDegradation[] {
    return this.timeZoneGap ? [{ ...this.timeZoneGap }] : [];
  }

  /** LGD's reason when a log-on answer is a refusal, else null. */
  private logonRefusal(a: LgdRawAnswer): string | null {
    if (/^\s*\{/.test(a.body)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(a.body);
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
        parsed = undefined;
      }
      const m = lgdMessageSchema.safeParse(parsed);
      if (m.success && m.data.result === false) return m.data.message;
    }
    if (a.status === 401 || a.status === 403) return errorPageMessage(a.body) ?? `HTTP ${a.status}`;
    if (a.status >= 300 && a.status < 400 && a.location && this.http.isLogonRedirect(a.location, this.m.paths.logon)) {
      return 'LGD sent the log-on page back';
    }
    if (a.status === 200 && /name\s*=\s*["']?Ecom_User_Password/i.test(a.body)) return 'LGD showed the log-on form again';
    if (a.status >= 400 && a.status < 500) return errorPageMessage(a.body) ?? `HTTP ${a.status}`;
    return null;
  }
}
