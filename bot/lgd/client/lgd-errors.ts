import { AppError } from '../../errors.js';

/** What the client asked LGD, for error reports and logs. Never holds credentials. */
export interface LgdRequestInfo {
  method: 'GET' | 'POST';
  /** Path relative to the base URL, e.g. `wd/query/list.rails`. */
  path: string;
  /** Query or form fields, without credentials. */
  params: Record<string, string>;
}

/** Fields whose values never leave the client in errors or logs. */
const SECRET_FIELDS = new Set(['ecom_user_password', 'ecom_user_id', 'password']);

/** Copies request fields for reporting, dropping credentials. */
export function safeParams(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (!SECRET_FIELDS.has(k.toLowerCase())) out[k] = v;
  }
  return out;
}

/** One line naming a request, e.g. `GET wd/query/list.rails?class_name=…&page=2`. */
export function describeRequest(req: LgdRequestInfo): string {
  const query = new URLSearchParams(safeParams(req.params)).toString();
  return `${req.method} ${req.path}${query ? `?${query}` : ''}`;
}

/** Shortest secret that is blanked in LGD's answers (shorter ones would garble ordinary words). */
const MIN_SCRUBBED = 4;

/** Replaces each secret (the service account's password, its name) in text LGD sent back with `***`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= MIN_SCRUBBED) out = out.split(s).join('***');
  return out;
}

interface LgdErrorOptions {
  request?: LgdRequestInfo;
  status?: number;
  cause?: unknown;
  /**
   * What LGD answered, as people should read it: `HTTP 404 (an HTML page): The resource cannot
   * be found.` Secrets already removed. Absent when no answer came.
   */
  answer?: string;
}

/** Base of every LGD client error: carries the request that met it (credentials removed). */
export abstract class LgdError extends AppError {
  /** The request that met the error, when there was one. */
  readonly request: LgdRequestInfo | undefined;
  /** HTTP status of LGD's answer, when one came. */
  readonly status: number | undefined;
  /** True when trying again later may succeed. */
  abstract readonly retryable: boolean;
  /** What LGD answered (status, page kind, its message), when an answer came. */
  readonly lgdAnswer: string | undefined;

  constructor(code: string, userMessage: string, detail: string, options: LgdErrorOptions = {}) {
    const request = options.request ? { ...options.request, params: safeParams(options.request.params) } : undefined;
    super(code, userMessage, {
      cause: options.cause,
      detail: request ? `${detail}; request: ${describeRequest(request)}` : detail,
    });
    this.request = request;
    this.status = options.status;
    this.lgdAnswer = options.answer;
  }
}

/**
 * LGD did not answer usefully: network error, timeout, dropped connection or a 5xx. For a write,
 * `outcomeUnknown` says the request was sent and no answer came (or a gateway's 502 / 504 came
 * instead of LGD's): it may have been applied, or be applied yet.
 */
export class LgdUnavailable extends LgdError {
  readonly retryable = true;
  readonly outcomeUnknown: boolean;
  /** How long LGD asked the app to wait before trying again (its Retry-After), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(detail: string, options: LgdErrorOptions & { outcomeUnknown?: boolean; retryAfterMs?: number } = {}) {
    super(
      'LGD_UNAVAILABLE',
      options.outcomeUnknown
        ? options.answer !== undefined
          ? `LGD's gateway answered ${options.answer.replace(/[.\s]+$/, '')}, so the app cannot tell whether the change was made; it will check before trying again.`
          : 'LGD did not answer, so the app cannot tell whether the change was made; it will check before trying again.'
        : options.answer !== undefined
          ? `LGD answered ${options.answer.replace(/[.\s]+$/, "")}; nothing was changed. Please try again in a few minutes.`
          : `LGD is not answering right now (${detail}); nothing was changed. Please try again in a few minutes.`,
      detail,
      options,
    );
    this.outcomeUnknown = options.outcomeUnknown ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** LGD answered and said no (e.g. an action not allowed at the ticket's status). */
export class LgdRefused extends LgdError {
  readonly retryable = false;
  /** LGD's own words. */
  readonly lgdMessage: string;

  constructor(lgdMessage: string, options: LgdErrorOptions = {}) {
    // A refusal inside a 200 answer is LGD's words alone; an HTTP error also says what came (404, an HTML page).
    const how = options.status !== undefined && options.status !== 200 ? ` (${answerKind(options.answer, options.status)})` : '';
    super('LGD_REFUSED', `LGD refused this: ${lgdMessage}${how}`, `LGD said: ${lgdMessage}${how}`, options);
    this.lgdMessage = lgdMessage;
  }
}

/** LGD's answer did not match what was asked (bad JSON, wrong shape, missing attribute, bad date). */
export class LgdBadResponse extends LgdError {
  readonly retryable = false;
  /** For a write: LGD accepted it but its answer was unreadable, so it may have been applied. */
  readonly outcomeUnknown: boolean;

  constructor(detail: string, options: LgdErrorOptions & { outcomeUnknown?: boolean } = {}) {
    super('LGD_BAD_RESPONSE', `LGD gave an answer the app could not understand (${detail}); the app did not act on it.`, detail, options);
    this.outcomeUnknown = options.outcomeUnknown ?? false;
  }
}

/** LGD refused the service account's credentials; the client stops until `logon()` is called again. */
export class LgdAuthFailed extends LgdError {
  readonly retryable = false;
  readonly lgdMessage: string;

  constructor(lgdMessage: string, options: LgdErrorOptions = {}) {
    super(
      'LGD_AUTH_FAILED',
      `The app could not log on to LGD: the service account was refused (LGD said: ${lgdMessage}). An administrator must check LGD_USERNAME and LGD_PASSWORD.`,
      `LGD said: ${lgdMessage}`,
      options,
    );
    this.lgdMessage = lgdMessage;
  }
}

/** Internal: the session is gone (403, redirect to log-on, HTML where JSON was asked). */
export class LgdSessionLost extends LgdError {
  readonly retryable = true;

  constructor(detail: string, options: LgdErrorOptions = {}) {
    super('LGD_SESSION_LOST', 'The LGD session ended; please try again.', detail, options);
  }
}

/** `HTTP 404, an HTML page` from a described answer (`HTTP 404 (an HTML page): …`), or just the status. */
function answerKind(answer: string | undefined, status: number): string {
  const head = answer === undefined ? null : /^HTTP \d{3}(?: \(([^)]*)\))?/.exec(answer);
  return head?.[1] ? `HTTP ${status}, ${head[1]}` : `HTTP ${status}`;
}
