/**
 * A local OpenID issuer for tests: an OpenID metadata document and a JWKS served on 127.0.0.1,
 * and a signer for tokens with any issuer, audience, key id, claims and lifetime, including the
 * bad ones (a forged signature, `alg: none`, expired). The key set can be made to fail on demand
 * (HTTP 500, a reset connection, not JSON) to produce the "keys cannot be fetched" case.
 *
 * Bot Framework channel tokens: `botFrameworkEnv()` gives the configuration that points the app's
 * whole botbuilder channel-auth group at this issuer, and `channelToken()` the claims Teams sends.
 * Entra (Teams SSO) tokens: `ssoEnv()` points the tab API's token check at this issuer's keys (served
 * at `/<tenant>/discovery/v2.0/keys`, as Entra publishes them), and `ssoClaimsV2()` / `ssoClaimsV1()`
 * give the claims Teams' tokens for the tab carry; override any of them to make a bad one.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** How the key set (and optionally the metadata document) answers when told to fail. */
export type KeySetFailure = 'http-500' | 'connection-reset' | 'not-json';

export interface LocalOpenIdOptions {
  /** `iss` of tokens and of the metadata document; default this server's base URL. */
  issuer?: string;
  /** Key id of the signing key; default `test-key-1`. */
  kid?: string;
  /** Bot Framework keys carry the channels they may sign for (botbuilder checks the activity's channelId against them). */
  endorsements?: string[];
}

export interface SignOptions {
  /** Signs with a key the JWKS does not have, under the JWKS key's id: the signature fails. */
  forged?: boolean;
  /** Header `kid`; default the harness's. */
  kid?: string;
  /** Signing algorithm; default RS256. */
  alg?: 'RS256' | 'RS384' | 'RS512';
  /** Seconds from now; default 3600. Negative: already expired. */
  expiresIn?: number;
  /** Omit `exp` altogether. */
  noExpiry?: boolean;
  /** `nbf` in seconds from now. */
  notBefore?: number;
}

export interface LocalOpenId {
  /** Base URL, e.g. http://127.0.0.1:40123. */
  url: string;
  /** Bot Framework style metadata URL (`/v1/.well-known/openidconfiguration`). */
  metadataUrl: string;
  /** Standard metadata URL (`/.well-known/openid-configuration`); same document. */
  openIdConfigurationUrl: string;
  jwksUrl: string;
  issuer: string;
  kid: string;
  /** Requests served, by path. */
  hits: Map<string, number>;
  /** A signed JWT with `claims` (the harness's `iss` unless the claims set one). */
  sign(claims: JWTPayload, opts?: SignOptions): Promise<string>;
  /** An unsigned token (`alg: none`) with `claims`. */
  unsigned(claims: JWTPayload): string;
  /** Makes the key set (and the metadata, with `metadataToo`) fail until called with null. */
  failKeys(failure: KeySetFailure | null, opts?: { metadataToo?: boolean }): void;
  close(): Promise<void>;
}

const b64url = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

