import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the Bot Framework connector. */
export interface ConnectorCall {
  method: string;
  path: string;
  body: unknown;
  headers: IncomingMessage['headers'];
  /** The HTTP status the connector answered with. */
  status: number;
}

/** A member of the roster the connector serves for member look-ups. */
export interface RosterEntry {
  id: string;
  aadObjectId?: string;
  name?: string;
  email?: string;
  userPrincipalName?: string;
}

/** How the next calls should fail. */
export interface FailureSpec {
  status: number;
  /** Sent as the `Retry-After` header (seconds). */
  retryAfter?: number;
  /** Teams' error code, sent as `{ error: { code, message } }`. */
  code?: string;
  /** Only calls this matches fail (and count); others are answered normally. Default: every call. */
  match?: (method: string, path: string) => boolean;
}

/** Options of the recording connector. */
export interface RecordingConnectorOptions {
  /** Members served by GET .../members/{id} and GET .../pagedmembers. */
  roster?: RosterEntry[];
  /** Page size of pagedmembers, overriding the caller's `pageSize`. */
  pageSize?: number;
  /**
   * Milliseconds each call travels before the connector takes it: a caller that is gone by then
   * (killed mid-send) never reached Teams, and its call is neither recorded nor answered.
   */
  latencyMs?: number;
}

/**
 * A local HTTP server standing in for the Bot Framework connector (the activity's `serviceUrl`):
 * it records every message the bot sends, updates or deletes and answers like the real one.
 */
export interface RecordingConnector {
  url: string;
  calls: ConnectorCall[];
  /** Sent activities (POST .../activities), in order. */
  sent(): Record<string, unknown>[];
  /** Makes the next `count` (matching) calls answer with the failure instead. */
  failNext(count: number, failure: FailureSpec): void;
  /** Replaces the roster served for member look-ups. */
  setRoster(roster: RosterEntry[]): void;
  /** Changes `latencyMs` for the calls that arrive from now on. */
  setLatency(ms: number): void;
  /** Calls that arrived and are still travelling (`latencyMs`): not taken yet. */
  inFlight(): number;
  /** Waits until `count` calls have arrived (or fails after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a recording connector on 127.0.0.1 and a free port. */
export async function startRecordingConnector(options: RecordingConnectorOptions = {}): Promise<RecordingConnector> {
  const calls: ConnectorCall[] = [];
  let seq = 0;
  let roster: RosterEntry[] = options.roster ?? [];
  let latencyMs = options.latencyMs ?? 0;
  let travelling = 0;
  const failures: { left: number; spec: FailureSpec }[] = [];
  /** Answers GET member look-ups from the roster; null for other calls. */
  const members = (method: string, url: URL): { status: number; body: unknown } | null => {
    if (method !== 'GET') return null;
    const one = /\/v3\/conversations\/[^/]+\/members\/([^/]+)$/.exec(url.pathname);
    if (one) {
      const id = decodeURIComponent(one[1] ?? '');
      const m = roster.find((r) => r.id === id || r.aadObjectId === id);
      return m
        ? { status: 200, body: m }
        : { status: 404, body: { error: { code: 'MemberNotFoundInConversation', message: 'The member was not found in the conversation.' } } };
    }
    if (/\/v3\/conversations\/[^/]+\/pagedmembers$/.test(url.pathname)) {
      const size = options.pageSize ?? Number(url.searchParams.get('pageSize') ?? 500);
      const start = Number(url.searchParams.get('continuationToken') ?? 0);
      const page = roster.slice(start, start + size);
      const next = start + size < roster.length ? String(start + size) : undefined;
      return { status: 200, body: { members: page, ...(next ? { continuationToken: next } : {}) } };
    }
    return null;
  };
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    let gone = false;
    res.on('close', () => (gone = !res.writableEnded));
    req.on('end', () => {
      if (latencyMs > 0) {
        travelling++;
        setTimeout(() => {
          travelling--;
          if (!gone) take();
        }, latencyMs);
      }
      else take();
    });
    const take = (): void => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const method = req.method ?? '';
      const path = req.url ?? '';
      const failure = failures.find((f) => f.left > 0 && (f.spec.match?.(method, path) ?? true));
      let status = 200;
      let answer: unknown;
      if (failure) {
        failure.left--;
        status = failure.spec.status;
        if (failure.spec.retryAfter !== undefined) res.setHeader('retry-after', String(failure.spec.retryAfter));
        answer = { error: { code: failure.spec.code ?? `Http${status}`, message: `recording connector answered ${status}` } };
      } else if (method === 'POST' && /\/v3\/conversations\/?$/.test(path)) {
        answer = { id: `conv-${++seq}`, activityId: `act-${seq}` };
      } else {
        const member = members(method, new URL(path, 'http://connector'));
        if (member) ({ status, body: answer } = member);
        else answer = { id: `act-${++seq}` };
      }
      calls.push({ method, path, body, headers: req.headers, status });
      waiters.splice(0).forEach((w) => w());
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer));
    };
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    sent: () =>
      calls
        .filter((c) => c.method === 'POST' && c.status < 300 && /\/activities(\/[^/]+)?$/.test(c.path))
        .map((c) => c.body as Record<string, unknown>),
    failNext(count, failure) {
      failures.push({ left: count, spec: failure });
    },
    setRoster(next) {
      roster = next;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    inFlight: () => travelling,
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (calls.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} connector calls, got ${calls.length}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50).unref();
        });
      }
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
