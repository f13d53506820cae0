/**
 * A ticket and the event that announces it commit together. A first sync is killed right after
 * its first write of tickets (whatever it would have written next is lost, as when the process
 * dies); after a restart on the same data folder the sync completes, and every stored ticket has
 * exactly one "new ticket" event in the event log, so the bot acts on each of them. (Before the
 * tickets carried their events, one run kept 1,000 tickets but only 500 such events.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Document } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startLgdSimulator, type LgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import type { DocCollection, Store } from '../../bot/store/doc-collection.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import type { Repositories } from '../../bot/store/open-repositories.js';
import type { SyncWorker } from '../../bot/sync/sync-worker.js';
import { openTeamRepositories, seedTeam, simClient, teamSync } from '../support/sync-harness.js';

const WRITES = ['insertOne', 'insertMany', 'updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'deleteOne', 'deleteMany', 'bulkWrite'] as const;

/** The store as a process sees it that dies right after its first write of tickets: every call after that fails and writes nothing. */
function dyingAfterFirstTicketsWrite(inner: Store): Store & { dead(): boolean } {
  let dead = false;
  const killed = (): Promise<never> => Promise.reject(new Error('process killed'));
  return {
    kind: inner.kind,
    exclusive: inner.exclusive,
    dead: () => dead,
    collection<T extends Document>(name: string): DocCollection<T> {
      const col = inner.collection<T>(name);
      const wrapped: Record<string, unknown> = {};
      const call =
        (op: string) =>
        async (...args: unknown[]): Promise<unknown> => {
          if (dead) return killed();
          const result: unknown = await (col[op as keyof DocCollection<T>] as (...a: unknown[]) => Promise<unknown>).apply(col, args);
          if (name === 'tickets' && (WRITES as readonly string[]).includes(op)) dead = true;
          return result;
        };
      for (const op of [...WRITES, 'findOne', 'countDocuments', 'createIndex']) wrapped[op] = call(op);
      wrapped.find = (...args: unknown[]) => ({
        toArray: () => (dead ? killed() : (col.find as (...a: unknown[]) => { toArray(): Promise<unknown> }).apply(col, args).toArray()),
      });
      return wrapped as unknown as DocCollection<T>;
    },
    ping: () => inner.ping(),
    close: () => Promise.resolve(),
  };
}

const syncWorker = (sim: LgdSimulator, repos: Repositories): SyncWorker => teamSync(repos, simClient(sim.baseUrl));

const open = (store: Store): Promise<Repositories> => openTeamRepositories(store);

let sim: LgdSimulator | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a first sync killed half-way', () => {
  it('keeps every stored ticket with its "new ticket" event, across the restart', async () => {
    sim = await startLgdSimulator({ defaultPageSize: 100 });
    seedTeam(sim.state, 700);
    dir = mkdtempSync(join(tmpdir(), 'lgd-first-sync-crash-'));

    // The first process: its first batch of tickets is written, then it dies.
    const first = await openEmbeddedStore({ dataDir: dir });
    const dying = dyingAfterFirstTicketsWrite(first);
    await expect(syncWorker(sim, await open(dying)).syncOnce()).rejects.toThrow('process killed');
    expect(dying.dead()).toBe(true);
    await first.close();

    // The restart: the same data folder, a new process's store.
    const second = await openEmbeddedStore({ dataDir: dir });
    try {
      const repos = await open(second);
      const kept = await repos.tickets.count();
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(700);
      await syncWorker(sim, repos).syncOnce();
      while ((await repos.journal.drain()).tickets > 0);

      expect(await repos.tickets.count()).toBe(700);
      const announced = (await repos.events.after(0, 10_000)).filter((e) => e.kind === 'ticket_new').map((e) => e.ticketKey);
      const stored = (await repos.tickets.list({ limit: 1000 })).map((t) => t._id);
      expect(announced).toHaveLength(700);
      expect(new Set(announced)).toEqual(new Set(stored));
    } finally {
      await second.close();
    }
  });
});
