import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the Bot Framework connector. */
export interface ConnectorCall {
  method: string;
  path: string;
  body: unknown;
  headers: IncomingMessage['headers'];
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
  /** Waits until `count` calls have arrived (or fails after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a recording connector on 127.0.0.1 and a free port. */
export async function startRecordingConnector(): Promise<RecordingConnector> {
  const calls: ConnectorCall[] = [];
  let seq = 0;
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      calls.push({ method: req.method ?? '', path: req.url ?? '', body, headers: req.headers });
      waiters.splice(0).forEach((w) => w());
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && /\/v3\/conversations\/?$/.test(req.url ?? '')) {
        res.end(JSON.stringify({ id: `conv-${++seq}`, activityId: `act-${seq}` }));
      } else {
        res.end(JSON.stringify({ id: `act-${++seq}` }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    sent: () =>
      calls.filter((c) => c.method === 'POST' && /\/activities(\/[^/]+)?$/.test(c.path)).map((c) => c.body as Record<string, unknown>),
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
