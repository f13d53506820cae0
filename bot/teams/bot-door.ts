import type { ActivityHandlerBase } from 'botbuilder';
import type { BotEndpoint } from '../api/messages-route.js';
import type { RequestRefused } from '../errors.js';
import type { Logger } from '../logger.js';
import { parseActivity } from './activity-shape.js';
import type { BotCloudAdapter } from './bot-adapter.js';
import { AUTH_UNAVAILABLE, UNAUTHORIZED, type ChannelTokenCheck } from './channel-token-check.js';

/** botbuilder's verdict on a token it could not accept, as the answer to give; null when the error is not about the token. */
function tokenRefusal(err: unknown): RequestRefused | null {
  if (!(err instanceof Error)) return null;
  const status = (err as { statusCode?: unknown }).statusCode;
  if (err.constructor.name === 'AuthenticationError' && typeof status === 'number') return status === 401 ? UNAUTHORIZED() : AUTH_UNAVAILABLE();
  // jsonwebtoken's verdicts (bad signature, expired) reach here unwrapped; node-fetch's when the keys cannot be fetched.
  if (err.name === 'JsonWebTokenError' || err.name === 'TokenExpiredError' || err.name === 'NotBeforeError') return UNAUTHORIZED();
  if (err.name === 'FetchError') return AUTH_UNAVAILABLE();
  return null;
}

/**
 * The bot behind `POST /api/messages`, with botbuilder kept on this side: the channel token check
 * (from the header alone, before the body is read), the activity's shape (ids and names checked,
 * 400 otherwise), and botbuilder's CloudAdapter, which authenticates the request again with the
 * activity (the token's service URL claim) and runs the bot. A token botbuilder refuses becomes a
 * 401, keys it cannot fetch a 503, and neither says anything internal.
 */
export function botDoor(deps: { adapter: BotCloudAdapter; bot: ActivityHandlerBase; tokenCheck: ChannelTokenCheck | null; logger: Logger }): BotEndpoint {
  const tokenCheck = deps.tokenCheck;
  return {
    checkToken: tokenCheck ? (authorization) => tokenCheck.check(authorization) : null,
    async receive(authorization, body) {
      const parsed = parseActivity(body);
      if (!parsed.ok) return { status: 400, body: { code: 'BadActivity', message: parsed.problem } };
      let answer;
      try {
        answer = await deps.adapter.handle(authorization, parsed.activity, (context) => deps.bot.run(context));
      } catch (err) {
        const refusal = tokenRefusal(err);
        if (!refusal) throw err;
        deps.logger.info({ reason: (err as Error).message, status: refusal.status }, 'bot request refused by botbuilder');
        throw refusal;
      }
      return { status: answer?.status ?? 200, body: answer?.body };
    },
  };
}
