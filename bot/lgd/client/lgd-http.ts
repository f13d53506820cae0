import { CookieJar } from './cookie-jar.js';
import { errorPageMessage } from './error-page.js';
import {
  LgdBadResponse,
  LgdRefused,
  LgdSessionLost,
  LgdUnavailable,
  scrubSecrets,
  type LgdRequestInfo,
} from './lgd-errors.js';
import { lgdMessageSchema } from './lgd-response.js';
import { UndecodableAnswer, type LgdTransport } from './lgd-transport.js';

/** One HTTP request to Web Access. `params` go in the query (GET) or the form body (POST). */
export interface LgdHttpRequest {
  method: 'GET' | 'POST';
  path: string;
  params: Record<string, string>;
  /** True for a request that changes LGD: never resent once it may have reached the server. */
  write: boolean;
}

/** What came back, before interpretation. */
export interface LgdRawAnswer {
  status: number;
  contentType: string;
  location: string | null;
  body: string;
  /** The Retry-After header of a busy answer (seconds or an HTTP date), when there was one. */
  retryAfter?: string | null;
}

/** Longest wait a Retry-After is followed for (a broken header must not stall the outbox for days). */
const MAX_RETRY_AFTER_MS = 3_600_000;

/** How long a Retry-After asks to wait, in ms (seconds or an HTTP date; capped at an hour), or undefined. */
export function retryAfterMs(value: string | null | undefined, now: Date = new Date()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  const ms = /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v) - now.getTime();
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

/**
 * Statuses that say LGD (or a front end before it) is busy or timed the request out, not that it
 * refused it: 408 Request Timeout and 429 Too Many Requests, like a 5xx, are worth trying again.
 */
export const isBusyStatus = (status: number): boolean => status >= 500 || status === 408 || status === 429;

/**
 * Error statuses after which a write may still have been applied (or be applied yet), so its
 * outcome is unknown: 502 Bad Gateway (a proxy passed the request on and got a broken answer or a
 * cut connection back) and 504 Gateway Timeout (a proxy gave up waiting while LGD may still be
 * working on it). Every other busy status says the request was not taken: 503 (IIS answers it
 * when the application pool is stopped or its queue is full, a proxy when no LGD is behind it:
 * before the request is handled), 500 (LGD's own error page: the action failed and its save is
 * one transaction [inferred]), 408 (the request did not arrive whole) and 429 (throttled).
 */
export const mayHaveBeenApplied = (status: number): boolean => status === 502 || status === 504;

/** Connection errors that prove the request never reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}

/** The part of a request that is safe to report. */
export function requestInfo(req: LgdHttpRequest): LgdRequestInfo {
  return { method: req.method, path: req.path, params: req.params };
}

