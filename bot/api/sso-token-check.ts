import { errors, jwtVerify, type JWTPayload } from 'jose';
import type { SsoConfig } from '../config.js';
import { parseEmail } from '../domain/email-address.js';
import { RequestRefused } from '../errors.js';
import { bearerToken } from '../http/bearer-token.js';
import { KeySetUnavailable, OpenIdKeySet } from '../http/openid-key-set.js';
import type { Logger } from '../logger.js';

/** The scope the tab's SSO app exposes (infra/create-sso-app.sh) and Teams asks tokens for. */
export const SSO_SCOPE = 'access_as_user';

/** The Teams clients that may hold a token for the tab: desktop and mobile, and web. */
export const TEAMS_CLIENT_IDS: readonly string[] = ['1fec8e78-bce4-4aaf-ab1b-5451cc387264', '5e3ce6c0-2b1f-4285-8d4b-75ee78787346'];

/** Entra signs access tokens with RS256 only; anything else (`none` included) is refused. */
const ALGORITHMS = ['RS256'];

/** Clock skew allowed on `exp` and `nbf`, in seconds: small, as the servers' clocks are synchronised. */
export const SSO_CLOCK_SKEW_SECONDS = 60;

/** Longest display name kept from a token; longer ones are cut. */
const NAME_MAX = 200;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Who a verified token says the caller is: bounded, checked strings only. */
export interface SsoIdentity {
  /** Entra object id of the user (a GUID, lower-case). */
  readonly oid: string;
  /** Tenant (a GUID, lower-case): always the configured one. */
  readonly tid: string;
  /** Display name, at most NAME_MAX characters, control characters removed; null when the token has none. */
  readonly name: string | null;
  /** The user's UPN (`upn`, else `preferred_username`), lower-case, when it is an address. */
  readonly upn: string | null;
  /** The user's e-mail (`email`), lower-case, when the token has one. */
  readonly email: string | null;
  /** Which token format Entra issued. */
  readonly version: 'v1' | 'v2';
}

/** The answer to a token that fails: it says nothing of why (the log does). */
export const SSO_UNAUTHORIZED = (): RequestRefused =>
  new RequestRefused(401, 'Unauthorized', 'Sign-in is required: open LGD Support in Teams, which signs you in.', { closeConnection: true });

/** The answer when the tenant's signing keys cannot be fetched: try again, nothing internal. */
export const SSO_UNAVAILABLE = (): RequestRefused =>
  new RequestRefused(503, 'AuthUnavailable', 'The app cannot check sign-ins right now; try again shortly.', { closeConnection: true, retryAfterSeconds: 30 });

/** The audiences a token for the tab may carry: the client id (v2) and the manifest's resource `api://<host>/<client id>` (v1). */
export function ssoAudiences(sso: SsoConfig): { v2: string; v1: string } {
  return { v2: sso.clientId, v1: `api://${sso.host}/${sso.clientId}` };
}

/** The issuers of the tenant's tokens: v2 from the sign-in authority, v1 from Entra's token service. */
export function ssoIssuers(sso: SsoConfig): { v2: string; v1: string } {
  return { v2: `${sso.loginUrl}/${sso.tenantId}/v2.0`, v1: `https://sts.windows.net/${sso.tenantId}/` };
}

/** A claim as a string, or null when absent or not a string. */
const text = (payload: JWTPayload, claim: string): string | null => {
  const v = payload[claim];
  return typeof v === 'string' ? v : null;
};

/** A name as people may see it: no control characters, trimmed, at most NAME_MAX characters. */
function boundedName(raw: string | null): string | null {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const s = raw?.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim().slice(0, NAME_MAX).trim();
  return s ? s : null;
}

/** An address claim, lower-cased, or null when it is not an address. */
function address(raw: string | null): string | null {
  if (raw === null) return null;
  const parsed = parseEmail(raw);
  return parsed.ok ? parsed.value : null;
}

