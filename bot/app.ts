import type { Server } from 'restify';
import type { AppConfig } from './config.js';
import type { Logger } from './logger.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/doc-collection.js';
import { createBotAdapter } from './teams/bot-adapter.js';
import { SupportBot } from './teams/support-bot.js';
import { closeServer, createHttpServer, listen, type Route } from './http/http-server.js';

/** A running app, as tests and the entry point hold it. */
export interface RunningApp {
  port: number;
  url: string;
  store: Store;
  server: Server;
  close(): Promise<void>;
}

/** Builds and starts everything the config asks for: store → bot → HTTP server. */
export async function startApp(config: AppConfig, logger: Logger): Promise<RunningApp> {
  const store = await openStore({ mongodbUri: config.mongodb.uri, dbName: config.mongodb.dbName, dataDir: config.dataDir, logger: logger.child({ component: 'store' }) });
  logger.info({ store: store.kind }, store.kind === 'mongodb' ? 'store: MongoDB' : `store: embedded, on disk in ${config.dataDir}`);

  const botLog = logger.child({ component: 'bot' });
  if (!config.bot.authEnabled) {
    botLog.warn('BOT AUTHENTICATION IS OFF: MicrosoftAppId is not set, so /api/messages accepts unauthenticated requests. Demo and local use only.');
  }
  const adapter = createBotAdapter(config.bot, botLog);
  const bot = new SupportBot(botLog);

  const routes: Route[] = [
    {
      name: 'bot messages',
      method: 'post',
      path: '/api/messages',
      handler: async (req, res) => {
        await adapter.process(req, res, (context) => bot.run(context));
      },
    },
    {
      name: 'health',
      method: 'get',
      path: '/healthz',
      handler: async (_req, res) => {
        const s = await store.ping();
        res.send(s.ok ? 200 : 503, { status: s.ok ? 'ok' : 'degraded', store: s });
      },
    },
  ];
  const server = createHttpServer({ routes, logger: logger.child({ component: 'http' }) });
  const port = await listen(server, config.port, config.host);
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  logger.info({ url }, `listening on ${url} (bot endpoint ${url}/api/messages)`);

  return {
    port,
    url,
    store,
    server,
    async close() {
      await closeServer(server);
      await store.close();
    },
  };
}
