import restify, { type Request, type Response, type Server } from 'restify';
import { createServer as createNetServer } from 'node:net';
import { PortInUse, RequestRefused, STORE_RETRY_AFTER_SECONDS, storeRefusalText } from '../errors.js';
import type { Logger } from '../logger.js';
import { DEFAULT_BODY_LIMITS, readJsonBody, type BodyLimits } from './read-body.js';

/** A route the server exposes; features register theirs in one flat list. */
export interface Route {
  /** Friendly name for logs. */
  name: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'del';
  path: string;
  /**
   * Checks the request before its body is read (a token, say); throws a RequestRefused to answer
   * without reading or inflating anything.
   */
  guard?: (req: Request) => Promise<void> | void;
  /** `json`: the server reads the body within its limits and parses it into `req.body` before the handler runs. */
  body?: 'json';
  handler: (req: Request, res: Response) => Promise<void> | void;
}

export interface HttpServerOptions {
  routes: Route[];
  logger: Logger;
  /** Limits of a JSON body (size before and after inflating, nesting, time to arrive). */
  bodyLimits?: Partial<BodyLimits>;
}

/** How long a client may take to send its headers, and its whole request: slow clients are cut off, not waited for. */
const HEADERS_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 30_000;

/** Answers a refusal as `{code, message}`, closing the connection when the body was left unread. */
function sendRefusal(res: Response, err: RequestRefused): void {
  if (err.closeConnection) res.setHeader('connection', 'close');
  if (err.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(err.retryAfterSeconds));
  res.send(err.status, { code: err.code, message: err.userMessage });
}

/**
 * The restify server: one flat route list; bodies read only by routes that ask, after their guard,
 * with a bounded reader (no body parser runs before a route has checked its caller); 404 for
 * unknown routes; errors answered as `{code, message}` without stack traces (500s say nothing of
 * their cause; the log has it).
 */
export function createHttpServer(opts: HttpServerOptions): Server {
  const log = opts.logger;
  const limits: BodyLimits = { ...DEFAULT_BODY_LIMITS, ...opts.bodyLimits };
  const server = restify.createServer({ name: 'lgd-support', handleUncaughtExceptions: false });
  server.server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.server.requestTimeout = Math.max(REQUEST_TIMEOUT_MS, limits.timeoutMs + HEADERS_TIMEOUT_MS);
  server.use(restify.plugins.queryParser({ mapParams: false }));

  for (const route of opts.routes) {
    server[route.method](route.path, async (req: Request, res: Response) => {
      try {
        await route.guard?.(req);
        if (route.body === 'json') req.body = await readJsonBody(req, limits);
        await route.handler(req, res);
      } catch (err) {
        if (err instanceof RequestRefused) {
          log.debug({ route: route.name, status: err.status, code: err.code, err: err.cause }, 'request refused');
          if (!res.headersSent) sendRefusal(res, err);
          return;
        }
        log.error({ err, route: route.name }, 'route failed');
        if (res.headersSent) return;
        // The store refused (disk full, server down): nothing was kept, and the caller may try again later.
        const refusal = storeRefusalText(err);
        if (refusal) res.send(503, { code: 'StoreUnavailable', message: refusal }, { 'retry-after': String(STORE_RETRY_AFTER_SECONDS) });
        else res.send(500, { code: 'Internal', message: 'Something went wrong; it has been logged.' });
      }
    });
  }

  server.on('restifyError', (req: Request, _res: Response, err: Error & { statusCode?: number; toJSON?: () => unknown }, cb: () => void) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      log.error({ err, url: req.url }, 'request failed');
      err.toJSON = () => ({ code: 'Internal', message: 'Something went wrong; it has been logged.' });
    } else {
      log.debug({ url: req.url, status, msg: err.message }, 'request refused');
    }
    cb();
  });
  return server;
}

/** Starts listening and resolves with the bound port; a port already taken is a PortInUse. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // restify re-emits the node server's 'error' on itself: without a listener there, it would crash the process.
    const onError = (err: NodeJS.ErrnoException): void => {
      server.off('error', onError);
      reject(err.code === 'EADDRINUSE' ? new PortInUse(host, port, { cause: err }) : err);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const addr = server.server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

/** Stops accepting connections and closes idle keep-alive sockets. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.server.closeIdleConnections?.();
  });
}

/** Resolves when `port` on `host` can be listened on now (0 always can); else rejects with PortInUse. */
export function checkPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new PortInUse(host, port, { cause: err }) : err));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
