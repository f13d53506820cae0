import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { LgdMapping } from '../lgd-mapping.js';
import { renderFullObject, type ClassView, type RenderedObject } from './class-views.js';
import { FAULT_KINDS, type FaultInjector, type FaultKind } from './faults.js';
import { errorPage, gatewayPage, listPage, logonPage, maintenancePage, objectPage, throttlePage, welcomePage } from './html-pages.js';
import type { LateWrites } from './late-writes.js';
import { runList } from './list-query.js';
import {
  actionKindOf,
  checkAvailable,
  childClassOf,
  childTemplateAttributes,
  performAction,
  type ActionKind,
  type SimStatusNames,
} from './process-actions.js';
import type { SessionStore, SimSession } from './sessions.js';
import { SimError } from './sim-error.js';
import type { SimState } from './sim-state.js';

/** How a request without a live session is answered. */
export type ExpiredSessionResponse = '403' | 'redirect' | 'html';

/** Counters for tests and benchmarks. */
export interface SimStats {
  requests: number;
  writesApplied: number;
  refused: number;
  faults: Record<FaultKind, number>;
  byEndpoint: Record<string, number>;
}

/** A fresh set of zeroed counters. */
export function emptyStats(): SimStats {
  const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  return { requests: 0, writesApplied: 0, refused: 0, faults, byEndpoint: {} };
}

export interface HandlerContext {
  mapping: LgdMapping;
  state: SimState;
  views: Map<string, ClassView>;
  sessions: SessionStore;
  faults: FaultInjector;
  stats: SimStats;
  logger: Logger;
  appPath: string;
  username: string;
  password: string;
  expiredSessionResponse: () => ExpiredSessionResponse;
  cookieName: string;
  statuses: SimStatusNames;
  defaultPageSize: number;
  orderSalt: string;
  /** Called after a write is applied and before it is answered (the demo makes it durable there). */
  onWrite?: () => void;
  /** Writes LGD is still working on (the late-apply fault). */
  lateWrites: LateWrites;
  /** The simulator's clock (when a late write is due). */
  now: () => Date;
}

type Endpoint = keyof LgdMapping['paths'];

const MAX_BODY = 1 << 20;

const normalisePath = (p: string): string => p.replace(/^\/+/, '').replace(/^wd\//i, '').toLowerCase();

/** Which Web Access controller a URL path names: under appPath, with or without `wd/`, in any case. */
export function resolveEndpoint(pathname: string, appPath: string, paths: LgdMapping['paths']): Endpoint | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch (err) {
    if (err instanceof URIError) return null;
    throw err;
  }
  const app = appPath.replace(/\/+$/, '').toLowerCase();
  const lowerPath = decoded.toLowerCase();
  if (app !== '' && !(lowerPath === app || lowerPath.startsWith(`${app}/`))) return null;
  const rest = normalisePath(decoded.slice(app.length));
  for (const [name, p] of Object.entries(paths) as [Endpoint, string][]) {
    if (normalisePath(p) === rest) return name;
  }
  return null;
}

interface Outcome {
  status: number;
  json: unknown;
  html: string;
  headers?: Record<string, string | string[]>;
  /** True when the request changed data (apply-then-drop applies only then). */
  applied?: boolean;
}

function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new SimError(413, 'The request body is too large.'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string | string[]> = {}): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'private', ...headers });
  res.end(body);
}