/** Starts the issuer on 127.0.0.1 and a free port. */
export async function startLocalOpenId(opts: LocalOpenIdOptions = {}): Promise<LocalOpenId> {
  const kid = opts.kid ?? 'test-key-1';
  const own = await generateKeyPair('RS256', { modulusLength: 2048 });
  const other = await generateKeyPair('RS256', { modulusLength: 2048 });
  const publicJwk: JWK & { endorsements?: string[] } = { ...(await exportJWK(own.publicKey)), kid, use: 'sig' };
  if (opts.endorsements) publicJwk.endorsements = opts.endorsements;

  let failure: KeySetFailure | null = null;
  let metadataFails = false;
  const hits = new Map<string, number>();
  const sockets = new Set<Socket>();
  let base = '';
  let issuer = opts.issuer ?? '';

  // Plain writeHead + end (restify, loaded in the same process, patches ServerResponse and writeHead returns nothing).
  const answer = (res: ServerResponse, status: number, type: string, body: string): void => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };
  const fail = (res: ServerResponse, how: KeySetFailure): void => {
    if (how === 'connection-reset') res.socket?.destroy();
    else if (how === 'not-json') answer(res, 200, 'text/html', '<html>Service unavailable</html>');
    else answer(res, 500, 'application/json', '{"error":"keys unavailable"}');
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === '/v1/.well-known/openidconfiguration' || path === '/.well-known/openid-configuration') {
      if (failure && metadataFails) return fail(res, failure);
      const doc = { issuer, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] };
      answer(res, 200, 'application/json', JSON.stringify(doc));
      return;
    }
    // `/keys` for Bot Framework's metadata; `/<tenant>/discovery/v2.0/keys` as Entra publishes a tenant's keys.
    if (path === '/keys' || /^\/[^/]+\/discovery\/v2\.0\/keys$/.test(path)) {
      if (failure) return fail(res, failure);
      answer(res, 200, 'application/json', JSON.stringify({ keys: [publicJwk] }));
      return;
    }
    answer(res, 404, 'text/plain', 'not found');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer ||= base;

  const sign = async (claims: JWTPayload, o: SignOptions = {}): Promise<string> => {
    const key: CryptoKey = o.forged ? other.privateKey : own.privateKey;
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({ iss: issuer, ...claims }).setProtectedHeader({ alg: o.alg ?? 'RS256', kid: o.kid ?? kid, typ: 'JWT' }).setIssuedAt(now - 60);
    if (!o.noExpiry) jwt.setExpirationTime(now + (o.expiresIn ?? 3600));
    if (o.notBefore !== undefined) jwt.setNotBefore(now + o.notBefore);
    return jwt.sign(key);
  };

  return {
    url: base,
    metadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    openIdConfigurationUrl: `${base}/.well-known/openid-configuration`,
    jwksUrl: `${base}/keys`,
    issuer,
    kid,
    hits,
    sign,
    unsigned: (claims) => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ iss: issuer, exp: Math.floor(Date.now() / 1000) + 3600, ...claims })}.`,
    failKeys(f, o = {}) {
      failure = f;
      metadataFails = o.metadataToo ?? false;
    },
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}

/** The tests' Entra tenant, the tab's SSO app registration and the app's public host. */
export const TEST_TENANT_ID = 'c0ffee00-0000-4000-8000-0000000a7e57';
export const TEST_SSO_CLIENT_ID = '5a0c1d2e-0000-4000-8000-00000000f00d';
export const TEST_BOT_DOMAIN = 'lgd-support.test';
/** The Teams clients a tab token may be issued to: desktop and mobile, and web. */
export const TEAMS_DESKTOP_CLIENT = '1fec8e78-bce4-4aaf-ab1b-5451cc387264';
export const TEAMS_WEB_CLIENT = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';

/** The rest of the app's identity (tenant, the tab's SSO app, host), with the tenant's keys served by `keys`. */
export function ssoEnv(keys: LocalOpenId): Record<string, string> {
  return { MicrosoftAppTenantId: TEST_TENANT_ID, TAB_SSO_CLIENT_ID: TEST_SSO_CLIENT_ID, BOT_DOMAIN: TEST_BOT_DOMAIN, TAB_SSO_LOGIN_URL: keys.url };
}

/** A person a tab token is for. */
export interface SsoUser {
  oid: string;
  name?: string;
  upn?: string;
  email?: string;
}

/** The claims of a v2 Teams SSO access token for the tab, from the tenant's keys at `keys` (see ssoEnv). */
export function ssoClaimsV2(keys: LocalOpenId, user: SsoUser): JWTPayload {
  return {
    iss: `${keys.url}/${TEST_TENANT_ID}/v2.0`,
    aud: TEST_SSO_CLIENT_ID,
    tid: TEST_TENANT_ID,
    oid: user.oid,
    azp: TEAMS_DESKTOP_CLIENT,
    scp: 'access_as_user',
    ver: '2.0',
    ...(user.name ? { name: user.name } : {}),
    ...(user.upn ? { preferred_username: user.upn } : {}),
    ...(user.email ? { email: user.email } : {}),
  };
}

/** The claims of a v1 Teams SSO access token for the tab (audience `api://<host>/<client id>`). */
export function ssoClaimsV1(user: SsoUser): JWTPayload {
  return {
    iss: `https://sts.windows.net/${TEST_TENANT_ID}/`,
    aud: `api://${TEST_BOT_DOMAIN}/${TEST_SSO_CLIENT_ID}`,
    tid: TEST_TENANT_ID,
    oid: user.oid,
    appid: TEAMS_WEB_CLIENT,
    scp: 'access_as_user',
    ver: '1.0',
    ...(user.name ? { name: user.name } : {}),
    ...(user.upn ? { upn: user.upn } : {}),
    ...(user.email ? { email: user.email } : {}),
  };
}

/**
 * The app configuration that points botbuilder's whole channel-auth group (and the bot's identity)
 * at `issuer`; the rest of the identity (tenant, SSO app, host) too, with the tenant's keys at
 * `ssoKeys` (default the same issuer).
 */
export function botFrameworkEnv(issuer: LocalOpenId, appId: string, ssoKeys: LocalOpenId = issuer): Record<string, string> {
  return {
    ...ssoEnv(ssoKeys),
    MicrosoftAppId: appId,
    MicrosoftAppPassword: 'local-openid-test-secret',
    ToBotFromChannelOpenIdMetadataUrl: issuer.metadataUrl,
    ToBotFromChannelTokenIssuer: issuer.issuer,
    ToBotFromEmulatorOpenIdMetadataUrl: issuer.openIdConfigurationUrl,
    ToChannelFromBotLoginUrl: `${issuer.url}/botframework.com`,
    ToChannelFromBotOAuthScope: issuer.issuer,
    OAuthUrl: issuer.url,
    CallerId: 'urn:botframework:local-test',
  };
}

/** The claims of a Bot Framework channel token for `appId`, sent for activities from `serviceUrl`. */
export function channelToken(appId: string, serviceUrl: string): JWTPayload {
  return { aud: appId, serviceurl: serviceUrl };
}
