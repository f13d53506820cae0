import type { Server } from 'restify';
import type { AppConfig } from './config.js';
import type { Logger } from './logger.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/doc-collection.js';
import { openRepositories, type Repositories } from './store/open-repositories.js';
import { RotaEditor } from './rota/rota-editor.js';
import type { EventLog } from './store/event-log.js';
import type { TicketRepository } from './store/ticket-repository.js';
import type { TicketRules } from './domain/ticket.js';
import { decisionPatterns } from './domain/triage-decision.js';
import { openLgd } from './lgd/open-lgd.js';
import type { LgdPort } from './lgd/lgd-port.js';
import type { LgdSimulator } from './lgd/simulator/lgd-simulator.js';
import { buildBacklog, type Backlog } from './backlog/build-backlog.js';
import { buildWorker } from './sync/build-worker.js';
import { buildDuties } from './duties/build-duties.js';
import type { DutyScheduler } from './duties/duty-scheduler.js';
import { CommandService } from './sync/command-service.js';
import { WorkSignal } from './sync/work-signal.js';
import type { WorkerLoop } from './sync/worker-loop.js';
import { buildTeamsSide, type TeamsSide } from './teams/teams-app.js';
import { seedDemoPeople } from './teams/seed-demo-people.js';
import { demoTeam } from './lgd/simulator/demo-team.js';
import { ticketLinker } from './teams/card-model-of.js';
import { appRoutes } from './api/routes.js';
import { LiveFeed } from './api/live-feed.js';
import { liveSource } from './api/events-route.js';
import { RequestIdentity } from './api/request-identity.js';
import { createSsoTokenCheck } from './api/sso-token-check.js';
import { modeLine } from './mode-line.js';
import { checkPortFree, closeServer, createHttpServer, listen } from './http/http-server.js';

/** A running app, as tests and the entry point hold it. */
export interface RunningApp {
  port: number;
  url: string;
  store: Store;
  server: Server;
  lgd: LgdPort;
  /** Every repository over the store. */
  repos: Repositories;
  tickets: TicketRepository;
  events: EventLog;
  worker: WorkerLoop;
  /** Accepts people's commands about tickets (queued for LGD through the outbox). */
  commands: CommandService;
  /** The Teams side's ports (people, rota, roles, conversations, cards, audit). */
  teams: TeamsSide;
  /** The built-in backlog and the queue that makes Project decisions' backlog items. */
  backlog: Backlog;
  /** The in-process LGD simulator in demo mode. */
  simulator: LgdSimulator | null;
  /** The daily duties (a worker job; tests and `npm run duties` run a pass at a given moment). */
  duties: DutyScheduler;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Start the worker's timers (default true); tests may drive `worker.tick()` themselves. */
  startWorker?: boolean;
  /** This instance's name in leases (default host-pid-random). */
  instanceId?: string;
  /** An open store to use instead of the one the config names (tests: a size-limited one, as a full disk); closed with the app. */
  store?: Store;
  /** The app's clock for the store's times, the cards and the duties (tests play a fortnight with it); default the system's. */
  clock?: () => Date;
}

/** How tickets' process states are derived, from the config. */
export function ticketRules(config: AppConfig): TicketRules {
  return {
    groups: config.lgd.groups,
    resolvedStatuses: config.lgd.mapping.resolvedStatuses,
    resolvedStatus: config.lgd.mapping.resolvedStatuses[0] ?? 'Resolved',
    patterns: decisionPatterns({ approved: config.sync.approvedWords, project: config.sync.projectWords }),
    deciders: config.sync.deciders,
  };
}

/**
 * Builds and starts everything the config asks for, in the order of the architecture's diagram:
 * store → LGD (or the demo's simulator) → the commands and the backlog → the bot → the worker
 * (whose jobs are the bot's and the backlog's) → the HTTP server; then the worker starts. A
 * request reaches the worker only through the WorkSignal made first, so nothing is bound late.
 */
