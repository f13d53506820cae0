import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { defaultLgdMapping } from '../../bot/lgd/lgd-mapping.js';
import { LgdClient, type LgdClientOptions } from '../../bot/lgd/client/lgd-client.js';
import { startLgdSimulator, type LgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import type { SimState } from '../../bot/lgd/simulator/sim-state.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import type { Store } from '../../bot/store/doc-collection.js';
import type { TicketRepository } from '../../bot/store/ticket-repository.js';
import { openRepositories, type Repositories } from '../../bot/store/open-repositories.js';
import type { EventLog } from '../../bot/store/event-log.js';
import { SyncWorker, type SyncWorkerDeps } from '../../bot/sync/sync-worker.js';
import { SyncStateRepository } from '../../bot/store/sync-state-repository.js';
import { OutboxDeliverer } from '../../bot/sync/outbox-deliverer.js';
import { CommandService } from '../../bot/sync/command-service.js';
import type { TicketRules } from '../../bot/domain/ticket.js';
import { decisionPatterns } from '../../bot/domain/triage-decision.js';
import type { LgdPort } from '../../bot/lgd/lgd-port.js';

export const TEAM = 'LGSS-IT-Digital';

/** A controllable clock: starts now, moves only when told. */
export class TestClock {
  constructor(private t = Date.now()) {}
  now = (): Date => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Seeds a team group with `n` tickets (and `others` in another group); returns group and analyst keys. */
export function seedTeam(state: SimState, n: number, others = 0) {
  const team = state.addGroup(TEAM);
  const other = state.addGroup('Service Desk');
  const ann = state.addAnalyst({ name: 'ann.lead', title: 'Ann Lead', email: 'ann.lead@lgd.example' });
  const dev = state.addAnalyst({ name: 'dev.one', title: 'Dev One', email: 'dev.one@lgd.example' });
  const base = Date.now() - 3 * 86_400_000;
  for (let i = 0; i < n; i++) {
    state.raiseIncident({ title: `Team ticket ${i}`, description: `Broken thing ${i}`, groupKey: team.guid, status: 'Active', raiseUser: `User ${i}`, at: new Date(base + i * 60_000) });
  }
  for (let i = 0; i < others; i++) {
    state.raiseIncident({ title: `Other ticket ${i}`, groupKey: other.guid, status: 'Active', at: new Date(base + i * 60_000) });
  }
  return { team, other, ann, dev };
}

export interface SyncHarness {
  sim: LgdSimulator;
  store: Store;
  lgd: LgdPort;
  tickets: TicketRepository;
  events: EventLog;
  sync: SyncWorker;
  deliverer: OutboxDeliverer;
  commands: CommandService;
  clock: TestClock;
  /** Moves what the tickets' journals hold to the event log and the audit trail, as the worker's tick does. */
  drain(): Promise<void>;
  /** A second sync worker on the same store and LGD, as after a restart. */
  restartSync(lgd?: LgdPort): SyncWorker;
  close(): Promise<void>;
}

/** The team's ticket rules as the tests sync them: the team's group, Approved / Project notes by analysts. */
export const TEAM_RULES: TicketRules = {
  groups: [TEAM],
  resolvedStatuses: ['Resolved', 'Closed'],
  resolvedStatus: 'Resolved',
  patterns: decisionPatterns({ approved: ['Approved'], project: ['Project'] }),
  deciders: 'analysts',
};

/** The repositories over `store` with the team's rules and the simulator's service account as note author. */
export function openTeamRepositories(store: Store, clock?: () => Date): Promise<Repositories> {
  return openRepositories(store, { rules: TEAM_RULES, noteAuthors: { serviceUsername: 'lgd.service', leads: () => [] }, ...(clock ? { clock } : {}) });
}

/** The LGD client of a simulator, logged on as the service account (`extra` over the defaults). */
export function simClient(baseUrl: string, extra: Partial<LgdClientOptions> = {}): LgdClient {
  return new LgdClient({ baseUrl, username: 'lgd.service', password: 'lgd-simulator', mapping: defaultLgdMapping, timeoutMs: 3000, ...extra });
}

/** A sync worker of the team's group over `repos`, as the app wires it (`extra` over the defaults; silent). */
export function teamSync(repos: Repositories, lgd: LgdPort, extra: Partial<SyncWorkerDeps> = {}): SyncWorker {
  return new SyncWorker({
    lgd,
    tickets: repos.tickets,
    reference: repos.reference,
    state: repos.syncState,
    groups: [TEAM],
    resolvedStatuses: TEAM_RULES.resolvedStatuses,
    authors: () => repos.noteAuthors.load(),
    overlapMs: 65 * 60_000,
    logger: pino({ level: 'silent' }),
    ...extra,
  });
}

/**
 * Real simulator over HTTP, real client, real embedded store; the deliverer's clock is controlled
 * (and the simulator's too with `simOnClock`: when a late write lands). `settleMs` is the
 * deliverer's wait before it looks for a write whose answer was lost.
 */
export async function startSyncHarness(opts: { dryRun?: boolean; lgd?: (baseUrl: string) => LgdPort; simOnClock?: boolean; settleMs?: number } = {}): Promise<SyncHarness> {
  const logger = pino({ level: 'silent' });
  const clock = new TestClock();
  const sim = await startLgdSimulator({ defaultPageSize: 100, ...(opts.simOnClock ? { now: clock.now } : {}) });
  const dataDir = mkdtempSync(join(tmpdir(), 'lgd-sync-'));
  const store = await openEmbeddedStore({ dataDir });
  const lgd = opts.lgd?.(sim.baseUrl) ?? simClient(sim.baseUrl);
  const rules = TEAM_RULES;
  const repos = await openTeamRepositories(store, clock.now);
  const { tickets, events } = repos;
  const authors = repos.noteAuthors;
  const makeSync = (port: LgdPort): SyncWorker => teamSync(repos, port, { state: new SyncStateRepository(store), logger, clock: clock.now });
  const deliverer = new OutboxDeliverer({ lgd, tickets, resolvedStatuses: rules.resolvedStatuses, authors: () => authors.load(), dryRun: opts.dryRun ?? false, logger, clock: clock.now, random: () => 0.5, ...(opts.settleMs !== undefined ? { settleMs: opts.settleMs } : {}) });
  let n = 0;
  const commands = new CommandService(tickets, () => {}, () => `${String(++n).padStart(8, '0')}-0000-4000-8000-000000000000`);
  return {
    sim,
    store,
    lgd,
    tickets,
    events,
    sync: makeSync(lgd),
    deliverer,
    commands,
    clock,
    async drain() {
      while ((await repos.journal.drain()).tickets > 0);
    },
    restartSync: (port = lgd) => makeSync(port),
    async close() {
      await sim.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
