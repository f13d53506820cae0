import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { LgdPort } from '../lgd/lgd-port.js';
import type { Repositories } from '../store/open-repositories.js';
import { OutboxDeliverer } from './outbox-deliverer.js';
import { SyncWorker } from './sync-worker.js';
import type { WorkSignal } from './work-signal.js';
import { WorkerLoop } from './worker-loop.js';

/**
 * The worker: under the store's lease, syncs LGD on the poll cadence, delivers the outbox, then
 * runs `jobs` (the Teams side acting on events, the backlog queue); a kick on `signal` runs a tick
 * soon. Not started: the caller starts it once everything else is up.
 */
export function buildWorker(o: {
  config: AppConfig;
  repos: Repositories;
  lgd: LgdPort;
  /** True when the store proves this process is its only user (the embedded store's lock): a crashed holder's lease is taken over at once. */
  exclusiveStore: boolean;
  signal: WorkSignal;
  jobs: { name: string; run: () => Promise<unknown> }[];
  /** This instance's name in leases (default host-pid-random). */
  instanceId?: string;
  /** The app's clock, the one the store stamps with (tests play days with it); default the system's. */
  clock?: () => Date;
  logger: Logger;
}): WorkerLoop {
  const { config, repos, lgd } = o;
  const log = o.logger.child({ component: 'sync' });
  const instanceId = o.instanceId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const pollMs = config.sync.pollSeconds * 1000;
  const authors = () => repos.noteAuthors.load();
  if (config.sync.dryRun) log.warn('DRY RUN: LGD writes are logged, not made');
  const deliverer = new OutboxDeliverer({
    lgd,
    tickets: repos.tickets,
    resolvedStatuses: config.lgd.mapping.resolvedStatuses,
    authors,
    dryRun: config.sync.dryRun,
    settleMs: config.sync.writeSettleSeconds * 1000,
    logger: o.logger.child({ component: 'outbox' }),
    // Its retry times are compared with the store's clock when an entry is claimed: the same clock.
    ...(o.clock ? { clock: o.clock } : {}),
  });
  return new WorkerLoop({
    lease: repos.lease('worker', instanceId, Math.max(3 * pollMs, 60_000)),
    takeOverAtStart: o.exclusiveStore,
    status: repos.status,
    signal: o.signal,
    sync: new SyncWorker({
      lgd,
      tickets: repos.tickets,
      reference: repos.reference,
      status: repos.status,
      state: repos.syncState,
      groups: config.lgd.groups,
      resolvedStatuses: config.lgd.mapping.resolvedStatuses,
      authors,
      overlapMs: config.sync.overlapMinutes * 60_000,
      journal: repos.journal,
      logger: log,
      ...(o.clock ? { clock: o.clock } : {}),
    }),
    deliverer,
    abandonedClaims: [
      { name: 'outbox', release: () => deliverer.releaseAbandonedClaims() },
      { name: 'person notices', release: () => repos.notices.releaseAbandonedClaims() },
      { name: 'card jobs', release: () => repos.cardJobs.releaseAbandonedClaims() },
    ],
    journal: repos.journal,
    pollMs,
    logger: log,
    jobs: o.jobs,
  });
}
