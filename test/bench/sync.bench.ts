/**
 * (a) A full sync of the replay slice (every ticket of the group, the notes of its open tickets,
 * reference data) into a fresh embedded store, until every new ticket's event is in the event log,
 * against merely fetching the same pages with raw HTTP and JSON.parse. (b) Process memory after
 * syncing 25,000 tickets, each measured in a fresh process (`sync-memory.ts`).
 *
 * Both are measured twice: with the simulator in a process of its own, as LGD is in production (a
 * remote server: fetching the next page overlaps storing this one, and the process's memory is the
 * app's alone), and with the simulator in the bench's own process, as first measured for issue 14
 * (its work and memory then count against the app).
 */
import { alternate, summarise, type BenchContext, type SelfTimed } from './run.js';
import { probeSyncMemory } from './sync-memory.js';
import { fullSync, PLACES, rawFetch, simulatorAt } from './sync-run.js';

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

export default async function bench(ctx: BenchContext): Promise<void> {
  // (a) the replay slice
  for (const { own, label } of PLACES) {
    const sim = await simulatorAt(own, { kind: 'replay' });
    try {
      const urls: string[] = [];
      const first = await fullSync(sim.baseUrl, { record: urls });
      ctx.note(`replay slice (${label}): tickets synced / GET requests`, `${first.tickets} / ${urls.length}`);
      // Sync, raw fetch, sync, ...: the raw fetch's time drifts between runs (116-156 ms on one idle machine), and
      // seven syncs then seven raw fetches put all of a drift on one side.
      // A sync is timed from its start until every new ticket's event is in the event log (fullSync's `ms`): not the
      // opening of the fresh store it syncs into, its indexes, its closing and removal (a server opens its store once).
      const around: number[] = [];
      const sync = async (): Promise<SelfTimed> => {
        const t0 = performance.now();
        const r = await fullSync(sim.baseUrl);
        around.push(performance.now() - t0 - r.ms);
        return { selfTimedMs: r.ms };
      };
      const vsFetch = await alternate(ctx, 9, sync, () => rawFetch(sim.baseUrl, urls), { warmup: 1 });
      ctx.compare(`full sync of the replay slice vs raw fetch of its pages, ${label}`, vsFetch.subject, vsFetch.baseline);
      // The app's LGD client does not use fetch() but undici's request (lgd-transport.ts), which costs less per request:
      // the same pages over that transport too, so the report shows what of the gap the transport alone closes.
      const vsOwn = await alternate(ctx, 9, sync, () => rawFetch(sim.baseUrl, urls, 'undici'), { warmup: 1 });
      ctx.compare(`full sync of the replay slice vs raw GETs over the app's own transport (undici request), ${label}`, vsOwn.subject, vsOwn.baseline);
      const setup = summarise(around);
      ctx.note(
        `replay slice (${label}): a fresh store's opening and removal around each sync (not in the figures above)`,
        `median ${setup.median.toFixed(0)} ms`,
        { medianMs: setup.median },
      );
    } finally {
      await sim.close();
    }
  }

  // (b) memory after syncing 25,000 tickets, each in a fresh process
  for (const { own, label } of PLACES) {
    const p = await probeSyncMemory(own);
    ctx.note(`25,000 tickets (${label}): full sync time`, `${(p.ms / 1000).toFixed(1)} s for ${p.tickets} tickets`);
    ctx.note(
      `25,000 tickets: memory after sync, store open, ${label}`,
      `rss ${mb(p.rssAfter)} (+${mb(p.rssAfter - p.rssBefore)}; peak during the sync +${mb(p.peakRss - p.rssBefore)}; +${mb(p.rssHeld - p.rssBefore)} 8 s after, once V8 returned the sync's transient heap), heap ${mb(p.heapAfter)} (+${mb(p.heapAfter - p.heapBefore)}); a fresh process, read 1 s after the sync${p.gc ? '' : ' [no --expose-gc]'}`,
      {
        tickets: p.tickets,
        syncSeconds: p.ms / 1000,
        rssMB: p.rssAfter / 2 ** 20,
        rssGrowthMB: (p.rssAfter - p.rssBefore) / 2 ** 20,
        peakRssGrowthMB: (p.peakRss - p.rssBefore) / 2 ** 20,
        heldRssGrowthMB: (p.rssHeld - p.rssBefore) / 2 ** 20,
        heapGrowthMB: (p.heapAfter - p.heapBefore) / 2 ** 20,
      },
    );
  }
}