/** Builds the node:http request listener of the simulator. */
export function createRequestHandler(ctx: HandlerContext): (req: IncomingMessage, res: ServerResponse) => void {
  const { mapping } = ctx;
  const logonUrl = `${ctx.appPath.replace(/\/+$/, '')}/${mapping.paths.logon.replace(/^\/+/, '')}`;

  const byOf = (s: SimSession): string => ctx.state.analystByName(s.username)?.title ?? s.username;

  const objectOutcome = (o: RenderedObject, applied = false): Outcome => ({ status: 200, json: o, html: objectPage(o), applied });

  const viewOf = (className: string | null): ClassView => {
    if (!className) throw new SimError(400, 'class_name is required.');
    const v = ctx.views.get(className);
    if (!v) throw new SimError(400, `The class '${className}' does not exist.`);
    return v;
  };

  const incidentOutcome = (key: string, applied: boolean): Outcome =>
    objectOutcome(renderFullObject(viewOf(mapping.classes.incident), key, mapping), applied);

  const childOutcome = (r: { childClass: string; childKey: string }): Outcome =>
    objectOutcome(renderFullObject(viewOf(r.childClass), r.childKey, mapping), true);

  const kindOf = (name: string | null, what: string): ActionKind => {
    if (!name) throw new SimError(400, `${what} is required.`);
    const kind = actionKindOf(name, mapping);
    if (!kind) throw new SimError(400, `The action '${name}' does not exist on class '${mapping.classes.incident}'.`);
    return kind;
  };

  const requireIncidentClass = (className: string | null, field: string): void => {
    if (className !== mapping.classes.incident) {
      viewOf(className);
      throw new SimError(400, `The class '${className ?? ''}' in ${field} has no process actions.`);
    }
  };

  const handleSave = (params: URLSearchParams, session: SimSession): Outcome => {
    const className = params.get('class_name');
    const key = (params.get('key') ?? '').toLowerCase();
    const pending = key === '' ? undefined : session.pending.get(key);
    if (pending) {
      if (className !== pending.childClass) {
        throw new SimError(400, `The object '${key}' is a '${pending.childClass}', not a '${className ?? ''}'.`);
      }
      const kind = kindOf(pending.action, 'function_name');
      const r = performAction(ctx, kind, pending.action, pending.parentKey, params, byOf(session), pending.key);
      session.pending.delete(key);
      return childOutcome(r);
    }
    if ((params.get('is_new') ?? '').toLowerCase() === 'true') {
      viewOf(className);
      requireIncidentClass(params.get('parent_class_name'), 'parent_class_name');
      const action = params.get('parent_function_name');
      const kind = kindOf(action, 'parent_function_name');
      if (childClassOf(kind, mapping) !== className) {
        throw new SimError(400, `The action '${action ?? ''}' does not create a '${className ?? ''}'.`);
      }
      const parentKey = params.get('parent_key');
      if (!parentKey) throw new SimError(400, 'parent_key is required.');
      return childOutcome(performAction(ctx, kind, action ?? '', parentKey, params, byOf(session)));
    }
    requireIncidentClass(className, 'class_name');
    if (key === '') throw new SimError(400, 'key is required.');
    const action = params.get('function_name');
    const kind = kindOf(action, 'function_name');
    performAction(ctx, kind, action ?? '', key, params, byOf(session));
    return incidentOutcome(key, true);
  };

  const handleInvoke = (method: string, params: URLSearchParams, session: SimSession): Outcome => {
    const className = params.get('class_name');
    requireIncidentClass(className, 'class_name');
    const key = (params.get('key') ?? '').toLowerCase();
    if (key === '') throw new SimError(400, 'key is required.');
    const action = params.get('function_name');
    const kind = kindOf(action, 'function_name');
    if (method === 'GET') {
      const inc = ctx.state.requireIncident(key);
      checkAvailable(kind, action ?? '', inc, ctx);
      const childClass = childClassOf(kind, mapping);
      const childKey = randomUUID().toLowerCase();
      session.pending.set(childKey, { key: childKey, action: action ?? '', childClass, parentKey: inc.key });
      const template: RenderedObject = {
        className: childClass,
        value: childKey,
        name: '',
        attributes: childTemplateAttributes(kind, inc.key, mapping),
      };
      return objectOutcome(template);
    }
    performAction(ctx, kind, action ?? '', key, params, byOf(session));
    return incidentOutcome(key, true);
  };

  const handleOpen = (params: URLSearchParams): Outcome => {
    const view = viewOf(params.get('class_name'));
    const key = (params.get('key') ?? '').toLowerCase();
    if (key === '') throw new SimError(400, 'key is required.');
    if (!view.exists(key)) throw new SimError(404, `The object '${key}' of class '${view.className}' does not exist.`);
    return objectOutcome(renderFullObject(view, key, mapping));
  };

  const sessionGone = (req: IncomingMessage, json: boolean): Outcome => {
    const mode = ctx.expiredSessionResponse();
    const message = 'Your session has expired or you are not logged on.';
    if (mode === 'redirect') {
      const location = `${logonUrl}?ReturnUrl=${encodeURIComponent(req.url ?? '/')}`;
      return { status: 302, json: null, html: logonPage(logonUrl), headers: { Location: location } };
    }
    if (mode === 'html') return { status: 200, json: null, html: logonPage(logonUrl) };
    return { status: 403, json: json ? { message } : null, html: errorPage(message) };
  };

  /** The query and, for a POST, the form fields. */
  const readParams = async (req: IncomingMessage, url: URL): Promise<URLSearchParams> => {
    const params = new URLSearchParams(url.search);
    if (req.method === 'POST') {
      const body = await readBody(req);
      const type = (req.headers['content-type'] ?? 'application/x-www-form-urlencoded').toLowerCase();
      if (type.startsWith('application/x-www-form-urlencoded')) {
        for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
      }
    }
    return params;
  };

  /**
   * Handles a request whose fields are read, synchronously (a late write runs here when it is due);
   * `held` is the session a late write arrived in, which it keeps whatever happened to it since.
   */
  const route = (req: IncomingMessage, url: URL, endpoint: Endpoint | null, json: boolean, params: URLSearchParams, held?: SimSession): Outcome => {
    const method = req.method ?? 'GET';
    if (endpoint === null) throw new SimError(404, `The resource '${url.pathname}' cannot be found.`);

    const cookieSession = cookieValue(req, ctx.cookieName);
    if (endpoint === 'logon') {
      if (method !== 'POST') return { status: 200, json: null, html: logonPage(logonUrl) };
      const user = params.get('Ecom_User_ID') ?? '';
      const pass = params.get('Ecom_User_Password') ?? '';
      if (user !== ctx.username || pass !== ctx.password) {
        const message = 'The user name or password is incorrect.';
        return { status: 200, json: { result: false, message }, html: logonPage(logonUrl, message) };
      }
      if (cookieSession) ctx.sessions.end(cookieSession);
      const s = ctx.sessions.create(user);
      return {
        status: 200,
        json: { result: true },
        html: welcomePage(user),
        headers: { 'Set-Cookie': `${ctx.cookieName}=${s.id}; path=/; HttpOnly` },
      };
    }
    if (endpoint === 'logoff') {
      if (cookieSession) ctx.sessions.end(cookieSession);
      return {
        status: 200,
        json: { result: true },
        html: logonPage(logonUrl),
        headers: { 'Set-Cookie': `${ctx.cookieName}=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly` },
      };
    }

    const session = held ?? ctx.sessions.get(cookieSession);
    if (!session) return sessionGone(req, json);

    switch (endpoint) {
      case 'changeTimeZone': {
        const key = params.get('key');
        if (!key) throw new SimError(400, 'key is required.');
        session.timeZoneKey = key;
        return { status: 200, json: { result: true }, html: welcomePage(session.username) };
      }
      case 'list': {
        const r = runList(params, { mapping, views: ctx.views, defaultPageSize: ctx.defaultPageSize, orderSalt: ctx.orderSalt });
        return { status: 200, json: r, html: listPage(r) };
      }
      case 'open':
        return handleOpen(params);
      case 'save':
        if (method !== 'POST') throw new SimError(405, 'save.rails accepts POST only.');
        return handleSave(params, session);
      case 'invoke':
        if (method !== 'POST' && method !== 'GET') throw new SimError(405, 'invokeFunction.rails accepts GET or POST.');
        return handleInvoke(method, params, session);
    }
  };

  /** An error met while handling a request, as LGD answers it. */
  const failure = (err: unknown, write: boolean, log: Logger): Outcome => {
    if (err instanceof SimError) {
      if (write) ctx.stats.refused++;
      log.debug({ status: err.status, message: err.message }, 'refused');
      return { status: err.status, json: { message: err.message }, html: errorPage(err.message) };
    }
    log.error({ err }, 'simulator failure');
    const message = err instanceof Error ? err.message : String(err);
    return { status: 500, json: { message }, html: errorPage(message) };
  };

  /** Handles a request whose fields are read; an applied write is counted and kept (like LGD's database commit). */
  const handle = (req: IncomingMessage, url: URL, endpoint: Endpoint | null, json: boolean, params: URLSearchParams, write: boolean, log: Logger, held?: SimSession): Outcome => {
    let outcome: Outcome;
    try {
      outcome = route(req, url, endpoint, json, params, held);
    } catch (err) {
      outcome = failure(err, write, log);
    }
    if (outcome.applied) {
      ctx.stats.writesApplied++;
      // Like LGD's database commit: an answered write survives a restart of the simulator.
      try {
        ctx.onWrite?.();
      } catch (err) {
        // The write is applied and is answered as such (refusing it now would only invite a duplicate); a restart may lose it.
        log.error({ err }, 'the simulator could not keep a write on disk');
      }
    }
    return outcome;
  };

  return (req, res) => {
    void (async () => {
      // Writes LGD finished meanwhile land before this request is looked at.
      ctx.lateWrites.flush();
      ctx.stats.requests++;
      const url = new URL(req.url ?? '/', 'http://simulator.invalid');
      const endpoint = resolveEndpoint(url.pathname, ctx.appPath, mapping.paths);
      ctx.stats.byEndpoint[endpoint ?? 'unknown'] = (ctx.stats.byEndpoint[endpoint ?? 'unknown'] ?? 0) + 1;
      const json = (req.headers.accept ?? '').toLowerCase().includes('application/json');
      const write = req.method === 'POST' && (endpoint === 'save' || endpoint === 'invoke');
      const fault = ctx.faults.decide({ write, logon: endpoint === 'logon' });
      const log = ctx.logger.child({ method: req.method, path: url.pathname });

      if (fault.latencyMs > 0) {
        ctx.stats.faults.latency++;
        await sleep(fault.latencyMs);
        // LGD stopped while the request waited: it never reached the application.
        if (req.socket.destroyed) return;
      }
      if (fault.drop) {
        ctx.stats.faults.drop++;
        log.debug('fault: drop');
        req.socket.destroy();
        return;
      }
      if (fault.hangMs > 0 && !fault.applyThenTimeout) {
        ctx.stats.faults.timeout++;
        log.debug({ hangMs: fault.hangMs }, 'fault: timeout (hangs, nothing applied)');
        await sleep(fault.hangMs);
        req.socket.destroy();
        return;
      }
      if (fault.errorStatus !== null) {
        ctx.stats.faults.error++;
        log.debug({ status: fault.errorStatus }, 'fault: error page');
        send(res, fault.errorStatus, 'text/html; charset=utf-8', errorPage('An injected server error occurred (simulator fault).'));
        return;
      }
      if (fault.gatewayStatus !== null) {
        ctx.stats.faults.gatewayError++;
        log.debug({ status: fault.gatewayStatus }, 'fault: the proxy answers, nothing passed on');
        send(res, fault.gatewayStatus, 'text/html; charset=utf-8', gatewayPage(fault.gatewayStatus));
        return;
      }
      if (fault.retryAfterSeconds !== null) {
        ctx.stats.faults.throttle++;
        log.debug({ retryAfter: fault.retryAfterSeconds }, 'fault: 429');
        send(res, 429, 'text/html; charset=utf-8', throttlePage(), { 'Retry-After': String(fault.retryAfterSeconds) });
        return;
      }
      if (fault.htmlError) {
        ctx.stats.faults.htmlError++;
        log.debug('fault: html page');
        send(res, 200, 'text/html; charset=utf-8', maintenancePage());
        return;
      }
      if (fault.expireSession) {
        const id = cookieValue(req, ctx.cookieName);
        if (id !== null && ctx.sessions.get(id) !== null) {
          ctx.stats.faults.sessionExpiry++;
          log.debug('fault: session expired');
          ctx.sessions.end(id);
        }
      }

      let params: URLSearchParams;
      try {
        params = await readParams(req, url);
      } catch (err) {
        const outcome = failure(err, write, log);
        send(res, outcome.status, json ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8', json ? JSON.stringify(outcome.json) : outcome.html);
        return;
      }
      // A hung write: LGD holds it (in the session it came in) and applies it only when it is due.
      const session = fault.lateApplyMs > 0 ? ctx.sessions.get(cookieValue(req, ctx.cookieName)) : null;
      let outcome: Outcome;
      if (session && fault.gatewayTimeoutWhileWorking) {
        // The proxy gives up at once with a 504; LGD goes on with the write and applies it when due.
        ctx.stats.faults.gatewayTimeoutWhileWorking++;
        log.debug({ lateApplyMs: fault.lateApplyMs }, 'fault: the proxy answers 504 while LGD is still working on the write');
        void ctx.lateWrites.hold(ctx.now().getTime() + fault.lateApplyMs, () => handle(req, url, endpoint, json, params, write, log, session));
        send(res, 504, 'text/html; charset=utf-8', gatewayPage(504));
        return;
      }
      if (session) {
        ctx.stats.faults.lateApply++;
        log.debug({ lateApplyMs: fault.lateApplyMs }, 'fault: LGD is still working on the write');
        const late = await ctx.lateWrites.hold(ctx.now().getTime() + fault.lateApplyMs, () => handle(req, url, endpoint, json, params, write, log, session));
        if (late === null) {
          req.socket.destroy();
          return;
        }
        outcome = late;
      } else {
        outcome = handle(req, url, endpoint, json, params, write, log);
      }
      if (outcome.applied && fault.applyThenDrop) {
        ctx.stats.faults.applyThenDrop++;
        log.debug('fault: applied then dropped');
        req.socket.destroy();
        return;
      }
      if (outcome.applied && fault.applyThenTimeout) {
        ctx.stats.faults.applyThenTimeout++;
        log.debug({ hangMs: fault.hangMs }, 'fault: applied, then the answer hangs');
        await sleep(fault.hangMs);
        req.socket.destroy();
        return;
      }
      if (outcome.applied && fault.applyThenGatewayStatus !== null) {
        ctx.stats.faults.applyThenGatewayError++;
        log.debug({ status: fault.applyThenGatewayStatus }, 'fault: applied, then the proxy answers an error');
        send(res, fault.applyThenGatewayStatus, 'text/html; charset=utf-8', gatewayPage(fault.applyThenGatewayStatus));
        return;
      }
      if (json && outcome.json !== null) {
        send(res, outcome.status, 'application/json; charset=utf-8', JSON.stringify(outcome.json), outcome.headers);
      } else {
        send(res, outcome.status, 'text/html; charset=utf-8', outcome.html, outcome.headers);
      }
    })().catch((err: unknown) => {
      ctx.logger.error({ err }, 'simulator request failed');
      if (!res.headersSent && !res.destroyed) send(res, 500, 'text/html; charset=utf-8', errorPage('Internal error.'));
    });
  };
}
