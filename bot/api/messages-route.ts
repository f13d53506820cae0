import type { Route } from '../http/http-server.js';

/** The Bot Framework endpoint's path: the one `/api/*` route that checks Bot Framework tokens instead of Teams SSO. */
export const MESSAGES_PATH = '/api/messages';

/** What the bot endpoint hands a request to: the Teams side, which keeps botbuilder behind it. */
export interface BotEndpoint {
  /** Checks the Authorization header before the body is read (throws a RequestRefused); null when bot authentication is off. */
  checkToken: ((authorization: string) => Promise<void>) | null;
  /** Runs the bot on the request's body; throws a RequestRefused when the token is refused; the answer to send. */
  receive(authorization: string, body: unknown): Promise<{ status: number; body?: unknown }>;
}

/**
 * `POST /api/messages`, the Bot Framework endpoint. With bot authentication on, the token is
 * checked before the body is read; the body is read within the server's limits (also after
 * inflation); the bot answers with the invoke's response, or an empty 200.
 */
export function messagesRoute(bot: BotEndpoint): Route {
  const authHeader = (headers: Record<string, string | string[] | undefined>): string => {
    const h = headers.authorization;
    return typeof h === 'string' ? h : '';
  };
  const checkToken = bot.checkToken;
  return {
    name: 'bot messages',
    method: 'post',
    path: MESSAGES_PATH,
    guard: checkToken ? (req) => checkToken(authHeader(req.headers)) : undefined,
    body: 'json',
    handler: async (req, res) => {
      const answer = await bot.receive(authHeader(req.headers), req.body);
      if (answer.body !== undefined) {
        res.send(answer.status, answer.body);
      } else {
        res.status(answer.status);
        res.end();
      }
    },
  };
}
