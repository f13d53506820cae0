/**
 * The request-identity layer on a real HTTP server (the app's own restify server and route list),
 * over the embedded store's people repository and the Teams SSO check against a local JWKS: what a
 * handler receives as the caller in checked and open mode, each route's open-mode policy, the
 * refusals (401 before the body is read, 403 UnknownPerson), and a route outside the guard that
 * cannot pretend to know its caller.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Server } from 'restify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardApiRoutes, type ApiRoute } from '../../bot/api/guard-api-routes.js';
import { callerOf, personOf, RequestIdentity, type Caller } from '../../bot/api/request-identity.js';
import { createSsoTokenCheck } from '../../bot/api/sso-token-check.js';
import { loadConfig } from '../../bot/config.js';
import { closeServer, createHttpServer, listen } from '../../bot/http/http-server.js';
import type { Store } from '../../bot/store/doc-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { PeopleRepository } from '../../bot/store/people-repository.js';
import { ssoClaimsV1, ssoClaimsV2, ssoEnv, startLocalOpenId, type LocalOpenId } from '../support/local-openid.js';

const ANN = { id: '29:ann', aadObjectId: '0a0a0a0a-0000-4000-8000-000000000001', name: 'Ann Lead', email: 'ann.lead@lgd.example', userPrincipalName: 'ann.lead@lgd.example' };
/** Known by Teams id and address only (a roster entry without an Entra object id). */
const BOB = { id: '29:bob', name: '', email: 'bob.dev@lgd.example' };
const BOB_OID = '0b0b0b0b-0000-4000-8000-000000000002';
/** Stored under an object id of their own; a sign-in with another oid and the same address is not them. */
const CY = { id: '29:cy', aadObjectId: '0c0c0c0c-0000-4000-8000-000000000003', name: 'Cy Old', email: 'cy@lgd.example' };

interface Running {
  url: string;
  server: Server;
}

let dir: string;
let store: Store;
let people: PeopleRepository;
let keys: LocalOpenId;
let checked: Running;
let open: Running;
const logLines: string[] = [];

const sink = new Writable({
  write(chunk: Buffer, _enc, cb) {
    logLines.push(chunk.toString('utf8'));
    cb();
  },
});
const logger = pino({ level: 'debug' }, sink);

/** What the test routes answer: the caller as a handler sees it. */
const summary = (c: Caller) => ({ mode: c.mode, person: c.person && { _id: c.person._id, name: c.person.name, email: c.person.email }, version: c.mode === 'checked' ? c.signIn.version : null });

function routes(): ApiRoute[] {
  return [
    { name: 'echo', method: 'get', path: '/api/echo', handler: (req, res) => void res.send(200, summary(callerOf(req))) },
    { name: 'open read', method: 'get', path: '/api/open-read', caller: 'anyone', handler: (req, res) => void res.send(200, summary(callerOf(req))) },
    { name: 'picker', method: 'get', path: '/api/picker', caller: 'choosing', handler: (req, res) => void res.send(200, summary(callerOf(req))) },
    { name: 'needs person', method: 'get', path: '/api/needs-person', caller: 'anyone', handler: (req, res) => void res.send(200, { name: personOf(req).name }) },
    { name: 'write', method: 'post', path: '/api/write', body: 'json', handler: (req, res) => void res.send(200, { got: req.body as unknown, by: personOf(req)._id }) },
    // Not under /api: passes unguarded, and cannot claim to know its caller.
    { name: 'outside', method: 'get', path: '/outside', handler: (req, res) => void res.send(200, summary(callerOf(req))) },
  ];
}

