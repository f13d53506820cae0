import type { ActivityHandlerBase } from 'botbuilder';
import { RequestRefused } from '../errors.js';
import type { Route } from '../http/http-server.js';
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
 * `POST /api/messages`, the Bot Framework endpoint. With bot authentication on, the token is
 * checked before the body is read; the body is read within the server's limits; the activity's
 * ids and names are checked (400 otherwise); botbuilder then authenticates it again with the
 * activity (the token's service URL claim) and runs the bot. A token that fails is a 401, keys that
 * cannot be fetched a 503, and neither answer says anything internal.
 */
export function messagesRoute(deps: { adapter: BotCloudAdapter; bot: ActivityHandlerBase; tokenCheck: ChannelTokenCheck | null; logger: Logger }): Route {
  const authHeader = (headers: Record<string, string | string[] | undefined>): string => {
    const h = headers.authorization;
    return typeof h === 'string' ? h : '';
  };
  return {
    name: 'bot messages',
    method: 'post',
    path: '/api/messages',
    guard: deps.tokenCheck ? (req) => deps.tokenCheck?.check(authHeader(req.headers)) : undefined,
    body: 'json',
    handler: async (req, res) => {
      const parsed = parseActivity(req.body);
      if (!parsed.ok) {
        res.send(400, { code: 'BadActivity', message: parsed.problem });
        return;
      }
      let answer;
      try {
        answer = await deps.adapter.handle(authHeader(req.headers), parsed.activity, (context) => deps.bot.run(context));
      } catch (err) {
        const refusal = tokenRefusal(err);
        if (!refusal) throw err;
        deps.logger.info({ reason: (err as Error).message, status: refusal.status }, 'bot request refused by botbuilder');
        throw refusal;
      }
      if (answer?.body !== undefined) {
        res.send(answer.status ?? 200, answer.body);
      } else {
        res.status(answer?.status ?? 200);
        res.end();
      }
    },
  };
}
