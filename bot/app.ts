import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Server } from 'restify';
import type { AppConfig } from './config.js';
import type { Logger } from './logger.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/doc-collection.js';
import { TicketRepository } from './store/ticket-repository.js';
import { ReferenceRepository } from './store/reference-repository.js';
import { StatusRepository } from './store/status-repository.js';
import { EventLog, type StoredEvent } from './store/event-log.js';
import { NoteAuthorSource } from './store/note-author-source.js';
import type { Ticket, TicketRules } from './domain/ticket.js';
import { decisionPatterns } from './domain/triage-decision.js';
import { LgdClient } from './lgd/client/lgd-client.js';
import type { LgdPort } from './lgd/lgd-port.js';
import type { LgdSimulator } from './lgd/simulator/lgd-simulator.js';
import { startDemoSimulator } from './lgd/simulator/demo-simulator.js';
import { Lease, type LeaseDoc } from './sync/lease.js';
import { SyncWorker, type SyncStateDoc } from './sync/sync-worker.js';
import { OutboxDeliverer } from './sync/outbox-deliverer.js';
import { WorkerLoop } from './sync/worker-loop.js';
import { CommandService } from './sync/command-service.js';
import { messagesRoute } from './teams/messages-route.js';
import { createChannelTokenCheck } from './teams/channel-token-check.js';
import { buildTeamsSide, type TeamsSide } from './teams/teams-app.js';
import { ticketLinker } from './teams/card-model-of.js';
import { addDays, todayIn } from './domain/iso-date.js';
import { ticketsRoute } from './api/tickets-route.js';
import { healthRoute } from './api/health-route.js';
import { backlogRoute } from './api/backlog-route.js';
import { checkPortFree, closeServer, createHttpServer, listen, type Route } from './http/http-server.js';

/** A running app, as tests and the entry point hold it. */
export interface RunningApp {
  port: number;
  url: string;
  store: Store;
  server: Server;
  lgd: LgdPort;
  tickets: TicketRepository;
  events: EventLog;
  worker: WorkerLoop;
  /** Accepts people's commands about tickets (queued for LGD through the outbox). */
  commands: CommandService;
  /** The Teams side's ports (people, rota, roles, conversations, cards, audit). */
  teams: TeamsSide;
  /** The in-process LGD simulator in demo mode. */
  simulator: LgdSimulator | null;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Start the worker's timers (default true); tests may drive `worker.tick()` themselves. */
  startWorker?: boolean;
  /** This instance's name in leases (default host-pid-random). */
  instanceId?: string;
  /** An open store to use instead of the one the config names (tests: a size-limited one, as a full disk); closed with the app. */
  store?: Store;
}

