/**
 * LgdHttp over its transports, against real HTTP servers on 127.0.0.1: the default (undici's
 * `request` on a keep-alive pool) and the fetch adapter tests inject. Both must hand LgdHttp the
 * same answer, and every way a request can fail must become the same LGD error.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { LgdBadResponse, LgdUnavailable } from '../../../bot/lgd/client/lgd-errors.js';
import { LgdHttp, type LgdHttpRequest } from '../../../bot/lgd/client/lgd-http.js';
import { MAX_DECODED_BYTES, fetchTransport, undiciTransport, type LgdTransport } from '../../../bot/lgd/client/lgd-transport.js';
import { rejection } from './client-harness.js';

const servers: Server[] = [];
const agents: Agent[] = [];

afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()));
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((ok) => s.close(ok));
  }
});

/** A server on 127.0.0.1 answering with `handle`, and the connections it accepted. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', () => connections++);
  servers.push(server);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/app`, connections: () => connections };
}

const read: LgdHttpRequest = { method: 'GET', path: 'wd/query/list.rails', params: { class_name: 'X' }, write: false };
const write: LgdHttpRequest = { method: 'POST', path: 'object/save.rails', params: { class_name: 'N', Title: 'Größe & <b>' }, write: true };

function transports(): [string, () => LgdTransport][] {
  return [
    ['undici request (the default)', () => {
      const agent = new Agent();
      agents.push(agent);
      return undiciTransport(agent);
    }],
    ['an injected fetch', () => fetchTransport(globalThis.fetch)],
  ];
}

describe.each(transports())('LgdHttp over %s', (_, make) => {
  it('reads the status, the headers, every Set-Cookie and a UTF-8 body split inside a character; a redirect is not followed', async () => {
    const text = '{"title":"Ünïcødé ✓ 日本"}';
    const bytes = Buffer.from(text, 'utf8');
    const cut = bytes.indexOf(0xe2) + 1; // inside the three bytes of ✓
    const srv = await serve((req, res) => {
      if (req.url?.startsWith('/app/wd/query/list.rails')) {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': '7', 'Set-Cookie': ['A=1; Path=/', 'B=2; HttpOnly'] });
        res.write(bytes.subarray(0, cut));
        setTimeout(() => res.end(bytes.subarray(cut)), 20);
      } else {
        res.writeHead(302, { Location: '/app/wd/Logon/Logon.rails' }).end();
      }
    });
    const http = new LgdHttp(srv.url, 2000, make());
    const a = await http.send(read);
    expect(a).toEqual({ status: 200, contentType: 'application/json; charset=utf-8', location: null, body: text, retryAfter: '7' });
    expect(http.jar.header()).toBe('A=1; B=2');
    const moved = await http.send({ ...read, path: 'elsewhere' });
    expect(moved.status).toBe(302);
    expect(moved.location).toBe('/app/wd/Logon/Logon.rails');
    expect(moved.body).toBe('');
  });

  it('sends a write as a form, whole, with the session cookie', async () => {
    let got: { method?: string; type?: string; cookie?: string; body: string } | undefined;
    const srv = await serve((req, res, body) => {
      got = { method: req.method, type: req.headers['content-type'], cookie: req.headers.cookie, body };
      res.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': 'S=abc' }).end('{}');
    });
    const http = new LgdHttp(srv.url, 2000, make());
    await http.send(read);
    await http.send(write);
    expect(got).toEqual({ method: 'POST', type: 'application/x-www-form-urlencoded; charset=utf-8', cookie: 'S=abc', body: new URLSearchParams(write.params).toString() });
  });

  it('names a request LGD never answers as a timeout; a write\'s outcome is unknown', async () => {
    const srv = await serve(() => undefined);
    const http = new LgdHttp(srv.url, 150, make());
    const r = await rejection(http.send(read));
    expect(r).toBeInstanceOf(LgdUnavailable);
    expect((r as LgdUnavailable).message).toContain('(no answer within 150 ms)');
    expect((r as LgdUnavailable).outcomeUnknown).toBe(false);
    const w = await rejection(http.send(write));
    expect((w as LgdUnavailable).outcomeUnknown).toBe(true);
  });

  it('knows a write to a port nobody listens on was never sent', async () => {
    const srv = await serve((_, res) => res.end());
    const url = srv.url;
    for (const s of servers.splice(0)) await new Promise((ok) => s.close(ok));
    const w = await rejection(new LgdHttp(url, 2000, make()).send(write));
    expect(w).toBeInstanceOf(LgdUnavailable);
    expect((w as LgdUnavailable).message).toContain('(connection failed (ECONNREFUSED))');
    expect((w as LgdUnavailable).outcomeUnknown).toBe(false);
  });

  it('calls a connection cut inside the body a failure, a write\'s outcome unknown', async () => {
    const srv = await serve((_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('{"value":"');
      setTimeout(() => res.destroy(), 20);
    });
    const http = new LgdHttp(srv.url, 2000, make());
    const w = await rejection(http.send(write));
    expect(w).toBeInstanceOf(LgdUnavailable);
    expect((w as LgdUnavailable).outcomeUnknown).toBe(true);
    expect((w as LgdUnavailable).message).toMatch(/\(connection failed \(/);
  });

  it('reads a body a front end gzipped unasked', async () => {
    const srv = await serve((_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }).end(gzipSync('{"a":"é"}'));
    });
    expect((await new LgdHttp(srv.url, 2000, make()).send(read)).body).toBe('{"a":"é"}');
  });
});

describe('the default transport', () => {
  it('keeps its connections open between a session\'s requests (pooled, not one per request)', async () => {
    const srv = await serve((_, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
    const agent = new Agent();
    agents.push(agent);
    const http = new LgdHttp(srv.url, 2000, undiciTransport(agent));
    for (let i = 0; i < 8; i++) await http.send(read);
    // undici may open a second one while it still settles the first after a body is read.
    expect(srv.connections()).toBeLessThanOrEqual(2);
  });

  it('calls a body it cannot decode (corrupt, an unknown encoding, one that expands past 64 MB) a bad answer, never a connection failure; for a write of unknown outcome', async () => {
    const srv = await serve((req, res) => {
      if (req.url?.includes('bomb')) {
        // 80 MB of zeros, gzipped to about 80 KB.
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }).end(gzipSync(Buffer.alloc(MAX_DECODED_BYTES + 16 * 1024 * 1024)));
        return;
      }
      const enc = req.url?.includes('zstd') ? 'zstd' : req.url?.includes('proto') ? '__proto__' : 'gzip';
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': enc }).end('not compressed at all');
    });
    const agent = new Agent();
    agents.push(agent);
    const http = new LgdHttp(srv.url, 2000, undiciTransport(agent));
    const corrupt = await rejection(http.send(write));
    expect(corrupt).toBeInstanceOf(LgdBadResponse);
    expect((corrupt as LgdBadResponse).message).toContain('(a gzip body that does not decode within 64 MB in a 200 answer)');
    expect((corrupt as LgdBadResponse).outcomeUnknown).toBe(true);
    const unknown = await rejection(http.send({ ...read, path: 'zstd' }));
    expect((unknown as LgdBadResponse).message).toContain('(a body encoded as "zstd" in a 200 answer)');
    expect((unknown as LgdBadResponse).outcomeUnknown).toBe(false);
    const proto = await rejection(http.send({ ...read, path: 'proto' }));
    expect((proto as LgdBadResponse).message).toContain('(a body encoded as "__proto__" in a 200 answer)');
    const bomb = await rejection(http.send({ ...read, path: 'bomb' }));
    expect(bomb).toBeInstanceOf(LgdBadResponse);
    expect((bomb as LgdBadResponse).message).toContain('does not decode within 64 MB');
  });
});
