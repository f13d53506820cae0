/**
 * Tokens on every door, in production mode (`NODE_ENV=production`, a real LGD: the minimal,
 * independently written LGD server), with the whole identity configured: botbuilder's channel
 * settings point at one local OpenID issuer, the tab API's Teams SSO check at a second local
 * JWKS (the tenant's keys), both signing with local test keys.
 * - `/api/messages`: a valid Bot Framework token is processed; forged, expired, other audience,
 *   other service URL, missing: 401, nothing processed.
 * - `/api/tickets`, `/api/backlog`: valid Teams SSO tokens (v1 and v2 shapes) are processed and
 *   mapped to a person; every token that fails is the same 401 with nothing read; keys that cannot
 *   be fetched are a 503; a valid token for someone the app does not know is a 403.
 * - The attempts are logged, never the tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino, type Logger } from 'pino';
import type { JWTPayload } from 'jose';
import { startRecordingConnector, type RecordingConnector } from '../support/recording-connector.js';
import {
  botFrameworkEnv,
  channelToken,
  ssoClaimsV1,
  ssoClaimsV2,
  startLocalOpenId,
  TEST_BOT_DOMAIN,
  TEST_SSO_CLIENT_ID,
  TEST_TENANT_ID,
  type LocalOpenId,
  type SignOptions,
} from '../support/local-openid.js';
import { seedMinimalLgd, startMinimalLgd, type MinimalLgdServer } from '../support/minimal-lgd-server.js';
import { searchInvoke, testUser } from '../support/teams-activities.js';
import { startTestApp } from '../support/test-app.js';

const APP_ID = '0c6a5f9e-3b1d-4f2a-9e7c-8d4b2a1f0e3c';
const LGD = {
  LGD_USERNAME: 'svc.teams',
  LGD_PASSWORD: 'correct horse',
  LGD_MAPPING: JSON.stringify({ dateFormat: 'MM/dd/yyyy HH:mm', timeZone: 'America/New_York', timeZoneKey: 'Eastern Standard Time', paths: { list: 'Query/List.rails', open: 'Object/Open.rails' } }),
  LGD_POLL_SECONDS: '3600',
};
const OTHER_TENANT = '99999999-8888-4777-8666-555555555555';
/** Known to the app from the team's roster, with an Entra object id. */
const ann = testUser(1, 'Ann Lead', 'ann.lead@lgd.example');
/** Known from the roster by Teams id and e-mail only: the sign-in links her. */
const dee = { id: '29:user-dee', name: 'Dee Dev', email: 'dee.dev@lgd.example', oid: 'dddddddd-0000-4000-8000-00000000000d' };

type App = Awaited<ReturnType<typeof startTestApp>>;

let bf: LocalOpenId;
let sso: LocalOpenId;
let connector: RecordingConnector;
let lgd: MinimalLgdServer;
let app: App;
const logs: string[] = [];

function memoryLogger(into: string[]): Logger {
  return pino({ level: 'debug' }, { write: (s: string) => void into.push(s) });
}

const productionEnv = (keys: LocalOpenId): Record<string, string> => ({
  NODE_ENV: 'production',
  // Production listens on 0.0.0.0 unless told; tests listen on loopback only.
  HOST: '127.0.0.1',
  LGD_URL: lgd.baseUrl,
  ...LGD,
  ...botFrameworkEnv(bf, APP_ID, keys),
});

beforeAll(async () => {
  bf = await startLocalOpenId({ issuer: 'https://api.botframework.test', endorsements: ['msteams'] });
  sso = await startLocalOpenId();
  connector = await startRecordingConnector();
  lgd = await startMinimalLgd({ username: LGD.LGD_USERNAME, password: LGD.LGD_PASSWORD });
  seedMinimalLgd(lgd, new Date());
  app = await startTestApp(productionEnv(sso), { startWorker: false, logger: memoryLogger(logs) });
  await app.worker.tick({ forceSync: true });
  await app.repos.people.remember([
    { id: ann.id, aadObjectId: ann.aadObjectId, name: ann.name, email: ann.email },
    { id: dee.id, name: dee.name, email: dee.email },
  ]);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await lgd?.close();
  await connector?.close();
  await sso?.close();
  await bf?.close();
});

interface Answer {
  status: number;
  text: string;
}

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

async function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, { headers });
  return { status: res.status, text: await res.text() };
}

