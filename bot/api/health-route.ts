import type { Route } from '../http/http-server.js';
import type { Store, StorePing } from '../store/doc-collection.js';
import type { DegradedPart, StatusRepository } from '../store/status-repository.js';
import type { FirstSyncStatus } from '../store/sync-state-repository.js';
import type { WorkerHealth } from '../sync/worker-loop.js';

/** What /healthz needs: the store (its ping proves a write), the worker's own view, the stored status. */
export interface HealthDeps {
  store: Store;
  worker: { status(): WorkerHealth };
  status: StatusRepository;
  demo: boolean;
  clock?: () => Date;
}

/** The body of /healthz. */
export interface HealthReport {
  /** ok: all is well; degraded: the app serves, but `degraded` names what is missing; down: the store refuses writes. */
  status: 'ok' | 'degraded' | 'down';
  store: StorePing;
  sync: WorkerHealth & { firstSync: FirstSyncStatus | null };
  degraded: DegradedPart[];
  demo: boolean;
}

/** Human text of a first sync that has not completed. */
function firstSyncMessage(f: FirstSyncStatus): string {
  const rest = '/api/tickets lists only part of the tickets until it ends.';
  if (f.startedAt === null) return `No sync with LGD has completed yet; ${rest}`;
  if (f.of === null) return `The first sync with LGD has not completed: LGD's ticket list is not read yet; ${rest}`;
  return `The first sync with LGD is running: ${f.done ?? 0} of ${f.of} tickets so far; ${rest}`;
}

/**
 * Builds the report: 200 while the app can serve, naming what is degraded (first sync running,
 * LGD unreachable or refusing the log-on, a reference list LGD refuses, no time-zone switch);
 * 503 only when the store refuses writes, so an LGD outage never makes the platform recycle the
 * app. Costs one tiny store write and two small reads.
 */
export async function healthReport(d: HealthDeps, startedAt: Date): Promise<HealthReport> {
  const now = d.clock?.() ?? new Date();
  const store = await d.store.ping();
  const sync = d.worker.status();
  const degraded: DegradedPart[] = [];
  let firstSync: FirstSyncStatus | null = null;
  try {
    const [parts, first] = await Promise.all([d.status.list(), d.status.firstSync()]);
    firstSync = first;
    if (!first.complete) degraded.push({ part: 'sync.firstSync', code: 'FIRST_SYNC_RUNNING', message: firstSyncMessage(first), since: first.startedAt ?? startedAt });
    degraded.push(...parts);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    degraded.push({ part: 'store', code: 'STORE_READ_FAILED', message: `The app could not read its status: ${message}`, since: now });
  }
  // This instance's own view wins when the stored one lags (e.g. the status write itself failed).
  const e = sync.lastSyncError;
  if (e && !degraded.some((p) => p.part === e.part)) degraded.push({ part: e.part, code: e.code, message: e.message, since: e.since });
  if (!store.ok) degraded.unshift({ part: 'store', code: 'STORE_REFUSES_WRITES', message: store.detail ?? 'The store refuses writes.', since: now });
  const status = !store.ok ? 'down' : degraded.length > 0 ? 'degraded' : 'ok';
  return { status, store, sync: { ...sync, firstSync }, degraded, demo: d.demo };
}

/** `GET /healthz`; concurrent polls share one computation. */
export function healthRoute(d: HealthDeps): Route {
  const startedAt = d.clock?.() ?? new Date();
  let running: Promise<HealthReport> | null = null;
  return {
    name: 'health',
    method: 'get',
    path: '/healthz',
    handler: async (_req, res) => {
      running ??= healthReport(d, startedAt).finally(() => {
        running = null;
      });
      const report = await running;
      res.send(report.store.ok ? 200 : 503, report);
    },
  };
}
