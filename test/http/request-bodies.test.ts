/**
 * One request never stops the server: malformed, compressed, oversized, deep or slow bodies sent
 * to the real app's /api/messages each get a 4xx with a clear message, and the server answers
 * the next request.
 */
import { request } from 'node:http';
import { deflateSync, gzipSync } from 'node:zlib';
import { pino } from 'pino';
import type { Server } from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, createHttpServer, listen } from '../../bot/http/http-server.js';
import { checkJsonDepth } from '../../bot/http/read-body.js';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.js';
import { personalMessage, testUser } from '../support/teams-activities.js';
import { startTestApp } from '../support/test-app.js';

let app: Awaited<ReturnType<typeof startTestApp>>;
let connector: RecordingConnector;
const ann = testUser(1, 'Ann Lead', 'ann.lead@lgd.example');

beforeAll(async () => {
  connector = await startRecordingConnector();
  app = await startTestApp({}, { startWorker: false });
});
afterAll(async () => {
  await app?.close();
  await connector?.close();
});

async function post(body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; body: { code?: string; message?: string } | string }> {
  const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers, body });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as { code?: string; message?: string } };
  } catch {
    return { status: res.status, body: text };
  }
}

async function stillUp(): Promise<void> {
  const res = await fetch(`${app.url}/healthz`);
  expect(res.status).toBe(200);
}

const JSON_GZIP = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
const activity = (): string => JSON.stringify(personalMessage(connector.url, ann, 'help'));

describe('request bodies on /api/messages', () => {
  it('accepts a gzip-compressed activity', async () => {
    const a = await post(gzipSync(activity()), JSON_GZIP);
    expect(a.status).toBe(200);
  });

  it('accepts a deflate-compressed activity', async () => {
    const a = await post(deflateSync(activity()), { 'content-type': 'application/json', 'content-encoding': 'deflate' });
    expect(a.status).toBe(200);
  });

  it('answers a gzip body that is not gzip with 400, and stays up', async () => {
    const a = await post('this is not gzip at all', JSON_GZIP);
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({ code: 'BadEncoding', message: expect.stringContaining('not valid gzip') });
    await stillUp();
  });

  it('answers a truncated gzip body with 400, and stays up', async () => {
    const whole = gzipSync(activity());
    const a = await post(whole.subarray(0, Math.floor(whole.length / 2)), JSON_GZIP);
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({ code: 'BadEncoding' });
    await stillUp();
  });

  it('refuses a gzip bomb with 413 once the inflated body passes the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(100 * 1024 * 1024, 0x20)); // about 100 KB on the wire
    expect(bomb.length).toBeLessThan(256 * 1024);
    const a = await post(bomb, JSON_GZIP);
    expect(a.status).toBe(413);
    expect(a.body).toMatchObject({ code: 'PayloadTooLarge', message: expect.stringContaining('after inflating') });
    await stillUp();
  });

  it('refuses a deflate bomb with 413 too', async () => {
    const bomb = deflateSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    const a = await post(bomb, { 'content-type': 'application/json', 'content-encoding': 'deflate' });
    expect(a.status).toBe(413);
    await stillUp();
  });

  it('refuses an unknown or stacked Content-Encoding with 415', async () => {
    for (const encoding of ['br', 'compress', 'gzip, gzip']) {
      const a = await post(activity(), { 'content-type': 'application/json', 'content-encoding': encoding });
      expect(a.status, encoding).toBe(415);
      expect(a.body).toMatchObject({ code: 'UnsupportedEncoding' });
    }
    await stillUp();
  });

  it('refuses a body that is not JSON by its Content-Type with 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']) {
      const a = await post(activity(), { 'content-type': type });
      expect(a.status, type).toBe(415);
      expect(a.body).toMatchObject({ code: 'UnsupportedMediaType', message: expect.stringContaining('application/json') });
    }
  });

  it('refuses JSON nested beyond the limit with 400 and a clear message', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const a = await post(deep, { 'content-type': 'application/json' });
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({ code: 'TooDeep', message: expect.stringContaining('32 levels') });
    const nested = JSON.parse(activity()) as Record<string, unknown>;
    let inner: Record<string, unknown> = {};
    nested.channelData = inner;
    for (let i = 0; i < 40; i++) inner = (inner.x = {});
    expect((await post(JSON.stringify(nested), { 'content-type': 'application/json' })).status).toBe(400);
    await stillUp();
  });

  it('counts depth outside strings only', () => {
    expect(() => checkJsonDepth(JSON.stringify({ a: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["', b: '\\"{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{' }), 3)).not.toThrow();
    expect(() => checkJsonDepth('[[[[', 3)).toThrow(/3 levels/);
  });

  it('refuses an empty body and invalid JSON with 400', async () => {
    expect((await post('', { 'content-type': 'application/json' })).body).toMatchObject({ code: 'EmptyBody' });
    const bad = await post('{"type": "message",', { 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'InvalidJson', message: expect.stringMatching(/^Invalid JSON: /) });
    const latin1 = await post(Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]), { 'content-type': 'application/json' });
    expect(latin1.body).toMatchObject({ code: 'BadBody', message: 'The body is not valid UTF-8.' });
  });

  it('refuses a body declared larger than the limit at once with 413', async () => {
    const url = new URL(`${app.url}/api/messages`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.write('{');
    });
    expect(status).toBe(413);
    await stillUp();
  });
});

describe('a body that arrives too slowly', () => {
  let server: Server;
  let url: URL;

  beforeAll(async () => {
    server = createHttpServer({
      logger: pino({ level: 'silent' }),
      bodyLimits: { timeoutMs: 500 },
      routes: [{ name: 'echo', method: 'post', path: '/echo', body: 'json', handler: (req, res) => void res.send(200, req.body) }],
    });
    const port = await listen(server, 0, '127.0.0.1');
    url = new URL(`http://127.0.0.1:${port}/echo`);
  });
  afterAll(async () => {
    await closeServer(server);
  });

  it('is cut off with 408 after the body timeout, and the server answers the next request', async () => {
    const t0 = Date.now();
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '20' } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write('{"a":'); // and then nothing
    });
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'RequestTimeout' });
    expect(Date.now() - t0).toBeLessThan(5_000);
    const next = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await next.json()).toEqual({ a: 1 });
  });

  it('leaves the node server a finite request timeout as a backstop', () => {
    expect(server.server.requestTimeout).toBeGreaterThan(0);
    expect(server.server.requestTimeout).toBeLessThanOrEqual(60_000);
    expect(server.server.headersTimeout).toBeLessThanOrEqual(server.server.requestTimeout);
  });
});
