import { API_BASE, DEMO_PERSON_HEADER, type ActionBodies, type ActionResponse, type ActionVerb, type ApiError } from './contract.js';

/** Headers that say who is asking: a fresh SSO token in Teams, the demo person in open mode. */
export type Identity = () => Promise<Record<string, string>>;

/** Identity in Teams: `Authorization: Bearer <token>`, asked of Teams for each request. */
export const teamsIdentity =
  (token: () => Promise<string | null>): Identity =>
  async (): Promise<Record<string, string>> => {
    const t = await token();
    return t ? { Authorization: `Bearer ${t}` } : {};
  };

/** Identity in open mode: the chosen demo person's e-mail. */
export const demoIdentity =
  (email: string | null): Identity =>
  async (): Promise<Record<string, string>> =>
    email ? { [DEMO_PERSON_HEADER]: email } : {};

/** A request that did not succeed: the server's answer (status, code, sentence), or no answer at all (status 0). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError | null,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }

  /** Worth retrying later: no answer, 5xx, 429, 408. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429 || this.status === 408;
  }
}

/** A GET's result: new data with its etag, or "not modified" (304). */
export type GetResult<T> = { kind: 'data'; data: T; etag: string | null } | { kind: 'not-modified' };

const TIMEOUT_MS = 20_000;

/** The tab's one way to reach `/api`: same origin, JSON, the identity on every request, errors as ApiFailure. */
export class ApiClient {
  constructor(
    private readonly identity: Identity,
    private readonly fetchFn: typeof fetch = (...a) => fetch(...a),
  ) {}

  /** The headers of the current identity (for the event stream). */
  headers(): Promise<Record<string, string>> {
    return this.identity();
  }

  async get<T>(path: string, etag?: string | null): Promise<GetResult<T>> {
    const res = await this.request('GET', path, undefined, etag ? { 'If-None-Match': `"${etag}"` } : {});
    if (res.status === 304) return { kind: 'not-modified' };
    const data = (await res.json()) as T;
    return { kind: 'data', data, etag: res.headers.get('ETag')?.replace(/^W\//, '').replace(/"/g, '') ?? null };
  }

  /** GET that always wants data. */
  async read<T>(path: string): Promise<T> {
    const r = await this.get<T>(path);
    if (r.kind !== 'data') throw new ApiFailure(304, null, 'Unexpected "not modified".');
    return r.data;
  }

  async send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const res = await this.request(method, path, body);
    return (await res.json()) as T;
  }

  /** A ticket action: `POST /api/tickets/{key}/{verb}`. */
  act<V extends ActionVerb>(key: string, verb: V, body: ActionBodies[V]): Promise<ActionResponse> {
    return this.send<ActionResponse>('POST', `/tickets/${encodeURIComponent(key)}/${verb}`, body);
  }

  private async request(method: string, path: string, body: unknown, extra: Record<string, string> = {}): Promise<Response> {
    let ident: Record<string, string>;
    try {
      ident = await this.identity();
    } catch (err) {
      throw new ApiFailure(401, null, `Teams could not give the tab a sign-in token (${err instanceof Error ? err.message : String(err)}).`);
    }
    const headers: Record<string, string> = { Accept: 'application/json', ...ident, ...extra };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
    let res: Response;
    try {
      res = await this.fetchFn(`${API_BASE}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: ctrl.signal,
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (err) {
      const why = ctrl.signal.aborted ? 'no answer within 20 s' : err instanceof Error ? err.message : String(err);
      throw new ApiFailure(0, null, `The app's server is not answering (${why}).`);
    } finally {
      clearTimeout(timer);
    }
    if (res.ok || res.status === 304) return res;
    let err: ApiError | null = null;
    try {
      const parsed: unknown = await res.json();
      if (parsed && typeof parsed === 'object' && typeof (parsed as ApiError).message === 'string') err = parsed as ApiError;
    } catch (parseErr) {
      console.warn('LGD Support: an error answer without a JSON body', res.status, parseErr);
    }
    throw new ApiFailure(res.status, err, err?.message ?? `The app's server answered ${res.status} ${res.statusText}.`);
  }
}
