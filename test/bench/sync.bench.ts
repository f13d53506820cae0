/**
 * (a) A full sync of the replay slice (every ticket of the group, the notes of its open tickets,
 * reference data) into a fresh embedded store, until every new ticket's event is in the event log, against merely fetching the same pages with raw
 * HTTP and JSON.parse. (b) Process memory after syncing 25,000 tickets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { LgdClient } from '../../bot/lgd/client/lgd-client.js';
import { defaultLgdMapping } from '../../bot/lgd/lgd-mapping.js';
import { startLgdSimulator, type LgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import { loadReplay } from '../../bot/lgd/replay/load-replay.js';
import { openEmbeddedStore } from '../../bot/store/embedded-store.js';
import { openRepositories } from '../../bot/store/open-repositories.js';
import { SyncWorker } from '../../bot/sync/sync-worker.js';
import { decisionPatterns } from '../../bot/domain/triage-decision.js';
import type { BenchContext } from './run.js';
import { rawLgdSession } from './raw-lgd.js';

const GROUP = 'LGSS-IT-Digital';
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

async function fullSync(sim: LgdSimulator, record?: string[]): Promise<{ tickets: number; ms: number; memory: NodeJS.MemoryUsage }> {
  const dir = mkdtempSync(join(tmpdir(), 'lgd-bench-sync-'));
  const store = await openEmbeddedStore({ dataDir: dir });
  try {
    const lgd = new LgdClient({
      baseUrl: sim.baseUrl,
      username: 'lgd.service',
      password: 'lgd-simulator',
      mapping: defaultLgdMapping,
      fetch: (input, init) => {
        const url = input instanceof Request ? input.url : input.toString();
        if (record && (init?.method ?? 'GET') === 'GET' && url.includes('.rails?')) record.push(url);
        return fetch(input, init);
      },
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
      logger: pino({ level: 'silent' }),
    });
    const t0 = performance.now();
    const r = await sync.syncOnce();
    // Until every new ticket's event is in the event log, as the worker's tick does it.
    while ((await repos.journal.drain()).tickets > 0);
    const ms = performance.now() - t0;
    (globalThis as { gc?: () => void }).gc?.();
    return { tickets: r.created, ms, memory: process.memoryUsage() };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function rawFetch(sim: LgdSimulator, urls: readonly string[]): Promise<void> {
  const get = await rawLgdSession(sim.baseUrl);
  for (const url of urls) await get(url);
}

export default async function bench(ctx: BenchContext): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  // (a) the replay slice
  const sim = await startLgdSimulator();
  try {
    sim.loadReplay(await loadReplay({ teamGroup: GROUP }), { speed: 0 });
    const urls: string[] = [];
    const first = await fullSync(sim, urls);
    ctx.note('replay slice: tickets synced / GET requests', `${first.tickets} / ${urls.length}`);
    const syncT = await ctx.measure(async () => void (await fullSync(sim)), { iterations: 5, warmup: 1 });
    const rawT = await ctx.measure(() => rawFetch(sim, urls), { iterations: 5, warmup: 1 });
    ctx.compare('full sync of the replay slice vs raw fetch of its pages', syncT, rawT);
  } finally {
    await sim.close();
  }

  // (b) memory after syncing 25,000 tickets
  const big = await startLgdSimulator();
  try {
    const team = big.state.addGroup(GROUP);
    const from = Date.now() - 400 * 86_400_000;
    for (let i = 0; i < 25_000; i++) {
      big.state.raiseIncident({
        title: `Ticket ${i + 1}: a printer that will not print`,
        description: 'Generated for the bench. '.repeat(4),
        status: i % 10 === 0 ? 'Active' : 'Resolved',
        groupKey: team.guid,
        raiseUser: 'Sam Jones',
        priority: '3 - Moderate',
        category: 'Software',
        at: new Date(from + i * 60_000),
      });
    }
    gc?.();
    const before = process.memoryUsage();
    const r = await fullSync(big);
    const after = r.memory;
    ctx.note('25,000 tickets: full sync time', `${(r.ms / 1000).toFixed(1)} s for ${r.tickets} tickets`);
    ctx.note(
      '25,000 tickets: memory after sync, store open',
      `rss ${mb(after.rss)} (+${mb(after.rss - before.rss)}), heap ${mb(after.heapUsed)} (+${mb(after.heapUsed - before.heapUsed)})${gc ? '' : ' [no --expose-gc]'}`,
      { tickets: r.tickets, syncSeconds: r.ms / 1000, rssMB: after.rss / 2 ** 20, rssGrowthMB: (after.rss - before.rss) / 2 ** 20, heapGrowthMB: (after.heapUsed - before.heapUsed) / 2 ** 20 },
    );
  } finally {
    await big.close();
  }
}