export async function startApp(config: AppConfig, logger: Logger, opts: StartOptions = {}): Promise<RunningApp> {
  const store =
    opts.store ?? (await openStore({ mongodbUri: config.mongodb.uri, dbName: config.mongodb.dbName, dataDir: config.dataDir, logger: logger.child({ component: 'store' }) }));
  logger.info({ store: store.kind }, store.kind === 'mongodb' ? 'store: MongoDB' : `store: embedded, on disk in ${config.dataDir}`);
  const cleanups: (() => Promise<void>)[] = [() => store.close()];
  const stopFirst = (c: () => Promise<void>): void => void cleanups.unshift(c);

  try {
    // A port already taken fails here, before the simulator and the worker start.
    await checkPortFree(config.port, config.host);
    const repos = await openRepositories(store, {
      rules: ticketRules(config),
      noteAuthors: { serviceUsername: config.lgd.username, leads: () => config.teams.leads },
      ...(opts.clock ? { clock: opts.clock } : {}),
    });

    const lgd = await openLgd(config, logger);
    stopFirst(() => lgd.close());

    const signal = new WorkSignal();
    const commands = new CommandService(repos.tickets, () => signal.kick());
    const backlog = await buildBacklog({ config: config.backlog, repos, logger: logger.child({ component: 'bot' }) });
    const ticketLinkTemplate =
      config.teams.ticketLink ?? `${lgd.baseUrl}/${config.lgd.mapping.paths.open}?class_name=${encodeURIComponent(config.lgd.mapping.classes.incident)}&key={key}`;
    const link = ticketLinker(ticketLinkTemplate);
    const teams = await buildTeamsSide({ config, repos, commands, backlog: backlog.queue, signal, link, demoLead: lgd.demoLead, demoTeam: lgd.demoTeam, logger: logger.child({ component: 'bot' }), now: opts.clock, exclusiveStore: store.exclusive });

    // The open demo's tab needs people to act as before anyone installs the bot in a team.
    if (lgd.simulator && config.mode === 'open') await seedDemoPeople(repos.people, demoTeam(lgd.simulator.state, config.lgd.groups[0], lgd.demoLead), logger.child({ component: 'bot' }));
    const duties = buildDuties({ config, repos, commands, link, logger: logger.child({ component: 'duties' }), clock: opts.clock });

    const worker = buildWorker({
      config,
      repos,
      lgd: lgd.client,
      exclusiveStore: store.exclusive,
      signal,
      instanceId: opts.instanceId,
      clock: opts.clock,
      logger,
      jobs: [
        // The duties first: what they queue goes out in the same tick.
        { name: 'duties', run: () => duties.tick() },
        { name: 'teams events', run: () => teams.processor.processNew() },
        { name: 'backlog', run: () => backlog.queue.deliverDue() },
      ],
    });
    stopFirst(() => worker.stop());

    const authLog = logger.child({ component: 'api-auth' });
    const identity = new RequestIdentity({ sso: createSsoTokenCheck(config.sso, authLog), people: repos.people, logger: authLog });
    const rotaEditor = new RotaEditor({ rota: repos.rota, people: repos.people, leads: repos.leads, calendar: teams.ports.calendar, now: teams.ports.now });
    const tabReads = { ports: teams.ports, tickets: repos.tickets, status: repos.status, events: repos.events };
    const live = new LiveFeed({ source: liveSource(tabReads), logger: logger.child({ component: 'live' }) });
    const tab = { ...tabReads, identity, service: commands, people: repos.people, groups: config.lgd.groups, ticketLinkTemplate, live };
    const routes = appRoutes({
      bot: teams.endpoint,
      health: { store, worker, status: repos.status, demo: config.demo },
      tickets: repos.tickets,
      backlog,
      identity,
      tab,
      logger: logger.child({ component: 'api' }),
      rota: { editor: rotaEditor, roles: teams.ports.roles, audit: repos.audit, now: teams.ports.now },
      settings: {
        areas: repos.areas,
        leads: repos.leads,
        people: repos.people,
        reference: repos.reference,
        daysOff: repos.daysOff,
        calendar: teams.ports.calendar,
        roles: teams.ports.roles,
        audit: repos.audit,
        now: teams.ports.now,
      },
      insights: { insights: repos.insights, calendar: teams.ports.calendar, guidelines: config.guidelines, now: teams.ports.now },
      people: { tickets: repos.tickets, people: repos.people, leads: repos.leads, rota: repos.rota, calendar: teams.ports.calendar, guidelines: config.guidelines, link, now: teams.ports.now },
    });
    const server = createHttpServer({ routes, logger: logger.child({ component: 'http' }) });
    const port = await listen(server, config.port, config.host);
    stopFirst(() => closeServer(server));
    // Open event streams would keep the server from closing: they end first.
    stopFirst(() => {
      live.closeAll();
      return Promise.resolve();
    });
    const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
    logger.info({ url }, `listening on ${url} (bot endpoint ${url}/api/messages, tickets ${url}/api/tickets)`);
    // Open mode is said loudly: nothing checks who calls.
    if (config.mode === 'open') logger.warn({ mode: config.mode }, modeLine(config, { host: config.host, port }));
    else logger.info({ mode: config.mode }, modeLine(config, { host: config.host, port }));
    if (opts.startWorker !== false) worker.start();

    return {
      port,
      url,
      store,
      server,
      lgd: lgd.client,
      repos,
      tickets: repos.tickets,
      events: repos.events,
      worker,
      commands,
      teams,
      backlog,
      simulator: lgd.simulator,
      duties,
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