async function postActivity(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

/** What no refusal may contain: the issuers' addresses, library or stack text, anything about keys or claims. */
function expectNothingInternal(a: Answer): void {
  for (const word of ['127.0.0.1', sso.url, bf.url, 'openid', 'jwks', 'keys', 'Error', 'fetch', 'signature', 'expired', 'audience', 'issuer', 'scp', 'azp', ' at ']) {
    expect(a.text, `answer ${a.text}`).not.toContain(word);
  }
}

const conversationsStored = (): Promise<number> => app.store.collection('conversations').countDocuments({});

describe('production mode with the whole identity configured', () => {
  it('starts checked, on a real LGD, and says so in one line', () => {
    const line = logs.map((l) => JSON.parse(l) as { msg: string; mode?: string }).find((l) => l.mode !== undefined);
    expect(line?.mode).toBe('checked');
    expect(line?.msg).toMatch(/^CHECKED mode \(production\): every door checks tokens: Bot Framework tokens for app 0c6a5f9e-.* on \/api\/messages, Teams SSO tokens of tenant c0ffee00-.* on \/api\/\*; listening on 127\.0\.0\.1:\d+; LGD is real\.$/);
  });
});

describe('/api/messages takes only valid Bot Framework tokens', () => {
  it('processes an activity with a valid channel token', async () => {
    const a = await postActivity(searchInvoke(connector.url, ann, 'dev'), bearer(await bf.sign(channelToken(APP_ID, connector.url))));
    expect(a.status).toBe(200);
    expect(JSON.parse(a.text)).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.search.searchResponse' });
    expect(await conversationsStored()).toBe(1);
    await app.store.collection('conversations').deleteMany({});
  });

  const refused: [string, () => Record<string, string> | Promise<Record<string, string>>][] = [
    ['no Authorization header', () => ({})],
    ['a forged signature', async () => bearer(await bf.sign(channelToken(APP_ID, connector.url), { forged: true }))],
    ['an expired token', async () => bearer(await bf.sign(channelToken(APP_ID, connector.url), { expiresIn: -3600 }))],
    ['a token for another bot (audience)', async () => bearer(await bf.sign(channelToken('11111111-1111-4111-8111-111111111111', connector.url)))],
    ['a token for another service URL', async () => bearer(await bf.sign(channelToken(APP_ID, 'https://smba.evil.example/')))],
    ['alg: none', () => bearer(bf.unsigned(channelToken(APP_ID, connector.url)))],
    ['a Teams SSO token for the tab', async () => bearer(await sso.sign(ssoClaimsV2(sso, { oid: ann.aadObjectId })))],
  ];

  it.each(refused)('refuses %s with 401 and processes nothing', async (_what, headers) => {
    const sent = connector.calls.length;
    const a = await postActivity(searchInvoke(connector.url, ann, 'dev'), await headers());
    expect(a.status).toBe(401);
    expect(JSON.parse(a.text)).toEqual({ code: 'Unauthorized', message: 'The request is not authorized.' });
    expectNothingInternal(a);
    expect(await conversationsStored()).toBe(0);
    expect(connector.calls.length).toBe(sent);
  });
});

describe('/api/tickets and /api/backlog take only valid Teams SSO tokens of the team\'s tenant, mapped to a person', () => {
  const v2 = (user: { oid: string; upn?: string; name?: string }, extra: JWTPayload = {}): JWTPayload => ({ ...ssoClaimsV2(sso, user), ...extra });
  const v1 = (user: { oid: string; upn?: string; name?: string }, extra: JWTPayload = {}): JWTPayload => ({ ...ssoClaimsV1(user), ...extra });

  it('answers a valid v2 token (aud = client id, azp = Teams desktop) with the team\'s tickets', async () => {
    const a = await get(`${app.url}/api/tickets?pageSize=5`, bearer(await sso.sign(v2({ oid: ann.aadObjectId }))));
    expect(a.status).toBe(200);
    const body = JSON.parse(a.text) as { total: number; items: unknown[] };
    expect(body.total).toBeGreaterThan(30);
    expect(body.items).toHaveLength(5);
  });

  it('answers a valid v1 token (aud = api://<host>/<client id>, appid = Teams web), mapping it to the person Teams knew by e-mail', async () => {
    expect(await app.repos.people.byObjectId(dee.oid)).toBeNull();
    const a = await get(`${app.url}/api/backlog`, bearer(await sso.sign(v1({ oid: dee.oid, upn: dee.email }))));
    expect(a.status).toBe(200);
    expect(JSON.parse(a.text)).toMatchObject({ page: 1, total: 0, items: [] });
    // The sign-in was mapped to Dee: she is now known by her object id, with what Teams said kept.
    expect(await app.repos.people.byObjectId(dee.oid)).toMatchObject({ teamsUserId: dee.id, name: dee.name, email: dee.email });
    expect((await get(`${app.url}/api/tickets`, bearer(await sso.sign(v2({ oid: dee.oid }))))).status).toBe(200);
  });

  it('the tab API: GET /api/me says checked mode and who signed in (no demo people), the queue answers the token, and nothing answers without one', async () => {
    const me = await get(`${app.url}/api/me`, bearer(await sso.sign(v2({ oid: ann.aadObjectId }))));
    expect(me.status).toBe(200);
    expect(JSON.parse(me.text)).toMatchObject({ mode: 'checked', demoPeople: null, me: { id: ann.aadObjectId, name: ann.name, email: ann.email } });
    const queue = await get(`${app.url}/api/queue`, bearer(await sso.sign(v2({ oid: ann.aadObjectId }))));
    expect(queue.status).toBe(200);
    expect((JSON.parse(queue.text) as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
    for (const path of ['/api/me', '/api/queue', '/api/events', '/api/targets']) {
      const a = await get(`${app.url}${path}`, { 'x-demo-person': ann.email });
      expect(a.status, path).toBe(401);
      expect(JSON.parse(a.text), path).toMatchObject({ code: 'Unauthorized' });
    }
  });

  it('answers 403 UnknownPerson to a valid token for someone the app does not know', async () => {
    for (const path of ['/api/tickets', '/api/backlog']) {
      const a = await get(`${app.url}${path}`, bearer(await sso.sign(v2({ oid: '0e0e0e0e-0000-4000-8000-0000000000e0', upn: 'stranger@lgd.example' }))));
      expect(a.status).toBe(403);
      const body = JSON.parse(a.text) as { code: string; message: string };
      expect(body.code).toBe('UnknownPerson');
      expect(body.message).toMatch(/ask a lead to add the app to a team you are in, or open a chat with the LGD Support bot/);
    }
  });

  const ANN = { oid: ann.aadObjectId, upn: ann.email };
  /** Claims are made when the test runs: the issuers' addresses are known only then. */
  const signed = (claims: () => JWTPayload, opts?: SignOptions) => async (): Promise<Record<string, string>> => bearer(await sso.sign(claims(), opts));
  const refused: [string, () => Record<string, string> | Promise<Record<string, string>>][] = [
    ['no Authorization header', () => ({})],
    ['a scheme other than Bearer', () => ({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })],
    ['not a JWT', () => bearer('not-a-jwt')],
    ['a forged signature', signed(() => v2(ANN), { forged: true })],
    ['alg: none', () => bearer(sso.unsigned(v2(ANN)))],
    ['alg: none with an empty signature on a valid token', async () => {
      const [header, payload] = (await sso.sign(v2(ANN))).split('.');
      const none = Buffer.from(JSON.stringify({ ...(JSON.parse(Buffer.from(header ?? '', 'base64url').toString()) as object), alg: 'none' })).toString('base64url');
      return bearer(`${none}.${payload ?? ''}.`);
    }],
    ['a key id the tenant does not publish', signed(() => v2(ANN), { kid: 'unknown-key' })],
    ['an expired token', signed(() => v2(ANN), { expiresIn: -600 })],
    ['a token not valid yet', signed(() => v2(ANN), { notBefore: 600 })],
    ['a token without expiry', signed(() => v2(ANN), { noExpiry: true })],
    ['another audience (another app\'s client id)', signed(() => v2(ANN, { aud: '22222222-2222-4222-8222-222222222222' }))],
    ['another audience (the bot\'s app id)', signed(() => v2(ANN, { aud: APP_ID }))],
    ['a v1 audience on a v2 token', signed(() => v2(ANN, { aud: `api://${TEST_BOT_DOMAIN}/${TEST_SSO_CLIENT_ID}` }))],
    ['a v2 audience on a v1 token', signed(() => v1(ANN, { aud: TEST_SSO_CLIENT_ID }))],
    ['a v1 audience for another host', signed(() => v1(ANN, { aud: `api://evil.example/${TEST_SSO_CLIENT_ID}` }))],
    ['another tenant (issuer and tid)', signed(() => v2(ANN, { iss: `${sso.url}/${OTHER_TENANT}/v2.0`, tid: OTHER_TENANT }))],
    ['another tenant\'s tid under the team\'s issuer', signed(() => v2(ANN, { tid: OTHER_TENANT }))],
    ['another tenant (v1 issuer)', signed(() => v1(ANN, { iss: `https://sts.windows.net/${OTHER_TENANT}/`, tid: OTHER_TENANT }))],
    ['an issuer that is not Entra', signed(() => v2(ANN, { iss: 'https://evil.example/v2.0' }))],
    ['no scp', signed(() => v2(ANN, { scp: undefined }))],
    ['another scope only', signed(() => v2(ANN, { scp: 'User.Read' }))],
    ['a scope that only contains the name', signed(() => v2(ANN, { scp: 'access_as_user_admin' }))],
    ['not a Teams client (azp)', signed(() => v2(ANN, { azp: '33333333-3333-4333-8333-333333333333' }))],
    ['no azp', signed(() => v2(ANN, { azp: undefined }))],
    ['not a Teams client (v1 appid)', signed(() => v1(ANN, { appid: '33333333-3333-4333-8333-333333333333' }))],
    ['no oid', signed(() => v2(ANN, { oid: undefined }))],
    ['an oid that is not a GUID', signed(() => v2(ANN, { oid: '{"$ne":null}' }))],
    ['a Bot Framework channel token', async () => bearer(await bf.sign(channelToken(APP_ID, connector.url)))],
  ];

  it.each(refused.flatMap(([what, headers]) => ['/api/tickets', '/api/backlog'].map((path) => [what, path, headers] as const)))(
    'refuses %s on %s with 401, saying nothing internal',
    async (_what, path, headers) => {
      const before = await app.store.collection('people').countDocuments({});
      const a = await get(`${app.url}${path}`, await headers());
      expect(a.status).toBe(401);
      expect(JSON.parse(a.text)).toEqual({ code: 'Unauthorized', message: 'Sign-in is required: open LGD Support in Teams, which signs you in.' });
      expectNothingInternal(a);
      expect(await app.store.collection('people').countDocuments({})).toBe(before);
    },
  );

  it('logs every refused attempt, never a token', async () => {
    const before = logs.length;
    const tokens = [await sso.sign(v2(ANN), { forged: true }), await sso.sign(v2(ANN, { tid: OTHER_TENANT })), sso.unsigned(v2(ANN))];
    for (const t of tokens) expect((await get(`${app.url}/api/tickets`, bearer(t))).status).toBe(401);
    const lines = logs.slice(before).map((l) => JSON.parse(l) as { msg: string; reason?: string });
    expect(lines.filter((l) => l.msg === 'API request refused: the Teams SSO token did not verify').map((l) => l.reason)).toEqual([
      expect.stringMatching(/ERR_JWS_SIGNATURE_VERIFICATION_FAILED/),
      'tid is not the configured tenant',
      expect.stringMatching(/ERR_JOSE_ALG_NOT_ALLOWED|ERR_JWS_INVALID/),
    ]);
    const text = logs.join('');
    for (const t of tokens) {
      expect(text).not.toContain(t);
      expect(text).not.toContain(t.split('.')[1]);
    }
  });
});

describe('the tab API when the tenant\'s keys cannot be fetched', () => {
  it('answers 503 with Retry-After, says nothing internal, and still refuses a request without a token with 401', async () => {
    const down = await startLocalOpenId();
    down.failKeys('http-500');
    const downApp = await startTestApp(productionEnv(down), { startWorker: false });
    try {
      const token = await down.sign({ ...ssoClaimsV2(down, { oid: ann.aadObjectId }) });
      const res = await fetch(`${downApp.url}/api/tickets`, { headers: bearer(token) });
      const a = { status: res.status, text: await res.text() };
      expect(a.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('30');
      expect(JSON.parse(a.text)).toEqual({ code: 'AuthUnavailable', message: 'The app cannot check sign-ins right now; try again shortly.' });
      for (const word of ['127.0.0.1', down.url, 'HTTP 500', 'Error', ' at ']) expect(a.text).not.toContain(word);
      expect((await get(`${downApp.url}/api/backlog`)).status).toBe(401);
      // Once the keys are back, the same token is accepted (after the short pause a failed fetch earns).
      down.failKeys(null);
      await new Promise((ok) => setTimeout(ok, 5_100));
      expect((await get(`${downApp.url}/api/tickets`, bearer(token))).status).toBe(403); // valid; Ann is not in this app's store
    } finally {
      await downApp.close();
      await down.close();
    }
  }, 30_000);

  it('keeps TEST_TENANT_ID as the one tenant whose keys it asks for', () => {
    expect(sso.hits.get(`/${TEST_TENANT_ID}/discovery/v2.0/keys`)).toBeGreaterThan(0);
    expect([...sso.hits.keys()].filter((p) => p.includes(OTHER_TENANT))).toEqual([]);
  });
});
