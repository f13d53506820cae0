/**
 * One "instance" of the app's worker for tests of several instances sharing one store: its own
 * repositories, LGD client and worker loop (built by the app's own buildWorker), on a store the
 * caller shares between instances. It counts the LGD calls it makes and keeps its lease at hand,
 * so a test can stop it as a crashed process would (without releasing the lease).
 */
import type { Logger } from 'pino';
import { ticketRules } from '../../bot/app.js';
import type { AppConfig } from '../../bot/config.js';
import { LgdClient } from '../../bot/lgd/client/lgd-client.js';
import type { LgdPort } from '../../bot/lgd/lgd-port.js';
import type { Store } from '../../bot/store/doc-collection.js';
import type { Lease } from '../../bot/store/lease.js';
import { openRepositories, type Repositories } from '../../bot/store/open-repositories.js';
import { buildWorker } from '../../bot/sync/build-worker.js';
import { WorkSignal } from '../../bot/sync/work-signal.js';
import type { WorkerLoop } from '../../bot/sync/worker-loop.js';

export interface WorkerInstance {
  name: string;
  worker: WorkerLoop;
  repos: Repositories;
  /** LGD calls this instance made (method names), in order. */
  lgdCalls: string[];
  /** Stops the loop as a killed process would: the lease is left held, not released. */
  crash(): Promise<void>;
}

/** Builds (does not start) a worker instance named `name` on `store`. */
export async function workerInstance(name: string, store: Store, config: AppConfig, logger: Logger, clock?: () => Date): Promise<WorkerInstance> {
  const repos = await openRepositories(store, {
    rules: ticketRules(config),
    noteAuthors: { serviceUsername: config.lgd.username, leads: () => config.teams.leads },
    ...(clock ? { clock } : {}),
  });
  const client = new LgdClient({ baseUrl: config.lgd.url!, username: config.lgd.username, password: config.lgd.password, mapping: config.lgd.mapping, timeoutMs: config.lgd.timeoutMs });
  const lgdCalls: string[] = [];
  const lgd = new Proxy(client, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        lgdCalls.push(String(prop));
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as LgdPort;
  let lease: Lease | undefined;
  const worker = buildWorker({
    config,
    repos: {
      ...repos,
      lease: (n, h, ttl) => (lease = repos.lease(n, h, ttl)),
    },
    lgd,
    exclusiveStore: store.exclusive,
    signal: new WorkSignal(),
    jobs: [],
    instanceId: name,
    logger: logger.child({ instance: name }),
  });
  return {
    name,
    worker,
    repos,
    lgdCalls,
    async crash() {
      lease!.release = () => Promise.resolve();
      await worker.stop();
    },
  };
}