/**
 * Checks a Teams SSO token for the tab's API from the Authorization header alone (so a request is
 * answered before its body is read): RS256 signature from the tenant's published keys (cached,
 * fetched again for an unknown key id), issuer v2 or v1 of the configured tenant, the audience that
 * version carries, `exp`/`nbf` within a small skew, `tid` the configured tenant, `scp` holding
 * `access_as_user`, and a Teams client as the token's holder (`azp` in v2, `appid` in v1). Every
 * failure is the same 401; keys that cannot be fetched are a 503. The token itself is never logged.
 */
export class SsoTokenCheck {
  private readonly audiences: { v2: string; v1: string };
  private readonly issuers: { v2: string; v1: string };

  constructor(private readonly o: { sso: SsoConfig; keys: OpenIdKeySet; logger: Logger }) {
    this.audiences = ssoAudiences(o.sso);
    this.issuers = ssoIssuers(o.sso);
  }

  /** The caller a valid token names; throws a RequestRefused (401, or 503 when the keys cannot be fetched). */
  async verify(authorization: string | undefined): Promise<SsoIdentity> {
    const token = bearerToken(authorization);
    if (!token) return this.refuse(authorization ? 'not a Bearer token' : 'no Authorization header');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.o.keys.getKey, {
        algorithms: ALGORITHMS,
        issuer: [this.issuers.v2, this.issuers.v1],
        audience: [this.audiences.v2, this.audiences.v1],
        clockTolerance: SSO_CLOCK_SKEW_SECONDS,
        requiredClaims: ['exp', 'iss', 'aud'],
      }));
    } catch (err) {
      if (err instanceof KeySetUnavailable) {
        this.o.logger.error({ reason: err.message }, 'API request refused: the tenant\'s signing keys cannot be fetched');
        throw SSO_UNAVAILABLE();
      }
      const reason = err instanceof errors.JOSEError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
      return this.refuse(reason);
    }
    return this.identity(payload);
  }

  /** The claims beyond what `jwtVerify` checks, then the caller; a claim that does not fit refuses the token. */
  private identity(payload: JWTPayload): SsoIdentity {
    const version = payload.iss === this.issuers.v2 ? 'v2' : 'v1';
    const audience = typeof payload.aud === 'string' ? payload.aud : null;
    if (audience !== this.audiences[version]) return this.refuse(`a ${version} token must have the audience ${this.audiences[version]} alone`, version);
    const tid = text(payload, 'tid')?.toLowerCase() ?? null;
    if (tid !== this.o.sso.tenantId) return this.refuse('tid is not the configured tenant', version);
    const scopes = (text(payload, 'scp') ?? '').split(' ');
    if (!scopes.includes(SSO_SCOPE)) return this.refuse(`scp does not hold ${SSO_SCOPE}`, version);
    const holder = text(payload, version === 'v2' ? 'azp' : 'appid')?.toLowerCase() ?? null;
    if (holder === null || !TEAMS_CLIENT_IDS.includes(holder)) return this.refuse(`${version === 'v2' ? 'azp' : 'appid'} is not a Teams client`, version);
    const oid = text(payload, 'oid')?.toLowerCase() ?? null;
    if (oid === null || !GUID.test(oid)) return this.refuse('oid is missing or not a GUID', version);
    return {
      oid,
      tid,
      name: boundedName(text(payload, 'name')),
      upn: address(text(payload, 'upn')) ?? address(text(payload, 'preferred_username')),
      email: address(text(payload, 'email')),
      version,
    };
  }

  private refuse(reason: string, version?: 'v1' | 'v2'): never {
    this.o.logger.info({ reason, ...(version ? { tokenVersion: version } : {}) }, 'API request refused: the Teams SSO token did not verify');
    throw SSO_UNAUTHORIZED();
  }
}

/** The tab API's token check the config asks for; null in open mode. */
export function createSsoTokenCheck(sso: SsoConfig | null, logger: Logger): SsoTokenCheck | null {
  if (!sso) return null;
  const keys = new OpenIdKeySet({ jwksUrl: `${sso.loginUrl}/${sso.tenantId}/discovery/v2.0/keys`, logger });
  return new SsoTokenCheck({ sso, keys, logger });
}
