import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { defaultLgdMapping, type LgdMapping } from '../lgd-mapping.js';
import type { Replay } from '../replay/replay-event.js';
import { buildClassViews } from './class-views.js';
import { FaultInjector, type FaultOptions } from './faults.js';
import { LateWrites } from './late-writes.js';
import { createRequestHandler, emptyStats, type ExpiredSessionResponse, type SimStats } from './http-server.js';
import { defaultStatusNames, type SimStatusNames } from './process-actions.js';
import { playReplay, resumeReplay, type ReplayPlayer, type ReplayPosition } from './replay-player.js';
import { SessionStore } from './sessions.js';
import { SimState } from './sim-state.js';

export type { FaultOptions } from './faults.js';
export type { SimStats, ExpiredSessionResponse } from './http-server.js';
export { SimState } from './sim-state.js';

export interface LgdSimulatorOptions {
  /** Class, action, attribute and path names; default defaultLgdMapping. */
  mapping?: LgdMapping;
  /** Log-on user name; default 'lgd.service'. */
  username?: string;
  /** Log-on password; default 'lgd-simulator'. */
  password?: string;
  /** Web Access application path; default '/ServiceDesk.WebAccess'. */
  appPath?: string;
  /** Listen address; default '127.0.0.1'. */
  host?: string;
  /** Listen port; default 0 (a free port). */
  port?: number;
  /** Idle session expiry; default 20 minutes. */
  sessionTtlMs?: number;
  /** Server clock; default () => new Date(). */
  now?: () => Date;
  /** Injected faults; changeable with setFaults. */
  faults?: FaultOptions;
  logger?: Logger;
  /** How a request without a live session is answered; default '403'. */
  expiredSessionResponse?: ExpiredSessionResponse;
  /** Whether a new note moves the incident's LastUpdate (undocumented in LGD); default false. */
  noteBumpsLastUpdate?: boolean;
  /** list.rails page size when none is asked; default 100. */
  defaultPageSize?: number;
  /** Status names the action rules use; defaults New / Active / first and last of mapping.resolvedStatuses. */
  statuses?: Partial<SimStatusNames>;
  /** Resolution categories seeded at start; default Fixed, Advice given, No fault found, Duplicate. */
  resolutionCategories?: string[];
  /** Session cookie name; default 'ASP.NET_SessionId'. */
  cookieName?: string;
  /** Salt of the scrambled list order; default 'lgd'. */
  orderSalt?: string;
  /** A state to serve instead of a fresh one. */
  state?: SimState;
  /** Called after each applied write, before it is answered (e.g. to keep the state on disk). */
  onWrite?: () => void;
}

export interface LgdSimulator {
  /** e.g. http://127.0.0.1:PORT/ServiceDesk.WebAccess */
  baseUrl: string;
  /** The in-memory data, for tests to seed and inspect. */
  state: SimState;
  /** Counters: requests, writes applied, refusals, faults by kind, requests by endpoint. */
  stats: SimStats;
  mapping: LgdMapping;
  setFaults(f: FaultOptions): void;
  /** Switches how a request without a live session is answered. */
  setExpiredSessionResponse(mode: ExpiredSessionResponse): void;
  /** Kills every session (tests of re-logon). */
  expireSessions(): void;
  /** Zeroes the counters. */
  resetStats(): void;
  /** How many writes LGD is still working on (the late-apply fault): not applied yet. */
  readonly heldWrites: number;
  /** Whether the server listens now (false between `stop()` and `start()`). */
  readonly listening: boolean;
  /**
   * Stops listening as LGD going down would: every open connection is cut (a request in flight gets
   * no answer; a write already applied stays applied) and every session is lost. The state is kept.
   */
  stop(): Promise<void>;
  /** Listens again on the same host and port, with the same state and no sessions. */
  start(): Promise<void>;
  /** `stop()`, `downMs` of silence (connections refused), then `start()`. */
  restart(downMs?: number): Promise<void>;
  /** Applies a replay's history now and plays its future at `speed` (0 = not at all). */
  loadReplay(replay: Replay, opts: { speed: number }): ReplayPlayer;
  /** Plays on a replay kept from an earlier run, whose effects `state` already holds. */
  resumeReplay(position: ReplayPosition, opts: { speed: number }): ReplayPlayer;
  close(): Promise<void>;
}

