/** One full sync of the bench into a fresh embedded store, and the raw fetch it is held against. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { LgdClient } from '../../bot/lgd/client/lgd-client.js';
import { defaultLgdMapping } from '../../bot/lgd/lgd-mapping.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { openRepositories } from '../../bot/store/open-repositories.js';
import { SyncWorker } from '../../bot/sync/sync-worker.js';
import { decisionPatterns } from '../../bot/domain/triage-decision.js';
import { rawLgdSession } from './raw-lgd.js';
import { GROUP, startFixtureSimulator, type SimFixture } from './sim-fixtures.js';
import { startSimulatorProcess } from './sim-process.js';

/** A full garbage collection when node runs with --expose-gc (the bench does). */
export const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

/**
 * A gc(), then time for V8's background thread to give back the pages it freed: RSS read at once
 * still counts them (measured here: 183 MB straight after a gc(), 111 MB 100 ms later and from then on),
 * a transient the probe's own gc() makes and no running server has.
 */
export async function gcAndRelease(): Promise<void> {
  gc();
  await sleep(500);
}

/** Where LGD runs for a measurement, and the words the figures carry for it. */
export const PLACES = [
  { own: true, label: 'LGD in its own process' },
  { own: false, label: 'LGD in the same process' },
] as const;

/** A simulator holding `fixture`, in its own process or in this one. */
export async function simulatorAt(own: boolean, fixture: SimFixture): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  if (own) return startSimulatorProcess(fixture);
  const sim = await startFixtureSimulator(fixture);
  return { baseUrl: sim.baseUrl, close: () => sim.close() };
}

/** What one full sync took: tickets created, wall time, memory after gc() with the store open, and the peak RSS sampled every 50 ms. */
export interface SyncRun {
  tickets: number;
  ms: number;
  memory: NodeJS.MemoryUsage;
  /** Peak RSS during the sync, sampled every 50 ms in a memory run (with `settleMs` or `heldMs`); 0 otherwise. */
  peakRss: number;
  /** With `heldMs`: memory that long after the sync, after another gc(). */
  held?: NodeJS.MemoryUsage;
}

/**
 * Syncs everything LGD at `baseUrl` holds into a fresh embedded store, recording its GET URLs in
 * `record`; with `settleMs`, memory is read that long after a gc() (after another gc() and the
 * release of what it freed), and with `heldMs` once more that long after the sync.
 */
export async function fullSync(baseUrl: string, opts: { record?: string[]; settleMs?: number; heldMs?: number } = {}): Promise<SyncRun> {
  const { record } = opts;
  const dir = mkdtempSync(join(tmpdir(), 'lgd-bench-sync-'));
  const store = await openEmbeddedStore({ dataDir: dir });
  let peakRss = 0;
  // Only a memory run samples its peak: the timer's reads of /proc would otherwise be part of the timed sync.
  const sample = opts.settleMs || opts.heldMs ? setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50) : undefined;
  try {
    const lgd = new LgdClient({
      baseUrl,
      username: 'lgd.service',
      password: 'lgd-simulator',
      mapping: defaultLgdMapping,
      // Only a recording run goes through fetch(): every other one uses the client's own transport, as the app does.
      ...(record
        ? {
            fetch: (input: string | URL | Request, init?: RequestInit) => {
              const url = input instanceof Request ? input.url : input.toString();
              if ((init?.method ?? 'GET') === 'GET' && url.includes('.rails?')) record.push(url);
              return fetch(input, init);
            },
          }
        : {}),
    });
    const repos = await openRepositories(store, {
      rules: {
        groups: [GROUP],
        resolvedStatuses: ['Resolved', 'Closed'],
        resolvedStatus: 'Resolved',
        patterns: decisionPatterns({ approved: ['Approved'], project: ['Project'] }),
        deciders: 'analysts',
      },
      noteAuthors: { serviceUsername: 'lgd.service', leads: () => [] },
    });
    const sync = new SyncWorker({
      lgd,
      tickets: repos.tickets,
      reference: repos.reference,
      state: repos.syncState,
      groups: [GROUP],
      resolvedStatuses: ['Resolved', 'Closed'],
      authors: () => repos.noteAuthors.load(),
      overlapMs: 65 * 60_000,
      // As the worker wires it: new tickets' events are moved between batches, while LGD answers for the next.
      journal: repos.journal,
      logger: pino({ level: 'silent' }),
    });
    const t0 = performance.now();
    const r = await sync.syncOnce();
    // Until every new ticket's event is in the event log, as the worker's tick does it.
    while ((await repos.journal.drain()).tickets > 0);
    const ms = performance.now() - t0;
    clearInterval(sample);
    gc();
    if (opts.settleMs) {
      // V8 gives freed pages back to the system in the background: read the steady state, as a server between ticks has it.
      await sleep(opts.settleMs);
      await gcAndRelease();
    }
    const memory = process.memoryUsage();
    if (!opts.heldMs) return { tickets: r.created, ms, memory, peakRss };
    // V8 shrinks its young generation only once the allocation rate it sees (over the last 5 s) is low,
    // and gives freed pages back at a GC after that: what the app holds, once the sync's transient heap is returned.
    await sleep(opts.heldMs - (opts.settleMs ?? 0));
    await gcAndRelease();
    return { tickets: r.created, ms, memory, peakRss, held: process.memoryUsage() };
  } finally {
    clearInterval(sample);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The baseline: log on and fetch `urls` with raw HTTP (fetch() unless said) and JSON.parse, nothing more. */
export async function rawFetch(baseUrl: string, urls: readonly string[], via: 'fetch' | 'undici' = 'fetch'): Promise<void> {
  const get = await rawLgdSession(baseUrl, via);
  for (const url of urls) await get(url);
}