/** Sends requests with the session's cookies, a timeout and no automatic redirects. */
export class LgdHttp {
  readonly jar = new CookieJar();

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly transport: LgdTransport,
    /** Values (the service account's password and name) never repeated from LGD's answers into errors. */
    private readonly secrets: readonly string[] = [],
  ) {}

  /** Text from an LGD answer with the secrets blanked, fit for errors, logs and /healthz. */
  scrub(text: string): string {
    return scrubSecrets(text, this.secrets);
  }

  /** The absolute URL of a path relative to the base URL. */
  url(path: string): URL {
    const base = this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`;
    return new URL(path.replace(/^\/+/, ''), base);
  }

  /** Sends once; a transport failure becomes LgdUnavailable (outcomeUnknown for a write that may have arrived). */
  async send(req: LgdHttpRequest): Promise<LgdRawAnswer> {
    const url = this.url(req.path);
    const headers: Record<string, string> = { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
    const cookie = this.jar.header();
    if (cookie) headers.Cookie = cookie;
    let body: string | undefined;
    if (req.method === 'GET') {
      // One serialisation of the query (each searchParams.set re-serialises the whole of it).
      if (url.search === '') url.search = new URLSearchParams(req.params).toString();
      else for (const [k, v] of Object.entries(req.params)) url.searchParams.set(k, v);
    } else {
      headers['Content-Type'] = 'application/x-www-form-urlencoded; charset=utf-8';
      body = new URLSearchParams(req.params).toString();
    }
    try {
      const res = await this.transport(url, { method: req.method, headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
      this.jar.store(res.setCookies);
      return {
        status: res.status,
        contentType: (res.header('content-type') ?? '').toLowerCase(),
        location: res.header('location'),
        body: res.body,
        retryAfter: res.header('retry-after'),
      };
    } catch (err) {
      if (err instanceof UndecodableAnswer) {
        // LGD (or a front end) answered whole: for a write it may have been applied.
        throw new LgdBadResponse(`${err.message} in a ${err.status} answer`, { request: requestInfo(req), status: err.status, cause: err, outcomeUnknown: req.write });
      }
      const code = errorCode(err);
      const timedOut = errorName(err) === 'TimeoutError';
      const notSent = code !== undefined && NOT_SENT_CODES.has(code);
      const what = timedOut ? `no answer within ${this.timeoutMs} ms` : `connection failed (${code ?? errorName(err)})`;
      throw new LgdUnavailable(what, { request: requestInfo(req), cause: err, outcomeUnknown: req.write && !notSent });
    }
  }

  /** True when a redirect's Location is the log-on page (with or without the `wd/` segment). */
  isLogonRedirect(location: string, logonPath: string): boolean {
    let target: URL;
    try {
      target = new URL(location, this.url(''));
    } catch {
      return false;
    }
    const wanted = logonPath.replace(/^\/+/, '').replace(/^wd\//i, '').toLowerCase();
    return target.pathname.toLowerCase().endsWith(`/${wanted}`);
  }
}

const looksLikeJson = (a: LgdRawAnswer): boolean =>
  /[/+]json\b/.test(a.contentType) || /^\s*[[{]/.test(a.body);

function parseJson(a: LgdRawAnswer, req: LgdHttpRequest, http: LgdHttp): unknown {
  try {
    return JSON.parse(a.body) as unknown;
  } catch (err) {
    const snippet = http.scrub(a.body.slice(0, 80).replace(/\s+/g, ' '));
    throw new LgdBadResponse(`malformed JSON in a ${a.status} answer: "${snippet}"`, {
      request: requestInfo(req),
      status: a.status,
      cause: err,
      outcomeUnknown: req.write && a.status === 200,
    });
  }
}

const isHtml = (a: LgdRawAnswer): boolean => /html/.test(a.contentType) || /<html\b/i.test(a.body.slice(0, 4096));

/** LGD's message in an error answer: JSON `{message}`, an HTML page's exceptionMessage, or the text. */
export function errorMessage(a: LgdRawAnswer): string {
  if (looksLikeJson(a)) {
    try {
      const m = lgdMessageSchema.safeParse(JSON.parse(a.body));
      if (m.success) return m.data.message;
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
    }
  }
  if (isHtml(a)) return errorPageMessage(a.body) ?? `HTTP ${a.status}`;
  const text = a.body.trim().replace(/\s+/g, ' ').slice(0, 200);
  return text === '' ? `HTTP ${a.status}` : text;
}

/**
 * What LGD answered, as a person should read it: `HTTP 404 (an HTML page): The resource cannot be
 * found.`, `HTTP 400: Unknown class X`, `HTTP 302 to /elsewhere`. Secrets are blanked.
 */
export function describeAnswer(a: LgdRawAnswer, http: LgdHttp): string {
  if (a.status >= 300 && a.status < 400) return `HTTP ${a.status} to ${http.scrub(a.location ?? '(no Location)')}`;
  const kind = looksLikeJson(a) ? '' : isHtml(a) ? ' (an HTML page)' : a.body.trim() === '' ? ' (empty)' : ' (text)';
  const message = http.scrub(errorMessage(a));
  return message === `HTTP ${a.status}` ? `HTTP ${a.status}${kind}` : `HTTP ${a.status}${kind}: ${message}`;
}

/**
 * Reads an answer to a request that asked for JSON: the parsed body of a 200, or a typed error
 * that carries what LGD answered. Session loss (403, redirect to log-on, non-JSON 200) throws LgdSessionLost.
 */
export function interpretJson(a: LgdRawAnswer, req: LgdHttpRequest, http: LgdHttp, logonPath: string): unknown {
  const request = requestInfo(req);
  if (a.status === 200 && looksLikeJson(a)) return parseJson(a, req, http);
  const answer = describeAnswer(a, http);
  const base = { request, status: a.status, answer };
  if (a.status === 403) throw new LgdSessionLost(answer, base);
  if (a.status >= 300 && a.status < 400) {
    if (a.location && http.isLogonRedirect(a.location, logonPath)) {
      throw new LgdSessionLost(`redirected to the log-on page (${a.status})`, base);
    }
    throw new LgdBadResponse(`unexpected redirect: ${answer}`, base);
  }
  if (a.status === 200) {
    throw new LgdSessionLost(`answered ${a.contentType || 'without a content type'} where JSON was asked`, base);
  }
  const message = http.scrub(errorMessage(a));
  if (isBusyStatus(a.status)) {
    throw new LgdUnavailable(answer, { ...base, retryAfterMs: retryAfterMs(a.retryAfter), outcomeUnknown: req.write && mayHaveBeenApplied(a.status) });
  }
  throw new LgdRefused(message, base);
}