const DEFAULT_CATEGORIES = ['Fixed', 'Advice given', 'No fault found', 'Duplicate'];

/** Starts the LGD simulator's HTTP server and resolves once it listens. */
export async function startLgdSimulator(opts: LgdSimulatorOptions = {}): Promise<LgdSimulator> {
  const mapping = opts.mapping ?? defaultLgdMapping;
  const now = opts.now ?? (() => new Date());
  const logger = (opts.logger ?? pino({ level: 'silent' })).child({ component: 'lgd-simulator' });
  const state = opts.state ?? new SimState({ now, noteBumpsLastUpdate: opts.noteBumpsLastUpdate ?? false });
  if (opts.noteBumpsLastUpdate !== undefined) state.noteBumpsLastUpdate = opts.noteBumpsLastUpdate;
  for (const title of opts.resolutionCategories ?? DEFAULT_CATEGORIES) state.addResolutionCategory(title);

  const appPath = `/${(opts.appPath ?? '/ServiceDesk.WebAccess').replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '');
  const sessions = new SessionStore(opts.sessionTtlMs ?? 20 * 60_000, now);
  const faults = new FaultInjector(opts.faults ?? {});
  const stats = emptyStats();
  let expiredMode: ExpiredSessionResponse = opts.expiredSessionResponse ?? '403';
  const players: ReplayPlayer[] = [];
  const lateWrites = new LateWrites(now);

  const handler = createRequestHandler({
    mapping,
    state,
    views: buildClassViews(mapping, state),
    sessions,
    faults,
    stats,
    logger,
    appPath,
    username: opts.username ?? 'lgd.service',
    password: opts.password ?? 'lgd-simulator',
    expiredSessionResponse: () => expiredMode,
    cookieName: opts.cookieName ?? 'ASP.NET_SessionId',
    statuses: { ...defaultStatusNames(mapping), ...opts.statuses },
    defaultPageSize: opts.defaultPageSize ?? 100,
    orderSalt: opts.orderSalt ?? 'lgd',
    onWrite: opts.onWrite,
    lateWrites,
    now,
  });

  const listen = async (port: number, host: string): Promise<Server> => {
    const srv = createServer(handler);
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(port, host, () => {
        srv.off('error', reject);
        resolve();
      });
    });
    return srv;
  };
  const shut = async (srv: Server): Promise<void> => {
    srv.closeAllConnections();
    await new Promise<void>((resolve, reject) => srv.close((err) => (err ? reject(err) : resolve())));
  };

  let server: Server | null = await listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const baseUrl = `http://${host}:${address.port}${appPath}`;
  logger.info({ baseUrl }, 'LGD simulator listening');

  const stop = async (): Promise<void> => {
    if (!server) return;
    const srv = server;
    server = null;
    sessions.clear();
    // LGD going down loses the writes it was still working on.
    lateWrites.clear();
    await shut(srv);
    // Sessions begun by a request that was being handled as the server went down are lost too.
    sessions.clear();
    logger.info({ baseUrl }, 'LGD simulator stopped');
  };
  const start = async (): Promise<void> => {
    if (server) return;
    server = await listen(address.port, address.address);
    logger.info({ baseUrl }, 'LGD simulator listening again');
  };

  return {
    baseUrl,
    state,
    stats,
    mapping,
    setFaults: (f) => faults.set(f),
    setExpiredSessionResponse: (mode) => {
      expiredMode = mode;
    },
    expireSessions: () => sessions.clear(),
    resetStats: () => {
      Object.assign(stats, emptyStats());
    },
    get listening() {
      return server !== null;
    },
    get heldWrites() {
      return lateWrites.size;
    },
    stop,
    start,
    restart: async (downMs = 0) => {
      await stop();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    loadReplay: (replay, o) => {
      const p = playReplay(state, replay, { speed: o.speed, now, logger });
      players.push(p);
      return p;
    },
    resumeReplay: (position, o) => {
      const p = resumeReplay(state, position, { speed: o.speed, now, logger });
      players.push(p);
      return p;
    },
    close: async () => {
      for (const p of players) p.stop();
      lateWrites.clear();
      if (server) await shut(server);
      server = null;
    },
  };
}
