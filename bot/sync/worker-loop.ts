import type { Logger } from '../logger.js';
import type { StatusRepository } from '../store/status-repository.js';
import type { Lease } from '../store/lease.js';
import type { JournalDrain } from '../store/journal-drain.js';
import type { OutboxDeliverer } from './outbox-deliverer.js';
import type { SyncWorker } from './sync-worker.js';
import type { WorkSignal } from './work-signal.js';

export interface WorkerLoopOptions {
  lease: Lease;
  sync: SyncWorker;
  deliverer: OutboxDeliverer;
  /** Moves what tickets' journals hold (events, audit, queued work) to where the jobs read it: run before the jobs. */
  journal?: Pick<JournalDrain, 'drain'>;
  /** Milliseconds between sync passes. */
  pollMs: number;
  /** Milliseconds between outbox checks (writes should reach LGD within seconds). */
  deliverMs?: number;
  /** More work only the lease holder does on each tick, after delivery (e.g. the Teams side acting on events). */
  jobs?: { name: string; run: () => Promise<unknown> }[];
  /**
   * True when the store itself proves this process is the only one using it (the embedded store's
   * exclusive file lock): a lease still held by another holder at start is a crashed process's,
   * and is taken over at once instead of after its expiry.
   */
  takeOverAtStart?: boolean;
  /**
   * Work a crashed process had claimed in the store (outbox entries, queued messages), released
   * when `takeOverAtStart` proves it gone, so it goes out at once instead of after its claim ran out.
   */
  abandonedClaims?: { name: string; release: () => Promise<number> }[];
  /** Where a failing sync is recorded for every instance's /healthz. */
  status?: StatusRepository;
  /** Kicked by requests that recorded work (a command, a card to refresh): each kick runs a tick soon. */
  signal?: WorkSignal;
  logger: Logger;
}

/** The worker's state as /healthz reports it. */
export interface WorkerHealth {
  /** This instance holds the worker lease. */
  leader: boolean;
  lastSyncAt: Date | null;
  /** The last pass's failure: `part` is `lgd` when LGD failed it (unreachable, refusing the log-on), else `sync`. */
  lastSyncError: { part: 'lgd' | 'sync'; code: string; message: string; at: Date; since: Date } | null;
}

