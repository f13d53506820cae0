import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the gate sees it. */
export interface GateRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  /** The form body of a POST, parsed. */
  form: Record<string, string>;
}

/** A request held at the gate: it has not reached LGD until released. */
export interface HeldRequest {
  /** Resolves when a matching request arrives (and is held). */
  arrived: Promise<GateRequest>;
  /** Lets it through to LGD. */
  release(): void;
}

/**
 * A small HTTP proxy in front of an LGD (the simulator or the minimal LGD), so a test can hold a
 * write in flight or make LGD's reads fail, between the real app and a real LGD. Everything else
 * passes through unchanged (cookies, redirects, bodies).
 */
export class LgdGate {
  baseUrl = '';
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private holds: { match: (r: GateRequest) => boolean; arrived: (r: GateRequest) => void; released: Promise<void>; afterApplied: boolean }[] = [];
  private failingReads = false;

  /** `target` is LGD's base URL; the gate answers on the same path. */
  constructor(private readonly target: string) {}

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const t = new URL(this.target);
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${t.pathname.replace(/\/$/, '')}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  /**
   * Holds the next request that matches until `release()`. With `afterApplied`, the request reaches
   * LGD at once and only LGD's answer is held (`arrived` resolves once LGD has applied it): a write
   * LGD made whose answer the caller has not had.
   */
  hold(match: (r: GateRequest) => boolean, opts: { afterApplied?: boolean } = {}): HeldRequest {
    let arrived!: (r: GateRequest) => void;
    let release!: () => void;
    const arrivedP = new Promise<GateRequest>((r) => (arrived = r));
    const released = new Promise<void>((r) => (release = r));
    this.holds.push({ match, arrived, released, afterApplied: opts.afterApplied ?? false });
    return { arrived: arrivedP, release };
  }

  /** While on, every GET (a read: open, list) is answered 503 with an HTML error page; writes pass. */
  failReads(on: boolean): void {
    this.failingReads = on;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const method = req.method ?? 'GET';
    const gateReq: GateRequest = { method, url: req.url ?? '/', form: method === 'POST' ? Object.fromEntries(new URLSearchParams(body.toString('utf8'))) : {} };
    if (this.failingReads && method === 'GET') {
      res.writeHead(503, { 'Content-Type': 'text/html' });
      res.end('<html><body><span class="exceptionMessage">Service Unavailable (test gate)</span></body></html>');
      return;
    }
    const held = this.holds.find((h) => h.match(gateReq));
    if (held) {
      this.holds = this.holds.filter((h) => h !== held);
      if (!held.afterApplied) {
        held.arrived(gateReq);
        await held.released;
      }
    }
    const t = new URL(this.target);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
    }
    try {
      const answer = await fetch(`${t.origin}${req.url ?? '/'}`, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body, redirect: 'manual' });
      const out: Record<string, string | string[]> = {};
      answer.headers.forEach((v, k) => {
        if (k !== 'set-cookie' && k !== 'content-length' && k !== 'content-encoding' && k !== 'transfer-encoding' && k !== 'connection') out[k] = v;
      });
      const cookies = answer.headers.getSetCookie();
      if (cookies.length > 0) out['set-cookie'] = cookies;
      const content = Buffer.from(await answer.arrayBuffer());
      if (held?.afterApplied) {
        held.arrived(gateReq);
        await held.released;
      }
      res.writeHead(answer.status, out);
      res.end(content);
    } catch {
      // LGD dropped the connection: so does the gate.
      res.destroy();
    }
  }
}

/** Starts a gate in front of the LGD at `target`. */
export function startLgdGate(target: string): Promise<LgdGate> {
  return new LgdGate(target).listen();
}
