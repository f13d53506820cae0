import type { Logger } from '../logger.js';
import type { Lease } from './lease.js';
import type { OutboxDeliverer } from './outbox-deliverer.js';
import type { SyncWorker } from './sync-worker.js';

export interface WorkerLoopOptions {
  lease: Lease;
  sync: SyncWorker;
  deliverer: OutboxDeliverer;
  /** Milliseconds between sync passes. */
  pollMs: number;
  /** Milliseconds between outbox checks (writes should reach LGD within seconds). */
  deliverMs?: number;
  /** More work only the lease holder does on each tick, after delivery (e.g. the Teams side acting on events). */
  jobs?: { name: string; run: () => Promise<unknown> }[];
  logger: Logger;
}

/** The worker's state as /healthz reports it. */
export interface WorkerHealth {
  /** This instance holds the worker lease. */
  leader: boolean;
  lastSyncAt: Date | null;
  lastSyncError: { code: string; message: string; at: Date } | null;
}

/**
 * Runs the sync and the outbox delivery on their cadences while this instance holds the lease.
 * Passes never overlap; a failed pass is logged and retried at the next tick; stop() waits for
 * the pass in progress.
 */
export class WorkerLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private lastSyncAt = 0;
  private syncRequested = true;
  private health: WorkerHealth = { leader: false, lastSyncAt: null, lastSyncError: null };

  constructor(private readonly o: WorkerLoopOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Runs a tick soon (e.g. after a command was accepted, so its write goes out at once). */
  kick(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  /** Runs one tick now: lease, then a sync pass if due (or `forceSync`), then delivery. */
  async tick(opts: { forceSync?: boolean } = {}): Promise<void> {
    if (opts.forceSync) this.syncRequested = true;
    if (this.running) await this.running;
    if (this.running) return this.running;
    this.running = this.runTick().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** How the sync is doing, for /healthz: a refused LGD password or an unreachable LGD shows here. */
  status(): WorkerHealth {
    return { ...this.health };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    await this.o.lease.release().catch((err: unknown) => this.o.logger.warn({ err }, 'could not release the worker lease'));
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick().finally(() => this.schedule(this.o.deliverMs ?? 2000));
    }, ms);
    this.timer.unref();
  }

  private async runTick(): Promise<void> {
    const log = this.o.logger;
    try {
      this.health.leader = await this.o.lease.acquire();
      if (!this.health.leader) return;
      if (this.syncRequested || Date.now() - this.lastSyncAt >= this.o.pollMs) {
        this.syncRequested = false;
        this.lastSyncAt = Date.now();
        try {
          await this.o.sync.syncOnce();
          this.health.lastSyncAt = new Date();
          this.health.lastSyncError = null;
        } catch (err) {
          const e = err as { code?: unknown; userMessage?: unknown; message?: unknown };
          this.health.lastSyncError = {
            code: typeof e.code === 'string' ? e.code : 'SYNC_FAILED',
            message: typeof e.userMessage === 'string' ? e.userMessage : 'The sync pass failed; see the log.',
            at: new Date(),
          };
          log.error({ err }, 'sync pass failed; it will be repeated');
        }
      }
      const r = await this.o.deliverer.deliverDue();
      if (r.delivered + r.refused + r.retrying + r.foundApplied + r.dryRun > 0) log.info(r, 'outbox pass');
      for (const job of this.o.jobs ?? []) {
        try {
          await job.run();
        } catch (err) {
          log.error({ err, job: job.name }, 'worker job failed; it runs again next tick');
        }
      }
    } catch (err) {
      log.error({ err }, 'worker tick failed');
    }
  }
}