/** Builds and starts everything the config asks for: store → LGD → worker → bot → HTTP server. */
export async function startApp(config: AppConfig, logger: Logger, opts: StartOptions = {}): Promise<RunningApp> {
  const store =
    opts.store ?? (await openStore({ mongodbUri: config.mongodb.uri, dbName: config.mongodb.dbName, dataDir: config.dataDir, logger: logger.child({ component: 'store' }) }));
  logger.info({ store: store.kind }, store.kind === 'mongodb' ? 'store: MongoDB' : `store: embedded, on disk in ${config.dataDir}`);
  const cleanups: (() => Promise<void>)[] = [() => store.close()];

  try {
    // A port already taken fails here, before the simulator and the worker start.
    await checkPortFree(config.port, config.host);
    let simulator: LgdSimulator | null = null;
    let lgdUrl = config.lgd.url;
    let demoRota: { from: string; to: string; lead: string }[] = [];
    if (config.demo) {
      // The demo's LGD is kept in DATA_DIR: a restart continues it instead of replaying afresh.
      const demo = await startDemoSimulator({
        dataDir: config.dataDir,
        mapping: config.lgd.mapping,
        username: config.lgd.username,
        password: config.lgd.password,
        teamGroup: config.lgd.groups[0],
        speed: config.replay.speed,
        logger: logger.child({ component: 'lgd-simulator' }),
      });
      simulator = demo.simulator;
      cleanups.unshift(() => demo.close());
      lgdUrl = simulator.baseUrl;
      // The demo team's first analyst is the Operations Lead every day (the Playground's user).
      const today = todayIn(config.teams.timeZone, new Date());
      if (demo.lead) demoRota = [{ from: today, to: addDays(today, 90), lead: demo.lead }];
      logger.warn(
        { lgd: lgdUrl, tickets: simulator.state.incidents.size, speed: config.replay.speed },
        `DEMO: LGD is the built-in simulator replaying the UCI incident log (CC BY 4.0) at ${config.replay.speed}x; no real tickets are touched`,
      );
    }
    const lgd = new LgdClient({
      baseUrl: lgdUrl as string,
      username: config.lgd.username,
      password: config.lgd.password,
      mapping: config.lgd.mapping,
      timeoutMs: config.lgd.timeoutMs,
      logger: logger.child({ component: 'lgd' }),
      signOffTeam: config.teams.signOff,
    });

    const rules: TicketRules = {
      groups: config.lgd.groups,
      resolvedStatuses: config.lgd.mapping.resolvedStatuses,
      resolvedStatus: config.lgd.mapping.resolvedStatuses[0] ?? 'Resolved',
      patterns: decisionPatterns({ approved: config.sync.approvedWords, project: config.sync.projectWords }),
      deciders: config.sync.deciders,
    };
    const tickets = new TicketRepository(store.collection<Ticket>('tickets'), rules);
    const reference = new ReferenceRepository(store);
    const status = new StatusRepository(store);
    const events = new EventLog(store.collection<StoredEvent>('events'), store.collection('counters'));
    await Promise.all([tickets.init(), reference.init(), events.init()]);
    const noteAuthors = new NoteAuthorSource(store, { serviceUsername: config.lgd.username, leads: () => config.teams.leads });

    let kick = (): void => {};
    const commands = new CommandService(tickets, events, () => kick());
    const link = ticketLinker(
      config.teams.ticketLink ?? `${lgdUrl}/${config.lgd.mapping.paths.open}?class_name=${encodeURIComponent(config.lgd.mapping.classes.incident)}&key={key}`,
    );
    const botLog = logger.child({ component: 'bot' });
    if (!config.bot.authEnabled) {
      botLog.warn('BOT AUTHENTICATION IS OFF: MicrosoftAppId is not set, so /api/messages accepts unauthenticated requests. Demo and local use only.');
    }
    const teams = await buildTeamsSide({ config, store, tickets, reference, events, commands, link, logger: botLog, extraRotaSeed: demoRota });

    const syncLog = logger.child({ component: 'sync' });
    const instanceId = opts.instanceId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    const pollMs = config.sync.pollSeconds * 1000;
    const worker = new WorkerLoop({
      lease: new Lease(store.collection<LeaseDoc>('leases'), 'worker', instanceId, Math.max(3 * pollMs, 60_000)),
      takeOverAtStart: store.exclusive,
      status,
      sync: new SyncWorker({
        lgd,
        tickets,
        reference,
        status,
        events,
        state: store.collection<SyncStateDoc>('sync_state'),
        groups: config.lgd.groups,
        resolvedStatuses: config.lgd.mapping.resolvedStatuses,
        authors: () => noteAuthors.load(),
        overlapMs: config.sync.overlapMinutes * 60_000,
        logger: syncLog,
      }),
      deliverer: new OutboxDeliverer({
        lgd,
        tickets,
        events,
        resolvedStatuses: config.lgd.mapping.resolvedStatuses,
        authors: () => noteAuthors.load(),
        dryRun: config.sync.dryRun,
        logger: logger.child({ component: 'outbox' }),
      }),
      pollMs,
      logger: syncLog,
      jobs: [
        { name: 'teams events', run: () => teams.processor.processNew() },
        { name: 'backlog', run: () => teams.backlog.queue.deliverDue() },
      ],
    });
    kick = () => worker.kick();
    if (config.sync.dryRun) syncLog.warn('DRY RUN: LGD writes are logged, not made');
    cleanups.unshift(() => worker.stop());
    const { adapter, bot } = teams;

    const routes: Route[] = [
      messagesRoute({ adapter, bot, tokenCheck: createChannelTokenCheck(config.bot, botLog), logger: botLog }),
      healthRoute({ store, worker, status, demo: config.demo }),
      ticketsRoute(tickets, status),
      backlogRoute({ builtin: teams.backlog.builtin, requests: teams.backlog.queue }),
    ];
    const server = createHttpServer({ routes, logger: logger.child({ component: 'http' }) });
    const port = await listen(server, config.port, config.host);
    cleanups.unshift(() => closeServer(server));
    const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
    logger.info({ url }, `listening on ${url} (bot endpoint ${url}/api/messages, tickets ${url}/api/tickets)`);
    if (opts.startWorker !== false) worker.start();

    return {
      port,
      url,
      store,
      server,
      lgd,
      tickets,
      events,
      worker,
      commands,
      teams,
      simulator,
      close: () => runAll(cleanups, logger),
    };
  } catch (err) {
    await runAll(cleanups, logger);
    throw err;
  }
}

async function runAll(cleanups: (() => Promise<void>)[], logger: Logger): Promise<void> {
  for (const c of cleanups.splice(0)) {
    try {
      await c();
    } catch (err) {
      logger.warn({ err }, 'shutdown step failed');
    }
  }
}
