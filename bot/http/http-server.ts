import restify, { type Request, type Response, type Server } from 'restify';
import type { Logger } from '../logger.js';

/** A route the server exposes; features register theirs in one flat list. */
export interface Route {
  /** Friendly name for logs. */
  name: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'del';
  path: string;
  handler: (req: Request, res: Response) => Promise<void> | void;
}

export interface HttpServerOptions {
  routes: Route[];
  logger: Logger;
  /** Largest accepted request body in bytes (Bot Framework activities are well under 256 KB). */
  maxBodyBytes?: number;
}

/**
 * The restify server: JSON body parsing with a size limit, one flat route list, 404 for unknown
 * routes, and errors answered as `{code, message}` without stack traces (500s say nothing of
 * their cause; the log has it).
 */
export function createHttpServer(opts: HttpServerOptions): Server {
  const log = opts.logger;
  const server = restify.createServer({ name: 'lgd-support', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(
    restify.plugins.bodyParser({
      maxBodySize: opts.maxBodyBytes ?? 256 * 1024,
      mapParams: false,
      mapFiles: false,
      rejectUnknown: false,
    }),
  );

  for (const route of opts.routes) {
    server[route.method](route.path, async (req: Request, res: Response) => {
      try {
        await route.handler(req, res);
      } catch (err) {
        log.error({ err, route: route.name }, 'route failed');
        if (!res.headersSent) res.send(500, { code: 'Internal', message: 'Something went wrong; it has been logged.' });
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

/** Starts listening and resolves with the bound port. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, host, () => {
      server.server.off('error', reject);
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
