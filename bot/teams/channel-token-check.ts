import { errors, jwtVerify } from 'jose';
import type { AppConfig } from '../config.js';
import { RequestRefused } from '../errors.js';
import { bearerToken } from '../http/bearer-token.js';
import { KeySetUnavailable, OpenIdKeySet } from '../http/openid-key-set.js';
import type { Logger } from '../logger.js';

/** The signing algorithms botbuilder accepts on channel tokens. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512'];

/** botbuilder's clock tolerance for channel tokens, in seconds. */
const CLOCK_TOLERANCE_SECONDS = 5 * 60;

/** The answer to a token that fails: it says nothing of why (the log does). */
export const UNAUTHORIZED = (): RequestRefused =>
  new RequestRefused(401, 'Unauthorized', 'The request is not authorized.', { closeConnection: true });

/** The answer when the signing keys cannot be fetched: try again, nothing internal. */
export const AUTH_UNAVAILABLE = (): RequestRefused =>
  new RequestRefused(503, 'AuthUnavailable', 'The bot cannot check its callers right now; try again shortly.', { closeConnection: true, retryAfterSeconds: 30 });

/**
 * Checks a Bot Framework channel token from the Authorization header alone (signature against
 * the channel's published keys, issuer, audience = the bot's app id, expiry), so that a request
 * without a valid token is answered before its body is read or inflated. botbuilder checks the
 * token again with the activity (its `serviceurl` claim and the key's channel endorsements).
 */
export class ChannelTokenCheck {
  constructor(
    private readonly o: { appId: string; issuer: string; keys: OpenIdKeySet; logger: Logger },
  ) {}

  /** Resolves when the header carries a valid channel token; else throws a RequestRefused (401, or 503 when the keys cannot be fetched). */
  async check(authorization: string | undefined): Promise<void> {
    const token = bearerToken(authorization);
    if (!token) {
      this.o.logger.info({ reason: authorization ? 'not a Bearer token' : 'no Authorization header' }, 'bot request refused: no token');
      throw UNAUTHORIZED();
    }
    try {
      await jwtVerify(token, this.o.keys.getKey, {
        issuer: this.o.issuer,
        audience: this.o.appId,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp'],
      });
    } catch (err) {
      if (err instanceof KeySetUnavailable) {
        this.o.logger.error({ reason: err.message }, 'bot request refused: the channel signing keys cannot be fetched');
        throw AUTH_UNAVAILABLE();
      }
      const reason = err instanceof errors.JOSEError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
      this.o.logger.info({ reason }, 'bot request refused: the token did not verify');
      throw UNAUTHORIZED();
    }
  }
}

/** The channel token check the config asks for; null when bot authentication is off. */
export function createChannelTokenCheck(bot: AppConfig['bot'], logger: Logger): ChannelTokenCheck | null {
  if (!bot.authEnabled || !bot.appId) return null;
  const keys = new OpenIdKeySet({ metadataUrl: bot.channelAuth.openIdMetadataUrl, logger });
  return new ChannelTokenCheck({ appId: bot.appId, issuer: bot.channelAuth.tokenIssuer, keys, logger });
}
