/**
 * Bot authentication on /api/messages against a local OpenID issuer (test/support/local-openid.ts)
 * that botbuilder and the app's own pre-check are pointed at through configuration: a valid
 * channel token is processed; every token that fails is a 401 with nothing processed (no
 * conversation stored, nothing sent to Teams); keys that cannot be fetched are a 503; no answer
 * carries internal error text.
 */
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.js';
import { botFrameworkEnv, channelToken, startLocalOpenId, type LocalOpenId } from '../support/local-openid.js';
import { searchInvoke, testUser } from '../support/teams-activities.js';
import { startTestApp } from '../support/test-app.js';

const APP_ID = '00000000-0000-4000-8000-00000000b0b0';
const ann = testUser(1, 'Ann Lead', 'ann.lead@lgd.example');

let issuer: LocalOpenId;
let connector: RecordingConnector;
let app: Awaited<ReturnType<typeof startTestApp>>;

beforeAll(async () => {
  issuer = await startLocalOpenId({ issuer: 'https://api.botframework.test', endorsements: ['msteams'] });
  connector = await startRecordingConnector();
  app = await startTestApp(botFrameworkEnv(issuer, APP_ID), { startWorker: false });
});
afterAll(async () => {
  await app?.close();
  await connector?.close();
  await issuer?.close();
});

interface Answer {
  status: number;
  text: string;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const conversationsStored = (): Promise<number> => app.store.collection('conversations').countDocuments({});

/** What no answer may contain: the issuer's address, library or stack text, anything about keys or metadata. */
function expectNothingInternal(a: Answer): void {
  for (const word of ['127.0.0.1', issuer.url, 'openid', 'jwks', 'keys', 'Error', 'fetch', 'signature', 'expired', 'audience', 'issuer', ' at ']) {
    expect(a.text, `answer ${a.text}`).not.toContain(word);
  }
}

describe('bot authentication against a local OpenID issuer', () => {
  it('processes an activity with a valid channel token', async () => {
    const token = await issuer.sign(channelToken(APP_ID, connector.url));
    const a = await post(app.url, searchInvoke(connector.url, ann, 'dev'), bearer(token));
    expect(a.status).toBe(200);
    expect(JSON.parse(a.text)).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.search.searchResponse' });
    expect(await conversationsStored()).toBe(1);
    await app.store.collection('conversations').deleteMany({});
  });

  const refused: [string, () => Promise<Record<string, string>>][] = [
    ['no Authorization header', async () => ({})],
    ['a scheme other than Bearer', async () => ({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })],
    ['a forged signature', async () => bearer(await issuer.sign(channelToken(APP_ID, connector.url), { forged: true }))],
    ['an expired token', async () => bearer(await issuer.sign(channelToken(APP_ID, connector.url), { expiresIn: -3600 }))],
    ['a token for another bot (audience)', async () => bearer(await issuer.sign(channelToken('11111111-1111-4111-8111-111111111111', connector.url)))],
    ['a token from another issuer', async () => bearer(await issuer.sign({ ...channelToken(APP_ID, connector.url), iss: 'https://evil.example' }))],
    ['a token for another service URL', async () => bearer(await issuer.sign(channelToken(APP_ID, 'https://smba.evil.example/')))],
    ['alg: none', async () => bearer(issuer.unsigned(channelToken(APP_ID, connector.url)))],
    ['a key id the issuer does not publish', async () => bearer(await issuer.sign(channelToken(APP_ID, connector.url), { kid: 'unknown-key' }))],
    ['not a JWT', async () => bearer('not-a-jwt')],
  ];

  it.each(refused)('refuses %s with 401 and processes nothing', async (_what, headers) => {
    const sentBefore = connector.calls.length;
    const a = await post(app.url, searchInvoke(connector.url, ann, 'dev'), await headers());
    expect(a.status).toBe(401);
    expect(JSON.parse(a.text)).toEqual({ code: 'Unauthorized', message: 'The request is not authorized.' });
    expectNothingInternal(a);
    expect(await conversationsStored()).toBe(0);
    expect(connector.calls.length).toBe(sentBefore);
  });

  it('refuses an activity from a channel the signing key is not endorsed for (botbuilder checks the body after)', async () => {
    const token = await issuer.sign(channelToken(APP_ID, connector.url));
    const a = await post(app.url, { ...searchInvoke(connector.url, ann, 'dev'), channelId: 'webchat' }, bearer(token));
    expect(a.status).toBe(401);
    expectNothingInternal(a);
    expect(await conversationsStored()).toBe(0);
  });

  it('answers a bad token before reading the body: a body that never ends, or a gzip bomb, gets its 401 at once', async () => {
    const token = await issuer.sign(channelToken(APP_ID, connector.url), { forged: true });
    const url = new URL(`${app.url}/api/messages`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '100000', ...bearer(token) } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', reject);
      req.write('{"type":"message",'); // ... and never the rest
    });
    expect(status).toBe(401);

    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...bearer(token) }, body: bomb });
    expect(res.status).toBe(401);
    expect(await conversationsStored()).toBe(0);
  });
});

describe('bot authentication when the signing keys cannot be fetched', () => {
  it.each(['http-500', 'connection-reset', 'not-json'] as const)('answers 503 (keys %s), says nothing internal, and processes nothing', async (failure) => {
    const down = await startLocalOpenId({ issuer: 'https://api.botframework.test' });
    down.failKeys(failure);
    const downApp = await startTestApp(botFrameworkEnv(down, APP_ID), { startWorker: false });
    try {
      const token = await down.sign(channelToken(APP_ID, connector.url));
      const a = await post(downApp.url, searchInvoke(connector.url, ann, 'dev'), bearer(token));
      expect(a.status).toBe(503);
      expect(JSON.parse(a.text)).toEqual({ code: 'AuthUnavailable', message: 'The bot cannot check its callers right now; try again shortly.' });
      for (const word of ['127.0.0.1', down.url, 'openid', 'HTTP 500', 'Error', ' at ']) expect(a.text).not.toContain(word);
      expect(await downApp.store.collection('conversations').countDocuments({})).toBe(0);
      // A token that is plainly bad is still a 401, keys or not.
      expect((await post(downApp.url, searchInvoke(connector.url, ann, 'dev'))).status).toBe(401);
    } finally {
      await downApp.close();
      await down.close();
    }
  });

  it('answers 503 when the issuer is not there at all', async () => {
    const gone = await startLocalOpenId({ issuer: 'https://api.botframework.test' });
    const env = botFrameworkEnv(gone, APP_ID);
    const token = await gone.sign(channelToken(APP_ID, connector.url));
    await gone.close();
    const goneApp = await startTestApp(env, { startWorker: false });
    try {
      const a = await post(goneApp.url, searchInvoke(connector.url, ann, 'dev'), bearer(token));
      expect(a.status).toBe(503);
      expect(a.text).not.toContain('127.0.0.1');
    } finally {
      await goneApp.close();
    }
  });
});