/** How a failed pass is named in the log and on /healthz. */
function describeFailure(err: unknown): { code: string; message: string; status: number | undefined } {
  const e = err as { code?: unknown; userMessage?: unknown; status?: unknown };
  return {
    code: typeof e.code === 'string' ? e.code : 'SYNC_FAILED',
    message: typeof e.userMessage === 'string' ? e.userMessage : 'The sync pass failed; see the log.',
    status: typeof e.status === 'number' ? e.status : undefined,
  };
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
  private takeOver: boolean;
  /** The failure the last passes met and how many in a row, so that a repeat logs one line. */
  private failing: { kind: string; passes: number } | null = null;

  constructor(private readonly o: WorkerLoopOptions) {
    this.takeOver = o.takeOverAtStart ?? false;
    o.signal?.listen(() => this.kick());
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Runs a tick soon (e.g. after a command was accepted, so its write goes out at once). */
  kick(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  /** Runs one tick now: lease, then a sync pass if due (or `forceSync`; `refreshReference` also re-reads LGD's lists), then delivery. */
  async tick(opts: { forceSync?: boolean; refreshReference?: boolean } = {}): Promise<void> {
    if (opts.forceSync) this.syncRequested = true;
    if (opts.refreshReference) {
      this.syncRequested = true;
      this.o.sync.requestReferenceRefresh();
    }
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

  private async acquireLease(): Promise<boolean> {
    if (!this.takeOver) return this.o.lease.acquire();
    // Another worker loop of this process holds it: alive, whatever the lock says; wait for it as usual.
    if (await this.o.lease.heldByAnotherHere()) {
      this.takeOver = false;
      return this.o.lease.acquire();
    }
    const previous = await this.o.lease.takeOver();
    this.takeOver = false;
    if (previous !== null) {
      this.o.logger.warn({ previous }, `took over the worker lease from ${previous} at once: the store's exclusive lock proves that process is gone`);
    }
    // The same proof holds for whatever any earlier process had claimed (a claim outlives its lease when the process dies mid-send).
    for (const claims of this.o.abandonedClaims ?? []) {
      try {
        await claims.release();
      } catch (err) {
        this.o.logger.error({ err, queue: claims.name }, 'could not free what a stopped process had claimed; it goes out when its claim runs out');
      }
    }
    return true;
  }

  /**
   * Keeps the lease while a pass runs longer than its term (a slow LGD, a big first sync): checked
   * every second, renewed each third of the term. A lost lease is logged and ends the tick after
   * the step in progress, so two instances never go on working side by side.
   */
  private keepLease(): { lost: () => boolean; stop: () => void } {
    let lost = false;
    let renewing = false;
    const timer = setInterval(() => {
      if (renewing || lost) return;
      renewing = true;
      this.o.lease
        .renewIfDue()
        .then((held) => {
          if (held) return;
          lost = true;
          this.health.leader = false;
          this.o.logger.warn('lost the worker lease during a pass (another instance has it); this instance stops after the step in progress');
        })
        .catch((err: unknown) => this.o.logger.warn({ err }, 'could not renew the worker lease during a pass; tried again in a second'))
        .finally(() => {
          renewing = false;
        });
    }, 1000);
    timer.unref();
    return { lost: () => lost, stop: () => clearInterval(timer) };
  }

  private async runTick(): Promise<void> {
    const log = this.o.logger;
    let lease: { lost: () => boolean; stop: () => void } | null = null;
    try {
      this.health.leader = await this.acquireLease();
      if (!this.health.leader) return;
      lease = this.keepLease();
      // What requests committed moves on at once, even when a long sync pass is due.
      await this.drain();
      if (this.syncRequested || Date.now() - this.lastSyncAt >= this.o.pollMs) {
        this.syncRequested = false;
        this.lastSyncAt = Date.now();
        try {
          await this.o.sync.syncOnce();
          this.syncSucceeded();
        } catch (err) {
          this.syncFailed(err);
        }
        await this.recordSyncStatus();
      }
      if (lease.lost()) return;
      const r = await this.o.deliverer.deliverDue();
      if (r.delivered + r.refused + r.retrying + r.foundApplied + r.dryRun > 0) log.info(r, 'outbox pass');
      // The events the sync and the deliverer committed reach the event log before the jobs read it.
      await this.drain();
      for (const job of this.o.jobs ?? []) {
        if (lease.lost()) return;
        try {
          await job.run();
        } catch (err) {
          log.error({ err, job: job.name }, 'worker job failed; it runs again next tick');
        }
      }
    } catch (err) {
      log.error({ err }, 'worker tick failed');
    } finally {
      lease?.stop();
    }
  }

  /** Drains the tickets' journals; a failure is logged, and the next drain (idempotent) takes it up. */
  private async drain(): Promise<void> {
    if (!this.o.journal) return;
    try {
      for (let pass = 0; pass < 100; pass++) if ((await this.o.journal.drain()).tickets === 0) break;
    } catch (err) {
      this.o.logger.error({ err }, 'could not move the tickets\' journals; the next tick tries again');
    }
  }

  private syncSucceeded(): void {
    this.health.lastSyncAt = new Date();
    this.health.lastSyncError = null;
    if (this.failing) this.o.logger.info({ failedPasses: this.failing.passes }, `sync recovered after ${this.failing.passes} failed pass(es)`);
    this.failing = null;
  }

  /**
   * The first failure of a kind is logged with its cause (once); a repeat of the same kind logs
   * one line with the code and LGD's answer, so a long outage does not fill the log with stacks.
   */
  private syncFailed(err: unknown): void {
    const f = describeFailure(err);
    const at = new Date();
    // The kind is the code: an outage that alternates 500 and 503, or changes its timeout, is still one outage.
    const kind = f.code;
    const same = this.failing?.kind === kind;
    const part = f.code.startsWith('LGD_') ? 'lgd' : 'sync';
    this.health.lastSyncError = { part, code: f.code, message: f.message, at, since: same ? (this.health.lastSyncError?.since ?? at) : at };
    if (same && this.failing) {
      this.failing.passes++;
      this.o.logger.error({ code: f.code, status: f.status, failedPasses: this.failing.passes }, `sync pass failed again: ${f.message}`);
      return;
    }
    this.failing = { kind, passes: (this.failing?.passes ?? 0) + 1 };
    this.o.logger.error({ err }, 'sync pass failed; it will be repeated');
  }

  /** Names LGD's state (unreachable, refusing the log-on) for every instance's /healthz; a store problem only logs. */
  private async recordSyncStatus(): Promise<void> {
    const e = this.health.lastSyncError;
    try {
      await this.o.status?.report('sync', e ? [{ part: e.part, code: e.code, message: e.message }] : []);
    } catch (err) {
      this.o.logger.warn({ err }, 'could not record the sync status; it is tried again next pass');
    }
  }
}