async function serve(identity: RequestIdentity): Promise<Running> {
  const server = createHttpServer({ routes: guardApiRoutes(identity, routes()), logger });
  const port = await listen(server, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, server };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lgd-identity-'));
  store = await openEmbeddedStore({ dataDir: dir });
  people = new PeopleRepository(store);
  await people.init();
  await people.remember([ANN, BOB, CY]);
  keys = await startLocalOpenId();
  const config = loadConfig({ MicrosoftAppId: '0d0d0d0d-0000-4000-8000-0000000000b0', MicrosoftAppPassword: 'x', ...ssoEnv(keys) });
  checked = await serve(new RequestIdentity({ sso: createSsoTokenCheck(config.sso, logger), people, logger }));
  open = await serve(new RequestIdentity({ sso: null, people, logger }));
});
afterAll(async () => {
  await closeServer(checked.server);
  await closeServer(open.server);
  await keys.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function get(base: Running, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base.url}${path}`, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

describe('checked mode: the caller is the person a verified Teams SSO token names', () => {
  it('finds the person by the token\'s object id (v2 token) and hands the handler person and sign-in', async () => {
    const token = await keys.sign(ssoClaimsV2(keys, { oid: ANN.aadObjectId, upn: 'someone.else@lgd.example', name: 'Ann (token)' }));
    const a = await get(checked, '/api/echo', bearer(token));
    expect(a).toEqual({ status: 200, body: { mode: 'checked', person: { _id: ANN.aadObjectId, name: 'Ann Lead', email: 'ann.lead@lgd.example' }, version: 'v2' } });
  });

  it('finds a person Teams knew only by address, links them to the object id and fills in the name from the token (v1 token)', async () => {
    expect(await people.byObjectId(BOB_OID)).toBeNull();
    const token = await keys.sign(ssoClaimsV1({ oid: BOB_OID, upn: 'Bob.Dev@LGD.example', name: 'Bob\u0007 Dev' }));
    const a = await get(checked, '/api/echo', bearer(token));
    expect(a).toEqual({ status: 200, body: { mode: 'checked', person: { _id: BOB_OID, name: 'Bob  Dev', email: 'bob.dev@lgd.example' }, version: 'v1' } });
    const stored = await people.byObjectId(BOB_OID);
    expect(stored).toMatchObject({ teamsUserId: '29:bob', name: 'Bob  Dev', email: 'bob.dev@lgd.example', upn: 'bob.dev@lgd.example' });
    // The next sign-in finds Bob by object id straight away.
    const again = await get(checked, '/api/echo', bearer(await keys.sign(ssoClaimsV2(keys, { oid: BOB_OID }))));
    expect(again.body.person).toEqual({ _id: BOB_OID, name: 'Bob  Dev', email: 'bob.dev@lgd.example' });
  });

  it('answers 403 UnknownPerson for a valid token of someone the app does not know, saying what to do', async () => {
    const token = await keys.sign(ssoClaimsV2(keys, { oid: '0e0e0e0e-0000-4000-8000-000000000009', upn: 'stranger@lgd.example', name: 'Stranger' }));
    const a = await get(checked, '/api/echo', bearer(token));
    expect(a.status).toBe(403);
    expect(a.body).toEqual({
      code: 'UnknownPerson',
      message:
        'You are signed in, but LGD Support does not know you yet: ask a lead to add the app to a team you are in, or open a chat with the LGD Support bot in Teams once, then try again.',
    });
  });

  it('does not hand someone else\'s person to a sign-in that shares their address under another object id', async () => {
    const token = await keys.sign(ssoClaimsV2(keys, { oid: '0f0f0f0f-0000-4000-8000-00000000000f', upn: CY.email }));
    expect((await get(checked, '/api/echo', bearer(token))).status).toBe(403);
    expect(await people.byObjectId(CY.aadObjectId)).toMatchObject({ name: 'Cy Old' });
  });

  it('ignores X-Demo-Person: without a token it is a 401, with one the token decides', async () => {
    const none = await get(checked, '/api/open-read', { 'x-demo-person': ANN.email });
    expect(none).toEqual({ status: 401, body: { code: 'Unauthorized', message: 'Sign-in is required: open LGD Support in Teams, which signs you in.' } });
    const token = await keys.sign(ssoClaimsV2(keys, { oid: ANN.aadObjectId }));
    const a = await get(checked, '/api/echo', { ...bearer(token), 'x-demo-person': BOB.email });
    expect((a.body.person as { _id: string })._id).toBe(ANN.aadObjectId);
  });

  it('answers a bad token before reading the body: a body that never ends gets its 401 at once', async () => {
    const token = await keys.sign(ssoClaimsV2(keys, { oid: ANN.aadObjectId }), { forged: true });
    const url = new URL(`${checked.url}/api/write`);
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
      req.write('{"never":'); // ... and never the rest
    });
    expect(status).toBe(401);
    const good = await fetch(`${checked.url}/api/write`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(await keys.sign(ssoClaimsV2(keys, { oid: ANN.aadObjectId }))) },
      body: JSON.stringify({ x: 1 }),
    });
    expect(await good.json()).toEqual({ got: { x: 1 }, by: ANN.aadObjectId });
  });

  it('logs refusals without the token', async () => {
    const token = await keys.sign(ssoClaimsV2(keys, { oid: ANN.aadObjectId }), { expiresIn: -600 });
    const before = logLines.length;
    expect((await get(checked, '/api/echo', bearer(token))).status).toBe(401);
    const lines = logLines.slice(before).join('');
    expect(lines).toContain('the Teams SSO token did not verify');
    expect(lines).toContain('ERR_JWT_EXPIRED');
    expect(lines).not.toContain(token);
    expect(lines).not.toContain(token.split('.')[2]);
  });
});

describe('open mode: the caller is the demo person X-Demo-Person names', () => {
  it('hands the handler the known person the header names, ignoring any Authorization header', async () => {
    const a = await get(open, '/api/echo', { 'x-demo-person': ' Ann.Lead@LGD.example ', authorization: 'Bearer not-even-a-token' });
    expect(a).toEqual({ status: 200, body: { mode: 'open', person: { _id: ANN.aadObjectId, name: 'Ann Lead', email: 'ann.lead@lgd.example' }, version: null } });
  });

  const choose = 'This server runs without sign-in (open mode): choose a demo person, sending X-Demo-Person with the e-mail address of a person the app knows.';
  const unknown = 'X-Demo-Person names nobody the app knows: choose one of the demo people the app lists.';

  it.each([
    ['a route that needs a person, without the header', '/api/echo', {}, choose],
    ['a route that needs a person, naming nobody known', '/api/echo', { 'x-demo-person': 'nobody@lgd.example' }, unknown],
    ['an open read, naming nobody known', '/api/open-read', { 'x-demo-person': 'nobody@lgd.example' }, unknown],
    ['an open read, with a header that is no address', '/api/open-read', { 'x-demo-person': '{"$ne": null}' }, unknown],
    ['an open read, with an overlong header', '/api/open-read', { 'x-demo-person': `${'a'.repeat(400)}@lgd.example` }, unknown],
    ['an open read whose handler wants a person, without the header', '/api/needs-person', {}, choose],
  ])('refuses %s with 401 ChooseDemoPerson', async (_what, path, headers: Record<string, string>, message) => {
    expect(await get(open, path, headers)).toEqual({ status: 401, body: { code: 'ChooseDemoPerson', message } });
  });

  it('lets an open read in without a person, and with one', async () => {
    expect(await get(open, '/api/open-read')).toEqual({ status: 200, body: { mode: 'open', person: null, version: null } });
    expect((await get(open, '/api/open-read', { 'x-demo-person': ANN.email })).body.person).toMatchObject({ _id: ANN.aadObjectId });
  });

  it('lets the picker route see an unknown choice as no person (it lists whom to choose)', async () => {
    expect(await get(open, '/api/picker', { 'x-demo-person': 'nobody@lgd.example' })).toEqual({ status: 200, body: { mode: 'open', person: null, version: null } });
    expect((await get(open, '/api/picker', { 'x-demo-person': ANN.email })).body.person).toMatchObject({ name: 'Ann Lead' });
  });
});

describe('routes outside /api', () => {
  it('pass unguarded, and a handler there cannot read a caller: a wiring mistake is a 500, never a guess', async () => {
    const a = await get(checked, '/outside');
    expect(a).toEqual({ status: 500, body: { code: 'Internal', message: 'Something went wrong; it has been logged.' } });
  });
});
